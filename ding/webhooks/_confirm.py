"""Confirmation through the API: believe an event only once Ding's own answer agrees with it.

Anyone who learns the ``callback_url`` can POST to it. Before acting on an event (marking a
number verified, billing a customer), read the authentication with your API key and check
that it exists and matches the event. :func:`confirm_event` does it with an ``AsyncDing``;
:func:`confirm_event_sync` runs the same coroutine for a ``Ding``, the way the sync client
runs every operation.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import attrs

from ..models import components, errors
from ..models._fields import E164_PATTERN, UUID_PATTERN
from ._events import AttemptEvent, WebhookEvent

if TYPE_CHECKING:
    from .._async_client import AsyncDing
    from .._resources import AsyncOtp
    from .._sync_client import Ding

__all__ = ["Confirmation", "confirm_event", "confirm_event_sync"]

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
    key), or one that disagrees with the event: a phone number or correlation id other than
    the API's (compared whole and exactly: a masked or partial number never matches), a time
    before its creation, or an attempt number it never had. Other API failures (timeouts,
    5xx) raise their ``DingError``: answer the webhook with a 5xx and Ding will redeliver it
    later.
    """
    from .._async_client import AsyncDing

    if not isinstance(client, AsyncDing):
        raise _wrong_client(client, "a ding.AsyncDing (with a ding.Ding, confirm_event_sync)")
    return await _confirm(client.otp, event)


def confirm_event_sync(event: WebhookEvent, client: Ding) -> Confirmation:
    """:func:`confirm_event` with the sync client ``ding.Ding``."""
    from .._sync_client import Ding

    if not isinstance(client, Ding):
        raise _wrong_client(client, "a ding.Ding (with a ding.AsyncDing, await confirm_event)")
    # The sync twin of _confirm, run as the client runs its operations: the same coroutine,
    # on the client's loop, waited for as long as its status call may take.
    otp = client.otp
    return otp._run(_confirm(otp._target, event), {})


async def _confirm(otp: AsyncOtp, event: WebhookEvent) -> Confirmation:
    # A forged event's auth_uuid could be anything: never put it in a request unchecked.
    auth_uuid = event.auth_uuid
    if not isinstance(auth_uuid, str) or UUID_PATTERN.fullmatch(auth_uuid) is None:
        return Confirmation(False, ("the event has no auth_uuid that is a UUID",))
    try:
        res = await otp.get_authentication_status(auth_uuid=auth_uuid)
    except errors.ErrorResponse as exc:
        if exc.status_code == 404 or exc.code == errors.Code.INVALID_AUTH_UUID:
            return Confirmation(False, ("the API does not know this authentication",))
        raise
    return judge(event, res.authentication_status_response)


def _wrong_client(client: object, expected: str) -> errors.ValidationError:
    return errors.ValidationError("client", expected, got=type(client).__name__)


def _whole_number(value: str) -> bool:
    return E164_PATTERN.fullmatch(value) is not None


def judge(
    event: WebhookEvent, status: components.AuthenticationStatusResponse | None
) -> Confirmation:
    """Compare an event with the authentication the API reported (pure, no I/O).

    What the event claims must be what the API says, exactly: a claim the API does not
    back (it reports another value, or none) is a disagreement."""
    if status is None:
        return Confirmation(False, ("the API answered without an authentication",))
    reasons: list[str] = []
    if status.uuid is not None and str(event.auth_uuid).lower() != status.uuid.lower():
        reasons.append("the API answered for another authentication")
    phone = getattr(event, "recipient_phone_number", None)
    if phone is not None and not _whole_number(phone):
        reasons.append("recipient_phone_number is not a whole E.164 number")
    elif phone is not None and phone != status.phone_number:
        reasons.append("recipient_phone_number differs from the authentication's")
    correlation = getattr(event, "correlation_id", None)
    if correlation is not None and correlation != status.correlation_id:
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
