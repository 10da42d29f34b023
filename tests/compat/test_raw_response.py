"""Issue 10 item 8: ``raw_response`` reads like the ``requests.Response`` users had, on every
envelope and every SDKError, sync and async, without ever showing the key."""

from __future__ import annotations

import asyncio
import json
import pickle
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

import ding
from ding._raw_response import RawResponse
from ding.models import components, errors
from ding.testing import FakeDing

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
PHONE = "+14155550123"
KEY = "sk_test_RAWRESPONSE_never_shown"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeDing]:
    with FakeDing.running(api_keys=[KEY]) as running:
        yield running


def send(style: str, url: str, key: str = KEY) -> Any:
    request = components.CreateAuthenticationRequest(CUSTOMER, PHONE)
    try:
        if style == "sync":
            with ding.Ding(key, server_url=url) as s:
                return s.otp.create_authentication(request)

        async def main() -> Any:
            async with ding.AsyncDing(key, server_url=url) as client:
                return await client.otp.create_authentication(request)

        return asyncio.run(main())
    except errors.SDKError as exc:
        return exc


@pytest.mark.parametrize("style", ["sync", "async"])
def test_envelope_raw_response_reads_like_requests(fake: FakeDing, style: str) -> None:
    res = send(style, fake.url)
    raw = res.raw_response
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200 and raw.ok and bool(raw) and raw.reason == "OK"
    assert raw.headers["content-type"] == raw.headers["CONTENT-TYPE"]
    assert raw.headers.get("Content-Type", "").startswith("application/json")
    body = raw.json()
    assert body["authentication_uuid"] == res.create_authentication_response.authentication_uuid
    assert json.loads(raw.text) == body == json.loads(raw.content)
    assert isinstance(raw.content, bytes) and isinstance(raw.text, str)
    assert raw.url == fake.url + "/authentication"
    assert isinstance(raw.elapsed, timedelta) and raw.elapsed > timedelta(0)
    assert raw.encoding == "utf-8"
    assert raw.raise_for_status() is None
    request = raw.request
    assert (request.method, request.url) == ("POST", fake.url + "/authentication")
    assert json.loads(request.body)["customer_uuid"] == CUSTOMER
    assert request.headers["X-API-KEY"] == "***"  # sent, but never shown
    # aiohttp's own response stays reachable, and its attributes still work.
    assert isinstance(raw.aiohttp_response, aiohttp.ClientResponse)
    assert raw.status == 200 and raw.request_info.method == "POST"


@pytest.mark.parametrize("style", ["sync", "async"])
def test_sdk_error_raw_response_reads_like_requests(fake: FakeDing, style: str) -> None:
    err = send(style, fake.url, key="wrong-key")
    assert isinstance(err, errors.SDKError) and err.status_code == 401
    raw = err.raw_response
    assert (raw.status_code, raw.ok, bool(raw)) == (401, False, False)
    assert raw.json()["code"] == "account_invalid"
    assert raw.text == err.body
    with pytest.raises(errors.SDKError, match="401"):
        raw.raise_for_status()
    # Pickling the error (Celery) drops the live response and keeps the rest.
    again = pickle.loads(pickle.dumps(err))
    assert again.raw_response is None and again.status_code == 401


def test_the_key_never_shows(fake: FakeDing) -> None:
    res = send("sync", fake.url)
    raw = res.raw_response
    texts = [
        repr(raw),
        repr(raw.request),
        repr(raw.request.headers),
        str(dict(raw.request.headers)),
        repr(res),
        repr(raw.request_info),
    ]
    assert all(KEY not in text for text in texts), texts


def test_text_follows_the_encoding_like_requests(fake: FakeDing) -> None:
    raw = send("sync", fake.url).raw_response
    raw.encoding = "latin-1"
    assert raw.encoding == "latin-1" and isinstance(raw.text, str)
    with pytest.raises(TypeError, match="pickled"):
        pickle.dumps(raw)


def test_a_validation_error_has_no_raw_response_and_no_attempts(fake: FakeDing) -> None:
    before = len(fake.requests)
    with ding.Ding(KEY, server_url=fake.url) as s, pytest.raises(errors.ErrorResponse) as info:
        s.otp.create_authentication(components.CreateAuthenticationRequest(CUSTOMER, "06"))
    err = info.value
    assert isinstance(err, errors.ValidationError)
    assert (err.raw_response, err.attempts, err.status_code) == (None, 0, 400)
    assert err.code == errors.Code.INVALID_PHONE_NUMBER
    assert len(fake.requests) == before  # refused before any I/O
