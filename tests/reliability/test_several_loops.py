"""One AsyncDing used by several event loops at the same time.

Async views beside a background loop, `asyncio.run` per request under a threaded server:
each loop gets its own session (closed with its own loop), and no loop's switch closes
another's session mid-request. Before the fix, 190 of 200 calls failed this way.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from typing import Any

import ding
from ding.models import errors

from ._actions import reply, slow
from ._ops import API_KEY, CUSTOMER_UUID
from ._resources import open_fds
from ._servers import ScriptServer


def lookup(client: ding.AsyncDing) -> Any:
    return client.lookup.lookup("+14155550123", CUSTOMER_UUID)


def outcomes_of(client: ding.AsyncDing, loops: int, calls: int, batch: int) -> list[Any]:
    """`loops` threads, each running its own loop doing `calls` calls, `batch` at a time."""
    results: list[Any] = []
    lock = threading.Lock()
    start = threading.Barrier(loops)

    async def burst() -> list[Any]:
        mine: list[Any] = []
        for _ in range(calls // batch):
            done = await asyncio.gather(
                *(lookup(client) for _ in range(batch)), return_exceptions=True
            )
            mine += [r.status_code if not isinstance(r, BaseException) else r for r in done]
        return mine

    def thread() -> None:
        start.wait(10)
        mine = asyncio.run(burst())
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=thread, daemon=True) for _ in range(loops)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a loop's calls hung"
    return results


def test_two_loops_at_once_on_one_async_client(server: ScriptServer) -> None:
    # Answers take a little while, so both loops always have requests in flight together.
    server.always(slow(0.002, reply()))
    client = ding.AsyncDing(api_key=API_KEY, server_url=server.url)
    baseline = open_fds()
    results = outcomes_of(client, loops=2, calls=100, batch=10)
    failures = [r for r in results if r != 200]
    assert not failures, f"{len(failures)} of {len(results)} failed: {failures[:3]}"
    assert len(results) == 200
    # Each loop's shutdown closed its own session: nothing left open (the server's side of
    # each connection closes in its own thread, a moment later).
    gc.collect()
    assert server.wait_until(lambda: open_fds() <= baseline, timeout=5), (open_fds(), baseline)
    assert server.wait_until(lambda: server.open_connections == 0, timeout=5)


def test_asyncio_run_per_request_from_many_threads(server: ScriptServer) -> None:
    """The gthread pattern: each request runs `asyncio.run(...)` in a worker thread."""
    client = ding.AsyncDing(api_key=API_KEY, server_url=server.url)
    results: list[Any] = []
    lock = threading.Lock()

    async def one() -> Any:
        try:
            return (await lookup(client)).status_code
        except errors.DingError as exc:
            return exc

    def worker() -> None:
        for _ in range(10):
            outcome = asyncio.run(one())
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [200] * 80


def test_a_background_loop_keeps_its_session_while_others_come_and_go(
    server: ScriptServer,
) -> None:
    """A long-lived loop in a thread, and short `asyncio.run` loops in the main thread."""
    client = ding.AsyncDing(api_key=API_KEY, server_url=server.url)
    background = asyncio.new_event_loop()
    runner = threading.Thread(target=background.run_forever, daemon=True)
    runner.start()
    try:
        first = asyncio.run_coroutine_threadsafe(lookup(client), background).result(10)
        conn = server.requests[-1].connection
        for _ in range(3):
            assert asyncio.run(lookup(client)).status_code == 200
        again = asyncio.run_coroutine_threadsafe(lookup(client), background).result(10)
        assert (first.status_code, again.status_code) == (200, 200)
        # The background loop's session was never replaced: it reused its connection.
        assert server.requests[-1].connection == conn
        asyncio.run_coroutine_threadsafe(client.close(), background).result(10)
    finally:
        background.call_soon_threadsafe(background.stop)
        runner.join(10)
        background.run_until_complete(background.shutdown_asyncgens())
        background.close()
