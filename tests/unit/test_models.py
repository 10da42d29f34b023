"""Models: request validation before I/O, lenient response decoding, one converter."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from ding.models import components as c
from ding.models import errors
from ding.models._converter import request_to_json, structure

from ..conftest import AUTH_UUID, CUSTOMER_UUID, PHONE


def test_request_omits_unset_fields_and_serialises_enums() -> None:
    req = c.CreateAuthenticationRequest(
        customer_uuid=CUSTOMER_UUID, phone_number=PHONE, device_type=c.DeviceType.IOS
    )
    assert request_to_json(req) == {
        "customer_uuid": CUSTOMER_UUID,
        "phone_number": PHONE,
        "device_type": "IOS",
    }


def test_every_optional_field_reaches_the_json() -> None:
    values = {
        "ip": "192.0.2.1",
        "device_id": "dev",
        "device_type": "ANDROID",
        "app_version": "1.2.3",
        "callback_url": "https://example.com/hook",
        "app_realm": "realm",
        "os_version": "14",
        "device_model": "Pixel",
        "is_returning_user": False,
        "template_id": "t",
        "correlation_id": "corr",
        "sender_id": "Ding",
        "locale": "fr-FR",
    }
    req = c.CreateAuthenticationRequest(customer_uuid=CUSTOMER_UUID, phone_number=PHONE, **values)
    assert request_to_json(req) == {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, **values}


def test_uuid_instances_are_accepted_as_text() -> None:
    req = c.RetryAuthenticationRequest(
        customer_uuid=uuid.UUID(CUSTOMER_UUID), authentication_uuid=AUTH_UUID
    )
    assert req.customer_uuid == CUSTOMER_UUID


@pytest.mark.parametrize(
    ("model", "kwargs", "field"),
    [
        (
            c.CreateAuthenticationRequest,
            {"customer_uuid": "nope", "phone_number": PHONE},
            "customer_uuid",
        ),
        (
            c.CreateAuthenticationRequest,
            {"customer_uuid": CUSTOMER_UUID, "phone_number": "123"},
            "phone_number",
        ),
        (
            c.CreateAuthenticationRequest,
            {"customer_uuid": CUSTOMER_UUID, "phone_number": "+0123"},
            "phone_number",
        ),
        (c.CreateAuthenticationRequest, {"customer_uuid": CUSTOMER_UUID}, "phone_number"),
        (
            c.CreateAuthenticationRequest,
            {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "ip": "::1"},
            "ip",
        ),
        (
            c.CreateAuthenticationRequest,
            {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "device_type": "PALM"},
            "device_type",
        ),
        (
            c.CreateAuthenticationRequest,
            {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "is_returning_user": 1},
            "is_returning_user",
        ),
        (
            c.CreateAuthenticationRequest,
            {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "callback_url": "ftp://x"},
            "callback_url",
        ),
        (
            c.CreateAuthenticationRequest,
            {"customer_uuid": CUSTOMER_UUID, "phone_number": 1234567890},
            "phone_number",
        ),
        (
            c.CreateCheckRequest,
            {
                "customer_uuid": CUSTOMER_UUID,
                "authentication_uuid": AUTH_UUID,
                "check_code": 123456,
            },
            "check_code",
        ),
        (
            c.CreateCheckRequest,
            {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": "x"},
            "authentication_uuid",
        ),
        (
            c.FeedbackRequest,
            {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "status": "maybe"},
            "status",
        ),
        (c.FeedbackRequest, {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE}, "status"),
    ],
)
def test_bad_request_input_names_the_field(
    model: type, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(errors.ValidationError) as info:
        model(**kwargs)
    assert info.value.field == field
    assert isinstance(info.value, ValueError)
    assert field in str(info.value)


def test_mutation_is_validated_too() -> None:
    req = c.CreateCheckRequest(
        customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID, check_code="1"
    )
    with pytest.raises(errors.ValidationError, match="authentication_uuid"):
        req.authentication_uuid = "not-a-uuid"


def test_phone_numbers_and_codes_are_not_echoed_in_errors() -> None:
    with pytest.raises(errors.ValidationError) as info:
        c.CreateAuthenticationRequest(customer_uuid=CUSTOMER_UUID, phone_number="0612345678")
    assert "0612345678" not in str(info.value)


def test_response_tolerates_unknown_fields_missing_fields_and_new_enum_values() -> None:
    res = structure(
        {"status": "brand_new_status", "surprise": {"nested": True}}, c.CreateCheckResponse
    )
    assert res.status == "brand_new_status"
    assert res.authentication_uuid is None
    known = structure({"status": "valid"}, c.CreateCheckResponse)
    assert known.status is c.CheckStatus.VALID
    assert known.status == "valid"  # str enums compare with plain strings


def test_datetimes_are_timezone_aware() -> None:
    res = structure(
        {
            "created_at": "2024-05-01T10:00:00Z",
            "next_retry_at": "2024-05-01T12:00:00+02:00",
            "remaining_retry": 2,
        },
        c.RetryAuthenticationResponse,
    )
    assert res.created_at == datetime(2024, 5, 1, 10, tzinfo=timezone.utc)
    assert res.next_retry_at is not None
    assert res.next_retry_at.utcoffset() == timedelta(hours=2)
    naive = structure({"created_at": "2024-05-01T10:00:00"}, c.CreateAuthenticationResponse)
    assert naive.created_at is not None
    assert naive.created_at.tzinfo is timezone.utc


def test_status_events_are_told_apart_by_type() -> None:
    res = structure(
        {
            "uuid": AUTH_UUID,
            "signals": {"device_type": "TVOS", "is_returning_user": True},
            "events": [
                {
                    "type": "attempt",
                    "capability": "text",
                    "status": "delivered",
                    "attempt_number": 1,
                },
                {"type": "check", "code": "123456", "status": "valid"},
                {
                    "type": "delivery_status",
                    "status": "in_transit",
                    "originated_at": "2024-01-01T00:00:00Z",
                },
                {"type": "balance_update", "amount": -0.05, "balance_update_type": "attempt"},
                {"type": "hologram", "shape": "cube"},
            ],
        },
        c.AuthenticationStatusResponse,
    )
    assert res.signals is not None
    assert res.signals.device_type is c.SignalsDeviceType.TVOS
    assert res.events is not None
    kinds = [type(e) for e in res.events]
    assert kinds == [c.Attempt, c.Check, c.DeliveryStatus, c.BalanceUpdate, c.UnknownEvent]
    attempt, check, delivery, balance, unknown = res.events
    assert isinstance(attempt, c.Attempt)
    assert attempt.capability is c.Capability.TEXT
    assert isinstance(check, c.Check)
    assert check.status is c.CheckStatus.VALID
    assert isinstance(delivery, c.DeliveryStatus)
    assert delivery.originated_at is not None
    assert isinstance(balance, c.BalanceUpdate)
    assert balance.amount == -0.05
    assert isinstance(unknown, c.UnknownEvent)
    assert unknown.data["shape"] == "cube"


def test_wrong_shape_raises() -> None:
    with pytest.raises(TypeError):
        structure(["not", "an", "object"], c.LookupResponse)
