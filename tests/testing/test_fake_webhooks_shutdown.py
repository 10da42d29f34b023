"""The fake shuts down cleanly while webhook deliveries are pending, held or in flight:
no warning, no leaked socket, no hang (a real process run with warnings as errors)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from ding.testing import FakeDing, WebhookReceiver

from .conftest import RawApi

SHUTDOWN_SCRIPT = """
import asyncio, json, sys, time, urllib.request
from ding.testing import FakeDing, WebhookReceiver

async def slow(event):
    await asyncio.sleep(30)          # keeps a delivery in flight

def send(fake, url, phone):
    body = json.dumps({"customer_uuid": "c9f826e0-deca-41ec-871f-ecd6e8efeb46",
                       "phone_number": phone, "callback_url": url}).encode()
    request = urllib.request.Request(fake.url + "/authentication", data=body,
        headers={"x-api-key": "k", "Content-Type": "application/json"})
    urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=5).read()

started = time.monotonic()
with WebhookReceiver.running(slow) as in_flight, WebhookReceiver.running() as failing:
    failing.fail_next(1000)
    with FakeDing.running(webhook_retry_schedule=(60.0,) * 3) as fake:
        fake.webhooks.delay_next(1, seconds=60.0, event_type="attempt")
        fake.webhooks.reorder_next(3, hold=60.0)
        send(fake, in_flight.url, "+14155550100")    # held by the reorder batch
        send(fake, failing.url, "+14155550101")      # refused: waiting to be redelivered
        send(fake, in_flight.url, "+14155550102")    # in flight at the slow receiver
        failing.wait_for(1)
        time.sleep(0.3)
        assert fake.webhooks.pending > 0, fake.webhooks.pending
print("closed in", round(time.monotonic() - started, 1), file=sys.stdout)
"""


def test_shutdown_with_deliveries_pending_and_in_flight_is_clean() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", textwrap.dedent(SHUTDOWN_SCRIPT)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("closed in")


@pytest.mark.asyncio
async def test_closing_on_the_test_loop_with_a_delivery_in_flight(api: RawApi) -> None:
    async def slow(event: Any) -> None:
        await asyncio.sleep(30)

    async with WebhookReceiver(slow) as receiver:
        async with FakeDing() as fake:
            api.url = fake.url
            await api.send(callback_url=receiver.url)
            await asyncio.sleep(0.2)
            assert fake.webhooks.pending == 2
        assert fake.webhooks.pending == 0
        await fake.webhooks.wait_async(0.1)
