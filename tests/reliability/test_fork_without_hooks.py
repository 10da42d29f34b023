"""Forks that run no at-fork hook: uWSGI's preforking forks from C.

The `os.register_at_fork` counter stays 0 in such a child, so only the process id tells the
sync facade that its loop thread did not come along. These tests fork through `ctypes`
(libc's `fork()`, no Python hook runs) and run a real uWSGI master with two workers (with
and without `--threads`), with a client that made a call in the master before forking.
"""

from __future__ import annotations

import _thread
import os
import shutil
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ding
from ding.models import errors

from .._loopback import free_port
from ._app_servers import load_app_server
from ._fork import c_fork, in_child
from ._ops import API_KEY, CUSTOMER_UUID
from ._servers import ScriptServer

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")


def lookup(client: ding.Ding) -> int:
    status: int = client.lookup.lookup("+14155550123", CUSTOMER_UUID, deadline=5).status_code
    return status


def from_a_raw_thread(work: Callable[[], Any], timeout: float = 10) -> Any:
    """Run ``work`` on a thread started like uWSGI's (not through ``threading``)."""
    box: list[Any] = []
    lock = _thread.allocate_lock()
    lock.acquire()

    def run() -> None:
        try:
            box.append(("ok", work(), _thread.get_ident()))
        except BaseException as exc:
            box.append(("error", repr(exc), _thread.get_ident()))
        finally:
            lock.release()

    _thread.start_new_thread(run, ())
    if not lock.acquire(timeout=timeout):
        raise TimeoutError("the raw thread's call hung")
    return box[0]


def test_a_child_forked_from_c_starts_its_own_loop(server: ScriptServer) -> None:
    with ding.Ding(api_key=API_KEY, server_url=server.url) as client:
        assert lookup(client) == 200  # the parent's loop thread runs
        parent_loop_ident = client._runner._thread.ident if client._runner._thread else None
        parent_conn = server.requests[-1].connection

        def child() -> dict[str, Any]:
            statuses = [lookup(client), lookup(client)]
            # A thread made the way uWSGI makes its worker threads, which may get the dead
            # loop thread's ident: it must not be mistaken for the loop thread.
            raw = [from_a_raw_thread(lambda: lookup(client)) for _ in range(3)]
            client.close()
            after_close = "no error"
            try:
                lookup(client)
            except errors.ClientClosedError:
                after_close = "ClientClosedError"
            return {"statuses": statuses, "raw": raw, "after_close": after_close}

        report = in_child(child, fork=c_fork)
        assert report["statuses"] == [200, 200]
        assert [r[:2] for r in report["raw"]] == [["ok", 200]] * 3, report["raw"]
        assert report["after_close"] == "ClientClosedError"
        assert parent_loop_ident is not None
        # The parent is untouched: its pooled connection still works, and fast.
        started = time.monotonic()
        assert lookup(client) == 200
        assert time.monotonic() - started < 1.0
        assert server.requests[-1].connection == parent_conn


def test_an_async_client_in_a_child_forked_from_c(server: ScriptServer) -> None:
    import asyncio

    client = ding.AsyncDing(api_key=API_KEY, server_url=server.url)
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(client.lookup.lookup("+14155550123", CUSTOMER_UUID)).attempts
        parent_conn = server.requests[-1].connection

        def child() -> dict[str, Any]:
            async def use() -> int:
                status = (await client.lookup.lookup("+14155550123", CUSTOMER_UUID)).status_code
                await client.close()  # must abandon, never close, the parent's session
                return status

            return {"status": asyncio.run(use())}

        assert in_child(child, fork=c_fork)["status"] == 200
        env = loop.run_until_complete(client.lookup.lookup("+14155550123", CUSTOMER_UUID))
        assert env.status_code == 200
        assert server.requests[-1].connection == parent_conn
        loop.run_until_complete(client.close())
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


@pytest.mark.parametrize("fork", [c_fork, os.fork], ids=["c-fork", "os-fork"])
def test_an_async_client_on_a_loop_made_before_the_fork(
    server: ScriptServer, fork: Callable[[], int]
) -> None:
    """The child runs the very loop object the parent used (uWSGI forks from C after the app
    made its loop and its first call): the loop is the same, the process is not, so the
    session must not be: the server sees the child on a connection of its own."""
    import asyncio

    client = ding.AsyncDing(api_key=API_KEY, server_url=server.url)
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(client.lookup.lookup("+14155550123", CUSTOMER_UUID))
        parent_conn = server.requests[-1].connection

        def child() -> dict[str, Any]:
            call = client.lookup.lookup("+14155550123", CUSTOMER_UUID)
            status = loop.run_until_complete(asyncio.wait_for(call, 5)).status_code
            # The child shuts the loop down: the parent's session guard runs here too, and
            # must abandon that session (closing its socket would unregister it from the
            # epoll instance the two processes share).
            loop.run_until_complete(loop.shutdown_asyncgens())
            return {"status": status}

        assert in_child(child, fork=fork)["status"] == 200
        assert server.count() == 2 and server.accepted_connections == 2
        assert server.requests[-1].connection != parent_conn  # the child's own connection
        # The parent's session is untouched: its pooled connection still serves it, at once.
        call = client.lookup.lookup("+14155550123", CUSTOMER_UUID, timeout=2, max_retries=0)
        env = loop.run_until_complete(call)
        assert env.status_code == 200 and server.requests[-1].connection == parent_conn
        loop.run_until_complete(client.close())
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


# --- a real uWSGI ---------------------------------------------------------------------------

APP = """
import os
import ding

client = ding.Ding(api_key=os.environ["APP_KEY"], server_url=os.environ["APP_URL"], deadline=5)
# A call in the master, before uWSGI forks the workers from C (warm-up, health check...).
client.lookup.lookup("+14155550100", os.environ["APP_CUSTOMER"])


def application(environ, start_response):
    env = client.lookup.lookup("+14155550123", os.environ["APP_CUSTOMER"])
    body = ("%d %d" % (env.status_code, os.getpid())).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
"""


@pytest.mark.parametrize("threads", [None, 4], ids=["processes", "processes+threads"])
def test_uwsgi_preforked_workers_with_a_client_used_in_the_master(
    server: ScriptServer, tmp_path: Path, threads: int | None
) -> None:
    uwsgi = shutil.which("uwsgi", path=str(Path(sys.executable).parent))
    if uwsgi is None:
        pytest.skip("uwsgi is not installed (pip install uwsgi)")
    (tmp_path / "app.py").write_text(textwrap.dedent(APP))
    port = free_port()
    command = [uwsgi, "--master", "--processes", "2", "--http-socket", f"127.0.0.1:{port}"]
    command += ["--wsgi-file", str(tmp_path / "app.py"), "--need-app", "--die-on-term"]
    command += ["--virtualenv", sys.prefix, "--pythonpath", str(ROOT)]
    command += ["--harakiri", "20", "--disable-logging"]
    if threads:
        command += ["--threads", str(threads)]
    env = {
        **os.environ,
        "APP_KEY": API_KEY,
        "APP_URL": server.url,
        "APP_CUSTOMER": CUSTOMER_UUID,
        "PYTHONWARNINGS": "ignore",
    }
    results, log = load_app_server(
        command, cwd=tmp_path, env=env, port=port, count=48, parallel=6, timeout=8
    )
    ok = [r for r in results if isinstance(r, tuple) and r[1].startswith("200 ")]
    assert len(ok) == 48, (results[:5], log[-3000:])
    workers = {body.split()[1] for _, body in ok}
    assert len(workers) >= 1
    assert server.count() == 1 + 48  # the master's warm-up call, then one per request
