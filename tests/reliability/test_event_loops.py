"""Event-loop changes, nested loops and re-entrancy (DESIGN §2): one async client under several
`asyncio.run` loops and pytest-asyncio's, the sync client inside a running loop, a call from
the facade's own loop thread, and a closed client.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import aiohttp
import pytest

import ding
from ding.models import errors

from ._ops import API_KEY, CHECK_REQUEST, CUSTOMER_UUID, FAST
from ._resources import open_fds, settle
from ._servers import ScriptServer

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


def _session_of_another_loop() -> tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]:
    other = asyncio.new_event_loop()

    async def make() -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    return other, other.run_until_complete(make())


@pytest.mark.parametrize("style", ["sync", "async"])
def test_a_session_of_another_loop_is_named_as_the_cause(server: ScriptServer, style: str) -> None:
    """aiohttp only says "Timeout context manager should be used inside a task"."""
    other, session = _session_of_another_loop()
    options: dict[str, Any] = {**FAST, "api_key": API_KEY, "server_url": server.url}

    def call() -> None:
        if style == "sync":  # a factory that hands out a session made elsewhere
            with ding.Ding(session_factory=lambda: session, **options) as sync_client:
                sync_client.otp.check(CHECK_REQUEST)
            return

        async def main() -> None:
            client = ding.AsyncDing(session=session, **options)
            await client.otp.check(CHECK_REQUEST)

        asyncio.run(main())

    try:
        with pytest.raises(errors.APIConnectionError) as info:
            call()
        assert "session belongs to another event loop" in str(info.value), str(info.value)
        assert info.value.attempts == 1 and server.count() == 0  # never retried
    finally:
        other.run_until_complete(session.close())
        other.close()


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
