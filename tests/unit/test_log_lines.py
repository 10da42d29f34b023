"""Quiet by default: a per-request line is DEBUG; INFO is only for what an operator should see.

Apps whose root logger sits at INFO (Celery's default) must not get a line per request.
A retry and a give-up (a transient failure the client stops retrying) are INFO, each line
whole (operation, method, URL template, status or cause, attempts, why), in both calling styles, with
aioresponses for the network (what is logged does not depend on the socket).
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses

import ding
from ding.models import errors

from ..conftest import BASE_URL, CUSTOMER_UUID, MOCKED_RESPONSE_CLASS
from ._mocked_api import FAST

API_KEY = "sk-log"
_BUSY = {"code": "internal_server_error", "message": "busy"}
LOOKUP_URL = BASE_URL + "/lookup/%2B14155550123"


def answer(mocked: aioresponses, status: int, payload: Any = None, **kwargs: Any) -> None:
    mocked.get(
        LOOKUP_URL,
        status=status,
        payload=payload if payload is not None else {"phone_number": "+14155550123"},
        repeat=True,
        response_class=MOCKED_RESPONSE_CLASS,
        **kwargs,
    )


def lookup(style: str, url: str = BASE_URL, **options: Any) -> Any:
    phone = "+14155550123"
    if style == "sync":
        with ding.Ding(api_key=API_KEY, server_url=url, **FAST) as client:
            return client.lookup.lookup(phone, CUSTOMER_UUID, **options)

    async def main() -> Any:
        async with ding.AsyncDing(api_key=API_KEY, server_url=url, **FAST) as client:
            return await client.lookup.lookup(phone, CUSTOMER_UUID, **options)

    return asyncio.run(main())


def ding_records(caplog: pytest.LogCaptureFixture, level: int) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "ding" and r.levelno == level]


@pytest.mark.parametrize("style", ["sync", "async"])
def test_a_successful_call_logs_nothing_at_info(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture, style: str
) -> None:
    answer(mocked, 200)
    caplog.set_level(logging.INFO)  # the root logger at INFO, as Celery sets it
    for _ in range(3):
        lookup(style)
    assert [r.getMessage() for r in caplog.records if r.name == "ding"] == []


@pytest.mark.parametrize("style", ["sync", "async"])
def test_per_request_lines_are_debug(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture, style: str
) -> None:
    answer(mocked, 200)
    caplog.set_level(logging.DEBUG, logger="ding")
    lookup(style)
    lines = [r.getMessage() for r in ding_records(caplog, logging.DEBUG)]
    assert len(lines) == 1
    # The URL template, never the number (issue 17); the time of the attempt in milliseconds.
    line = re.fullmatch(
        r"lookup\.lookup: GET /v1/lookup/\{phone_number\} -> 200 \(attempt 1, (\d+\.\d) ms\)",
        lines[0],
    )
    assert line is not None, lines[0]
    assert 0 <= float(line[1]) < 30_000


@pytest.mark.parametrize("style", ["sync", "async"])
def test_a_retry_and_a_give_up_are_info(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture, style: str
) -> None:
    caplog.set_level(logging.INFO)
    answer(mocked, 503, _BUSY)
    with pytest.raises(errors.SDKError):
        lookup(style, max_retries=1)
    lines = [r.getMessage() for r in ding_records(caplog, logging.INFO)]
    assert len(lines) == 2, lines
    assert re.fullmatch(
        r"lookup\.lookup: GET /v1/lookup/\{phone_number\}: HTTP 503, retrying in \d\.\d{3} s "
        r"\(attempt 1\)",
        lines[0],
    ), lines[0]
    assert lines[1] == (
        "lookup.lookup: GET /v1/lookup/{phone_number} failed with 503 after 2 attempt(s), "
        "giving up (retries spent)"
    )
    assert ding_records(caplog, logging.DEBUG) == []  # INFO does not enable the DEBUG lines


@pytest.mark.parametrize("style", ["sync", "async"])
def test_a_give_up_after_a_connection_failure_names_its_cause(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture, style: str
) -> None:
    caplog.set_level(logging.INFO)
    key = aiohttp.client_reqrep.ConnectionKey("h", 1, False, True, None, None, None)
    mocked.get(LOOKUP_URL, exception=aiohttp.ClientConnectorError(key, OSError(111, "")))
    with pytest.raises(errors.APIConnectionError):
        lookup(style, max_retries=0)
    lines = [r.getMessage() for r in ding_records(caplog, logging.INFO)]
    assert lines == [
        "lookup.lookup: GET /v1/lookup/{phone_number} failed with ClientConnectorError "
        "after 1 attempt(s), giving up (not retried)"
    ]


@pytest.mark.parametrize("style", ["sync", "async"])
def test_a_final_client_error_is_not_an_operator_event(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture, style: str
) -> None:
    caplog.set_level(logging.INFO)
    answer(mocked, 400, {"code": "bad_request", "message": "no"})
    with pytest.raises(errors.ErrorResponse):
        lookup(style)
    assert [r.getMessage() for r in caplog.records if r.name == "ding"] == []


@pytest.mark.parametrize("style", ["sync", "async"])
def test_a_post_not_retried_after_an_ambiguous_failure_says_why(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture, style: str
) -> None:
    caplog.set_level(logging.INFO)
    mocked.post(
        BASE_URL + "/check",
        status=500,
        payload=_BUSY,
        repeat=True,
        response_class=MOCKED_RESPONSE_CLASS,
    )
    request = {
        "customer_uuid": CUSTOMER_UUID,
        "authentication_uuid": CUSTOMER_UUID,
        "check_code": "1",
    }

    def check() -> None:
        if style == "sync":
            with ding.Ding(api_key=API_KEY, server_url=BASE_URL, **FAST) as client:
                client.otp.check(request=request)
            return

        async def main() -> None:
            async with ding.AsyncDing(api_key=API_KEY, server_url=BASE_URL, **FAST) as client:
                await client.otp.check(request=request)

        asyncio.run(main())

    with pytest.raises(errors.ErrorResponse):
        check()
    lines = [r.getMessage() for r in ding_records(caplog, logging.INFO)]
    assert lines == [
        "otp.check: POST /v1/check failed with 500 after 1 attempt(s), "
        "giving up (not retried: the server may have acted on it)"
    ]
