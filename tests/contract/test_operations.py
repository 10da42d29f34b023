"""Every operation, sync and async, minimal and with every optional field, against Prism.

A test passes only if Prism answered 2xx with no ``sl-violations`` header (the request
matched the spec: path, percent-encoded path parameter, headers, query, JSON body and the
API key) and the SDK decoded Prism's example into the spec's types, field by field.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import attrs
import pytest

import ding
from ding.models import components, operations

from ._checks import Decoded, Wire, assert_no_violations, call_async, call_sync
from .conftest import API_KEY, AUTH_UUID, CUSTOMER_UUID, PHONE

# --- what is sent ---------------------------------------------------------------------------

EVERY_CREATE_FIELD: dict[str, Any] = {
    "customer_uuid": CUSTOMER_UUID,
    "phone_number": PHONE,
    "ip": "192.0.2.10",
    "device_id": "8d2c1b0f-android-id",
    "device_type": components.DeviceType.ANDROID,
    "app_version": "4.2.0",
    "callback_url": "https://example.com/ding/webhook",
    "app_realm": "FA+9qCX9VSu",
    "os_version": "14",
    "device_model": "Pixel 8",
    "is_returning_user": True,
    "template_id": "login-fr",
    "correlation_id": "signup-42",
    "sender_id": "DingDemo",
    "locale": "fr-FR",
}


@attrs.frozen
class Case:
    id: str
    call: Callable[[Any], Any]
    """Takes a ``Ding`` or an ``AsyncDing``: the same call returns an envelope or a coroutine."""
    payload_field: str
    response_schema: str
    request_schema: str | None = None
    sends: str = "required"
    """For body operations: the JSON carries the schema's ``required`` fields, or ``all``."""


CASES = [
    Case(
        "create_authentication-minimal",
        lambda c: c.otp.create_authentication(
            request=components.CreateAuthenticationRequest(
                customer_uuid=CUSTOMER_UUID, phone_number=PHONE
            )
        ),
        "create_authentication_response",
        "CreateAuthenticationResponse",
        "CreateAuthenticationRequest",
    ),
    Case(
        "create_authentication-every-field",
        lambda c: c.otp.create_authentication(
            request=components.CreateAuthenticationRequest(**EVERY_CREATE_FIELD)
        ),
        "create_authentication_response",
        "CreateAuthenticationResponse",
        "CreateAuthenticationRequest",
        sends="all",
    ),
    Case(
        "create_authentication-every-field-as-dict",
        lambda c: c.otp.create_authentication({**EVERY_CREATE_FIELD, "device_type": "ANDROID"}),
        "create_authentication_response",
        "CreateAuthenticationResponse",
        "CreateAuthenticationRequest",
        sends="all",
    ),
    Case(
        "create_authentication-with-call-options",
        lambda c: c.otp.create_authentication(
            {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE},
            timeout=5,
            connect_timeout=2,
            deadline=20,
            max_retries=1,
            retry_after_cap=5,
            headers={"x-request-id": "contract-1"},
        ),
        "create_authentication_response",
        "CreateAuthenticationResponse",
        "CreateAuthenticationRequest",
    ),
    Case(
        "check",
        lambda c: c.otp.check(
            request=components.CreateCheckRequest(
                customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID, check_code="123456"
            )
        ),
        "create_check_response",
        "CreateCheckResponse",
        "CreateCheckRequest",
        sends="all",
    ),
    Case(
        "check-as-dict-with-uuid-objects",
        lambda c: c.otp.check(
            {
                "customer_uuid": uuid.UUID(CUSTOMER_UUID),
                "authentication_uuid": uuid.UUID(AUTH_UUID),
                "check_code": "0042",
            }
        ),
        "create_check_response",
        "CreateCheckResponse",
        "CreateCheckRequest",
        sends="all",
    ),
    Case(
        "feedback-onboarded",
        lambda c: c.otp.feedback(
            request=components.FeedbackRequest(
                customer_uuid=CUSTOMER_UUID,
                phone_number=PHONE,
                status=components.FeedbackRequestStatus.ONBOARDED,
            )
        ),
        "feedback_response",
        "FeedbackResponse",
        "FeedbackRequest",
        sends="all",
    ),
    Case(
        "feedback-not-onboarded-as-dict",
        lambda c: c.otp.feedback(
            {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "status": "not_onboarded"}
        ),
        "feedback_response",
        "FeedbackResponse",
        "FeedbackRequest",
        sends="all",
    ),
    Case(
        "retry",
        lambda c: c.otp.retry(
            request=components.RetryAuthenticationRequest(
                customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID
            )
        ),
        "retry_authentication_response",
        "RetryAuthenticationResponse",
        "RetryAuthenticationRequest",
        sends="all",
    ),
    Case(
        "retry-as-dict",
        lambda c: c.otp.retry({"customer_uuid": CUSTOMER_UUID, "authentication_uuid": AUTH_UUID}),
        "retry_authentication_response",
        "RetryAuthenticationResponse",
        "RetryAuthenticationRequest",
        sends="all",
    ),
    Case(
        "get_authentication_status",
        lambda c: c.otp.get_authentication_status(auth_uuid=AUTH_UUID),
        "authentication_status_response",
        "AuthenticationStatusResponse",
    ),
    Case(
        "get_authentication_status-uuid-object",
        lambda c: c.otp.get_authentication_status(uuid.UUID(AUTH_UUID)),
        "authentication_status_response",
        "AuthenticationStatusResponse",
    ),
    Case(
        "lookup-minimal",
        lambda c: c.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER_UUID, type_=None),
        "lookup_response",
        "LookupResponse",
    ),
    Case(
        "lookup-cnam",
        lambda c: c.lookup.lookup(
            phone_number=PHONE, customer_uuid=CUSTOMER_UUID, type_=operations.Type.CNAM
        ),
        "lookup_response",
        "LookupResponse",
    ),
    Case(
        "lookup-cnam-list",
        lambda c: c.lookup.lookup(PHONE, CUSTOMER_UUID, ["cnam", operations.Type.CNAM]),
        "lookup_response",
        "LookupResponse",
    ),
]

