"""Load, cancellation, event-loop changes, nested loops, re-entrancy and cleanup (DESIGN §2).

Cleanup is checked the way a user would notice its absence: "Unclosed ..." on stderr, file
descriptors and threads that do not come back, and (with -W error) any ResourceWarning or
unraisable exception turning the test red.
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

import ding
from ding.models import components, errors

from ._actions import hang, reply
from ._ops import API_KEY, AUTH_UUID, CUSTOMER_UUID, FAST, OPS
from ._servers import ScriptServer
from .conftest import live_threads, open_fds

ROOT = Path(__file__).resolve().parents[2]
CHECK_REQUEST = components.CreateCheckRequest(
    customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID, check_code="123456"
)


def settle(predicate: Any, timeout: float = 5.0) -> bool:
    """Poll until `predicate()` holds: closing sockets and joining threads is not instant."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        gc.collect()
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


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

    def interrupt() -> None:
        if server.wait_until(lambda: server.count() >= 1, 10):
            signal.pthread_kill(main_thread.ident, signal.SIGINT)  # type: ignore[arg-type]

    with ding.Ding(api_key=API_KEY, server_url=server.url, **FAST) as client:
        killer = threading.Thread(target=interrupt)
        killer.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                client.otp.check(CHECK_REQUEST, timeout=30, deadline=30)
        finally:
            killer.join()
        assert server.wait_until(lambda: server.open_connections == 0, 5), (
            "the cancelled request's connection stayed open"
        )
        server.always(reply())
        assert client.otp.check(CHECK_REQUEST, timeout=2).attempts == 1


# --- event loops ----------------------------------------------------------------------------


def test_one_async_client_under_two_event_loops(server: ScriptServer) -> None:
    """Created outside any loop (import time), used by asyncio.run twice, never closed."""
    client = ding.AsyncDing(api_key=API_KEY, server_url=server.url, **FAST)
    baseline = open_fds()
    for _ in range(3):
        env = asyncio.run(client.otp.check(CHECK_REQUEST))
        assert env.attempts == 1
        # Each loop's shutdown closed that loop's session and its sockets.
        assert settle(lambda: open_fds() <= baseline)
    assert server.count() == 3
    del client


def test_one_async_client_under_two_loops_with_close(server: ScriptServer) -> None:
    client = ding.AsyncDing(api_key=API_KEY, server_url=server.url, **FAST)

    async def use_and_close() -> None:
        await client.otp.check(CHECK_REQUEST)
        await client.close()

    asyncio.run(use_and_close())
    asyncio.run(use_and_close())
    assert server.count() == 2


def test_user_session_is_used_and_left_open(server: ScriptServer) -> None:
    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            async with ding.AsyncDing(
                api_key=API_KEY, server_url=server.url, session=session, **FAST
            ) as client:
                await client.otp.check(CHECK_REQUEST)
            assert not session.closed  # ding never closes a session it did not create
            async with session.get(server.url + "/check") as resp:
                assert resp.status == 200

    asyncio.run(main())


def test_sync_client_called_inside_a_running_loop(server: ScriptServer) -> None:
    """Jupyter / an async app calling legacy code: the caller's loop is never run by ding."""
    with ding.Ding(api_key=API_KEY, server_url=server.url, **FAST) as client:

        async def handler() -> Any:
            outer = asyncio.get_running_loop()
            env = client.otp.check(CHECK_REQUEST)
            assert asyncio.get_running_loop() is outer
            return env

        assert asyncio.run(handler()).attempts == 1
        # Many at once from tasks of one loop (each blocks that loop, but none deadlocks).

        async def several() -> list[Any]:
            return [client.lookup.lookup("+14155550123", CUSTOMER_UUID) for _ in range(5)]

        assert len(asyncio.run(several())) == 5


# Created at import time, before any event loop exists, like a module-level client in an app;
# the two tests below each run it under their own pytest-asyncio (function-scoped) loop.
IMPORT_TIME_CLIENT = ding.AsyncDing(api_key=API_KEY, server_url="http://127.0.0.1:9/v1", **FAST)


@pytest.mark.asyncio
@pytest.mark.parametrize("run", [1, 2])
async def test_import_time_async_client_under_pytest_asyncio_loops(
    server: ScriptServer, run: int
) -> None:
    env = await IMPORT_TIME_CLIENT.otp.check(CHECK_REQUEST, server_url=server.url)
    assert env.attempts == 1
    assert server.count() == 1


@pytest.mark.asyncio
async def test_sync_client_inside_pytest_asyncio_loop(server: ScriptServer) -> None:
    with ding.Ding(api_key=API_KEY, server_url=server.url, **FAST) as client:
        assert client.otp.check(CHECK_REQUEST).attempts == 1


@pytest.mark.asyncio
async def test_async_client_in_pytest_asyncio_loop(server: ScriptServer) -> None:
    async with ding.AsyncDing(api_key=API_KEY, server_url=server.url, **FAST) as client:
        env = await client.otp.check(CHECK_REQUEST)
    assert env.attempts == 1


