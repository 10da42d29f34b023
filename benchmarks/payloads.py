"""The canned request and responses every benchmarked client exchanges with the server.

Standard library only: this module is imported by the server, by the runner and by the
client workers, one of which runs in a separate virtualenv (the official `ding-api-client`).
"""

from __future__ import annotations

import json
import os
from typing import Final

API_KEY: Final = "bench-api-key"
CUSTOMER_UUID: Final = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
PHONE_NUMBER: Final = "+1234567890"
AUTHENTICATION_UUID: Final = "e0e7b0e9-739d-424b-922f-1c2cb48ab077"

# The one operation every style performs: create_authentication with this body.
CREATE_AUTHENTICATION_BODY: Final = {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE_NUMBER}

# prelude-python-sdk speaks the Prelude API (Ding's successor). Its equivalent of sending a code
# is POST /v2/verification with this body; the server answers it with a Prelude-valid response.
PRELUDE_VERIFICATION_ID: Final = "vrf_01jc0t6fwwfgfsq1md24mhyztj"
PRELUDE_TARGET: Final = {"type": "phone_number", "value": PHONE_NUMBER}

_TIMESTAMP: Final = "2024-05-21T12:00:00Z"
_EXPIRES: Final = "2024-05-21T12:10:00Z"

# Spec-valid bodies (spec/ding-openapi.yaml), keyed by (method, path under /v1).
# A path ending in "/" is a prefix: it matches any path parameter after it.
DING_RESPONSES: Final[dict[tuple[str, str], object]] = {
    ("POST", "/authentication"): {
        "authentication_uuid": AUTHENTICATION_UUID,
        "status": "pending",
        "created_at": _TIMESTAMP,
        "expires_at": _EXPIRES,
    },
    ("POST", "/check"): {"authentication_uuid": AUTHENTICATION_UUID, "status": "valid"},
    ("POST", "/retry"): {
        "authentication_uuid": AUTHENTICATION_UUID,
        "status": "approved",
        "created_at": _TIMESTAMP,
        "next_retry_at": _EXPIRES,
        "remaining_retry": 2,
    },
    ("POST", "/authentication/feedback"): {"uuid": "123e4567-e89b-12d3-a456-4266141740a0"},
    ("GET", "/authentication/"): {
        "uuid": AUTHENTICATION_UUID,
        "phone_number": PHONE_NUMBER,
        "created_at": _TIMESTAMP,
        "events": [],
    },
    ("GET", "/lookup/"): {
        "phone_number": PHONE_NUMBER,
        "mcc": "310",
        "mnc": "410",
        "carrier": "AT&T",
        "country_code": "US",
        "number_ported": False,
        "line_type": "Mobile",
    },
}

PRELUDE_VERIFICATION_RESPONSE: Final = {
    "id": PRELUDE_VERIFICATION_ID,
    "method": "message",
    "status": "success",
    "channels": ["sms"],
    "metadata": {"correlation_id": "bench"},
    "request_id": "3d19215e-2991-4a05-a41a-527314e6ff6a",
}


def ding_options() -> dict[str, float]:
    """Options for the ding styles: none (the defaults), except under callgrind, which runs
    a process some 50 times slower: `instructions.py` sets BENCH_DING_TIMEOUTS=1 so that the
    calls queued for a pooled connection at 1,000 in flight do not reach the default timeouts
    (5 s to get a connection, which in aiohttp includes the wait for a free one in the pool,
    and 10 s per attempt; raw aiohttp's default is 5 minutes in all)."""
    if os.environ.get("BENCH_DING_TIMEOUTS") == "1":
        return {"timeout": 3600.0, "connect_timeout": 3600.0, "deadline": 7200.0}
    return {}


def encode(body: object) -> bytes:
    """Compact JSON, as an API server sends it."""
    return json.dumps(body, separators=(",", ":")).encode()