QUERY_FOR = {
    "lookup-minimal": "",
    "lookup-cnam": "type=cnam",
    "lookup-cnam-list": "type=cnam&type=cnam",
}


# --- the checks -----------------------------------------------------------------------------


def check_exchange(
    case: Case, res: Any, wire: Wire, decoded: Decoded, spec: dict[str, Any]
) -> None:
    assert_no_violations(res.raw_response.headers, case.id)
    assert res.status_code == 200
    assert res.content_type.startswith("application/json")
    assert res.attempts == 1
    assert len(wire.exchanges) == 1, "one call, one request"
    exchange = wire.last
    assert exchange.request_headers["x-api-key"] == API_KEY

    # The payload is populated, with the spec's types, from exactly what Prism sent.
    payload = getattr(res, case.payload_field)
    assert payload is not None
    decoded.check(case.response_schema, exchange.response_json(), payload)

    if case.request_schema is not None:
        schema = spec["components"]["schemas"][case.request_schema]
        sent = exchange.request_json()
        expected = set(schema["properties"]) if case.sends == "all" else set(schema["required"])
        assert set(sent) == expected, f"sent {sorted(sent)}, expected {sorted(expected)}"
    if case.id.startswith("lookup"):
        url = res.raw_response.request_info.url
        assert url.raw_path.endswith("/lookup/%2B1234567890")
        assert url.raw_query_string == QUERY_FOR[case.id]
        assert exchange.request_headers["customer-uuid"] == CUSTOMER_UUID
    if case.id.startswith("get_authentication_status"):
        assert res.raw_response.request_info.url.raw_path.endswith(f"/authentication/{AUTH_UUID}")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_operation_sync(
    case: Case,
    sync_client: ding.Ding,
    wire: Wire,
    decoded: Decoded,
    contract_spec: dict[str, Any],
) -> None:
    run_sync_case(case, sync_client, wire, decoded, contract_spec)


def run_sync_case(
    case: Case, client: ding.Ding, wire: Wire, decoded: Decoded, spec: dict[str, Any]
) -> None:
    res = call_sync(case.id, case.call, client)
    check_exchange(case, res, wire, decoded, spec)


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
async def test_operation_async(
    case: Case,
    async_client: ding.AsyncDing,
    wire: Wire,
    decoded: Decoded,
    contract_spec: dict[str, Any],
) -> None:
    async with async_client as client:
        res = await call_async(case.id, case.call, client)
        check_exchange(case, res, wire, decoded, contract_spec)


def test_cases_cover_every_operation_and_field(contract_spec: dict[str, Any]) -> None:
    """The matrix above really is "every operation" and "every optional field"."""
    operation_ids = {
        op["operationId"] for item in contract_spec["paths"].values() for op in item.values()
    }
    covered = {case.response_schema for case in CASES}
    assert len(operation_ids) == len(covered) == 6
    create = contract_spec["components"]["schemas"]["CreateAuthenticationRequest"]
    assert set(EVERY_CREATE_FIELD) == set(create["properties"])
    lookup_params = contract_spec["paths"]["/lookup/{phone_number}"]["get"]["parameters"]
    assert {p["name"] for p in lookup_params} == {"customer-uuid", "phone_number", "type"}
