"""Through the public clients, with aioresponses for the network: a failure's DingError carries
what came with the answer (status, code, attempts, raw response), survives pickle and never
shows the key. Which exception each answer becomes is tabled in test_wire.py (exact types);
which are retried, in test_transport_retries.py; the limits, in test_retry_limits.py."""

from __future__ import annotations

import pickle

import pytest
from aioresponses import aioresponses

import ding
from ding.models import errors

from ..conftest import AUTH_UUID, BASE_URL, CUSTOMER_UUID
from ._mocked_api import CREATE, calls, register

# --- error mapping -------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_400_with_api_error_body(mocked: aioresponses, client: ding.AsyncDing) -> None:
    register(
        mocked,
        "POST",
        "/authentication",
        status=400,
        payload={"code": "invalid_phone_number", "message": "bad", "doc_url": "https://d"},
    )
    with pytest.raises(errors.ErrorResponse) as info:
        await client.otp.create_authentication(request=CREATE)
    assert info.value.code is errors.Code.INVALID_PHONE_NUMBER
    assert info.value.status_code == 400
    assert info.value.attempts == 1
    assert info.value.raw_response is not None


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [401, 404])
async def test_401_and_404(mocked: aioresponses, client: ding.AsyncDing, status: int) -> None:
    register(
        mocked,
        "GET",
        f"/authentication/{AUTH_UUID}",
        status=status,
        payload={"code": "account_invalid", "message": "no"},
    )
    with pytest.raises(errors.ErrorResponse) as info:
        await client.otp.get_authentication_status(auth_uuid=AUTH_UUID)
    assert info.value.status_code == status
    assert len(calls(mocked, "GET", f"/authentication/{AUTH_UUID}")) == 1  # 4xx: never retried


@pytest.mark.asyncio
async def test_429_with_retry_after_is_retried_then_raised(mocked: aioresponses) -> None:
    register(mocked, "POST", "/check", status=429, headers={"Retry-After": "0"}, body="slow")
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL, max_retries=2) as client:
        with pytest.raises(errors.RateLimitError) as info:
            await client.otp.check(
                request={
                    "customer_uuid": CUSTOMER_UUID,
                    "authentication_uuid": AUTH_UUID,
                    "check_code": "1",
                }
            )
    assert info.value.retry_after == 0.0
    assert info.value.attempts == 3
    assert len(calls(mocked, "POST", "/check")) == 3


@pytest.mark.asyncio
async def test_500_raises_sdk_error(mocked: aioresponses, client: ding.AsyncDing) -> None:
    register(mocked, "GET", f"/authentication/{AUTH_UUID}", status=500, body="boom")
    with pytest.raises(errors.SDKError) as info:
        await client.otp.get_authentication_status(auth_uuid=AUTH_UUID)
    assert info.value.status_code == 500
    assert info.value.body == "boom"
    assert info.value.attempts == 3  # status reads are retried


@pytest.mark.asyncio
async def test_200_with_malformed_json(mocked: aioresponses, client: ding.AsyncDing) -> None:
    register(
        mocked, "POST", "/authentication", status=200, body="{oops", content_type="application/json"
    )
    with pytest.raises(errors.ResponseValidationError) as info:
        await client.otp.create_authentication(request=CREATE)
    assert isinstance(info.value, errors.SDKError)
    assert info.value.status_code == 200


# --- errors survive pickle and never show the key ----------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        errors.SDKError("m", 500, "body", None, headers={"a": "b"}, retry_after=1.0, attempts=3),
        errors.ErrorResponse(
            errors.Code.BAD_REQUEST, "msg", "https://d", status_code=400, body="{}", attempts=2
        ),
        errors.RateLimitError("slow", 429, "", None, retry_after=30.0, attempts=1),
        errors.ValidationError("phone_number", "an E.164 number", got="int 5"),
        errors.APITimeoutError("t", attempts=2),
        errors.ResponseValidationError("bad json", 200, "{", None),
    ],
)
def test_errors_pickle(error: errors.DingError) -> None:
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error)
    assert str(clone) == str(error)
    assert vars(clone) == vars(error)


@pytest.mark.asyncio
async def test_key_never_in_reprs_or_errors(mocked: aioresponses) -> None:
    register(mocked, "POST", "/authentication", status=500, body="{}")
    async with ding.AsyncDing(api_key="sk-SECRET", server_url=BASE_URL) as client:
        with pytest.raises(errors.SDKError) as info:
            await client.otp.create_authentication(request=CREATE)
        texts = [
            repr(client),
            repr(client.otp),
            repr(client._transport),
            str(info.value),
            repr(info.value),
        ]
    assert not any("sk-SECRET" in t for t in texts)
    with pytest.raises(errors.ValidationError) as bad:
        ding.AsyncDing(api_key="sk-SECRET\n")
    assert "sk-SECRET" not in str(bad.value)


def test_the_key_header_value_shows_as_stars_and_is_sent_as_is() -> None:
    """What a debugger or an error tracker prints of request_info's headers."""
    from ding._transport import check_api_key

    value = check_api_key("sk-SECRET")
    assert repr(value) == "'***'" and repr({"x-api-key": value}) == "{'x-api-key': '***'}"
    assert value == "sk-SECRET" and value.encode() == b"sk-SECRET"
