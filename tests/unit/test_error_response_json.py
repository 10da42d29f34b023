"""Issue 16 item 9: `ErrorResponse` has the JSON helpers the official client's errors have
(they are dataclasses_json models there): `to_dict` / `to_json` / `from_dict` / `from_json`,
with the wire's field names, round-tripping, and a `DingError` for bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aioresponses import aioresponses

import ding
from ding.models import errors

from ..conftest import AUTH_UUID, BASE_URL, CUSTOMER_UUID
from ._mocked_api import register

WIRE = {
    "code": "invalid_phone_number",
    "message": "+0 is not a valid phone number",
    "doc_url": "https://docs.ding.live/api/error-handling#invalid_phone_number",
}


def test_to_dict_and_to_json_use_the_wire_s_names_and_values() -> None:
    error = errors.ErrorResponse(errors.Code.INVALID_PHONE_NUMBER, WIRE["message"], WIRE["doc_url"])
    assert error.to_dict() == WIRE
    assert error.to_dict(encode_json=True) == WIRE
    assert json.loads(error.to_json()) == WIRE
    assert error.to_json(indent=2) == json.dumps(error.to_dict(), indent=2)  # kwargs reach dumps


def test_unset_fields_are_left_out() -> None:
    assert errors.ErrorResponse(errors.Code.BAD_REQUEST).to_dict() == {"code": "bad_request"}
    assert errors.ErrorResponse().to_dict() == {}


@pytest.mark.parametrize("text", [json.dumps(WIRE), json.dumps(WIRE).encode()])
def test_from_json_builds_the_error(text: str | bytes) -> None:
    error = errors.ErrorResponse.from_json(text)
    assert type(error) is errors.ErrorResponse
    assert error.code is errors.Code.INVALID_PHONE_NUMBER
    assert (error.message, error.doc_url) == (WIRE["message"], WIRE["doc_url"])


def test_a_code_this_version_does_not_know_stays_a_string_and_extra_fields_are_ignored() -> None:
    error = errors.ErrorResponse.from_dict({"code": "brand_new_code", "request_id": "r-1"})
    assert error.code == "brand_new_code" and not isinstance(error.code, errors.Code)
    assert error.to_dict() == {"code": "brand_new_code"}


@pytest.mark.parametrize(
    "error",
    [
        errors.ErrorResponse(errors.Code.INVALID_PHONE_NUMBER, WIRE["message"], WIRE["doc_url"]),
        errors.ErrorResponse("not_yet_known", "m"),
        errors.ErrorResponse(None, None, "https://docs.ding.live"),
    ],
)
def test_round_trips(error: errors.ErrorResponse) -> None:
    for copy in (
        errors.ErrorResponse.from_json(error.to_json()),
        errors.ErrorResponse.from_dict(error.to_dict()),
    ):
        assert (copy.code, copy.message, copy.doc_url) == (error.code, error.message, error.doc_url)
        assert copy.to_dict() == error.to_dict()


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("not json", "ErrorResponse"),
        (b"\xff", "ErrorResponse"),
        ("[1, 2]", "ErrorResponse"),
        ('"code"', "ErrorResponse"),
        ('{"code": 400}', "ErrorResponse.code"),
        ('{"message": ["a"]}', "ErrorResponse.message"),
        ('{"doc_url": {"x": 1}}', "ErrorResponse.doc_url"),
        ("[" * 100_000 + "]" * 100_000, "ErrorResponse"),
    ],
)
def test_bad_input_raises_a_ding_error_naming_the_field(value: Any, field: str) -> None:
    with pytest.raises(errors.ValidationError) as info:
        errors.ErrorResponse.from_json(value)
    assert isinstance(info.value, errors.DingError) and isinstance(info.value, ValueError)
    assert info.value.field == field


def test_from_dict_refuses_what_is_not_an_object() -> None:
    with pytest.raises(errors.ValidationError) as info:
        errors.ErrorResponse.from_dict(["code"])
    assert info.value.field == "ErrorResponse"


@pytest.mark.asyncio
async def test_the_error_a_call_raises_gives_back_the_api_s_object(mocked: aioresponses) -> None:
    register(mocked, "GET", f"/authentication/{AUTH_UUID}", status=400, payload=WIRE)
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL) as client:
        with pytest.raises(errors.ErrorResponse) as info:
            await client.otp.get_authentication_status(AUTH_UUID)
    assert info.value.to_dict() == WIRE
    assert errors.ErrorResponse.from_json(info.value.body).to_dict() == WIRE
    assert CUSTOMER_UUID not in info.value.to_json()
