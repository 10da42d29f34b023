"""The sync facade's promises (DESIGN §2): threads, running loops, fork, reentrancy,
cancellation and a clean shutdown however the client goes away."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import ding
from ding.models import errors
from ding.testing import FakeDing

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
PHONE = "+1234567890"


def test_many_threads_share_one_client(fake: FakeDing) -> None:
    with ding.Ding(api_key="k", server_url=fake.url) as s, ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda _: s.lookup.lookup(PHONE, CUSTOMER).status_code, range(200)))
    assert results == [200] * 200
    assert len(fake.requests_to("lookup")) == 200


def test_threads_run_concurrently_on_the_private_loop() -> None:
    # The server answers only once all eight requests are in flight at the same time, so
    # the calls succeed only if the facade really runs them concurrently (no timing involved).
    from aiohttp import web

    in_flight = 0
    all_there: asyncio.Event | None = None

    async def lookup(request: web.Request) -> web.Response:
        nonlocal in_flight, all_there
        if all_there is None:
            all_there = asyncio.Event()
        in_flight += 1
        if in_flight == 8:
            all_there.set()
        try:
            await asyncio.wait_for(all_there.wait(), timeout=10)
        except asyncio.TimeoutError:
            return web.json_response({"code": "bad_request", "message": "serialised"}, status=400)
        return web.json_response({"phone_number": PHONE})

    app = web.Application()
    app.router.add_get("/v1/lookup/{phone}", lookup)
    with (
        _serving(app) as url,
        ding.Ding(api_key="k", server_url=url) as s,
        ThreadPoolExecutor(8) as pool,
    ):
        results = list(pool.map(lambda _: s.lookup.lookup(PHONE, CUSTOMER).status_code, range(8)))
    assert results == [200] * 8


@contextlib.contextmanager
def _serving(app: Any) -> Iterator[str]:
    from aiohttp import web

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner = web.AppRunner(app)

    async def start() -> str:
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}/v1"

    try:
        yield asyncio.run_coroutine_threadsafe(start(), loop).result(10)
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def test_works_from_inside_a_running_event_loop(fake: FakeDing) -> None:
    s = ding.Ding(api_key="k", server_url=fake.url)

    async def legacy_code_called_from_async() -> int:
        return s.lookup.lookup(PHONE, CUSTOMER).status_code  # a blocking call, on purpose

    try:
        assert asyncio.run(legacy_code_called_from_async()) == 200
    finally:
        s.close()


def test_a_call_from_its_own_loop_thread_raises_instead_of_deadlocking(fake: FakeDing) -> None:
    with ding.Ding(api_key="k", server_url=fake.url) as s:
        outcome: list[BaseException] = []

        def callback() -> None:
            try:
                s.lookup.lookup(PHONE, CUSTOMER)
            except BaseException as exc:
                outcome.append(exc)

        s._runner.loop.call_soon_threadsafe(callback)
        deadline = time.monotonic() + 5
        while not outcome and time.monotonic() < deadline:
            time.sleep(0.01)
        assert outcome
        assert isinstance(outcome[0], errors.ReentrantCallError)
        assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200  # the loop is still fine


def test_keyboard_interrupt_cancels_the_request_on_the_private_loop(fake: FakeDing) -> None:
    fake.delay_next(1, 30)
    with ding.Ding(api_key="k", server_url=fake.url) as s:
        main = threading.get_ident()
        timer = threading.Timer(0.3, lambda: _interrupt(main))
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            s.lookup.lookup(PHONE, CUSTOMER)
        # The cancelled task is gone from the private loop.
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            pending = asyncio.run_coroutine_threadsafe(_count_tasks(), s._runner.loop).result()
            if pending == 1:  # only the counting task itself
                break
            time.sleep(0.02)
        assert pending == 1


def _interrupt(thread_id: int) -> None:
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(KeyboardInterrupt)
    )


async def _count_tasks() -> int:
    return len(asyncio.all_tasks())


def test_closed_client_refuses_calls(fake: FakeDing) -> None:
    s = ding.Ding(api_key="k", server_url=fake.url)
    s.close()
    s.close()  # idempotent
    with pytest.raises(errors.ClientClosedError):
        s.lookup.lookup(PHONE, CUSTOMER)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX-only")
def test_after_fork_the_child_gets_a_fresh_loop_and_the_parent_keeps_working(
    fake: FakeDing,
) -> None:
    s = ding.Ding(api_key="k", server_url=fake.url)
    try:
        assert s.lookup.lookup(PHONE, CUSTOMER).status_code == 200  # pooled connection exists
        read, write = os.pipe()
        with warnings.catch_warnings():
            # 3.12+ warns that forking a multi-threaded process may deadlock; that is the
            # situation under test.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # child
            code = 1
            try:
                code = 0 if s.lookup.lookup(PHONE, CUSTOMER).status_code == 200 else 1
            finally:
                os.write(write, bytes([code]))
                os._exit(code)
        os.close(write)
        _, status = os.waitpid(pid, 0)
        assert os.read(read, 1) == b"\x00"
        os.close(read)
        assert os.waitstatus_to_exitcode(status) == 0
        # The parent's pooled connection and selector were not disturbed by the child.
        for _ in range(3):
            assert s.lookup.lookup(PHONE, CUSTOMER, timeout=5).status_code == 200
    finally:
        s.close()


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error", "-X", "dev", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("ending", ["close", "with", "drop", "exit"])
def test_client_shutdown_leaves_no_warnings(fake: FakeDing, ending: str) -> None:
    code = f"""
        import gc, threading, ding
        before = threading.active_count()
        def use():
            s = ding.Ding(api_key="k", server_url={fake.url!r})
            s.lookup.lookup("+1234567890", "{CUSTOMER}")
            return s
        ending = {ending!r}
        if ending == "close":
            use().close()
        elif ending == "with":
            with use() as s:
                pass
        elif ending == "drop":
            use()
            gc.collect()
        else:
            keep = use()  # left for interpreter exit
        if ending != "exit":
            assert threading.active_count() == before, threading.enumerate()
        print("ok")
    """
    done = _run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    assert "Unclosed" not in done.stderr and "Warning" not in done.stderr, done.stderr


def test_async_client_dropped_under_asyncio_run_leaves_no_warnings(fake: FakeDing) -> None:
    code = f"""
        import asyncio, gc, ding
        async def main():
            client = ding.AsyncDing(api_key="k", server_url={fake.url!r})
            await client.lookup.lookup("+1234567890", "{CUSTOMER}")
        asyncio.run(main())
        asyncio.run(main())
        gc.collect()
        print("ok")
    """
    done = _run_python(code)
    assert done.returncode == 0, done.stderr
    assert "Unclosed" not in done.stderr and "Warning" not in done.stderr, done.stderr


def test_a_server_that_never_answers_gives_a_timeout_error() -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    try:
        with ding.Ding(api_key="k", server_url=url, timeout=0.3, max_retries=0) as s:
            started = time.monotonic()
            with pytest.raises(errors.APITimeoutError):
                s.lookup.lookup(PHONE, CUSTOMER)
            assert time.monotonic() - started < 3
            # create_authentication is not retried after a read timeout, even with retries on.
            with pytest.raises(errors.APITimeoutError) as info:
                s.otp.create_authentication(
                    {"customer_uuid": CUSTOMER, "phone_number": PHONE}, max_retries=3
                )
            assert info.value.attempts == 1
    finally:
        listener.close()


def test_a_client_held_only_through_a_bound_method_stays_open(fake: FakeDing) -> None:
    lookup = ding.Ding(api_key="k", server_url=fake.url).lookup.lookup
    import gc

    gc.collect()
    assert lookup(PHONE, CUSTOMER).status_code == 200
    assert (
        ding.Ding(api_key="k", server_url=fake.url).lookup.lookup(PHONE, CUSTOMER).status_code
        == 200
    )
