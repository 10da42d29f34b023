"""Responses beyond the static 200 example: Prism's error examples and generated bodies.

``Prefer: code=NNN`` makes Prism answer that status with its example, ``Prefer:
dynamic=true`` makes it generate a body from the schema (random values, every enum value and
``oneOf`` branch eventually). The SDK must decode all of them into the spec's types.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import ding
from ding.models import components, errors

from ._checks import Decoded, Wire, assert_no_violations
from .conftest import AUTH_UUID, CUSTOMER_UUID, PHONE

OPERATIONS: dict[str, Callable[..., Any]] = {
    "create_authentication": lambda c, **o: c.otp.create_authentication(
        {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE}, **o
    ),
    "check": lambda c, **o: c.otp.check(
        {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": AUTH_UUID, "check_code": "1"},
        **o,
    ),
    "feedback": lambda c, **o: c.otp.feedback(
        {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "status": "onboarded"}, **o
    ),
    "retry": lambda c, **o: c.otp.retry(
        {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": AUTH_UUID}, **o
    ),
    "get_authentication_status": lambda c, **o: c.otp.get_authentication_status(AUTH_UUID, **o),
    "lookup": lambda c, **o: c.lookup.lookup(PHONE, CUSTOMER_UUID, "cnam", **o),
}
RESPONSE_SCHEMA = {
    "create_authentication": ("create_authentication_response", "CreateAuthenticationResponse"),
    "check": ("create_check_response", "CreateCheckResponse"),
    "feedback": ("feedback_response", "FeedbackResponse"),
    "retry": ("retry_authentication_response", "RetryAuthenticationResponse"),
    "get_authentication_status": (
        "authentication_status_response",
        "AuthenticationStatusResponse",
    ),
    "lookup": ("lookup_response", "LookupResponse"),
}
# Every operation declares a 400 (feedback: a `default`) answered with the API's error object;
# the status endpoint also declares a 404.
ERROR_STATUSES = [(name, 400) for name in OPERATIONS] + [("get_authentication_status", 404)]


def check_error(exc: errors.ErrorResponse, status: int, wire: Wire, spec: dict[str, Any]) -> None:
    assert_no_violations(exc.headers, "the request behind the error")
    example = wire.last.response_json()
    schema = spec["components"]["schemas"]["ErrorResponse"]["properties"]
    assert exc.status_code == status
    assert exc.attempts == 1, "a 400/404 is final: never retried"
    assert isinstance(exc.code, errors.Code), f"code {exc.code!r} not decoded as errors.Code"
    assert exc.code.value == example["code"] == schema["code"]["examples"][0]
    assert exc.message == example["message"]
    assert exc.doc_url == example["doc_url"]
    assert exc.body == wire.last.response_body.decode()


@pytest.mark.parametrize(("operation", "status"), ERROR_STATUSES)
def test_error_example_sync(
    operation: str,
    status: int,
    sync_client: ding.Ding,
    wire: Wire,
    contract_spec: dict[str, Any],
) -> None:
    with pytest.raises(errors.ErrorResponse) as caught:
        OPERATIONS[operation](sync_client, headers={"Prefer": f"code={status}"})
    check_error(caught.value, status, wire, contract_spec)


@pytest.mark.asyncio
@pytest.mark.parametrize(("operation", "status"), ERROR_STATUSES)
async def test_error_example_async(
    operation: str,
    status: int,
    async_client: ding.AsyncDing,
    wire: Wire,
    contract_spec: dict[str, Any],
) -> None:
    async with async_client:
        with pytest.raises(errors.ErrorResponse) as caught:
            await OPERATIONS[operation](async_client, headers={"Prefer": f"code={status}"})
    check_error(caught.value, status, wire, contract_spec)


SAMPLES = 8


@pytest.mark.asyncio
@pytest.mark.parametrize("operation", list(OPERATIONS))
async def test_generated_responses_decode(
    operation: str, async_client: ding.AsyncDing, wire: Wire, decoded: Decoded
) -> None:
    """Bodies Prism generates from the schema (random strings, dates, enum values)."""
    field, schema = RESPONSE_SCHEMA[operation]
    async with async_client:
        for _ in range(SAMPLES):
            res = await OPERATIONS[operation](async_client, headers={"Prefer": "dynamic=true"})
            assert_no_violations(res.raw_response.headers, operation)
            decoded.check(schema, wire.last.response_json(), getattr(res, field))


def test_generated_events_cover_every_event_type(
    sync_client: ding.Ding, wire: Wire, decoded: Decoded
) -> None:
    """The status endpoint's ``oneOf`` events: each type decodes to its own model."""
    seen: set[type[Any]] = set()
    wanted = {components.Attempt, components.Check, components.DeliveryStatus}
    wanted.add(components.BalanceUpdate)
    for _ in range(60):  # each body has a handful of random events; 60 bodies are plenty
        res = sync_client.otp.get_authentication_status(
            AUTH_UUID, headers={"Prefer": "dynamic=true"}
        )
        status = res.authentication_status_response
        assert status is not None
        decoded.check("AuthenticationStatusResponse", wire.last.response_json(), status)
        seen.update(type(event) for event in status.events or [])
        if seen >= wanted:
            break
    assert seen == wanted, f"only saw {sorted(t.__name__ for t in seen)}"
