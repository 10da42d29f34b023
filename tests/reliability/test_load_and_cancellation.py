"""Load and cancellation (DESIGN §2): a thousand concurrent calls on one pool, and cancelled
calls (a task, Ctrl-C in a sync call) that give their connections back.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import ding

from ._actions import hang, reply
from ._ops import API_KEY, CHECK_REQUEST, FAST, OPS
from ._servers import ScriptServer

# --- load ---------------------------------------------------------------------------------


# Load tests queue their calls behind one pool; the 2 s deadline of FAST would turn a slow
# (shared, loaded) CI machine into failures that say nothing about the client.
LOAD: dict[str, Any] = {**FAST, "deadline": 60}


def test_1000_concurrent_calls_on_one_async_client(server: ScriptServer) -> None:
    async def main() -> list[Any]:
        async with ding.AsyncDing(api_key=API_KEY, server_url=server.url, **LOAD) as client:
            calls = [OPS[i % len(OPS)].invoke(client) for i in range(1000)]
            return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(main())
    failures = [r for r in results if isinstance(r, BaseException)]
    assert not failures, failures[:3]
    assert all(r.attempts == 1 for r in results)
    assert server.count() == 1000
    # One pool: bounded by the default connection limit (100), and actually shared.
    assert 1 < server.accepted_connections <= 100


def test_32_threads_x_100_calls_on_one_sync_client(server: ScriptServer) -> None:
    barrier = threading.Barrier(32)

    with ding.Ding(api_key=API_KEY, server_url=server.url, **LOAD) as client:

        def worker(n: int) -> int:
            barrier.wait()  # start together so calls really overlap
            done = 0
            for i in range(100):
                env = OPS[(n + i) % len(OPS)].invoke(client)
                done += env.attempts == 1
            return done

        with ThreadPoolExecutor(32) as pool:
            counts = list(pool.map(worker, range(32)))
    assert counts == [100] * 32
    assert server.count() == 3200
    # Concurrent on one pool: more than one connection, never more than the limit.
    assert 1 < server.accepted_connections <= 100


# --- cancellation ---------------------------------------------------------------------------


def test_cancelled_tasks_release_their_connections(server: ScriptServer) -> None:
    """10 calls hang on a pool of 10; cancelling them must free the pool for the next call."""
    server.always(hang())

    async def main() -> Any:
        async with ding.AsyncDing(
            api_key=API_KEY, server_url=server.url, connection_limit=10, **FAST
        ) as client:
            tasks = [asyncio.ensure_future(client.otp.check(CHECK_REQUEST)) for _ in range(10)]
            for _ in range(500):
                if server.open_connections == 10 and server.count() == 10:
                    break
                await asyncio.sleep(0.01)
            assert server.count() == 10
            for task in tasks:
                task.cancel()
            results = await asyncio.gather(*tasks, return_exceptions=True)
            assert all(isinstance(r, asyncio.CancelledError) for r in results)
            # The client hung up on all of them (the server sees EOF)...
            for _ in range(300):
                if server.open_connections == 0:
                    break
                await asyncio.sleep(0.01)
            assert server.open_connections == 0
            # ...so the pool is free: with leaked slots this would wait for a connection.
            server.always(reply())
            return await client.otp.check(CHECK_REQUEST, timeout=2, max_retries=0)

    env = asyncio.run(main())
    assert env.attempts == 1


def test_ctrl_c_in_sync_call_cancels_the_request(server: ScriptServer) -> None:
    """KeyboardInterrupt while a sync call waits: the task on the private loop is cancelled."""
    server.always(hang())
    main_thread = threading.main_thread()
    assert threading.current_thread() is main_thread

    # Python's own Ctrl-C handler, whatever the test process inherited: a command started
    # in the background by a non-interactive shell (``nox &``) ignores SIGINT, and the call
    # would then rightly run to its deadline.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    reached = threading.Event()

    def interrupt() -> None:
        if server.wait_until(lambda: server.count() >= 1, 60):
            reached.set()
            signal.pthread_kill(main_thread.ident, signal.SIGINT)  # type: ignore[arg-type]

    with ding.Ding(api_key=API_KEY, server_url=server.url, **FAST) as client:
        killer = threading.Thread(target=interrupt)
        killer.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                client.otp.check(CHECK_REQUEST, timeout=60, deadline=60)
        finally:
            killer.join()
            signal.signal(signal.SIGINT, previous)
        assert reached.is_set(), "the request never reached the server"
        assert server.wait_until(lambda: server.open_connections == 0, 5), (
            "the cancelled request's connection stayed open"
        )
        server.always(reply())
        assert client.otp.check(CHECK_REQUEST, timeout=2).attempts == 1
