"""The webhook events Ding POSTs to a ``callback_url``, as attrs classes (data only).

Ding's webhook guide documents two event types: ``authentication`` (an authentication was
created) and ``attempt`` (a message was sent to the user). Every event carries ``id``,
``type``, ``auth_uuid``, ``recipient_phone_number``, ``price`` and ``time``; attempt events
also carry what the status endpoint reports about an attempt (``attempt_number``,
``capability``, ``status``, ``sender_id``) when Ding sends it. Fields this version does not
know are kept in ``extra``; an event type it does not know is an :class:`UnknownEvent`.

Phone numbers and codes never appear in a ``repr``: events end up in logs and error trackers.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from enum import Enum
from typing import Any

import attrs

from .._logging import mask_phone
from ..models._enum import ValueEnum
from ..models.components import AttemptStatus, Capability

__all__ = [
    "AttemptEvent",
    "AuthenticationEvent",
    "Price",
    "UnknownEvent",
    "WebhookEvent",
    "WebhookEventType",
    "event_json",
    "masked_repr",
]


class WebhookEventType(ValueEnum):
    """The ``type`` of the webhook events this version knows."""

    AUTHENTICATION = "authentication"
    """Sent when an authentication is created."""
    ATTEMPT = "attempt"
    """Sent when a message (the first code or a retry) is sent to the user."""


# Keys whose values are a credential (an OTP code, or a message that contains one).
_CODE_KEYS = frozenset({"code", "check_code", "otp", "content"})
# Text that looks like a phone number, even under an innocent key ("+33xxxxxxxx" too).
_PHONE_LIKE = re.compile(r"\+[0-9][0-9xX .()-]{5,}")
# A repr shows this much of a body: an event ends up in a log line, whatever its size.
_REPR_DEPTH = 3  # containers nested deeper show as {...} / [...]
_REPR_ITEMS = 8  # items shown per object or array
_REPR_TEXT = 60  # characters shown per string


def _masked_text(value: str, key: str | None) -> str:
    if key is not None and "phone" in key.lower():
        value = mask_phone(value)
    elif key is not None and key.lower() in _CODE_KEYS:
        return "'***'"
    else:
        value = _PHONE_LIKE.sub(lambda number: mask_phone(number.group()), value)
    if len(value) > _REPR_TEXT:
        return repr(value[:_REPR_TEXT]) + f"...({len(value)} characters)"
    return repr(value)


def masked_repr(value: Any, key: str | None = None, depth: int = _REPR_DEPTH) -> str:
    """A short repr of JSON-like ``value`` with phone numbers and codes masked. Nesting,
    items and text are cut to a few, so it never raises (a body nested a thousand deep) and
    never grows with the body."""
    if isinstance(value, dict):
        if depth == 0 and value:
            return "{...}"
        items = itertools.islice(value.items(), _REPR_ITEMS)
        parts = [f"{_key_repr(k)}: {masked_repr(v, _key(k), depth - 1)}" for k, v in items]
        return "{" + _joined(parts, len(value)) + "}"
    if isinstance(value, list):
        if depth == 0 and value:
            return "[...]"
        parts = [masked_repr(item, key, depth - 1) for item in value[:_REPR_ITEMS]]
        return "[" + _joined(parts, len(value)) + "]"
    if isinstance(value, str):
        return _masked_text(value, key)
    if value is None or isinstance(value, (bool, float)):
        return repr(value)
    if isinstance(value, int):  # repr of a huge int raises ValueError (int_max_str_digits)
        return repr(value) if value.bit_length() <= 64 else "<a large integer>"
    return f"<{type(value).__name__}>"


def _key(key: object) -> str | None:
    return key if isinstance(key, str) else None


def _key_repr(key: object) -> str:
    return _masked_text(key, None) if isinstance(key, str) else masked_repr(key, None, 0)


def _joined(parts: list[str], size: int) -> str:
    more = size - len(parts)
    return ", ".join([*parts, f"...({more} more)"] if more > 0 else parts)


def _repr_phone(value: str | None) -> str:
    return masked_repr(value, "phone")


def _extra() -> Any:
    # Fields the event carried that this version does not know, exactly as received.
    return attrs.field(factory=dict, repr=masked_repr)


@attrs.frozen(kw_only=True)
class Price:
    """What the event cost: ``amount`` (a number) in ``currency`` (ISO 4217, e.g. ``"EUR"``)."""

    amount: float | None = None
    currency: str | None = None
    extra: dict[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class AuthenticationEvent:
    """An authentication was created (and billed)."""

    id: str
    """Unique per event, and the same on every redelivery: deduplicate on it."""
    type: WebhookEventType = WebhookEventType.AUTHENTICATION
    auth_uuid: str | None = None
    """The authentication's uuid (``authentication_uuid`` in the API's answers)."""
    recipient_phone_number: str | None = attrs.field(default=None, repr=_repr_phone)
    price: Price | None = None
    time: datetime | None = None
    """When the event happened, timezone-aware."""
    correlation_id: str | None = None
    """The ``correlation_id`` given when the authentication was created, if any."""
    extra: dict[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class AttemptEvent:
    """A message carrying a code (the first one or a retry) was sent to the user."""

    id: str
    """Unique per event, and the same on every redelivery: deduplicate on it."""
    type: WebhookEventType = WebhookEventType.ATTEMPT
    auth_uuid: str | None = None
    recipient_phone_number: str | None = attrs.field(default=None, repr=_repr_phone)
    price: Price | None = None
    time: datetime | None = None
    correlation_id: str | None = None
    attempt_number: int | None = None
    """1 for the first code, 2 for the first retry, ..."""
    capability: Capability | str | None = None
    """The channel: ``text`` (SMS), ``whatsapp``, ``rcs``, ``viber``."""
    status: AttemptStatus | str | None = None
    sender_id: str | None = None
    extra: dict[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class UnknownEvent:
    """An event whose ``type`` this version does not know, kept whole in ``data``.

    Acknowledge it (answer 200) rather than refuse it: Ding adds event types over time, and
    a refused event is redelivered for two weeks.
    """

    id: str
    type: str
    auth_uuid: str | None = None
    """The ``auth_uuid`` of the body, when it has a string one."""
    data: dict[str, Any] = attrs.field(factory=dict, repr=masked_repr)
    """The whole decoded body."""


WebhookEvent = AuthenticationEvent | AttemptEvent | UnknownEvent
"""Whatever :func:`ding.webhooks.parse_event` returns."""


def event_json(event: WebhookEvent | Price) -> dict[str, Any]:
    """The JSON object of an event, which :func:`~ding.webhooks.parse_event` reads back: the
    known fields that are set, then ``extra`` as received; an unknown event's whole body."""
    if isinstance(event, UnknownEvent):
        return dict(event.data)
    out: dict[str, Any] = {}
    for field in attrs.fields(type(event)):
        value = getattr(event, field.name)
        if field.name == "extra" or value is None:
            continue
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Price):
            value = event_json(value)
        out[field.name] = value
    out.update(event.extra)
    return out
