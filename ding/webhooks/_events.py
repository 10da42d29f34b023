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

import re
from datetime import datetime
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
    "masked",
]


class WebhookEventType(ValueEnum):
    """The ``type`` of the webhook events this version knows."""

    AUTHENTICATION = "authentication"
    """Sent when an authentication is created."""
    ATTEMPT = "attempt"
    """Sent when a message (the first code or a retry) is sent to the user."""


# Keys whose values are a credential (an OTP code, or a message that contains one).
_CODE_KEYS = frozenset({"code", "check_code", "otp", "content"})
# A value that looks like a phone number even under an innocent key ("+33xxxxxxxx" too).
_PHONE_LIKE = re.compile(r"\+[0-9][0-9xX .()-]{5,}")


def _mask_text(value: str) -> str:
    return mask_phone(value) if _PHONE_LIKE.fullmatch(value) else value


def masked(value: Any, key: str | None = None) -> Any:
    """A copy of JSON-like ``value`` with phone numbers and codes masked, for a ``repr``."""
    if isinstance(value, dict):
        return {k: masked(v, k if isinstance(k, str) else None) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(item, key) for item in value]
    if isinstance(value, str):
        if key is not None and "phone" in key.lower():
            return mask_phone(value)
        if key is not None and key.lower() in _CODE_KEYS:
            return "***"
        return _mask_text(value)
    return value


def _repr_phone(value: str | None) -> str:
    return repr(value if value is None else mask_phone(value))


def _repr_masked(value: Any) -> str:
    return repr(masked(value))


def _extra() -> Any:
    # Fields the event carried that this version does not know, exactly as received.
    return attrs.field(factory=dict, repr=_repr_masked)


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
    data: dict[str, Any] = attrs.field(factory=dict, repr=_repr_masked)
    """The whole decoded body."""


WebhookEvent = AuthenticationEvent | AttemptEvent | UnknownEvent
"""Whatever :func:`ding.webhooks.parse_event` returns."""
