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

import aiohttp
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
        assert type(exc) is errors.ClientClosedError, exc
        assert str(exc).endswith("the client was closed during the call")
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
    assert all(type(o) is errors.ClientClosedError for o in outcomes), outcomes
    for error in outcomes:
        assert str(error) == "lookup: the client was closed during the call"
        assert error.attempts >= 1  # the attempts made before close()
    assert took < PROMPT


@pytest.mark.parametrize("style", ["sync", "async"])
def test_close_is_final_for_both_clients(server: ScriptServer, style: str) -> None:
    """One contract for `Ding.close()` and `AsyncDing.close()`: closed means closed. A later
    call raises ClientClosedError at once, without touching the network (a reopened session
    could outlive the shutdown that closed it), and so does entering the closed client."""
    server.always(reply())
    if style == "sync":
        client = ding.Ding(api_key=API_KEY, server_url=server.url)
        assert lookup(client).status_code == 200
        client.close()
        client.close()  # idempotent
        started = time.monotonic()
        with pytest.raises(errors.ClientClosedError, match=r"close\(\) is final"):
            lookup(client)
        with pytest.raises(errors.ClientClosedError), client:
            pass
    else:

        async def main() -> float:
            client = ding.AsyncDing(api_key=API_KEY, server_url=server.url)
            assert (await lookup(client)).status_code == 200
            await client.close()
            await client.close()  # idempotent
            started = time.monotonic()
            with pytest.raises(errors.ClientClosedError, match=r"close\(\) is final"):
                await lookup(client)
            with pytest.raises(errors.ClientClosedError):
                async with client:
                    pass
            return started

        started = asyncio.run(main())
    assert time.monotonic() - started < 0.5
    assert server.count() == 1


def test_a_closed_async_client_stays_closed_under_another_loop(server: ScriptServer) -> None:
    """The shared-client pattern: closed in one asyncio.run, refused in the next (not
    reopened); the session the user passed stays open, as always."""
    client = ding.AsyncDing(api_key=API_KEY, server_url=server.url)

    async def use_and_close() -> int:
        status: int = (await lookup(client)).status_code
        await client.close()
        return status

    assert asyncio.run(use_and_close()) == 200
    with pytest.raises(errors.ClientClosedError):
        asyncio.run(use_and_close())
    assert server.count() == 1

    async def with_own_session() -> bool:
        async with aiohttp.ClientSession() as session:
            mine = ding.AsyncDing(api_key=API_KEY, server_url=server.url, session=session)
            await lookup(mine)
            await mine.close()
            with pytest.raises(errors.ClientClosedError):
                await lookup(mine)
            return session.closed

    assert asyncio.run(with_own_session()) is False


def test_a_stalled_loop_cannot_hold_a_sync_caller_past_its_deadline(server: ScriptServer) -> None:
    """Past the call's deadline, the facade checks that its loop still runs: a loop that
    leaves a callback posted to it unanswered for a second is stalled, and the caller is
    told so (the call cannot end by its own limits: the loop would have to run them)."""
    client = ding.Ding(api_key=API_KEY, server_url=server.url, deadline=1)
    assert lookup(client).status_code == 200
    release = threading.Event()
    # A callback that never returns: the private loop runs nothing else from now on.
    client._runner.loop.call_soon_threadsafe(release.wait, 8)
    started = time.monotonic()
    try:
        with pytest.raises(errors.APITimeoutError, match="event loop is stalled"):
            lookup(client)
        took = time.monotonic() - started
    finally:
        release.set()
        client.close()
    assert took < 1 + 1.0 + 0.5  # deadline + the unanswered probe + a wait slice


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
