"""close() while calls wait: every waiting caller ends at once with ClientClosedError.

A call can be waiting in three places: a backoff sleep, a `Retry-After` sleep, or for a slow
answer. Whichever it is, `Ding.close()` from another thread cancels it on the private loop
and the caller returns within about a second; `AsyncDing.close()` ends its calls in flight
with `ClientClosedError` rather than an aiohttp error from a closed session. And no caller
of the sync facade can be held forever, not even by a loop that no longer runs anything.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

import ding
from ding.models import errors
from ding.utils import BackoffStrategy, RetryConfig

from ._actions import Action, hang, reply
from ._ops import API_KEY, CUSTOMER_UUID
from ._servers import ScriptServer

CALLERS = 3
# How long after close() a waiting caller may take to return.
PROMPT = 1.0

_BUSY = {"code": "internal_server_error", "message": "busy"}
WAITS: dict[str, tuple[Action, dict[str, Any]]] = {
    # 503 with Retry-After: 30 -> the call sleeps 30 s before its retry.
    "retry-after-sleep": (reply(503, _BUSY, {"Retry-After": "30"}), {}),
    # 503 without Retry-After, backoff of up to 20 s between attempts.
    "backoff-sleep": (
        reply(503, _BUSY),
        {"retries": RetryConfig("backoff", BackoffStrategy(20_000, 20_000, 1.0, 60_000))},
    ),
    # A server that reads the request and never answers.
    "slow-answer": (hang(), {"timeout": 60}),
}


def lookup(client: Any, **options: Any) -> Any:
    return client.lookup.lookup("+14155550123", CUSTOMER_UUID, **options)


@pytest.mark.parametrize("wait", list(WAITS))
def test_sync_close_from_another_thread_ends_every_waiting_call(
    server: ScriptServer, wait: str
) -> None:
    action, options = WAITS[wait]
    server.always(action)
    client = ding.Ding(api_key=API_KEY, server_url=server.url, deadline=120)
    ended: list[tuple[BaseException | None, float]] = []

    def caller() -> None:
        try:
            lookup(client, **options)
        except BaseException as exc:
            ended.append((exc, time.monotonic()))
        else:
            ended.append((None, time.monotonic()))

    threads = [threading.Thread(target=caller, daemon=True) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    assert server.wait_until(lambda: server.count() >= CALLERS)
    time.sleep(0.3)  # every caller is now in its wait
    closed_at = time.monotonic()
    client.close()
    for thread in threads:
        thread.join(5)
    assert not any(thread.is_alive() for thread in threads), "a caller still waits after close()"
    assert len(ended) == CALLERS
    for exc, when in ended:
        assert isinstance(exc, errors.ClientClosedError), exc
        assert when - closed_at < PROMPT
    # And a call made after close() raises at once, without touching the network.
    before = server.count()
    started = time.monotonic()
    with pytest.raises(errors.ClientClosedError):
        lookup(client)
    assert time.monotonic() - started < 0.5
    assert server.count() == before


@pytest.mark.parametrize("wait", list(WAITS))
def test_async_close_ends_the_calls_in_flight_with_client_closed_error(
    server: ScriptServer, wait: str
) -> None:
    action, options = WAITS[wait]
    server.always(action)

    async def main() -> tuple[list[Any], float]:
        client = ding.AsyncDing(api_key=API_KEY, server_url=server.url, deadline=120)
        calls = [asyncio.ensure_future(lookup(client, **options)) for _ in range(CALLERS)]
        while server.count() < CALLERS:  # noqa: ASYNC110 -- the server counts in its thread
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)
        loop = asyncio.get_running_loop()
        closed_at = loop.time()
        await client.close()
        outcomes = await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), 10)
        return outcomes, loop.time() - closed_at

    outcomes, took = asyncio.run(main())
    assert all(isinstance(o, errors.ClientClosedError) for o in outcomes), outcomes
    assert took < PROMPT


def test_async_client_reopens_after_close(server: ScriptServer) -> None:
    """close() ends what is in flight; it does not retire the client (DESIGN: loop-aware)."""

    async def main() -> int:
        client = ding.AsyncDing(api_key=API_KEY, server_url=server.url)
        await lookup(client)
        await client.close()
        status: int = (await lookup(client)).status_code
        await client.close()
        return status

    assert asyncio.run(main()) == 200


def test_a_stalled_loop_cannot_hold_a_sync_caller_past_its_deadline(server: ScriptServer) -> None:
    """The facade's wait is bounded by the call's deadline plus a grace, whatever the loop does."""
    client = ding.Ding(api_key=API_KEY, server_url=server.url, deadline=1)
    assert lookup(client).status_code == 200
    release = threading.Event()
    # A callback that never returns: the private loop runs nothing else from now on.
    client._runner.loop.call_soon_threadsafe(release.wait, 8)
    started = time.monotonic()
    try:
        with pytest.raises(errors.APITimeoutError):
            lookup(client)
        took = time.monotonic() - started
    finally:
        release.set()
        client.close()
    assert took < 1 + 1.0 + 0.5  # deadline + grace + scheduling slack


def test_close_racing_the_first_calls_never_hangs(server: ScriptServer) -> None:
    """close() while the loop thread is being started by concurrent first calls."""
    for _ in range(20):
        client = ding.Ding(api_key=API_KEY, server_url=server.url)
        outcomes: list[BaseException | int] = []

        def caller(client: ding.Ding = client, outcomes: list[Any] = outcomes) -> None:
            try:
                outcomes.append(lookup(client).status_code)
            except errors.DingError as exc:
                outcomes.append(exc)

        threads = [threading.Thread(target=caller, daemon=True) for _ in range(4)]
        for thread in threads:
            thread.start()
        client.close()
        for thread in threads:
            thread.join(5)
        assert not any(thread.is_alive() for thread in threads)
        assert all(o == 200 or isinstance(o, errors.ClientClosedError) for o in outcomes)
