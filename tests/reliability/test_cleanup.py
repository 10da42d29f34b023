"""Cleanup (DESIGN §2), checked the way a user would notice its absence: "Unclosed ..." on
stderr, file descriptors and threads that do not come back, and (with -W error) any
ResourceWarning or unraisable exception turning the test red.
"""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import ding

from ._ops import API_KEY, CHECK_REQUEST, FAST
from ._resources import live_threads, open_fds, settle
from ._servers import ScriptServer

ROOT = Path(__file__).resolve().parents[2]


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
