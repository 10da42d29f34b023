"""Confirmation through the API: believe an event only once Ding's own answer agrees with it.

Anyone who learns the ``callback_url`` can POST to it. Before acting on an event (marking a
number verified, billing a customer), read the authentication with your API key and check
that it exists and matches the event. :func:`confirm_event` does it with an ``AsyncDing``,
:func:`confirm_event_sync` with a ``Ding``; both share the judgement below.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import attrs

from ..models import components, errors
from ._events import AttemptEvent, WebhookEvent

if TYPE_CHECKING:
    from .._async_client import AsyncDing
    from .._sync_client import Ding

__all__ = ["Confirmation", "confirm_event", "confirm_event_sync"]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Clocks differ: an event stamped a little before the authentication's creation is fine.
_CLOCK_SKEW = timedelta(minutes=5)


@attrs.frozen
class Confirmation:
    """What the API says about an event. True (in an ``if``) when it is ``confirmed``."""

    confirmed: bool
    reasons: tuple[str, ...] = ()
    """Why it is not confirmed (empty when it is)."""
    status: components.AuthenticationStatusResponse | None = None
    """The authentication as the API reported it (None when it does not exist)."""

    def __bool__(self) -> bool:
        return self.confirmed


async def confirm_event(event: WebhookEvent, client: AsyncDing) -> Confirmation:
    """Read the event's authentication through ``client`` and check it matches the event.

    Not confirmed: no ``auth_uuid``, an authentication the API does not know (for your
    key), or one that disagrees with the event (phone number, correlation id, time, or an
    attempt number it never had). Other API failures (timeouts, 5xx) raise their
    ``DingError``: answer the webhook with a 5xx and Ding will redeliver it later.
    """
    auth_uuid = _auth_uuid(event)
    if auth_uuid is None:
        return _UNCONFIRMABLE
    try:
        res = await client.otp.get_authentication_status(auth_uuid=auth_uuid)
    except errors.ErrorResponse as exc:
        return _unknown(exc)
    return judge(event, res.authentication_status_response)


def confirm_event_sync(event: WebhookEvent, client: Ding) -> Confirmation:
    """:func:`confirm_event` with the sync client ``ding.Ding``."""
    auth_uuid = _auth_uuid(event)
    if auth_uuid is None:
        return _UNCONFIRMABLE
    try:
        res = client.otp.get_authentication_status(auth_uuid=auth_uuid)
    except errors.ErrorResponse as exc:
        return _unknown(exc)
    return judge(event, res.authentication_status_response)


_UNCONFIRMABLE = Confirmation(False, ("the event has no auth_uuid that is a UUID",))


def _auth_uuid(event: WebhookEvent) -> str | None:
    # A forged event's auth_uuid could be anything: never put it in a request unchecked.
    value = event.auth_uuid
    return value if isinstance(value, str) and _UUID.fullmatch(value) else None


def _unknown(exc: errors.ErrorResponse) -> Confirmation:
    if exc.status_code == 404 or exc.code == errors.Code.INVALID_AUTH_UUID:
        return Confirmation(False, ("the API does not know this authentication",))
    raise exc


def _same_number(claimed: str, actual: str) -> bool:
    # Documentation examples mask digits with "x" ("+33xxxxxxxx"): treat them as wildcards.
    return len(claimed) == len(actual) and all(
        c == a or c in "xX" for c, a in zip(claimed, actual, strict=True)
    )


def judge(
    event: WebhookEvent, status: components.AuthenticationStatusResponse | None
) -> Confirmation:
    """Compare an event with the authentication the API reported (pure, no I/O)."""
    if status is None:
        return Confirmation(False, ("the API answered without an authentication",))
    reasons: list[str] = []
    if status.uuid is not None and str(event.auth_uuid).lower() != status.uuid.lower():
        reasons.append("the API answered for another authentication")
    phone = getattr(event, "recipient_phone_number", None)
    if phone and status.phone_number and not _same_number(phone, status.phone_number):
        reasons.append("recipient_phone_number differs from the authentication's")
    correlation = getattr(event, "correlation_id", None)
    if correlation and status.correlation_id and correlation != status.correlation_id:
        reasons.append("correlation_id differs from the authentication's")
    moment = getattr(event, "time", None)
    if moment and status.created_at and moment < status.created_at - _CLOCK_SKEW:
        reasons.append("time is before the authentication was created")
    if isinstance(event, AttemptEvent) and event.attempt_number is not None:
        numbers = {
            e.attempt_number for e in status.events or () if isinstance(e, components.Attempt)
        }
        if event.attempt_number not in numbers:
            reasons.append(f"the authentication has no attempt {event.attempt_number}")
    return Confirmation(not reasons, tuple(reasons), status)
