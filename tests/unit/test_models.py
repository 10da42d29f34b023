"""Models: request validation before I/O, lenient response decoding, one converter."""

from __future__ import annotations

import pickle
import uuid
from datetime import datetime, timedelta, timezone

import attrs
import pytest

from ding.models import components as c
from ding.models import errors
from ding.models._converter import request_to_json, structure
from ding.models._fields import uuid_text, validate_request

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


BAD_INPUT = [
    (
        c.CreateAuthenticationRequest,
        {"customer_uuid": "nope", "phone_number": PHONE},
        "customer_uuid",
        "bad_request",
    ),
    (
        c.CreateAuthenticationRequest,
        {"customer_uuid": CUSTOMER_UUID, "phone_number": "123"},
        "phone_number",
        "invalid_phone_number",
    ),
    (
        c.CreateAuthenticationRequest,
        {"customer_uuid": CUSTOMER_UUID, "phone_number": "+0123"},
        "phone_number",
        "invalid_phone_number",
    ),
    (
        c.CreateAuthenticationRequest,
        {"customer_uuid": CUSTOMER_UUID, "phone_number": None},
        "phone_number",
        "bad_request",
    ),
    (
        c.CreateAuthenticationRequest,
        {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "ip": "::1"},
        "ip",
        "bad_request",
    ),
    (
        c.CreateAuthenticationRequest,
        {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "device_type": "PALM"},
        "device_type",
        "bad_request",
    ),
    (
        c.CreateAuthenticationRequest,
        {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "is_returning_user": 1},
        "is_returning_user",
        "bad_request",
    ),
    (
        c.CreateAuthenticationRequest,
        {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "callback_url": "ftp://x"},
        "callback_url",
        "bad_request",
    ),
    (
        c.CreateAuthenticationRequest,
        {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "callback_url": "example.com/hook"},
        "callback_url",
        "bad_request",
    ),
    (
        c.CreateAuthenticationRequest,
        {"customer_uuid": CUSTOMER_UUID, "phone_number": 1234567890},
        "phone_number",
        "invalid_phone_number",
    ),
    (
        c.CreateCheckRequest,
        {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": AUTH_UUID, "check_code": 123456},
        "check_code",
        "bad_request",
    ),
    (
        c.CreateCheckRequest,
        {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": "x", "check_code": "1"},
        "authentication_uuid",
        "invalid_auth_uuid",
    ),
    (
        c.FeedbackRequest,
        {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "status": "maybe"},
        "status",
        "invalid_feedback_status",
    ),
    (
        c.RetryAuthenticationRequest,
        {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": "{" + AUTH_UUID + "}"},
        "authentication_uuid",
        "invalid_auth_uuid",
    ),
    # Boundary inputs: a valid value with trailing text, numbers one digit too short or too
    # long, URLs without a host.
    *(
        (
            c.CreateCheckRequest,
            {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": bad, "check_code": "1"},
            "authentication_uuid",
            "invalid_auth_uuid",
        )
        for bad in (AUTH_UUID + "; DROP", AUTH_UUID + "\n", " " + AUTH_UUID, AUTH_UUID[:-1])
    ),
    *(
        (
            c.FeedbackRequest,
            {"customer_uuid": bad, "phone_number": PHONE, "status": "onboarded"},
            "customer_uuid",
            "bad_request",
        )
        for bad in (CUSTOMER_UUID + "; DROP", CUSTOMER_UUID + "0", "x" + CUSTOMER_UUID)
    ),
    *(
        (
            c.CreateAuthenticationRequest,
            {"customer_uuid": CUSTOMER_UUID, "phone_number": bad},
            "phone_number",
            "invalid_phone_number",
        )
        for bad in ("+1", "+1234567890123456", PHONE + "; DROP", PHONE + "\n", "+", "")
    ),
    *(
        (
            c.CreateAuthenticationRequest,
            {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "callback_url": bad},
            "callback_url",
            "bad_request",
        )
        for bad in ("https:///hook", "http://", "https://?token=x", "http:#x", "https:/hook")
    ),
]


@pytest.mark.parametrize(("model", "kwargs", "field", "code"), BAD_INPUT)
def test_building_never_raises_the_check_names_the_field_and_the_api_code(
    model: type, kwargs: dict[str, object], field: str, code: str
) -> None:
    """Issue 10 item 7: a model builds with whatever the official client's models accept;
    the call's check refuses it with an ErrorResponse (so an SDKError) carrying the code the
    API answers, and a ValueError naming the field."""
    request = model(**kwargs)  # no exception: the official client builds it too
    with pytest.raises(errors.ValidationError) as info:
        validate_request(request)
    err = info.value
    assert err.field == field
    assert err.code == code
    assert isinstance(err, errors.ErrorResponse)
    assert isinstance(err, errors.SDKError)
    assert isinstance(err, ValueError)
    assert (err.status_code, err.attempts, err.raw_response, err.body) == (400, 0, None, "")
    assert field in str(err)


@pytest.mark.parametrize(
    "changes",
    [
        {"phone_number": "+12"},  # the shortest E.164 number: 2 digits
        {"phone_number": "+123456789012345"},  # the longest: 15 digits
        {"customer_uuid": CUSTOMER_UUID.upper()},
        {"callback_url": "http://h"},
        {"callback_url": "https://example.com:8443/hook?token=x#f"},
        {"ip": "192.0.2.1", "device_type": c.DeviceType.IOS, "is_returning_user": False},
        {"device_type": "ANDROID", "app_version": "", "locale": "fr-FR"},
    ],
)
def test_boundary_values_the_spec_allows_are_sent(changes: dict[str, object]) -> None:
    request = c.CreateAuthenticationRequest(
        **{"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, **changes}  # type: ignore[arg-type]
    )
    validate_request(request)  # no exception
    sent = request.to_dict()
    for name, value in changes.items():
        assert sent[name] == getattr(value, "value", value)


E164 = "an E.164 phone number such as '+1234567890'"
A_UUID = "a UUID such as 'c9f826e0-deca-41ec-871f-ecd6e8efeb46'"
DEVICES = "one of 'ANDROID', 'IOS', 'WEB' (DeviceType)"
STATUSES = "one of 'not_onboarded', 'onboarded' (FeedbackRequestStatus)"
REQUIRED = "a value (this field is required)"
LONG = "x" * 100


# (field, its bad value, expected, got, code): every rule's refusal says what was expected and
# what came, never echoing a phone number or a code (only their length or type).
REFUSALS = [
    ("phone_number", "123", E164, "a 3-character string", "invalid_phone_number"),
    ("phone_number", 1234567890, "a string", "a value of type int", "invalid_phone_number"),
    ("phone_number", None, REQUIRED, "None", "bad_request"),
    ("customer_uuid", "nope", A_UUID, "str 'nope'", "bad_request"),
    ("customer_uuid", 7, "a string", "int 7", "bad_request"),
    ("ip", "::1", "an IPv4 address such as '192.0.2.1'", "str '::1'", "bad_request"),
    ("ip", 5, "a string", "int 5", "bad_request"),
    ("callback_url", "ftp://x", "an absolute http(s) URL", "str 'ftp://x'", "bad_request"),
    ("callback_url", b"http://h", "a string", "bytes b'http://h'", "bad_request"),
    ("is_returning_user", 1, "a bool", "int 1", "bad_request"),
    ("device_type", "PALM", DEVICES, "str 'PALM'", "bad_request"),
    ("device_type", 5, DEVICES, "int 5", "bad_request"),
    ("app_version", 5, "a string", "int 5", "bad_request"),
    # A long value is cut to 60 characters of its repr; one of 60 is shown whole.
    ("locale", 9, "a string", "int 9", "bad_request"),
    ("locale", [LONG], "a string", "list " + repr([LONG])[:57] + "...", "bad_request"),
    ("locale", ["x" * 56], "a string", "list " + repr(["x" * 56]), "bad_request"),
    ("locale", ["x" * 57], "a string", "list " + repr(["x" * 57])[:57] + "...", "bad_request"),
]


@pytest.mark.parametrize(("field", "value", "expected", "got", "code"), REFUSALS)
def test_each_refusal_says_what_was_expected_and_what_came(
    field: str, value: object, expected: str, got: str, code: str
) -> None:
    request = c.CreateAuthenticationRequest(customer_uuid=CUSTOMER_UUID, phone_number=PHONE)
    setattr(request, field, value)
    with pytest.raises(errors.ValidationError) as info:
        validate_request(request)
    err = info.value
    assert (err.field, err.expected, err.got, err.code) == (field, expected, got, code)


@pytest.mark.parametrize(
    ("model", "field", "value", "expected", "got", "code"),
    [
        (c.FeedbackRequest, "status", "maybe", STATUSES, "str 'maybe'", "invalid_feedback_status"),
        (
            c.CreateCheckRequest,
            "check_code",
            123456,
            "a string",
            "a value of type int",
            "bad_request",
        ),
        (c.CreateCheckRequest, "check_code", None, REQUIRED, "None", "bad_request"),
        (c.CreateCheckRequest, "authentication_uuid", "x", A_UUID, "str 'x'", "invalid_auth_uuid"),
        (
            c.RetryAuthenticationRequest,
            "authentication_uuid",
            5,
            "a string",
            "int 5",
            "invalid_auth_uuid",
        ),
    ],
)
def test_each_refusal_of_the_other_requests_says_what_was_expected(
    model: type, field: str, value: object, expected: str, got: str, code: str
) -> None:
    fields = {
        "customer_uuid": CUSTOMER_UUID,
        "authentication_uuid": AUTH_UUID,
        "phone_number": PHONE,
        "check_code": "1",
        "status": "onboarded",
    }
    request = model(**{k: v for k, v in fields.items() if k in attrs.fields_dict(model)})
    setattr(request, field, value)
    with pytest.raises(errors.ValidationError) as info:
        validate_request(request)
    err = info.value
    assert (err.field, err.expected, err.got, err.code) == (field, expected, got, code)


def test_uuid_objects_set_after_construction_pass_the_checks() -> None:
    request = c.CreateCheckRequest(
        customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID, check_code="1"
    )
    request.customer_uuid = uuid.UUID(CUSTOMER_UUID)  # type: ignore[assignment]
    request.authentication_uuid = uuid.UUID(AUTH_UUID)  # type: ignore[assignment]
    validate_request(request)  # no exception


def test_the_uuid_converter_keeps_what_is_not_a_uuid_for_the_call_to_refuse() -> None:
    assert uuid_text(uuid.UUID(CUSTOMER_UUID)) == CUSTOMER_UUID
    assert uuid_text(5) == 5  # type: ignore[arg-type]
    assert uuid_text("nope") == "nope"


def test_a_missing_required_field_is_a_type_error_as_with_the_official_models() -> None:
    with pytest.raises(TypeError, match="check_code"):
        c.CreateCheckRequest(customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID)  # type: ignore[call-arg]


def test_changing_a_field_after_construction_is_checked_by_the_call() -> None:
    req = c.CreateCheckRequest(
        customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID, check_code="1"
    )
    req.authentication_uuid = "not-a-uuid"  # no exception, as with the official dataclasses
    assert req.authentication_uuid == "not-a-uuid"
    with pytest.raises(errors.ValidationError, match="authentication_uuid"):
        validate_request(req)


def test_phone_numbers_and_codes_are_not_echoed_in_errors() -> None:
    req = c.CreateAuthenticationRequest(customer_uuid=CUSTOMER_UUID, phone_number="0612345678")
    with pytest.raises(errors.ValidationError) as info:
        validate_request(req)
    assert "0612345678" not in str(info.value)
    assert "0612345678" not in repr(info.value)


def test_validation_error_pickles_with_its_code() -> None:
    err = errors.ValidationError(
        "phone_number", "E.164", got="x", code=errors.Code.INVALID_PHONE_NUMBER
    )
    again = pickle.loads(pickle.dumps(err))
    assert (again.field, again.expected, again.got, again.code, again.status_code) == (
        "phone_number",
        "E.164",
        "x",
        errors.Code.INVALID_PHONE_NUMBER,
        400,
    )
    assert str(again) == str(err)


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


def test_the_first_bad_field_in_field_order_is_the_one_reported() -> None:
    # Required and optional rules interleave in the model's field order.
    req = c.CreateAuthenticationRequest(customer_uuid=CUSTOMER_UUID, phone_number=PHONE)
    req.ip = "not an ip"
    req.locale = 5  # type: ignore[assignment]
    with pytest.raises(errors.ValidationError) as info:
        validate_request(req)
    assert info.value.field == "ip"
    req.phone_number = None  # type: ignore[assignment]
    with pytest.raises(errors.ValidationError) as info:
        validate_request(req)
    assert (info.value.field, info.value.code) == ("phone_number", errors.Code.BAD_REQUEST)
    req = c.CreateAuthenticationRequest(customer_uuid=CUSTOMER_UUID, phone_number=PHONE)
    req.is_returning_user = "yes"  # type: ignore[assignment]
    with pytest.raises(errors.ValidationError, match="is_returning_user"):
        validate_request(req)


def test_a_str_subclass_goes_through_the_full_checks() -> None:
    class Text(str):
        pass

    req = c.CreateAuthenticationRequest(customer_uuid=Text(CUSTOMER_UUID), phone_number=Text(PHONE))
    validate_request(req)
    req.phone_number = Text("123")
    with pytest.raises(errors.ValidationError, match="phone_number"):
        validate_request(req)


# --- from_dict / from_json: a bad input is a ValidationError naming the field ---------------


@pytest.mark.parametrize(
    ("cls", "data", "field", "expected"),
    [
        (
            c.CreateAuthenticationResponse,
            {"authentication_uuid": 5},
            "authentication_uuid",
            "a string",
        ),
        (c.CreateAuthenticationResponse, {"created_at": "nope"}, "created_at", "RFC 3339"),
        (c.CreateAuthenticationRequest, {"phone_number": PHONE}, "customer_uuid", "required"),
        (c.AuthenticationStatusResponse, {"events": "x"}, "events", "an array"),
        (c.CreateCheckResponse, [], "", "an object"),
    ],
)
def test_from_dict_names_the_bad_field(cls: type, data: object, field: str, expected: str) -> None:
    with pytest.raises(errors.ValidationError) as info:
        cls.from_dict(data)  # type: ignore[attr-defined]
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, errors.DingError)
    assert err.field == (f"{cls.__name__}.{field}" if field else cls.__name__)
    assert expected in err.expected
    assert "While structuring" not in str(err)  # cattrs' own wording does not leak


@pytest.mark.parametrize("text", ["{", "", b"\xff", 5])
def test_from_json_refuses_text_that_is_not_json(text: object) -> None:
    with pytest.raises(errors.ValidationError) as info:
        c.CreateAuthenticationResponse.from_json(text)  # type: ignore[arg-type]
    assert info.value.field == "CreateAuthenticationResponse"
    assert info.value.expected == "JSON text"


def test_a_response_of_the_wrong_shape_names_the_field() -> None:
    from ding._endpoints import CREATE_AUTHENTICATION
    from ding._wire import decode_response

    with pytest.raises(errors.ResponseValidationError) as info:
        decode_response(
            CREATE_AUTHENTICATION,
            status=200,
            content_type="application/json",
            body=b'{"authentication_uuid": 5}',
            raw=None,
            attempts=1,
        )
    assert "authentication_uuid: expected a string, got an integer" in str(info.value)
