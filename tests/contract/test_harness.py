"""The contract suite's own checks: it must fail when the SDK breaks the contract.

The first test plays the bug this suite exists to catch: a request field renamed on the
wire. It rewrites the JSON the SDK produces (``ding._wire.request_to_json``, the one place
request models become JSON) and runs the ordinary create-authentication case, which must
then fail with Prism's violation in the message.

The others pin down what Prism does *not* check, so nobody relies on it for that.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

import ding
import ding._wire
from ding.models import errors

from ._checks import Decoded, Wire
from .conftest import API_KEY, CUSTOMER_UUID
from .test_operations import CASES, run_sync_case

EVERY_FIELD_CASE = next(case for case in CASES if case.id == "create_authentication-every-field")


def renaming(old: str, new: str) -> Callable[[Any], dict[str, Any]]:
    original: Callable[[Any], dict[str, Any]] = ding._wire.request_to_json  # type: ignore[attr-defined]

    def renamed(request: Any) -> dict[str, Any]:
        body = original(request)
        body[new] = body.pop(old)
        return body

    return renamed


@pytest.mark.parametrize(
    ("old", "new", "prism_says"),
    [
        # A required field: the spec itself catches it.
        ("phone_number", "phone", "must have required property 'phone_number'"),
        # An optional field: caught only because conftest serves request schemas with
        # additionalProperties: false (the published spec accepts unknown fields).
        ("device_type", "devicetype", "must NOT have additional properties"),
    ],
)
def test_a_renamed_request_field_fails_the_suite(
    monkeypatch: pytest.MonkeyPatch,
    sync_client: ding.Ding,
    wire: Wire,
    decoded: Decoded,
    contract_spec: dict[str, Any],
    old: str,
    new: str,
    prism_says: str,
) -> None:
    monkeypatch.setattr(ding._wire, "request_to_json", renaming(old, new))
    with pytest.raises(pytest.fail.Exception, match=prism_says):
        run_sync_case(EVERY_FIELD_CASE, sync_client, wire, decoded, contract_spec)
    assert new in wire.last.request_json(), "the renamed field did go out"


def _post(url: str, body: dict[str, Any]) -> tuple[int, str | None]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"x-api-key": API_KEY, "content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get("sl-violations")


def test_prism_does_not_check_phone_number_format(
    prism_url: str, sync_client: ding.Ding, wire: Wire
) -> None:
    """``format: phone_number`` is not a JSON Schema format: Prism accepts any string.

    So the contract suite cannot catch a malformed number; the SDK's own E.164 check is the
    only guard, and it refuses before any I/O.
    """
    bad = {"customer_uuid": CUSTOMER_UUID, "phone_number": "not a phone number"}
    assert _post(f"{prism_url}/authentication", bad) == (200, None)
    with pytest.raises(errors.ValidationError, match="phone_number"):
        sync_client.otp.create_authentication(bad)
    with pytest.raises(errors.ValidationError, match="phone_number"):
        sync_client.lookup.lookup("12345", CUSTOMER_UUID)
    assert wire.exchanges == []


def test_prism_checks_the_other_formats(prism_url: str) -> None:
    """``uuid``, ``ipv4``, ``url`` and enums are checked, so the suite does cover those."""
    bad = {
        "customer_uuid": "not-a-uuid",
        "phone_number": "+1234567890",
        "ip": "300.1.2.3",
        "callback_url": "not a url",
        "device_type": "PALM",
    }
    request = urllib.request.Request(
        f"{prism_url}/authentication",
        data=json.dumps(bad).encode(),
        headers={"x-api-key": API_KEY, "content-type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    with caught.value:
        found = json.loads(caught.value.headers["sl-violations"])
    where = sorted(".".join(v["location"]) for v in found)
    assert where == [
        "request.body.callback_url",
        "request.body.customer_uuid",
        "request.body.device_type",
        "request.body.ip",
    ]
