"""Issue 16 item 2: the sync facade returns exactly what the async call returns, whatever the
settings; it stops waiting on its own only when its loop thread is really gone (or stalled),
and then says exactly that.

The facade used to give up at a bound it computed from the settings -- wrong for a
`RetryConfig` whose `max_elapsed_time` outlasts it -- with "the client's event loop is
stalled or gone" while the loop went on sending requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import ding
from ding import _loop_thread
from ding.models import errors
from ding.utils import BackoffStrategy, RetryConfig

from ._actions import api_error, hang
from ._ops import API_KEY, CUSTOMER_UUID, STYLES
from ._servers import ScriptServer

PHONE = "+14155550123"


def lookup(style: str, url: str, **options: Any) -> tuple[Any, float]:
    """The lookup's outcome (value or DingError) and how long it took."""
    started = time.monotonic()
    try:
        if style == "sync":
            with ding.Ding(api_key=API_KEY, server_url=url, **options) as client:
                out: Any = client.lookup.lookup(PHONE, CUSTOMER_UUID)
        else:

            async def main() -> Any:
                async with ding.AsyncDing(api_key=API_KEY, server_url=url, **options) as client:
                    return await client.lookup.lookup(PHONE, CUSTOMER_UUID)

            out = asyncio.run(main())
    except errors.DingError as exc:
        out = exc
    return out, time.monotonic() - started


@pytest.mark.parametrize("style", STYLES)
def test_retries_bounded_only_by_max_elapsed_time_end_the_same_way_in_both_styles(
    server: ScriptServer, style: str
) -> None:
    """No deadline, 1 s attempts, retries for 3 s against a 503: the facade used to raise
    APITimeoutError after 2 s while its loop kept retrying."""
    server.always(api_error(503))
    config = RetryConfig("backoff", BackoffStrategy(50, 100, 1.5, 3000), True)
    error, took = lookup(style, server.url, deadline=None, timeout=1, retry_config=config)
    assert type(error) is errors.ErrorResponse, repr(error)
    assert error.status_code == 503
    assert took >= 2.9  # it ran until max_elapsed_time, as AsyncDing does
    assert error.attempts == server.count() > 10
    assert "stalled" not in str(error)


def _serve_without_teardown(loop: asyncio.AbstractEventLoop) -> None:
    """A loop thread that ends without cancelling its tasks or closing its loop (what a
    thread killed by an error in the loop itself leaves behind)."""
    with contextlib.suppress(SystemExit):
        loop.run_forever()


def _end_the_thread() -> None:
    raise SystemExit  # asyncio lets it escape run_forever(): the thread ends


def test_a_caller_is_told_at_once_when_the_loop_thread_is_gone(
    server: ScriptServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_loop_thread.LoopThread, "_serve", staticmethod(_serve_without_teardown))
    server.always(hang())
    client = ding.Ding(api_key=API_KEY, server_url=server.url, deadline=60)
    pool = ThreadPoolExecutor(1)
    waiting = pool.submit(client.lookup.lookup, PHONE, CUSTOMER_UUID)
    pool.shutdown(wait=False)
    assert server.wait_until(lambda: server.count() == 1)
    loop_thread = client._runner._thread
    assert loop_thread is not None
    client._runner.loop.call_soon_threadsafe(_end_the_thread)
    loop_thread.join(5)
    gone_at = time.monotonic()
    # The call's deadline is 60 s: only noticing the dead thread ends the wait.
    error = waiting.exception(timeout=5)
    assert time.monotonic() - gone_at < 2.0
    assert isinstance(error, errors.ClientClosedError), repr(error)
    assert "event-loop thread ended" in str(error)
    assert "stalled" not in str(error)
    _tear_down(client)


def _tear_down(client: ding.Ding) -> None:
    """The teardown the dead thread skipped, run here: cancel, close the sessions, close."""
    loop = client._runner.loop
    tasks = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    loop.run_until_complete(asyncio.wait(tasks, timeout=5))
    loop.run_until_complete(client._async.close())
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
    client.close()
