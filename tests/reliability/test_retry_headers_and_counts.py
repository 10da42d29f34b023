"""Retry-After junk and very long retry runs never raise anything but a DingError.

`Retry-After` values a proxy or a buggy server may send are treated as absent (the policy's
own backoff applies); a RetryConfig with 1 ms intervals bounded only by its elapsed time can
retry more than 1,024 times without the backoff overflowing a float.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

import ding
from ding.models import errors
from ding.utils import BackoffStrategy, RetryConfig

from ._actions import Action, raw, reply
from ._ops import API_KEY, CUSTOMER_UUID
from ._servers import ScriptServer

_BUSY = {"code": "internal_server_error", "message": "busy"}
FAST = RetryConfig("backoff", BackoffStrategy(1, 2, 1.5, 30_000))


def busy_with_retry_after(status: int, value: str) -> Action:
    """A complete answer whose Retry-After is sent as UTF-8 (as a server would send "²")."""
    body = json.dumps(_BUSY).encode()
    head = (
        f"HTTP/1.1 {status} Busy\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nRetry-After: {value}\r\n\r\n"
    )
    return raw(head.encode() + body, keep_alive=True)


def call(style: str, server: ScriptServer, **options: Any) -> BaseException:
    """One lookup in either style; returns what it raised (it must raise a DingError)."""
    phone = "+14155550123"
    if style == "sync":
        with (
            ding.Ding(api_key=API_KEY, server_url=server.url) as client,
            pytest.raises(errors.DingError) as info,
        ):
            client.lookup.lookup(phone, CUSTOMER_UUID, **options)
        return info.value

    async def main() -> None:
        async with ding.AsyncDing(api_key=API_KEY, server_url=server.url) as client:
            await client.lookup.lookup(phone, CUSTOMER_UUID, **options)

    with pytest.raises(errors.DingError) as info:
        asyncio.run(main())
    return info.value


@pytest.mark.parametrize("style", ["sync", "async"])
@pytest.mark.parametrize(
    "junk", ["²", "٣", "-1", "1e400", "nan", "", "Wed, 21 Oct 2015 99999999999999999999:28 GMT"]
)
@pytest.mark.parametrize("status", [429, 503])
def test_junk_retry_after_is_treated_as_absent(
    server: ScriptServer, style: str, junk: str, status: int
) -> None:
    server.always(busy_with_retry_after(status, junk))
    error = call(style, server, retries=FAST, max_retries=1)
    assert isinstance(error, errors.SDKError)
    assert error.status_code == status
    assert error.retry_after is None
    assert (error.attempts, server.count()) == (2, 2)  # retried after the policy's backoff


@pytest.mark.parametrize("style", ["sync", "async"])
def test_more_than_1024_retries_with_millisecond_intervals(
    server: ScriptServer, style: str
) -> None:
    server.always(reply(503, _BUSY))
    config = RetryConfig("backoff", BackoffStrategy(1, 1, 2.0, 60_000))
    error = call(style, server, retries=config, max_retries=1100, deadline=60)
    assert isinstance(error, errors.SDKError) and error.status_code == 503
    assert (error.attempts, server.count()) == (1101, 1101)
