"""What the transport hands to aiohttp for each attempt, with aioresponses recording it: the
body and its content type, the headers (the key last, so no extra header replaces it), the
timeout of the attempt (shortened to what is left of the deadline, never rounded up), no
redirects followed, the proxy; and the caches of parsed URLs and timeouts. A real socket
shows the same from the server's side in tests/reliability (test_transport_security.py,
test_hard_deadline.py); this layer says exactly which argument carries what.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aioresponses import CallbackResult, aioresponses

import ding
from ding._transport import _reused_timeout, _template_url
from ding.models import errors

from ..conftest import AUTH_UUID, BASE_URL, CUSTOMER_UUID, MOCKED_RESPONSE_CLASS, PHONE
from ._mocked_api import AUTH_OK, calls, register

CREATE = {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE}


def _sent(mocked: aioresponses, method: str, path: str) -> dict[str, Any]:
    (call,) = calls(mocked, method, path)
    kwargs: dict[str, Any] = call.kwargs
    return kwargs


@pytest.mark.asyncio
async def test_a_post_sends_its_json_body_without_following_redirects(
    mocked: aioresponses,
) -> None:
    register(mocked, "POST", "/authentication", payload=AUTH_OK)
    async with ding.AsyncDing(api_key="sk-1", server_url=BASE_URL) as client:
        await client.otp.create_authentication(request=CREATE)
    sent = _sent(mocked, "POST", "/authentication")
    assert json.loads(sent["data"].decode()) == CREATE
    assert sent["data"].content_type == "application/json"
    assert sent["allow_redirects"] is False  # a 307 would send the SMS a second time
    assert sent["proxy"] is None
    assert sent["headers"]["x-api-key"] == "sk-1"


@pytest.mark.asyncio
async def test_a_get_sends_no_body(mocked: aioresponses) -> None:
    register(mocked, "GET", f"/authentication/{AUTH_UUID}", payload={"uuid": AUTH_UUID})
    async with ding.AsyncDing(api_key="sk-1", server_url=BASE_URL) as client:
        await client.otp.get_authentication_status(AUTH_UUID)
    assert _sent(mocked, "GET", f"/authentication/{AUTH_UUID}")["data"] is None


@pytest.mark.asyncio
@pytest.mark.parametrize("key_source", ["string", "callable"])
async def test_extra_headers_are_sent_beside_the_key(mocked: aioresponses, key_source: str) -> None:
    register(mocked, "POST", "/authentication", payload=AUTH_OK)
    key: Any = "sk-1" if key_source == "string" else (lambda: "sk-1")
    async with ding.AsyncDing(
        api_key=key, server_url=BASE_URL, headers={"x-client": "a"}
    ) as client:
        await client.otp.create_authentication(request=CREATE, headers={"x-call": "b"})
    headers = _sent(mocked, "POST", "/authentication")["headers"]
    assert headers["x-client"] == "a" and headers["x-call"] == "b"
    assert [v for k, v in headers.items() if k.lower() == "x-api-key"] == ["sk-1"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("options", "total", "connect"),
    [
        ({}, 10.0, 5.0),  # the defaults
        ({"timeout": 3, "connect_timeout": 1}, 3.0, 1.0),
        ({"timeout": 30, "deadline": 2}, 2.0, 5.0),  # the deadline is shorter: it decides
        ({"timeout": None, "deadline": 4}, 4.0, 5.0),
    ],
)
async def test_each_attempt_gets_its_timeout_never_rounded_up(
    mocked: aioresponses, options: dict[str, Any], total: float, connect: float
) -> None:
    register(mocked, "POST", "/authentication", payload=AUTH_OK)
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL) as client:
        await client.otp.create_authentication(request=CREATE, **options)
    timeout = _sent(mocked, "POST", "/authentication")["timeout"]
    # What is left of a deadline is a little less than the deadline itself.
    assert total - 1.0 < timeout.total <= total
    assert timeout.connect == connect
    assert timeout.ceil_threshold == math.inf  # aiohttp would round 5 s or more up to 1 s late


def test_each_url_template_is_parsed_once_and_the_cache_stays_small() -> None:
    template = _template_url(BASE_URL + "/lookup/{phone_number}")
    assert str(template) == BASE_URL + "/lookup/{phone_number}"  # braces kept, not encoded
    assert _template_url(BASE_URL + "/lookup/{phone_number}") is template  # parsed once
    for i in range(100):
        _template_url(f"http://127.0.0.1:{1000 + i}/v1/authentication")
    assert _template_url.cache_info().currsize == 64


def test_timeouts_are_reused_and_their_cache_stays_small() -> None:
    assert _reused_timeout(3.0, 1.0) is _reused_timeout(3.0, 1.0)
    assert _reused_timeout(3.0, 1.0).ceil_threshold == math.inf
    for i in range(100):
        _reused_timeout(float(i + 10), 1.0)
    assert _reused_timeout.cache_info().currsize == 64


@pytest.mark.asyncio
async def test_a_per_call_server_url_with_a_session_of_the_callers_own(
    mocked: aioresponses,
) -> None:
    """No proxy settings of ding's then (the caller's session has its own): the call still
    goes to its own server."""
    other = "http://127.0.0.1:8/v2"
    mocked.get(
        f"{other}/authentication/{AUTH_UUID}",
        payload={"uuid": AUTH_UUID},
        response_class=MOCKED_RESPONSE_CLASS,
    )
    async with aiohttp.ClientSession() as session:
        client = ding.AsyncDing(api_key="k", server_url=BASE_URL, client=session)
        envelope = await client.otp.get_authentication_status(AUTH_UUID, server_url=other)
    assert envelope.authentication_status_response.uuid == AUTH_UUID


@pytest.mark.asyncio
async def test_the_debug_line_gives_the_attempt_s_time(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    async def slow(url: Any, **kwargs: Any) -> CallbackResult:
        await asyncio.sleep(0.05)
        return CallbackResult(payload=AUTH_OK, response_class=MOCKED_RESPONSE_CLASS)

    register(mocked, "POST", "/authentication", callback=slow)
    caplog.set_level(logging.DEBUG, logger="ding")
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL) as client:
        await client.otp.create_authentication(request=CREATE)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "ding"]
    milliseconds = float(line.rsplit("(attempt 1, ", 1)[1].removesuffix(" ms)"))
    assert 50 <= milliseconds < 30_000, line  # at least the server's 50 ms


def test_a_client_first_built_inside_aioresponses_is_mocked_too() -> None:
    """A user's test suite whose first ding client is built inside ``with aioresponses():``
    (a fresh process: ding's request path not imported yet) gets its mocked answers."""
    code = (
        "import asyncio\n"
        "from aioresponses import aioresponses\n"
        "import ding\n"
        "from tests.conftest import BASE_URL, CUSTOMER_UUID, MOCKED_RESPONSE_CLASS\n"
        "async def main():\n"
        "    with aioresponses() as mocked:\n"
        "        mocked.get(BASE_URL + '/lookup/%2B14155550123', payload={'carrier': 'c'},\n"
        "                   response_class=MOCKED_RESPONSE_CLASS)\n"
        "        async with ding.AsyncDing(api_key='k', server_url=BASE_URL) as client:\n"
        "            found = await client.lookup.lookup('+14155550123', CUSTOMER_UUID)\n"
        "    assert found.lookup_response.carrier == 'c', found\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.asyncio
async def test_the_raw_response_carries_the_request_body_and_the_attempt_s_time(
    mocked: aioresponses,
) -> None:
    async def slow(url: Any, **kwargs: Any) -> CallbackResult:
        await asyncio.sleep(0.05)
        return CallbackResult(payload=AUTH_OK, response_class=MOCKED_RESPONSE_CLASS)

    register(mocked, "POST", "/authentication", callback=slow)
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL) as client:
        envelope = await client.otp.create_authentication(request=CREATE)
    raw = envelope.raw_response
    assert raw.status_code == 200 and json.loads(raw.content) == AUTH_OK
    assert raw.request.body is not None and json.loads(raw.request.body) == CREATE
    assert 0.05 <= raw.elapsed.total_seconds() < 30


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("options", "says"),
    [
        (
            {"timeout": 0.05, "max_retries": 0},
            "lookup: timed out waiting for the response (TimeoutError)",
        ),
        ({"deadline": 0.05, "max_retries": 0}, "lookup: deadline exceeded (TimeoutError)"),
        # The attempt's own limit ran out with most of the deadline left.
        (
            {"timeout": 0.05, "deadline": 0.9, "max_retries": 0},
            "lookup: timed out waiting for the response (TimeoutError)",
        ),
    ],
)
async def test_a_timeout_names_the_operation_and_which_limit_ran_out(
    mocked: aioresponses, options: dict[str, Any], says: str
) -> None:
    async def never(url: Any, **kwargs: Any) -> CallbackResult:
        await asyncio.sleep(0.05)
        raise asyncio.TimeoutError

    mocked.get(BASE_URL + "/lookup/%2B1234567890", callback=never)
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL) as client:
        with pytest.raises(errors.APITimeoutError) as info:
            await client.lookup.lookup(PHONE, CUSTOMER_UUID, **options)
    assert str(info.value) == says


@pytest.mark.asyncio
async def test_a_300_is_not_a_success(mocked: aioresponses) -> None:
    register(mocked, "POST", "/authentication", status=300, payload=AUTH_OK)
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL) as client:
        with pytest.raises(errors.SDKError) as info:
            await client.otp.create_authentication(request=CREATE)
    assert type(info.value) is errors.SDKError and info.value.status_code == 300


@pytest.mark.asyncio
async def test_an_error_carries_the_headers_of_the_answer(mocked: aioresponses) -> None:
    register(
        mocked,
        "POST",
        "/authentication",
        status=500,
        payload={"code": "internal_server_error", "message": "m"},
        headers={"X-Request-Id": "r1"},
    )
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL) as client:
        with pytest.raises(errors.ErrorResponse) as info:
            await client.otp.create_authentication(request=CREATE)
    assert info.value.headers["X-Request-Id"] == "r1"
