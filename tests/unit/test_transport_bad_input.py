"""Through the public clients, with aioresponses for the network: bad input and bad settings
fail with ValidationError before any I/O; the environment supplies key and server."""

from __future__ import annotations

from typing import Any

import pytest
from aioresponses import aioresponses

import ding
from ding.models import errors

from ..conftest import AUTH_UUID, CUSTOMER_UUID, PHONE

# --- validation happens before any I/O --------------------------------------------------------


CHECK = {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": AUTH_UUID, "check_code": "1"}


# (the call, the field the error must name)
BAD_CALLS = [
    (
        lambda cl: cl.otp.create_authentication(
            request={"customer_uuid": "x", "phone_number": PHONE}
        ),
        "customer_uuid",
    ),
    (
        lambda cl: cl.otp.create_authentication(
            request={"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "phne": 1}
        ),
        "request.phne",
    ),
    (lambda cl: cl.otp.create_authentication(request="not a request"), "request"),
    (lambda cl: cl.otp.get_authentication_status(auth_uuid="../../admin"), "auth_uuid"),
    (lambda cl: cl.otp.get_authentication_status(auth_uuid=AUTH_UUID + "; DROP"), "auth_uuid"),
    (
        lambda cl: cl.lookup.lookup(phone_number="12345", customer_uuid=CUSTOMER_UUID),
        "phone_number",
    ),
    (
        lambda cl: cl.lookup.lookup(phone_number=PHONE + "1" * 6, customer_uuid=CUSTOMER_UUID),
        "phone_number",
    ),
    (lambda cl: cl.lookup.lookup(phone_number=PHONE, customer_uuid="nope"), "customer_uuid"),
    (
        lambda cl: cl.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER_UUID + "; DROP"),
        "customer_uuid",
    ),
    (
        lambda cl: cl.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER_UUID, type_="cnom"),
        "type_",
    ),
    (lambda cl: cl.otp.check(request=CHECK, timeout=-1), "timeout"),
    (lambda cl: cl.otp.check(request=CHECK, timout=1), "timout"),
    (lambda cl: cl.otp.check(request=CHECK, headers={"a": "b\r\nc"}), "headers"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("call", "field"), BAD_CALLS, ids=[f for _, f in BAD_CALLS])
async def test_bad_input_fails_before_io_naming_the_field(
    mocked: aioresponses, client: ding.AsyncDing, call: Any, field: str
) -> None:
    with pytest.raises(errors.ValidationError) as info:
        await call(client)
    assert info.value.field == field, str(info.value)
    assert info.value.attempts == 0 and isinstance(info.value, ValueError)
    assert not mocked.requests


@pytest.mark.asyncio
@pytest.mark.parametrize("field", ["customer_uuid", "phone_number"])
async def test_a_request_field_passed_as_a_keyword_is_named_as_misplaced(
    mocked: aioresponses, client: ding.AsyncDing, field: str
) -> None:
    fields = {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE}
    with pytest.raises(errors.ValidationError) as info:
        await client.otp.create_authentication(**{field: fields[field]})  # type: ignore[arg-type]
    assert info.value.field == field
    assert "inside request=" in str(info.value) and "keyword argument" in str(info.value)
    assert not mocked.requests


@pytest.mark.parametrize("cls", [ding.AsyncDing, ding.Ding])
def test_an_unknown_constructor_keyword_is_a_validation_error_naming_it(cls: Any) -> None:
    with pytest.raises(errors.ValidationError) as info:
        cls(api_key="k", server_urll="http://127.0.0.1:1")
    assert isinstance(info.value, ValueError) and info.value.field == "server_urll"
    assert "server_url" in info.value.expected  # the options it could have meant


def test_constructor_refuses_bad_settings() -> None:
    with pytest.raises(errors.ValidationError, match="api_key"):
        ding.AsyncDing(api_key="abc\r\nX-Evil: 1")
    with pytest.raises(errors.ValidationError, match="server_url"):
        ding.AsyncDing(api_key="k", server_url="ftp://x")
    with pytest.raises(errors.ValidationError, match="server_idx"):
        ding.AsyncDing(api_key="k", server_idx=3)
    with pytest.raises(errors.ValidationError, match="client"):
        ding.AsyncDing(api_key="k", client=object())


def test_environment_supplies_key_and_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DING_API_KEY", "env-key")
    monkeypatch.setenv("DING_SERVER_URL", "http://127.0.0.1:1/v1/")
    client = ding.AsyncDing()
    assert client.server_url == "http://127.0.0.1:1/v1"
    assert ding.AsyncDing(server_idx=0).server_url == "https://api.ding.live/v1"
    templated = ding.AsyncDing(server_url="http://127.0.0.1:{port}/v1", url_params={"port": "8"})
    assert templated.server_url == "http://127.0.0.1:8/v1"


def test_plain_http_to_a_remote_host_warns() -> None:
    with pytest.warns(errors.InsecureTransportWarning):
        ding.AsyncDing(api_key="k", server_url="http://api.example.com/v1")
