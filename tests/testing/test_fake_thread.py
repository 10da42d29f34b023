"""The thread-backed fake: sync callers, async callers on another loop, many threads at once."""

from __future__ import annotations

import gc
import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
import pytest

from ding.testing import FakeDing, WebhookReceiver

from .conftest import API_KEY, CUSTOMER, PHONE

# No proxies: a developer's HTTP_PROXY must not capture loopback calls.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(url: str, path: str, body: Any = None, timeout: float = 5.0) -> tuple[int, Any]:
    request = urllib.request.Request(
        url + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"x-api-key": API_KEY, "Content-Type": "application/json"},
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def fake_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("FakeDing-")]


def test_sync_flow_against_the_thread_backed_fake() -> None:
    with FakeDing.running(code_length=4, seed=3) as fake:
        assert len(fake_threads()) == 1
        status, sent = call(
            fake.url, "/authentication", {"customer_uuid": CUSTOMER, "phone_number": PHONE}
        )
        assert (status, sent["status"]) == (200, "pending")
        code = fake.last_code(PHONE)
        assert len(code) == 4
        check = {"customer_uuid": CUSTOMER, "authentication_uuid": sent["authentication_uuid"]}
        assert call(fake.url, "/check", {**check, "check_code": code}) == (
            200,
            {"authentication_uuid": sent["authentication_uuid"], "status": "valid"},
        )
        fake.fail_next(1, 503)
        status, error = call(fake.url, "/check", {**check, "check_code": code})
        assert (status, error["code"]) == (503, "internal_server_error")
        url = fake.url
    assert fake_threads() == []
    with pytest.raises(RuntimeError):
        _ = fake.url
    with pytest.raises(urllib.error.URLError):
        call(url, "/check", {})  # nothing listens any more
    gc.collect()  # a leaked socket or transport would warn (and fail under -W error) here


def test_an_error_in_the_block_still_stops_the_server() -> None:
    with pytest.raises(ZeroDivisionError), FakeDing.running():
        _ = 1 / 0
    assert fake_threads() == []


def test_a_fake_serves_from_one_thread_at_a_time() -> None:
    fake = FakeDing()
    with (
        fake.serving_in_thread(),
        pytest.raises(RuntimeError, match="already running"),
        fake.serving_in_thread(),
    ):
        pass
    with fake.serving_in_thread():  # and can serve again afterwards
        assert call(fake.url, "/nowhere")[0] == 404


@pytest.mark.asyncio
async def test_a_fake_served_by_async_with_refuses_a_thread_and_keeps_serving() -> None:
    async with FakeDing() as fake:
        with pytest.raises(RuntimeError, match="already running"), fake.serving_in_thread():
            pass
        async with (
            aiohttp.ClientSession() as session,
            session.get(fake.url + "/nowhere", headers={"x-api-key": API_KEY}) as response,
        ):
            assert response.status == 404
    assert fake_threads() == []


def test_a_receiver_serves_from_one_thread_at_a_time() -> None:
    receiver = WebhookReceiver()
    with receiver.serving_in_thread():
        url = receiver.url
        with pytest.raises(RuntimeError, match="already running"), receiver.serving_in_thread():
            pass
        # Still serving, on the same port: the refused second thread closed nothing.
        assert receiver.url == url
        request = urllib.request.Request(url, data=b"{}", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            _OPENER.open(request, timeout=5)
        refused.value.close()
        assert refused.value.code == 400  # answered (not an event), not refused to connect
    assert not [t for t in threading.enumerate() if t.name.startswith("WebhookReceiver-")]


def test_leaving_with_a_request_stuck_in_a_delay_is_prompt() -> None:
    with FakeDing.running() as fake:
        fake.delay_next()
        caller = ThreadPoolExecutor(1)
        future = caller.submit(
            call, fake.url, "/authentication", {"customer_uuid": CUSTOMER, "phone_number": PHONE}
        )
        for _ in range(200):
            if fake.requests:
                break
            time.sleep(0.01)
        started = time.monotonic()
    assert time.monotonic() - started < 1
    with pytest.raises((urllib.error.URLError, ConnectionError)):  # closed or reset: OS timing
        future.result(timeout=5)
    caller.shutdown()
    assert fake.authentications() == []


def test_many_threads_at_once() -> None:
    numbers = [f"+1415555{n:04d}" for n in range(40)]
    with FakeDing.running() as fake, ThreadPoolExecutor(8) as pool:

        def send(number: str) -> tuple[int, Any]:
            body = {"customer_uuid": CUSTOMER, "phone_number": number}
            return call(fake.url, "/authentication", body)

        results = list(pool.map(send, numbers))
        assert {status for status, _ in results} == {200}
        # Inspection from this thread while the server thread keeps serving.
        codes = {fake.last_code(number) for number in numbers}
        assert all(len(code) == 6 for code in codes)
        assert len(fake.requests_to("create_authentication")) == len(numbers)
        assert len({sent["authentication_uuid"] for _, sent in results}) == len(numbers)


@pytest.mark.asyncio
async def test_an_async_test_can_use_the_thread_backed_fake() -> None:
    with FakeDing.running() as fake:
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                fake.url + "/authentication",
                json={"customer_uuid": CUSTOMER, "phone_number": PHONE},
                headers={"x-api-key": API_KEY},
            ) as response,
        ):
            assert response.status == 200
            auth_uuid = (await response.json())["authentication_uuid"]
        assert fake.code_for(auth_uuid) == fake.last_code(PHONE)


def test_stopping_cancels_what_is_still_pending_on_the_loop() -> None:
    """The fake and the sync client share one loop thread, whose teardown cancels leftovers."""
    import asyncio

    cleaned = threading.Event()

    async def lingering() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            cleaned.set()

    with FakeDing.running() as fake:
        assert fake._thread is not None
        loop = fake._thread.loop
        loop.call_soon_threadsafe(loop.create_task, lingering())
        time.sleep(0.05)
        started = time.monotonic()
    assert time.monotonic() - started < 2
    assert cleaned.is_set()
    assert fake_threads() == []
