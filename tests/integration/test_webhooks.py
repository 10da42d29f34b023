"""Webhooks end to end: ding client -> FakeDing -> HTTP -> receiver -> parse_event, with a
failed first delivery redelivered under the same id; and confirmation through the API."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

import ding
from ding.models import errors
from ding.testing import FakeDing, WebhookReceiver
from ding.webhooks import (
    AttemptEvent,
    AuthenticationEvent,
    RecentEventIds,
    WebhookEvent,
    confirm_event,
    confirm_event_sync,
)

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
PHONE = "+14155550123"


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver.running() as started:
        yield started


@pytest.fixture
def client(fake: FakeDing) -> Iterator[ding.Ding]:
    with ding.Ding(api_key="k", server_url=fake.url) as shared:
        yield shared


def send(client: ding.Ding, callback_url: str, phone: str = PHONE) -> str:
    res = client.otp.create_authentication(
        {"customer_uuid": CUSTOMER, "phone_number": phone, "callback_url": callback_url}
    )
    assert res.create_authentication_response is not None
    return str(res.create_authentication_response.authentication_uuid)


def test_a_failed_first_delivery_is_redelivered_under_the_same_id(
    fake: FakeDing, client: ding.Ding, receiver: WebhookReceiver
) -> None:
    taken: list[WebhookEvent] = []
    seen = RecentEventIds()

    def handler(event: WebhookEvent) -> None:  # what a user's receiver does
        if seen.add(event.id):
            taken.append(event)

    receiver.handler = handler
    receiver.fail_next(1, status=500)
    auth_uuid = send(client, receiver.url)
    fake.webhooks.wait()

    # The attempt event goes out while the authentication event waits to be redelivered.
    first, attempt, again = receiver.received
    assert (first.status, attempt.status, again.status) == (500, 200, 200)
    assert isinstance(first.event, AuthenticationEvent)
    assert again.event == first.event, "the redelivery carries the same event"
    assert first.event.id == again.event.id
    assert isinstance(attempt.event, AttemptEvent)
    assert attempt.event.attempt_number == 1
    for event in (first.event, attempt.event):
        assert event.auth_uuid == auth_uuid
        assert event.recipient_phone_number == PHONE
        assert event.time is not None and event.time.utcoffset() is not None
        assert event.price is not None and event.price.currency == "EUR"

    # The failed one is not handled (the receiver answered 500 before the handler ran);
    # the redelivery is, once.
    assert [type(e) for e in taken] == [AttemptEvent, AuthenticationEvent]
    deliveries = fake.webhook_deliveries
    assert [(d.event_type, d.attempt, d.status) for d in deliveries] == [
        ("authentication", 1, 500),
        ("attempt", 1, 200),
        ("authentication", 2, 200),
    ]


def test_a_handler_that_raises_gets_the_event_again(
    fake: FakeDing, client: ding.Ding, receiver: WebhookReceiver
) -> None:
    calls: list[str] = []

    def flaky(event: WebhookEvent) -> None:
        calls.append(event.id)
        if len(calls) == 1:
            raise RuntimeError("database is down")

    receiver.handler = flaky
    send(client, receiver.url)
    fake.webhooks.wait()
    assert len(calls) == 3
    assert calls[0] == calls[2] != calls[1], "redelivered after the handler failed"
    assert receiver.received[0].status == 500
    assert "database is down" in str(receiver.received[0].error)


def test_a_duplicate_is_taken_once(
    fake: FakeDing, client: ding.Ding, receiver: WebhookReceiver
) -> None:
    seen = RecentEventIds()
    taken: list[str] = []
    receiver.handler = lambda event: taken.append(event.id) if seen.add(event.id) else None
    fake.webhooks.duplicate_next(2)
    fake.webhooks.fail_next(1, reached=True)
    send(client, receiver.url)
    fake.webhooks.wait()
    assert len(receiver.events) == 5  # 2 events, each sent again, one also redelivered
    assert sorted(taken) == sorted({e.id for e in receiver.events})


@pytest.mark.asyncio
async def test_end_to_end_on_one_event_loop() -> None:
    async with WebhookReceiver() as receiver, FakeDing() as fake:
        receiver.fail_next(1, status=503)
        async with ding.AsyncDing(api_key="k", server_url=fake.url) as client:
            res = await client.otp.create_authentication(
                {"customer_uuid": CUSTOMER, "phone_number": PHONE, "callback_url": receiver.url}
            )
        await fake.webhooks.wait_async()
        events = receiver.events
    assert res.create_authentication_response is not None
    assert [type(e).__name__ for e in events] == [
        "AuthenticationEvent",
        "AttemptEvent",
        "AuthenticationEvent",
    ]
    assert events[0].id == events[2].id


# -- confirmation through the API ----------------------------------------------------------


@pytest.fixture
def genuine(fake: FakeDing, client: ding.Ding, receiver: WebhookReceiver) -> list[WebhookEvent]:
    send(client, receiver.url)
    fake.webhooks.wait()
    return receiver.events


def test_genuine_events_are_confirmed(client: ding.Ding, genuine: list[WebhookEvent]) -> None:
    for event in genuine:
        confirmation = confirm_event_sync(event, client)
        assert confirmation, confirmation.reasons
        assert confirmation.status is not None and confirmation.status.uuid == event.auth_uuid


@pytest.mark.asyncio
async def test_genuine_events_are_confirmed_async(
    fake: FakeDing, genuine: list[WebhookEvent]
) -> None:
    async with ding.AsyncDing(api_key="k", server_url=fake.url) as client:
        for event in genuine:
            assert await confirm_event(event, client)


NOT_WHOLE = "recipient_phone_number is not a whole E.164 number"
DIFFERS = "recipient_phone_number differs from the authentication's"
# (name, what the forger changed, the exact reasons the confirmation gives)
FORGERIES: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    (
        "unknown authentication",
        {"auth_uuid": "3c8b3a46-881e-4cdd-93a6-f7f238bf020a"},
        ("the API does not know this authentication",),
    ),
    ("another phone", {"recipient_phone_number": "+14155550199"}, (DIFFERS,)),
    # A real auth_uuid with a wildcard number: "+xxxxxxxxxxx" was taken to match any number.
    ("masked phone", {"recipient_phone_number": "+xxxxxxxxxxx"}, (NOT_WHOLE,)),
    ("partly masked phone", {"recipient_phone_number": "+1415555xxxx"}, (NOT_WHOLE,)),
    ("phone prefix", {"recipient_phone_number": PHONE[:5]}, (DIFFERS,)),
    ("longer phone", {"recipient_phone_number": PHONE + "9"}, (DIFFERS,)),
    (
        "a correlation it never had",
        {"correlation_id": "order-victim"},
        ("correlation_id differs from the authentication's",),
    ),
    ("attempt never made", {"attempt_number": 7}, ("the authentication has no attempt 7",)),
]


@pytest.mark.parametrize(("name", "changes", "reasons"), FORGERIES, ids=[f[0] for f in FORGERIES])
def test_forged_events_are_not_confirmed(
    client: ding.Ding,
    genuine: list[WebhookEvent],
    name: str,
    changes: dict[str, Any],
    reasons: tuple[str, ...],
) -> None:
    attempt = next(e for e in genuine if isinstance(e, AttemptEvent))
    forged = attrs.evolve(attempt, **changes)
    confirmation = confirm_event_sync(forged, client)
    assert not confirmation
    assert confirmation.reasons == reasons


@pytest.mark.asyncio
@pytest.mark.parametrize(("name", "changes", "reasons"), FORGERIES, ids=[f[0] for f in FORGERIES])
async def test_forged_events_are_not_confirmed_async(
    fake: FakeDing,
    genuine: list[WebhookEvent],
    name: str,
    changes: dict[str, Any],
    reasons: tuple[str, ...],
) -> None:
    attempt = next(e for e in genuine if isinstance(e, AttemptEvent))
    async with ding.AsyncDing(api_key="k", server_url=fake.url) as client:
        confirmation = await confirm_event(attrs.evolve(attempt, **changes), client)
    assert not confirmation
    assert confirmation.reasons == reasons


@pytest.mark.asyncio
async def test_each_confirmation_refuses_the_other_style_of_client(
    fake: FakeDing, client: ding.Ding, genuine: list[WebhookEvent]
) -> None:
    async with ding.AsyncDing(api_key="k", server_url=fake.url) as async_client:
        with pytest.raises(errors.ValidationError, match=r"client: expected a ding\.Ding") as info:
            confirm_event_sync(genuine[0], async_client)  # type: ignore[arg-type]
        assert (info.value.field, info.value.got) == ("client", "AsyncDing")
    with pytest.raises(errors.ValidationError, match=r"client: expected a ding\.AsyncDing") as info:
        await confirm_event(genuine[0], client)  # type: ignore[arg-type]
    assert (info.value.field, info.value.got) == ("client", "Ding")


@pytest.mark.parametrize("auth_uuid", [None, "../../lookup/+14155550123", "not-a-uuid"])
def test_an_event_without_a_usable_auth_uuid_is_not_confirmed_and_not_sent(
    fake: FakeDing, client: ding.Ding, genuine: list[WebhookEvent], auth_uuid: str | None
) -> None:
    before = len(fake.requests)
    forged = attrs.evolve(genuine[0], auth_uuid=auth_uuid)
    confirmation = confirm_event_sync(forged, client)
    assert not confirmation
    assert confirmation.reasons == ("the event has no auth_uuid that is a UUID",)
    assert len(fake.requests) == before


def test_an_api_failure_raises_instead_of_deciding(
    fake: FakeDing, client: ding.Ding, genuine: list[WebhookEvent]
) -> None:
    fake.fail_next(10, 500)
    with pytest.raises(errors.SDKError):
        confirm_event_sync(genuine[0], client)


def test_receiving_from_many_threads_while_the_fake_delivers(
    fake: FakeDing, client: ding.Ding, receiver: WebhookReceiver
) -> None:
    seen = RecentEventIds(max_size=1000)
    lock = threading.Lock()
    taken: list[str] = []

    def handler(event: WebhookEvent) -> None:
        if seen.add(event.id):
            with lock:
                taken.append(event.id)

    receiver.handler = handler
    fake.webhooks.duplicate_next(10)
    threads = [
        threading.Thread(target=send, args=(client, receiver.url, f"+1415555{n:04d}"))
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    fake.webhooks.wait()
    assert len(taken) == 16 == len(set(taken))
