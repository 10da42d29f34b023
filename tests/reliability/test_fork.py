"""os.fork() with a client in use (DESIGN §2, trap 1).

The child shares the parent's epoll instance: if it closed or unregistered an inherited
socket, the parent's pooled connection would silently stop being watched and the parent's next
request on it would hang. So each test makes the parent hold a pooled connection, forks, lets
the child use the inherited client (which must build a fresh loop and session), and then
checks that the parent's next request goes out *on the same pooled connection* and completes
well within a short timeout.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

import pytest

import ding

from ._fork import in_child
from ._ops import API_KEY, CHECK_REQUEST, CUSTOMER_UUID
from ._servers import ScriptServer

pytestmark = [
    # Python 3.12+ warns when forking a process that has threads (ours: the facade's loop
    # and the server). Forking with threads is exactly the situation under test.
    pytest.mark.filterwarnings(
        "ignore:.*use of fork\\(\\) may lead to deadlocks:DeprecationWarning"
    ),
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
]

# Short enough that a hung pooled request fails the test fast, long enough for loopback.
OPTIONS: dict[str, Any] = {"timeout": 3, "max_retries": 0}


@pytest.mark.parametrize("child_closes", [False, True], ids=["child-exits", "child-closes"])
def test_fork_sync_client(server: ScriptServer, child_closes: bool) -> None:
    with ding.Ding(api_key=API_KEY, server_url=server.url, **OPTIONS) as client:
        client.otp.check(CHECK_REQUEST)  # the parent now holds one pooled keep-alive connection
        parent_conn = server.requests[-1].connection

        def child() -> dict[str, Any]:
            envs = [
                client.otp.check(CHECK_REQUEST),
                client.lookup.lookup("+14155550123", CUSTOMER_UUID),
            ]
            if child_closes:
                client.close()  # must abandon, not close, what it inherited
            return {"pid": os.getpid(), "attempts": [e.attempts for e in envs]}

        report = in_child(child)
        assert report["attempts"] == [1, 1]
        assert report["pid"] != os.getpid()
        child_conns = {r.connection for r in server.requests[1:3]}
        assert parent_conn not in child_conns  # the child built its own session

        started = time.monotonic()
        env = client.otp.check(CHECK_REQUEST)
        assert env.attempts == 1
        assert time.monotonic() - started < 1.0
        assert server.requests[-1].connection == parent_conn, "parent did not reuse its pool"
        # And many more on it, from the parent's loop, still fine.
        for _ in range(5):
            client.otp.check(CHECK_REQUEST)
    assert server.count() == 3 + 1 + 5


def test_fork_sync_client_child_forks_again(server: ScriptServer) -> None:
    """A grandchild (fork generation 2) works too, and no generation disturbs the others."""
    with ding.Ding(api_key=API_KEY, server_url=server.url, **OPTIONS) as client:
        client.otp.check(CHECK_REQUEST)

        def child() -> dict[str, Any]:
            client.otp.check(CHECK_REQUEST)
            grandchild = in_child(lambda: {"attempts": client.otp.check(CHECK_REQUEST).attempts})
            return {
                "grandchild": grandchild["attempts"],
                "again": client.otp.check(CHECK_REQUEST).attempts,
            }

        report = in_child(child)
        assert report["grandchild"] == 1 and report["again"] == 1
        assert client.otp.check(CHECK_REQUEST).attempts == 1
    assert server.count() == 5


def test_fork_async_client(server: ScriptServer) -> None:
    """AsyncDing whose session lives in a loop the parent keeps using after the fork."""
    client = ding.AsyncDing(api_key=API_KEY, server_url=server.url, **OPTIONS)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(client.otp.check(CHECK_REQUEST))
        parent_conn = server.requests[-1].connection

        def child() -> dict[str, Any]:
            async def use() -> int:
                env = await client.otp.check(CHECK_REQUEST)
                await client.close()
                return env.attempts

            return {"attempts": asyncio.run(use())}

        report = in_child(child)
        assert report["attempts"] == 1

        env = loop.run_until_complete(client.otp.check(CHECK_REQUEST))
        assert env.attempts == 1
        assert server.requests[-1].connection == parent_conn
        loop.run_until_complete(client.close())
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
    assert server.count() == 3


def test_fork_before_first_use(server: ScriptServer) -> None:
    """A client built in the parent and first used only in the child (pre-fork import)."""
    with ding.Ding(api_key=API_KEY, server_url=server.url, **OPTIONS) as client:
        report = in_child(lambda: {"attempts": client.otp.check(CHECK_REQUEST).attempts})
        assert report["attempts"] == 1
        assert client.otp.check(CHECK_REQUEST).attempts == 1
    assert server.count() == 2
