"""The fake delivers webhook events: what it sends, redelivery under the same id, the schedule
and the clock, bounded attempts, injected faults, and a clean shutdown."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio

from ding.testing import FakeClock, FakeDing, WebhookReceiver

from .._loopback import free_port
from .conftest import PHONE, START, RawApi


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    async with WebhookReceiver() as started:
        yield started


def raw_events(receiver: WebhookReceiver) -> list[dict[str, Any]]:
    """What reached the receiver, as plain JSON: the fake judged by the bytes it sent."""
    return [json.loads(r.body) for r in receiver.received]


# -- what is sent --------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_creation_and_every_message_send_an_event(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver, clock: FakeClock
) -> None:
    sent = await api.send(callback_url=receiver.url, correlation_id="order-7", sender_id="ACME")
    auth = sent["authentication_uuid"]
    clock.advance(fake.settings.retry_interval)
    assert (await api.retry(auth))["status"] == "approved"
    deliveries = await fake.webhooks.wait_async()

    events = raw_events(receiver)
    assert [e["type"] for e in events] == ["authentication", "attempt", "attempt"]
    assert len({e["id"] for e in events}) == 3, "each event has its own id"
    for event in events:
        assert event["auth_uuid"] == auth
        assert event["recipient_phone_number"] == PHONE
        assert event["price"] == {"amount": fake.settings.attempt_price, "currency": "EUR"}
        assert event["correlation_id"] == "order-7"
    # The guide's time format, "+0000", at the fake's clock.
    assert events[0]["time"] == START.strftime("%Y-%m-%dT%H:%M:%S+0000")
    assert events[2]["time"] == (START + fake.settings.retry_interval).strftime(
        "%Y-%m-%dT%H:%M:%S+0000"
    )
    assert [e.get("attempt_number") for e in events] == [None, 1, 2]
    assert events[1]["capability"] == "text" and events[1]["status"] == "delivered"
    assert events[1]["sender_id"] == "ACME"

    assert [(d.event_type, d.attempt, d.status, d.acknowledged) for d in deliveries] == [
        ("authentication", 1, 200, True),
        ("attempt", 1, 200, True),
        ("attempt", 1, 200, True),
    ]
    assert all(d.url == receiver.url and d.fault is None for d in deliveries)
    assert fake.webhook_deliveries == deliveries
    assert fake.webhooks.deliveries_for(auth.upper()) == deliveries
    assert fake.webhooks.pending == 0


@pytest.mark.asyncio
async def test_without_a_callback_url_nothing_is_sent(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver
) -> None:
    await api.send()
    await fake.webhooks.wait_async()
    assert fake.webhook_deliveries == []
    assert receiver.received == []


@pytest.mark.asyncio
async def test_a_refused_number_sends_the_creation_event_only(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver
) -> None:
    from ding.testing import MagicNumbers

    sent = await api.send(MagicNumbers.SPAM_DETECTED, callback_url=receiver.url)
    assert sent["status"] == "spam_detected"
    await fake.webhooks.wait_async()
    assert [e["type"] for e in raw_events(receiver)] == ["authentication"]


@pytest.mark.asyncio
async def test_other_hosts_are_never_contacted(fake: FakeDing, api: RawApi) -> None:
    await api.send(callback_url="https://example.com/ding/webhook")
    deliveries = await fake.webhooks.wait_async()
    assert [d.event_type for d in deliveries] == ["authentication", "attempt"]
    for delivery in deliveries:
        assert (delivery.attempt, delivery.status) == (1, None)
        assert delivery.error is not None and "webhook_hosts" in delivery.error
        assert not delivery.acknowledged


# -- redelivery ---------------------------------------------------------------------------


def test_the_default_schedule_redelivers_within_a_second_and_is_bounded() -> None:
    fake = FakeDing()
    schedule = fake._webhooks.settings.retry_schedule
    assert 0 < schedule[0] <= 1.0
    assert fake._webhooks.settings.max_attempts == len(schedule) + 1 <= 10
    assert fake._webhooks.settings.real_time


@pytest.mark.asyncio
async def test_a_refused_delivery_comes_again_under_the_same_id(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver
) -> None:
    # The fixture's clock is frozen: redeliveries must still come (real time by default).
    receiver.fail_next(1, status=503)
    await api.send(callback_url=receiver.url)
    deliveries = await fake.webhooks.wait_async()
    first, *rest = [d for d in deliveries if d.event_type == "authentication"]
    assert (first.attempt, first.status, first.acknowledged) == (1, 503, False)
    assert [(d.attempt, d.status, d.acknowledged) for d in rest] == [(2, 200, True)]
    received = [r for r in receiver.received if r.event and r.event.type == "authentication"]
    assert [r.status for r in received] == [503, 200]
    assert received[0].event is not None and received[1].event is not None
    assert received[0].event.id == received[1].event.id == first.event_id
    assert received[0].body == received[1].body, "a redelivery is the same event"


@pytest.mark.asyncio
@pytest.mark.options(webhook_retry_schedule=(0.01, timedelta(milliseconds=10)))
async def test_a_receiver_that_is_down_gets_a_bounded_number_of_attempts(
    fake: FakeDing, api: RawApi
) -> None:
    url = f"http://127.0.0.1:{free_port()}/hook"
    await api.send(callback_url=url)
    deliveries = await fake.webhooks.wait_async()
    for kind in ("authentication", "attempt"):
        sends = [d for d in deliveries if d.event_type == kind]
        assert [d.attempt for d in sends] == [1, 2, 3]
        assert len({d.event_id for d in sends}) == 1
        assert all(d.status is None and d.error and not d.acknowledged for d in sends)
    assert fake.webhooks.pending == 0


@pytest.mark.asyncio
@pytest.mark.options(webhook_retry_schedule=(0.01, 0.01))
async def test_a_receiver_that_always_fails_is_given_up_on(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver
) -> None:
    receiver.fail_next(100)
    await api.send(callback_url=receiver.url)
    deliveries = await fake.webhooks.wait_async()
    assert sorted(d.attempt for d in deliveries) == [1, 1, 2, 2, 3, 3]
    assert len(receiver.received) == 6


@pytest.mark.asyncio
@pytest.mark.options(webhook_retry_schedule=(3600.0,), webhook_real_time=False)
async def test_redeliveries_follow_the_fakes_clock(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver, clock: FakeClock
) -> None:
    receiver.fail_next(1)
    await api.send(callback_url=receiver.url)
    await receiver.wait_for_async(2)
    await asyncio.sleep(0.2)
    assert fake.webhooks.pending == 1, "due in an hour of fake time: still waiting"
    clock.advance(3599)
    await asyncio.sleep(0.2)
    assert fake.webhooks.pending == 1
    clock.advance(1)
    deliveries = await fake.webhooks.wait_async(5)
    assert [d.attempt for d in deliveries if d.event_type == "authentication"] == [1, 2]
    assert deliveries[-1].sent_at == START + timedelta(hours=1)


@pytest.mark.asyncio
@pytest.mark.options(webhook_retry_schedule=(3600.0,))
async def test_advancing_the_clock_brings_a_redelivery_forward(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver, clock: FakeClock
) -> None:
    receiver.fail_next(1)
    await api.send(callback_url=receiver.url)
    await receiver.wait_for_async(2)
    clock.advance(timedelta(hours=2))
    await fake.webhooks.wait_async(5)
    assert len(receiver.events) == 3


@pytest.mark.asyncio
async def test_a_ticking_clock_drives_redeliveries_without_real_time(
    api: RawApi, receiver: WebhookReceiver
) -> None:
    clock = FakeClock.real()
    async with FakeDing(
        clock=clock, webhook_retry_schedule=(0.05,), webhook_real_time=False
    ) as fake:
        api.url = fake.url
        receiver.fail_next(1)
        await api.send(callback_url=receiver.url)
        await fake.webhooks.wait_async(5)
    assert len(receiver.events) == 3


# -- injected faults -----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_fail_without_reaching_the_receiver(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver
) -> None:
    fake.webhooks.fail_next(event_type="attempt")
    await api.send(callback_url=receiver.url)
    deliveries = await fake.webhooks.wait_async()
    attempt_sends = [d for d in deliveries if d.event_type == "attempt"]
    assert [(d.attempt, d.status, d.fault) for d in attempt_sends] == [
        (1, None, "fail"),
        (2, 200, None),
    ]
    assert [e["type"] for e in raw_events(receiver)] == ["authentication", "attempt"]


@pytest.mark.asyncio
async def test_fail_after_reaching_the_receiver_makes_a_real_duplicate(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver
) -> None:
    fake.webhooks.fail_next(reached=True, event_type="authentication")
    await api.send(callback_url=receiver.url)
    deliveries = await fake.webhooks.wait_async()
    auth_sends = [d for d in deliveries if d.event_type == "authentication"]
    assert [(d.attempt, d.status, d.fault, d.acknowledged) for d in auth_sends] == [
        (1, 200, "fail", False),
        (2, 200, None, True),
    ]
    ids = [e["id"] for e in raw_events(receiver) if e["type"] == "authentication"]
    assert len(ids) == 2 and ids[0] == ids[1]


@pytest.mark.asyncio
async def test_duplicate(fake: FakeDing, api: RawApi, receiver: WebhookReceiver) -> None:
    fake.webhooks.duplicate_next(event_type="attempt")
    await api.send(callback_url=receiver.url)
    deliveries = await fake.webhooks.wait_async()
    attempt_sends = [d for d in deliveries if d.event_type == "attempt"]
    assert [(d.attempt, d.fault, d.acknowledged) for d in attempt_sends] == [
        (1, None, True),
        (2, "duplicate", True),
    ]
    assert [e["type"] for e in raw_events(receiver)] == ["authentication", "attempt", "attempt"]
    assert len(receiver.unique_events) == 2


@pytest.mark.asyncio
async def test_delay_lets_later_events_overtake(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver
) -> None:
    fake.webhooks.delay_next(seconds=0.3, event_type="authentication")
    await api.send(callback_url=receiver.url)
    deliveries = await fake.webhooks.wait_async()
    assert [e["type"] for e in raw_events(receiver)] == ["attempt", "authentication"]
    assert [d.fault for d in deliveries if d.event_type == "authentication"] == ["delay"]


@pytest.mark.asyncio
async def test_reorder_sends_the_batch_newest_first(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver
) -> None:
    fake.webhooks.reorder_next(2)
    await api.send(callback_url=receiver.url)
    deliveries = await fake.webhooks.wait_async()
    assert [e["type"] for e in raw_events(receiver)] == ["attempt", "authentication"]
    assert {d.fault for d in deliveries} == {"reorder"}
    assert fake.webhooks.pending_faults == 0


@pytest.mark.asyncio
async def test_an_incomplete_reorder_batch_is_released_after_hold(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver
) -> None:
    fake.webhooks.reorder_next(5, hold=0.2)
    await api.send(callback_url=receiver.url)
    await fake.webhooks.wait_async()
    assert [e["type"] for e in raw_events(receiver)] == ["attempt", "authentication"]


@pytest.mark.asyncio
async def test_by_default_events_arrive_in_order(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver
) -> None:
    for _ in range(3):
        await api.send(callback_url=receiver.url)
    await fake.webhooks.wait_async()
    assert [e["type"] for e in raw_events(receiver)] == ["authentication", "attempt"] * 3


def test_fault_arguments_are_checked() -> None:
    fake = FakeDing()
    with pytest.raises(ValueError, match="event_type"):
        fake.webhooks.fail_next(event_type="check")
    with pytest.raises(ValueError, match="at least 1"):
        fake.webhooks.duplicate_next(0)
    with pytest.raises(ValueError, match="at least 2"):
        fake.webhooks.reorder_next(1)
    with pytest.raises(ValueError, match="negative"):
        fake.webhooks.delay_next(seconds=-1)
    with pytest.raises(ValueError, match="negative"):
        FakeDing(webhook_retry_schedule=(-1,))
    with pytest.raises(TypeError, match="collection"):
        FakeDing(webhook_hosts="localhost")


@pytest.mark.asyncio
async def test_reset_forgets_deliveries_and_their_faults(
    fake: FakeDing, api: RawApi, receiver: WebhookReceiver
) -> None:
    await api.send(callback_url=receiver.url)
    await fake.webhooks.wait_async()
    fake.webhooks.duplicate_next()
    fake.reset()
    assert fake.webhook_deliveries == []
    assert fake.webhooks.pending_faults == 0


@pytest.mark.asyncio
async def test_the_blocking_wait_refuses_to_run_on_the_fakes_loop(fake: FakeDing) -> None:
    with pytest.raises(RuntimeError, match="wait_async"):
        fake.webhooks.wait(1)
