"""The events the status endpoint lists for an authentication, shaped as the spec's
``AuthenticationStatusResponse.events``: a ``check`` per check, and per message sent its
``attempt``, ``delivery_status`` and ``balance_update``.

Pure functions: the state draws the ids and decides the outcomes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._clock import format_timestamp

__all__ = ["check_event", "message_events"]


def check_event(event_id: str, code: str, status: str, now: datetime) -> dict[str, Any]:
    return {
        "type": "check",
        "id": event_id,
        "code": code,
        "status": status,
        "created_at": format_timestamp(now),
    }


def message_events(
    attempt_id: str,
    attempt_number: int,
    code: str,
    delivered: bool,
    sender_id: str | None,
    price: float,
    now: datetime,
) -> list[dict[str, Any]]:
    """The ``attempt`` of one message sent, then its ``delivery_status`` and what it cost."""
    timestamp = format_timestamp(now)
    attempt: dict[str, Any] = {
        "type": "attempt",
        "id": attempt_id,
        "content": f"Your verification code is {code}",
        "capability": "text",
        "attempt_number": attempt_number,
        "status": "delivered" if delivered else "failed",
        "created_at": timestamp,
    }
    if sender_id is not None:
        attempt["sender_id"] = sender_id
    delivery = {
        "type": "delivery_status",
        "attempt_id": attempt_id,
        "attempt_number": attempt_number,
        "status": "delivered" if delivered else "undeliverable",
        "originated_at": timestamp,
        "created_at": timestamp,
    }
    balance = {
        "type": "balance_update",
        "amount": -price,
        "balance_update_type": "attempt",
        "created_at": timestamp,
    }
    return [attempt, delivery, balance]
