"""`FakeDing.reset()` leaves nothing of the work under way to reach the state after it: an answer
held by `delay_next` and the webhook deliveries still pending are abandoned, from the test's
thread (the fake on its own thread) and from the fake's own loop (the fake in an async test).
The pytest fixtures reuse one fake across tests on the strength of this."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import urllib.request

import aiohttp
import pytest

from ding.testing import FakeDing

from .conftest import API_KEY, CUSTOMER, RawApi

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# Nothing listens on the discard port: every delivery fails and is redelivered.
DEAD_END = "http://127.0.0.1:9/webhooks"
SCHEDULE = (0.05,) * 20


def _send(url: str, phone: str, timeout: float = 5.0, **fields: str) -> None:
    request = urllib.request.Request(
        url + "/authentication",
        data=json.dumps({"customer_uuid": CUSTOMER, "phone_number": phone, **fields}).encode(),
        headers={"x-api-key": API_KEY, "Content-Type": "application/json"},
    )
    _OPENER.open(request, timeout=timeout).read()


def test_reset_from_the_test_thread_abandons_held_answers_and_deliveries() -> None:
    with FakeDing.running(webhook_retry_schedule=SCHEDULE) as fake:
        _send(fake.url, "+14155550101", callback_url=DEAD_END)
        fake.delay_next(1, 0.3)
        held = threading.Thread(target=_send_held, args=(fake.url,))
        held.start()
        deadline = time.monotonic() + 5
        while len(fake.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fake.webhooks.pending == 2

        fake.reset()

        assert fake.webhooks.pending == 0
        held.join(5)
        time.sleep(0.5)  # past the held answer's end, and several redeliveries
        assert fake.authentications() == [], "the held request was handled after the reset"
        assert fake.webhook_deliveries == [], "deliveries went on after the reset"
        assert fake.webhooks.pending == 0
        # And the fake serves on as before.
        _send(fake.url, "+14155550103")
        assert len(fake.authentications()) == 1


@pytest.mark.asyncio
@pytest.mark.options(webhook_retry_schedule=SCHEDULE)
async def test_reset_on_the_fakes_own_loop_abandons_held_answers_and_deliveries(
    fake: FakeDing, api: RawApi
) -> None:
    await api.send(callback_url=DEAD_END)
    fake.delay_next(1, 0.3)
    held = asyncio.ensure_future(api.send("+14155550102"))
    for _ in range(500):  # at most 5 s for the request to reach the fake
        if len(fake.requests) == 2:
            break
        await asyncio.sleep(0.01)
    assert len(fake.requests) == 2

    fake.reset()

    assert fake.webhooks.pending == 0
    with pytest.raises(aiohttp.ClientError):
        await asyncio.wait_for(held, 5)
    await asyncio.sleep(0.5)
    assert fake.authentications() == []
    assert fake.webhook_deliveries == []
    await api.send()
    assert len(fake.authentications()) == 1


def _send_held(url: str) -> None:
    with contextlib.suppress(OSError):  # URLError too: the reset closed its connection
        _send(url, "+14155550102")
