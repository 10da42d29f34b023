"""Request validation: the field-table checker on its own, then each rule over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from yarl import URL

from ding.testing._errors import ApiError
from ding.testing._validation import Field, is_e164, is_uuid, validate

from .conftest import CUSTOMER, PHONE, RawApi

AUTH = "8f1196d5-806e-4b71-9b24-5f96ec052808"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("+1234567890", True),
        ("+442071838750", True),
        ("+123456789012345", True),  # 15 digits: the E.164 maximum
        ("+1234567890123456", False),
        ("+0123456", False),
        ("1234567890", False),
        ("+1 234 567 890", False),
        ("+1", False),
        ("+12345678a", False),
        ("", False),
    ],
)
def test_e164(value: str, ok: bool) -> None:
    assert is_e164(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (AUTH, True),
        (AUTH.upper(), True),
        (AUTH.replace("-", ""), False),
        ("{" + AUTH + "}", False),
        ("urn:uuid:" + AUTH, False),
        (AUTH[:-1], False),
    ],
)
def test_uuid(value: str, ok: bool) -> None:
    assert is_uuid(value) is ok


TABLE = {
    "id": Field("uuid", required=True, error="invalid_auth_uuid"),
    "flag": Field("boolean"),
    "kind": Field("enum", choices=("a", "b")),
    "tags": Field("enum_list", choices=("x",)),
    "note": Field(),
    "version": Field(error="invalid_app_version"),
}


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({}, "bad_request"),  # missing required field
        ({"id": AUTH, "extra": 1}, "bad_request"),  # unknown field
        ({"id": "nope"}, "invalid_auth_uuid"),  # wrong form: the field's own code
        ({"id": 5}, "bad_request"),  # wrong type: always bad_request
        ({"id": None}, "bad_request"),  # null is not "absent"
        ({"id": AUTH, "flag": "true"}, "bad_request"),
        ({"id": AUTH, "flag": 1}, "bad_request"),
        ({"id": AUTH, "kind": "c"}, "bad_request"),
        ({"id": AUTH, "tags": ["x", "y"]}, "bad_request"),
        ({"id": AUTH, "tags": "x"}, "bad_request"),
        ({"id": AUTH, "note": True}, "bad_request"),
        ({"id": AUTH, "version": ""}, "invalid_app_version"),
    ],
)
def test_validate_refuses(values: dict[str, Any], code: str) -> None:
    with pytest.raises(ApiError) as caught:
        validate(values, TABLE)
    assert caught.value.code == code
    assert caught.value.status == 400


def test_validate_accepts_a_good_request() -> None:
    validate(
        {"id": AUTH, "flag": False, "kind": "a", "tags": ["x"], "note": "", "version": "1"},
        TABLE,
    )


# -- over HTTP: every endpoint answers the API's error object ---------------------------

SEND = {"customer_uuid": CUSTOMER, "phone_number": PHONE}
CHECK = {"customer_uuid": CUSTOMER, "authentication_uuid": AUTH, "check_code": "123456"}
FEEDBACK = {"customer_uuid": CUSTOMER, "phone_number": PHONE, "status": "onboarded"}
RETRY = {"customer_uuid": CUSTOMER, "authentication_uuid": AUTH}


def without(body: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != name}


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("/authentication", without(SEND, "customer_uuid"), "bad_request"),
        ("/authentication", without(SEND, "phone_number"), "bad_request"),
        ("/authentication", {**SEND, "customer_uuid": "c9f826e0"}, "bad_request"),
        ("/authentication", {**SEND, "phone_number": "+0"}, "invalid_phone_number"),
        ("/authentication", {**SEND, "phone_number": "0612345678"}, "invalid_phone_number"),
        ("/authentication", {**SEND, "phone_number": 14155550100}, "bad_request"),
        ("/authentication", {**SEND, "ip": "256.1.1.1"}, "bad_request"),
        ("/authentication", {**SEND, "ip": "::1"}, "bad_request"),
        ("/authentication", {**SEND, "device_type": "PALM"}, "bad_request"),
        ("/authentication", {**SEND, "callback_url": "not a url"}, "bad_request"),
        ("/authentication", {**SEND, "is_returning_user": "yes"}, "bad_request"),
        ("/authentication", {**SEND, "app_version": ""}, "invalid_app_version"),
        ("/authentication", {**SEND, "os_version": ""}, "invalid_os_version"),
        ("/authentication", {**SEND, "device_model": ""}, "invalid_device_model"),
        ("/authentication", {**SEND, "device_id": ""}, "invalid_device_id"),
        ("/authentication", {**SEND, "app_realm": ""}, "invalid_app_realm"),
        ("/authentication", {**SEND, "template_id": ""}, "invalid_template_id"),
        ("/authentication", {**SEND, "sender_id": ""}, "invalid_sender_id"),
        ("/authentication", {**SEND, "locale": None}, "bad_request"),
        ("/authentication", {**SEND, "unexpected": 1}, "bad_request"),
        ("/check", without(CHECK, "check_code"), "bad_request"),
        ("/check", {**CHECK, "check_code": 123456}, "bad_request"),
        ("/check", {**CHECK, "authentication_uuid": "abc"}, "invalid_auth_uuid"),
        ("/check", {**CHECK, "authentication_uuid": AUTH}, "invalid_auth_uuid"),  # unknown
        ("/authentication/feedback", {**FEEDBACK, "status": "happy"}, "invalid_feedback_status"),
        ("/authentication/feedback", without(FEEDBACK, "status"), "bad_request"),
        ("/authentication/feedback", {**FEEDBACK, "phone_number": "+"}, "invalid_phone_number"),
        ("/retry", {**RETRY, "authentication_uuid": "abc"}, "invalid_auth_uuid"),
        ("/retry", without(RETRY, "customer_uuid"), "bad_request"),
    ],
)
@pytest.mark.asyncio
async def test_bad_bodies_get_400_and_the_api_error_code(
    api: RawApi, path: str, body: dict[str, Any], code: str
) -> None:
    reply = await api.post(path, body)
    assert reply.status == 400
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json == {
        "code": code,
        "message": reply.json["message"],
        "doc_url": f"https://docs.prelude.so/api-reference/errors#{code}",
    }
    assert reply.json["message"]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"\xff\xfe", "application/json"),
        (b"customer_uuid=x&phone_number=y", "application/x-www-form-urlencoded"),
        (b'{"customer_uuid": "x"}', "text/plain"),
    ],
)
@pytest.mark.asyncio
async def test_a_body_that_is_not_a_json_object_is_bad_request(
    api: RawApi, data: bytes, content_type: str
) -> None:
    reply = await api.request(
        "POST", "/authentication", data=data, headers={"Content-Type": content_type}
    )
    assert (reply.status, reply.json["code"]) == (400, "bad_request")


@pytest.mark.asyncio
async def test_json_with_a_suffix_media_type_is_accepted(api: RawApi) -> None:
    reply = await api.request(
        "POST",
        "/authentication",
        data=b'{"customer_uuid": "%s", "phone_number": "%s"}' % (CUSTOMER.encode(), PHONE.encode()),
        headers={"Content-Type": "application/vnd.ding+json; charset=utf-8"},
    )
    assert reply.status == 200


@pytest.mark.parametrize(
    ("path", "headers", "params", "code"),
    [
        ("/lookup/%2B14155550100", {}, None, "bad_request"),  # no customer-uuid header
        ("/lookup/%2B14155550100", {"customer-uuid": "x"}, None, "bad_request"),
        ("/lookup/14155550100", {"customer-uuid": CUSTOMER}, None, "invalid_phone_number"),
        ("/lookup/%2B1%2F..%2Fcheck", {"customer-uuid": CUSTOMER}, None, "invalid_phone_number"),
        (
            "/lookup/%2B14155550100",
            {"customer-uuid": CUSTOMER},
            [("type", "cnam"), ("type", "hlr")],
            "bad_request",
        ),
        ("/authentication/not-a-uuid", {}, None, "invalid_auth_uuid"),
    ],
)
@pytest.mark.asyncio
async def test_bad_get_parameters(
    api: RawApi, path: str, headers: dict[str, str], params: Any, code: str
) -> None:
    async with api.session.get(
        URL(api.url + path, encoded=True),
        headers={"x-api-key": "k", **headers},
        params=params,
    ) as response:
        assert response.status == 400
        assert (await response.json())["code"] == code
