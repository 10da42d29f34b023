"""The JSON bodies of the webhook events the fake sends, shaped as Ding's webhook guide shows.

Pure functions: the state builds an event when an authentication is created or a message is
sent, and hands it to the outbox. The fake imports nothing from the client (not even
``ding.webhooks``), so tests can judge the client's parser against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, Protocol

__all__ = ["CURRENCY", "Sender", "format_event_time", "webhook_event"]

CURRENCY = "EUR"


def format_event_time(moment: datetime) -> str:
    """As the guide's example has it: ``2023-05-09T12:09:31+0000`` (not RFC 3339)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


class Sender(Protocol):
    """What an event says about its authentication (the state's record of it)."""

    uuid: str
    phone_number: str
    request: Mapping[str, Any]
    attempts: int


def webhook_event(
    event_id: str, auth: Sender, price: float, now: datetime, attempt_status: str | None
) -> dict[str, Any]:
    """The ``authentication`` event Ding sends when an authentication is created, or, with
    `attempt_status`, the ``attempt`` event of the message just sent (the first code or a
    retry: ``auth.attempts`` counts them)."""
    kind = "authentication" if attempt_status is None else "attempt"
    event: dict[str, Any] = {
        "id": event_id,
        "auth_uuid": auth.uuid,
        "type": kind,
        "recipient_phone_number": auth.phone_number,
        "price": {"amount": price, "currency": CURRENCY},
        "time": format_event_time(now),
    }
    if "correlation_id" in auth.request:
        # The spec: "a unique, user-defined identifier that will be included in webhook events".
        event["correlation_id"] = auth.request["correlation_id"]
    if attempt_status is not None:
        event.update(attempt_number=auth.attempts, capability="text", status=attempt_status)
        if "sender_id" in auth.request:
            event["sender_id"] = auth.request["sender_id"]
    return event
