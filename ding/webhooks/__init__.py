"""Ding's webhook events: parse them, defend the endpoint, deduplicate them.

    from ding.webhooks import parse_event, CallbackToken, RecentEventIds

    event = parse_event(request_body, request_headers)   # AuthenticationEvent, AttemptEvent
                                                         # or UnknownEvent
Ding does not sign its webhooks. The defences are a secret token in the ``callback_url``
(:class:`CallbackToken`), confirmation through the API (:func:`confirm_event`), and
deduplication by event id (:class:`RecentEventIds`, or your own :class:`EventIdStore`).
Parsing is pure (no I/O); a body that is not an event raises
``ding.models.errors.WebhookError``.
"""

from ..models.errors import WebhookError
from ._confirm import Confirmation, confirm_event, confirm_event_sync
from ._dedup import AsyncEventIdStore, EventIdStore, RecentEventIds
from ._events import (
    AttemptEvent,
    AuthenticationEvent,
    Price,
    UnknownEvent,
    WebhookEvent,
    WebhookEventType,
)
from ._parse import parse_event, parse_event_time
from ._tokens import CallbackToken

__all__ = [
    "AsyncEventIdStore",
    "AttemptEvent",
    "AuthenticationEvent",
    "CallbackToken",
    "Confirmation",
    "EventIdStore",
    "Price",
    "RecentEventIds",
    "UnknownEvent",
    "WebhookError",
    "WebhookEvent",
    "WebhookEventType",
    "confirm_event",
    "confirm_event_sync",
    "parse_event",
    "parse_event_time",
]
