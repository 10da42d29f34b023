"""A client nobody closes leaves the interpreter silently, on every supported Python.

Each scenario runs in a fresh interpreter with `-W error -X dev` (every warning an error,
ResourceWarnings on) and must exit 0 with nothing on stderr. A host name rather than an IP
makes the loop resolve it in its default executor's thread: on Python 3.12, shutting that
executor down at exit used to start a thread during interpreter shutdown (a traceback),
followed by unclosed loop and socket warnings. The nox `tests` session runs this on each
Python it covers (3.10 to 3.13).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ding.testing import FakeDing

ROOT = Path(__file__).resolve().parents[2]
CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"

SCENARIOS = {
    "sync-never-closed": """
        import ding
        client = ding.Ding(api_key="k", server_url=URL)
        assert client.lookup.lookup("+14155550100", CUSTOMER).status_code == 200
    """,
    "sync-module-global-and-a-dropped-one": """
        import ding
        client = ding.Ding(api_key="k", server_url=URL)
        client.lookup.lookup("+14155550100", CUSTOMER)
        ding.Ding(api_key="k", server_url=URL).lookup.lookup("+14155550100", CUSTOMER)
    """,
    "async-never-closed": """
        import asyncio, ding
        client = ding.AsyncDing(api_key="k", server_url=URL)
        async def main():
            return (await client.lookup.lookup("+14155550100", CUSTOMER)).status_code
        assert asyncio.run(main()) == 200
    """,
    "sync-first-call-in-an-atexit-hook": """
        import atexit, ding
        client = ding.Ding(api_key="k", server_url=URL)
        def at_exit():
            # Python 3.12+ refuses new threads this late, and every version refuses new
            # resolver threads: a DingError then (never a RuntimeError), or an answer.
            try:
                client.lookup.lookup("+14155550100", CUSTOMER)
            except ding.models.errors.DingError:
                pass
        atexit.register(at_exit)
    """,
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_exit_is_silent(scenario: str, tmp_path: Path) -> None:
    with FakeDing.running() as fake:
        url = fake.url.replace("127.0.0.1", "localhost")
        code = f"URL = {url!r}\nCUSTOMER = {CUSTOMER!r}\n" + textwrap.dedent(SCENARIOS[scenario])
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for name in ("DING_LOG", "DING_API_KEY", "DING_SERVER_URL", "PYTHONWARNINGS"):
            env.pop(name, None)
        done = subprocess.run(
            [sys.executable, "-W", "error", "-X", "dev", "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=tmp_path,
        )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
