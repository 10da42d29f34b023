"""The six operations as data, and one way to call any of them in either calling style.

Both `ding.Ding` and `ding.AsyncDing` are driven through `run_op`, which builds a fresh client
per call (as a fault test wants: no pooled connection carried over) and returns what the caller
got. Anything that is not a `DingError` propagates and fails the test: the contract is that the
SDK raises nothing else.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import ding
from ding.models import components, errors
from ding.utils import BackoffStrategy, RetryConfig

# A recognisable key: tests grep every text the SDK produces for it (and for its halves).
API_KEY = "sk_live_0123SECRETKEY4567_doNotLeak"
CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
AUTH_UUID = "5f6ae5a1-8b3e-4b59-a5d6-0c0f6a7a1f0e"
PHONE = "+14155550123"
CODE = "987654"

CHECK_REQUEST = components.CreateCheckRequest(
    customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID, check_code=CODE
)

# Millisecond backoff so a retry test costs milliseconds, and 2 retries so that "retried"
# and "not retried" are told apart by the request count (3 vs 1).
MAX_RETRIES = 2
FAST: dict[str, Any] = {
    "retry_config": RetryConfig("backoff", BackoffStrategy(1, 5, 1.5, 2000), True),
    "max_retries": MAX_RETRIES,
}


@dataclass(frozen=True)
class Op:
    name: str
    idempotent: bool
    """Sending it twice does what sending it once does (the GETs). Every POST acts: after an
    outcome where the server may have acted, only idempotent requests are retried."""
    method: str
    path_suffix: str
    """How the request path ends on the server (below /v1)."""
    invoke: Callable[..., Any]
    """invoke(client, **call_options): a value (sync client) or a coroutine (async client)."""
    payload_field: str

    def __str__(self) -> str:
        return self.name


OPS: tuple[Op, ...] = (
    Op(
        "create_authentication",
        False,
        "POST",
        "/v1/authentication",
        lambda c, **o: c.otp.create_authentication(
            request=components.CreateAuthenticationRequest(
                customer_uuid=CUSTOMER_UUID, phone_number=PHONE
            ),
            **o,
        ),
        "create_authentication_response",
    ),
    Op(
        "check",
        False,
        "POST",
        "/v1/check",
        lambda c, **o: c.otp.check(request=CHECK_REQUEST, **o),
        "create_check_response",
    ),
    Op(
        "feedback",
        False,
        "POST",
        "/v1/authentication/feedback",
        lambda c, **o: c.otp.feedback(
            request=components.FeedbackRequest(
                customer_uuid=CUSTOMER_UUID,
                phone_number=PHONE,
                status=components.FeedbackRequestStatus.ONBOARDED,
            ),
            **o,
        ),
        "feedback_response",
    ),
    Op(
        "retry",
        False,
        "POST",
        "/v1/retry",
        lambda c, **o: c.otp.retry(
            request=components.RetryAuthenticationRequest(
                customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID
            ),
            **o,
        ),
        "retry_authentication_response",
    ),
    Op(
        "get_authentication_status",
        True,
        "GET",
        f"/v1/authentication/{AUTH_UUID}",
        lambda c, **o: c.otp.get_authentication_status(auth_uuid=AUTH_UUID, **o),
        "authentication_status_response",
    ),
    Op(
        "lookup",
        True,
        "GET",
        "/v1/lookup/%2B14155550123",
        lambda c, **o: c.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER_UUID, **o),
        "lookup_response",
    ),
)
OPS_BY_NAME = {op.name: op for op in OPS}
POST_OPS = tuple(op for op in OPS if not op.idempotent)
STYLES = ("sync", "async")


@dataclass
class Outcome:
    """What the caller got: a value or a DingError, and how long it took."""

    value: Any
    error: errors.DingError | None
    elapsed: float

    @property
    def attempts(self) -> int:
        source = self.error if self.error is not None else self.value
        return int(source.attempts)


def run_op(
    style: str,
    op: Op,
    server_url: str,
    client_options: Mapping[str, Any] | None = None,
    call_options: Mapping[str, Any] | None = None,
    api_key: Any = API_KEY,
) -> Outcome:
    """One call of `op` on a fresh client of the given style, closed afterwards."""
    client_options = dict(client_options or {})
    call_options = dict(call_options or {})
    started = time.monotonic()
    try:
        if style == "sync":
            with ding.Ding(api_key=api_key, server_url=server_url, **client_options) as client:
                value = op.invoke(client, **call_options)
        else:

            async def main() -> Any:
                async with ding.AsyncDing(
                    api_key=api_key, server_url=server_url, **client_options
                ) as client:
                    return await op.invoke(client, **call_options)

            value = asyncio.run(main())
    except errors.DingError as exc:
        return Outcome(None, exc, time.monotonic() - started)
    return Outcome(value, None, time.monotonic() - started)
