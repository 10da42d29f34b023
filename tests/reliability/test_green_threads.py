"""gevent and eventlet, for real: a sync client made before monkey-patching, as
`gunicorn -k gevent --preload` does with the documented module-level client.

Each scenario runs in a fresh interpreter (monkey-patching cannot be undone) bounded by a
timeout, against a loopback server in this process. Before the fix, two concurrent first
calls froze the whole process: a real OS lock, made before patching, was held across a
cooperative wait.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from .._loopback import free_port
from ._app_servers import load_app_server
from ._ops import API_KEY, CUSTOMER_UUID
from ._servers import ScriptServer

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import asyncio, json, sys, time
LIBRARY, ORDER, URL, KEY, CUSTOMER = sys.argv[1:6]

def patch():
    if LIBRARY == "gevent":
        from gevent import monkey
        monkey.patch_all()
    else:
        import eventlet
        eventlet.monkey_patch()

if ORDER == "client-first":
    import ding
    client = ding.Ding(api_key=KEY, server_url=URL, deadline=10)
    patch()
else:
    patch()
    import ding
    client = ding.Ding(api_key=KEY, server_url=URL, deadline=10)

if LIBRARY == "gevent":
    import gevent
    def spawn_all(fn, n):
        greenlets = [gevent.spawn(fn, i) for i in range(n)]
        gevent.joinall(greenlets, raise_error=True)
        return [g.value for g in greenlets]
else:
    import eventlet
    def spawn_all(fn, n):
        pool = eventlet.GreenPool()
        threads = [pool.spawn(fn, i) for i in range(n)]
        return [t.wait() for t in threads]

def call(i):
    env = client.lookup.lookup("+1415555%04d" % i, CUSTOMER)
    return env.status_code

started = time.monotonic()
first = spawn_all(call, 2)        # two concurrent *first* calls: the freeze
more = spawn_all(call, 16)        # and many more, concurrently, on the running loop

# The private loop runs as a green thread; the other greenlets must not see it as their
# running asyncio loop (asyncio keeps it per OS thread, shared by all greenlets).
async def own_loop():
    return 7
seen = spawn_all(lambda i: asyncio.run(own_loop()), 1)

client.close()
closed = []
try:
    call(0)
except ding.models.errors.ClientClosedError:
    closed.append(True)
print(json.dumps({"first": first, "more": more, "seen": seen, "closed": closed,
                  "took": time.monotonic() - started}))
"""


def run_script(tmp_path: Path, *args: str, timeout: float = 60) -> dict[str, Any]:
    script = tmp_path / "green.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DING_LOG", None)
    try:
        done = subprocess.run(
            [sys.executable, "-W", "ignore", str(script), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=tmp_path,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the process froze (killed after {timeout}s): {exc.stderr!r}")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("order", ["client-first", "patch-first"])
@pytest.mark.parametrize("library", ["gevent", "eventlet"])
def test_concurrent_first_calls_under_green_threads(
    server: ScriptServer, tmp_path: Path, library: str, order: str
) -> None:
    pytest.importorskip(library)
    # A host name, so the resolver's executor runs under the patched threads too.
    url = server.url.replace("127.0.0.1", "localhost")
    result = run_script(tmp_path, library, order, url, API_KEY, CUSTOMER_UUID, timeout=60)
    assert result["first"] == [200, 200]
    assert result["more"] == [200] * 16
    assert result["seen"] == [7]
    assert result["closed"] == [True]
    assert server.count() == 18


# --- gunicorn -k gevent --preload ------------------------------------------------------------

APP = """
import os
import ding

# The documented module-level client, made in the master before the fork (--preload) and
# before the gevent worker monkey-patches anything.
client = ding.Ding(api_key=os.environ["APP_KEY"], server_url=os.environ["APP_URL"], deadline=10)


def app(environ, start_response):
    env = client.lookup.lookup("+14155550123", os.environ["APP_CUSTOMER"])
    body = str(env.status_code).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
"""


def test_gunicorn_gevent_preload_with_a_module_level_client(
    server: ScriptServer, tmp_path: Path
) -> None:
    pytest.importorskip("gevent")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed")
    (tmp_path / "app.py").write_text(textwrap.dedent(APP))
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp_path}",
        "APP_KEY": API_KEY,
        "APP_URL": server.url,
        "APP_CUSTOMER": CUSTOMER_UUID,
        "PYTHONWARNINGS": "ignore",
        "HOME": str(tmp_path),  # recent gunicorns make a control socket under ~
    }
    command = [str(gunicorn), "-k", "gevent", "--preload", "-w", "2", "--timeout", "20"]
    command += ["-b", f"127.0.0.1:{port}", "app:app"]
    results, log = load_app_server(
        command, cwd=tmp_path, env=env, port=port, count=24, parallel=6, timeout=8
    )
    assert results == [(200, "200")] * 24, log[-3000:]
    assert server.count() == 24