def test_reentrant_call_from_the_loop_thread_raises(server: ScriptServer) -> None:
    """A callback running on the facade's own loop calls the facade: refused, not deadlocked."""
    seen: list[BaseException] = []
    holder: dict[str, ding.Ding] = {}

    async def on_request_start(*_: Any) -> None:
        try:
            holder["client"].otp.check(CHECK_REQUEST)
        except BaseException as exc:
            seen.append(exc)

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)
    with ding.Ding(api_key=API_KEY, server_url=server.url, trace_configs=[trace], **FAST) as c:
        holder["client"] = c
        result: list[Any] = []
        caller = threading.Thread(target=lambda: result.append(c.otp.check(CHECK_REQUEST)))
        caller.start()
        caller.join(10)
        assert not caller.is_alive(), "deadlocked"
    assert len(seen) == 1 and isinstance(seen[0], errors.ReentrantCallError), seen
    assert isinstance(seen[0], errors.DingError)
    assert result and result[0].attempts == 1


def test_closed_sync_client_refuses_calls(server: ScriptServer) -> None:
    client = ding.Ding(api_key=API_KEY, server_url=server.url, **FAST)
    client.otp.check(CHECK_REQUEST)
    client.close()
    client.close()  # idempotent
    with pytest.raises(errors.ClientClosedError):
        client.otp.check(CHECK_REQUEST)


# --- many clients, dropped ------------------------------------------------------------------


def test_many_clients_dropped_return_fds_and_threads(server: ScriptServer) -> None:
    gc.collect()
    fds, threads = open_fds(), live_threads()

    def use_sync() -> None:
        client = ding.Ding(api_key=API_KEY, server_url=server.url, **FAST)
        client.otp.check(CHECK_REQUEST)  # dropped without close()

    async def use_async() -> None:
        client = ding.AsyncDing(api_key=API_KEY, server_url=server.url, **FAST)
        await client.otp.check(CHECK_REQUEST)  # dropped without close()

    for _ in range(25):
        use_sync()
        asyncio.run(use_async())
        ding.Ding(api_key=API_KEY, server_url=server.url)  # never used at all
    assert settle(lambda: live_threads() <= threads), (live_threads(), threads)
    assert settle(lambda: open_fds() <= fds), (open_fds(), fds)
    assert server.wait_until(lambda: server.open_connections == 0)
    assert server.count() == 50


# Each scenario runs in a fresh interpreter: what it prints at GC and at exit is the point.
SCENARIOS = {
    "sync-never-closed-at-exit": """
        client = ding.Ding(api_key=KEY, server_url=URL)
        client.otp.check(REQ)
    """,
    "sync-dropped-then-gc": """
        for _ in range(20):
            client = ding.Ding(api_key=KEY, server_url=URL)
            client.otp.check(REQ)
            del client
            gc.collect()
    """,
    "sync-unused": """
        clients = [ding.Ding(api_key=KEY, server_url=URL) for _ in range(10)]
    """,
    "sync-closed-then-exit": """
        with ding.Ding(api_key=KEY, server_url=URL) as client:
            client.otp.check(REQ)
    """,
    "sync-module-level-used-inside-asyncio-run": """
        client = ding.Ding(api_key=KEY, server_url=URL)
        async def main():
            return client.otp.check(REQ)
        asyncio.run(main())
    """,
    "sync-from-threads-never-closed": """
        client = ding.Ding(api_key=KEY, server_url=URL)
        threads = [threading.Thread(target=client.otp.check, args=(REQ,)) for _ in range(8)]
        [t.start() for t in threads]; [t.join() for t in threads]
    """,
    "async-never-closed-asyncio-run-twice": """
        client = ding.AsyncDing(api_key=KEY, server_url=URL)
        asyncio.run(client.otp.check(REQ))
        asyncio.run(client.otp.check(REQ))
    """,
    "async-dropped-inside-loop": """
        async def main():
            for _ in range(10):
                client = ding.AsyncDing(api_key=KEY, server_url=URL)
                await client.otp.check(REQ)
                del client
                gc.collect()
        asyncio.run(main())
        gc.collect()
    """,
    "async-context-manager": """
        async def main():
            async with ding.AsyncDing(api_key=KEY, server_url=URL) as client:
                await client.otp.check(REQ)
        asyncio.run(main())
    """,
}


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


PRELUDE = """
import asyncio, gc, sys, threading, warnings
import ding
from ding.models import components
KEY, URL = sys.argv[1], sys.argv[2]
REQ = components.CreateCheckRequest(
    customer_uuid="c9f826e0-deca-41ec-871f-ecd6e8efeb46",
    authentication_uuid="5f6ae5a1-8b3e-4b59-a5d6-0c0f6a7a1f0e", check_code="123456")
"""


@pytest.fixture(scope="module")
def exit_runs() -> Any:
    """Start every scenario at once (interpreter start-up dominates; two cores overlap it)."""
    with ScriptServer() as srv:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("DING_LOG", None)
        env.pop("PYTHONWARNINGS", None)
        procs = {
            name: subprocess.Popen(
                # -W always: every warning (ResourceWarning included) is printed, once each.
                [
                    sys.executable,
                    "-W",
                    "always",
                    "-c",
                    PRELUDE + textwrap.dedent(code),
                    API_KEY,
                    srv.url,
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for name, code in SCENARIOS.items()
        }
        try:
            results = {}
            for name, proc in procs.items():
                out, err = proc.communicate(timeout=60)
                results[name] = Finished(proc.returncode, out, err)
            yield results
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_no_unclosed_warnings_at_gc_or_exit(exit_runs: Any, scenario: str) -> None:
    run = exit_runs[scenario]
    stderr = run.stderr
    assert run.returncode == 0, stderr
    assert "nclosed" not in stderr, stderr
    assert stderr == "", stderr
