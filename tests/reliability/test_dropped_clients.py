"""Issue 16 item 3: a client dropped without `close()` is freed by reference counting alone.

The official client's users make a client per request and never close it. Nothing may then
wait for the cyclic garbage collector: no reference cycle between a client, its resources,
its sessions, its transport and the tracebacks of the errors it raised. Run in a fresh
interpreter with `gc.disable()`: every dropped `Ding`'s thread ends and its sockets close
within a second, whether its call succeeded, got an API error or lost its connection, and
dropped `AsyncDing`s are as quiet as closed ones (no "Unclosed connector"). Before, 100
dropped clients left 100 threads and 500 file descriptors, and 20 dropped `AsyncDing`s whose
call failed printed 20 "Unclosed" reports when the collector finally ran.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator

import pytest

from ._actions import api_error, drop, reply
from ._probes import run_probe
from ._servers import ScriptServer

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/proc/self/fd"), reason="counts file descriptors in /proc/self/fd"
)

PROBE = """
import asyncio, gc, json, os, sys, threading, time, warnings
gc.disable()
warnings.simplefilter("always")
import ding
from ding.models import errors

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
URLS = sys.argv[1:]  # answering 200, 400 (the API's error), and dropping the connection

def fds():
    return len(os.listdir("/proc/self/fd"))

def settle(done, seconds=1.0, step=lambda: time.sleep(0.02)):
    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        step()
    return done()

report = {}
threads, files = threading.active_count(), fds()
late = 0
for i in range(100):
    client = ding.Ding(api_key="k", server_url=URLS[i % 3], max_retries=0)
    try:
        client.lookup.lookup("+14155550123", CUSTOMER)
    except errors.DingError:
        pass
    loop_thread = client._runner._thread
    del client  # the only reference: reference counting alone must free it
    loop_thread.join(1.0)
    late += loop_thread.is_alive()
settle(lambda: fds() <= files)
report["sync"] = {
    "threads alive 1 s after their client was dropped": late,
    "extra threads": threading.active_count() - threads,
    "extra fds": fds() - files,
}

reports = []
loop = asyncio.new_event_loop()
loop.set_exception_handler(lambda loop, context: reports.append(context.get("message", "")))
files = fds()

async def once(url):
    client = ding.AsyncDing(api_key="k", server_url=url, max_retries=0)
    try:
        await client.lookup.lookup("+14155550123", CUSTOMER)
    except errors.DingError:
        pass

for i in range(30):
    loop.run_until_complete(once(URLS[i % 3]))
# The dropped clients' sessions close in their loop: let it run (it would anyway).
settle(lambda: fds() <= files, step=lambda: loop.run_until_complete(asyncio.sleep(0.02)))
extra = fds() - files
gc.enable()
gc.collect()
loop.run_until_complete(asyncio.sleep(0.05))
report["async"] = {"extra fds": extra, "unclosed reports": [m for m in reports if m]}
loop.close()
print(json.dumps(report))
"""


@pytest.fixture
def servers() -> Iterator[list[ScriptServer]]:
    actions = [reply(), api_error(400, "bad_request"), drop()]
    started = [ScriptServer().start() for _ in actions]
    try:
        for server, action in zip(started, actions, strict=True):
            server.always(action)
        yield started
    finally:
        for server in started:
            server.close()


def test_dropped_clients_are_freed_without_the_cyclic_gc(servers: list[ScriptServer]) -> None:
    report, stderr = run_probe("-c", textwrap.dedent(PROBE), *(s.url for s in servers))
    assert report["sync"] == {
        "threads alive 1 s after their client was dropped": 0,
        "extra threads": 0,
        "extra fds": 0,
    }, report
    assert report["async"] == {"extra fds": 0, "unclosed reports": []}, report
    assert "nclosed" not in stderr, stderr[-3000:]
    assert sum(server.count() for server in servers) == 130
