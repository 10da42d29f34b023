"""Type-checked (never run) use of ``ding.webhooks`` and the fake's webhooks: ``mypy --strict``
and pyright strict must accept what the Webhooks guide shows."""

from __future__ import annotations

from datetime import datetime

import ding
from ding.models import errors
from ding.testing import FakeDing, WebhookDelivery, WebhookReceiver
from ding.webhooks import (
    AsyncEventIdStore,
    AttemptEvent,
    AuthenticationEvent,
    CallbackToken,
    Confirmation,
    EventIdStore,
    RecentEventIds,
    UnknownEvent,
    WebhookEvent,
    confirm_event,
    confirm_event_sync,
    parse_event,
)


def receive(body: bytes, headers: dict[str, str], query_token: str | None) -> int:
    token = CallbackToken("a-secret-of-enough-length", previous=["an-older-secret-token"])
    if not token.verify(query_token):
        return 403
    try:
        event: WebhookEvent = parse_event(body, headers)
    except errors.WebhookError as exc:
        field: str | None = exc.field
        _ = field
        return 400
    store: EventIdStore = RecentEventIds(max_size=1000)
    if not store.add(event.id):
        return 200
    if isinstance(event, AttemptEvent):
        number: int | None = event.attempt_number
        _ = number
    elif isinstance(event, AuthenticationEvent):
        when: datetime | None = event.time
        amount: float | None = event.price.amount if event.price else None
        _ = (when, amount)
    else:
        unknown: UnknownEvent = event
        data: dict[str, object] = unknown.data
        _ = data
    return 200


def confirm(event: WebhookEvent, client: ding.Ding) -> bool:
    confirmation: Confirmation = confirm_event_sync(event, client)
    reasons: tuple[str, ...] = confirmation.reasons
    _ = reasons
    return bool(confirmation)


async def confirm_async(
    event: WebhookEvent, client: ding.AsyncDing, store: AsyncEventIdStore
) -> bool:
    if not await store.add(event.id):
        return False
    return (await confirm_event(event, client)).confirmed


def fake_deliveries() -> list[WebhookDelivery]:
    with (
        WebhookReceiver.running() as receiver,
        FakeDing.running(webhook_retry_schedule=(0.1, 1.0), webhook_hosts=None) as fake,
    ):
        fake.webhooks.fail_next(1, reached=True, event_type="attempt")
        fake.webhooks.reorder_next(2, hold=0.5)
        _url: str = receiver.url
        events: list[WebhookEvent] = receiver.wait_for(2, timeout=5)
        _ = events
        return fake.webhooks.wait(5)
