"""The JSON bodies of the webhook events the fake sends, shaped as Ding's webhook guide shows.

Pure functions: the state builds an event when an authentication is created or a message is
sent, and hands it to the outbox. The fake imports nothing from the client (not even
``ding.webhooks``), so tests can judge the client's parser against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

__all__ = ["CURRENCY", "attempt_event", "authentication_event", "format_event_time"]

CURRENCY = "EUR"


def format_event_time(moment: datetime) -> str:
    """As the guide's example has it: ``2023-05-09T12:09:31+0000`` (not RFC 3339)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _common(
    kind: str,
    event_id: str,
    auth_uuid: str,
    phone_number: str,
    price: float,
    now: datetime,
    request: Mapping[str, Any],
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": event_id,
        "auth_uuid": auth_uuid,
        "type": kind,
        "recipient_phone_number": phone_number,
        "price": {"amount": price, "currency": CURRENCY},
        "time": format_event_time(now),
    }
    if "correlation_id" in request:
        # The spec: "a unique, user-defined identifier that will be included in webhook events".
        event["correlation_id"] = request["correlation_id"]
    return event


def authentication_event(
    event_id: str,
    auth_uuid: str,
    phone_number: str,
    price: float,
    now: datetime,
    request: Mapping[str, Any],
) -> dict[str, Any]:
    """The event Ding sends when an authentication is created."""
    return _common("authentication", event_id, auth_uuid, phone_number, price, now, request)


def attempt_event(
    event_id: str,
    auth_uuid: str,
    phone_number: str,
    price: float,
    now: datetime,
    request: Mapping[str, Any],
    *,
    attempt_number: int,
    status: str,
) -> dict[str, Any]:
    """The event Ding sends when a message is sent (the first code, or a retry)."""
    event = _common("attempt", event_id, auth_uuid, phone_number, price, now, request)
    event.update(attempt_number=attempt_number, capability="text", status=status)
    if "sender_id" in request:
        event["sender_id"] = request["sender_id"]
    return event
