"""Quiet by default: a per-request line is DEBUG; INFO is only for what an operator should see.

Apps whose root logger sits at INFO (Celery's default) must not get a line per request.
A retry and a give-up (a transient failure the client stops retrying) are INFO.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import pytest

import ding
from ding.models import errors

from ._actions import reply
from ._ops import API_KEY, CUSTOMER_UUID, FAST
from ._servers import ScriptServer

_BUSY = {"code": "internal_server_error", "message": "busy"}


def lookup(style: str, server: ScriptServer | str, **options: Any) -> Any:
    phone = "+14155550123"
    url = server if isinstance(server, str) else server.url
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
    server: ScriptServer, caplog: pytest.LogCaptureFixture, style: str
) -> None:
    caplog.set_level(logging.INFO)  # the root logger at INFO, as Celery sets it
    for _ in range(3):
        lookup(style, server)
    assert [r.getMessage() for r in caplog.records if r.name == "ding"] == []


@pytest.mark.parametrize("style", ["sync", "async"])
def test_per_request_lines_are_debug(
    server: ScriptServer, caplog: pytest.LogCaptureFixture, style: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="ding")
    lookup(style, server)
    lines = [r.getMessage() for r in ding_records(caplog, logging.DEBUG)]
    assert len(lines) == 1
    # The number masked; the time of the attempt in milliseconds.
    line = re.fullmatch(r"GET /lookup/%2B14\*\*\*\*23 -> 200 \(attempt 1, (\d+\.\d) ms\)", lines[0])
    assert line is not None, lines[0]
    assert 0 <= float(line[1]) < 30_000


@pytest.mark.parametrize("style", ["sync", "async"])
def test_a_retry_and_a_give_up_are_info(
    server: ScriptServer, caplog: pytest.LogCaptureFixture, style: str
) -> None:
    caplog.set_level(logging.INFO)
    server.always(reply(503, _BUSY))
    with pytest.raises(errors.SDKError):
        lookup(style, server, max_retries=1)
    lines = [r.getMessage() for r in ding_records(caplog, logging.INFO)]
    assert len(lines) == 2, lines
    assert re.fullmatch(
        r"GET /lookup/%2B14\*\*\*\*23 retrying after 503 in \d\.\d{3}s \(attempt 1\)", lines[0]
    ), lines[0]
    assert lines[1] == (
        "GET /lookup/%2B14****23 failed with 503 after 2 attempt(s), giving up (retries spent)"
    )
    assert ding_records(caplog, logging.DEBUG) == []  # INFO does not enable the DEBUG lines


@pytest.mark.parametrize("style", ["sync", "async"])
def test_a_give_up_after_a_connection_failure_names_its_cause(
    caplog: pytest.LogCaptureFixture, style: str
) -> None:
    caplog.set_level(logging.INFO)
    server = ScriptServer()
    url = server.url
    server.close()  # nothing listens there any more: refused
    with pytest.raises(errors.APIConnectionError):
        lookup(style, url, max_retries=0)
    lines = [r.getMessage() for r in ding_records(caplog, logging.INFO)]
    assert lines == [
        "GET /lookup/%2B14****23 failed with ClientConnectorError after 1 attempt(s), "
        "giving up (not retried)"
    ]


@pytest.mark.parametrize("style", ["sync", "async"])
def test_a_final_client_error_is_not_an_operator_event(
    server: ScriptServer, caplog: pytest.LogCaptureFixture, style: str
) -> None:
    caplog.set_level(logging.INFO)
    server.always(reply(400, {"code": "bad_request", "message": "no"}))
    with pytest.raises(errors.ErrorResponse):
        lookup(style, server)
    assert [r.getMessage() for r in caplog.records if r.name == "ding"] == []
