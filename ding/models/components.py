"""Request and response models of the Ding API, named as in the spec and the official client.

Models are positional in the official client's field order, and building or changing one
never raises for a value: the call checks request fields before any I/O and refuses a bad
one with ``ding.models.errors.ValidationError``. Every model has ``to_dict`` / ``to_json`` /
``from_dict`` / ``from_json``. In response models every field is optional (the API may
leave one out), unknown fields are ignored, and an enum value the SDK does not know yet is
kept as a plain ``str`` (the API adds statuses over time); a value of the wrong JSON type
is never coerced but refused with ``ResponseValidationError``. Enums are ``str`` enums, so
``status == "valid"`` works.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from ._enum import ValueEnum
from ._fields import (
    bool_field,
    enum_field,
    ipv4_field,
    phone_field,
    str_field,
    url_field,
    uuid_field,
)
from ._lazy import LazyModels
from ._model import Model
from .errors import Code

# Models are built (attrs code generation) on first use, not at import: see ``_lazy``.
# Assigning a field stores the value as given, as with the official dataclasses (a
# ``uuid.UUID`` is then still sent as text). attrs' default would convert on assignment too,
# routing every field through a ``__setattr__`` hook, in the constructor as well: a third of
# the cost of building a request.
_models = LazyModels(__name__, on_setattr=attrs.setters.NO_OP)
if TYPE_CHECKING:
    from attrs import define as model
else:
    model = _models.define

__all__ = [
    "Attempt",
    "AttemptStatus",
    "AttemptType",
    "AuthenticationStatusResponse",
    "AuthenticationStatusResponseDeviceType",
    "AuthenticationStatusResponseSchemasEventsType",
    "AuthenticationStatusResponseSchemasStatus",
    "AuthenticationStatusResponseSchemasType",
    "AuthenticationStatusResponseStatus",
    "AuthenticationStatusResponseType",
    "BalanceUpdate",
    "BalanceUpdateType",
    "Capability",
    "Check",
    "CheckStatus",
    "CreateAuthenticationRequest",
    "CreateAuthenticationResponse",
    "CreateAuthenticationResponseStatus",
    "CreateCheckRequest",
    "CreateCheckResponse",
    "DeliveryStatus",
    "DeliveryStatusStatus",
    "DeviceType",
    "EventType",
    "Events",
    "FeedbackRequest",
    "FeedbackRequestStatus",
    "FeedbackResponse",
    "LineType",
    "LookupResponse",
    "RetryAuthenticationRequest",
    "RetryAuthenticationResponse",
    "RetryAuthenticationResponseStatus",
    "Signals",
    "SignalsDeviceType",
    "Status",
    "Type",
    "UnknownEvent",
]


# --- enums -------------------------------------------------------------------------------


class DeviceType(ValueEnum):
    """The type of device the user is using (request side)."""

    IOS = "IOS"
    ANDROID = "ANDROID"
    WEB = "WEB"


class SignalsDeviceType(ValueEnum):
    """The type of device the user was using, as reported back in the status signals."""

    ANDROID = "ANDROID"
    IOS = "IOS"
    IPADOS = "IPADOS"
    TVOS = "TVOS"
    WEB = "WEB"


class CreateAuthenticationResponseStatus(ValueEnum):
    """The status of the authentication.

    * ``pending`` - The OTP code is being sent.
    * ``rate_limited`` - This user is rate-limited and cannot receive another code.
    * ``spam_detected`` - This attempt is flagged as spam. Go to the dashboard for more details.
    """

    PENDING = "pending"
    RATE_LIMITED = "rate_limited"
    SPAM_DETECTED = "spam_detected"


class CheckStatus(ValueEnum):
    """The status of the check.

    * ``valid`` - The code is valid.
    * ``invalid`` - The code is invalid.
    * ``without_attempt`` - No attempt was sent yet, so a check cannot be completed.
    * ``rate_limited`` - The authentication was rate limited and cannot be checked.
    * ``already_validated`` - The authentication has already been validated.
    * ``expired_auth`` - The authentication has expired and cannot be checked.
    """

    UNKNOWN = "unknown"
    VALID = "valid"
    INVALID = "invalid"
    WITHOUT_ATTEMPT = "without_attempt"
    RATE_LIMITED = "rate_limited"
    ALREADY_VALIDATED = "already_validated"
    EXPIRED_AUTH = "expired_auth"


class FeedbackRequestStatus(ValueEnum):
    """The type of the feedback."""

    ONBOARDED = "onboarded"
    NOT_ONBOARDED = "not_onboarded"


class RetryAuthenticationResponseStatus(ValueEnum):
    """The status of the retry.

    * ``approved`` - The retry was approved and a new code was sent.
    * ``denied`` - The retry was denied.
    * ``no_attempt`` - No attempt was sent yet, so a retry cannot be completed.
    * ``rate_limited`` - The authentication was rate limited and cannot be retried.
    * ``expired_auth`` - The authentication has expired and cannot be retried.
    * ``already_validated`` - The authentication has already been validated.
    """

    APPROVED = "approved"
    DENIED = "denied"
    NO_ATTEMPT = "no_attempt"
    RATE_LIMITED = "rate_limited"
    EXPIRED_AUTH = "expired_auth"
    ALREADY_VALIDATED = "already_validated"


class LineType(ValueEnum):
    """The type of phone line."""

    CALLING_CARDS = "CallingCards"
    FIXED_LINE = "FixedLine"
    INTERNET_SERVICE_PROVIDER = "InternetServiceProvider"
    LOCAL_RATE = "LocalRate"
    MOBILE = "Mobile"
    OTHER = "Other"
    PAGER = "Pager"
    PAY_PHONE = "PayPhone"
    PREMIUM_RATE = "PremiumRate"
    SATELLITE = "Satellite"
    SERVICE = "Service"
    SHARED_COST = "SharedCost"
    SHORT_CODES_COMMERCIAL = "ShortCodesCommercial"
    TOLL_FREE = "TollFree"
    UNIVERSAL_ACCESS = "UniversalAccess"
    UNKNOWN = "Unknown"
    VPN = "VPN"
    VOICE_MAIL = "VoiceMail"
    VOIP = "Voip"


class EventType(ValueEnum):
    """The type of an authentication event (the discriminator of :data:`Events`)."""

    ATTEMPT = "attempt"
    CHECK = "check"
    DELIVERY_STATUS = "delivery_status"
    BALANCE_UPDATE = "balance_update"


class Capability(ValueEnum):
    """The channel an attempt was sent through."""

    RCS = "rcs"
    TEXT = "text"
    WHATSAPP = "whatsapp"
    VIBER = "viber"


class AttemptStatus(ValueEnum):
    """The status of an attempt."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    RATE_LIMITED = "rate_limited"
    EXPIRED = "expired"


class DeliveryStatusStatus(ValueEnum):
    """The status of the delivery.

    * ``unknown`` - The status of the delivery is unknown.
    * ``submitted`` - The message has been submitted to the carrier.
    * ``in_transit`` - The message is in transit to the recipient.
    * ``delivered`` - The message has been delivered to the recipient.
    * ``undeliverable`` - The message could not be delivered to the recipient.
    """

    UNKNOWN = "unknown"
    SUBMITTED = "submitted"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    UNDELIVERABLE = "undeliverable"


class BalanceUpdateType(ValueEnum):
    """What a balance update was for."""

    UNKNOWN = "unknown"
    AUTHENTICATION = "authentication"
    ATTEMPT = "attempt"
    ATTEMPT_PENDING = "attempt_pending"
    ATTEMPT_SUCCESS = "attempt_success"
    AUTHENTICATION_PENDING = "authentication_pending"
    AUTHENTICATION_SUCCESS = "authentication_success"


# Names the official client uses for the same enums, so imports written against it resolve.
# (The official client generates one enum class per place; here one class serves them all.)
AuthenticationStatusResponseDeviceType = SignalsDeviceType
AuthenticationStatusResponseStatus = AttemptStatus
AuthenticationStatusResponseSchemasStatus = DeliveryStatusStatus
AuthenticationStatusResponseType = EventType
AuthenticationStatusResponseSchemasType = EventType
AuthenticationStatusResponseSchemasEventsType = EventType
AttemptType = EventType
Type = EventType
Status = CreateAuthenticationResponseStatus


# --- requests ----------------------------------------------------------------------------


@model
class CreateAuthenticationRequest(Model):
    """Send a code: the phone number to send an OTP to, and optional fraud signals."""

    customer_uuid: str = uuid_field()
    """Your customer UUID, which can be found in the API settings in the dashboard."""
    phone_number: str = phone_field()
    """An E.164 formatted phone number to send the OTP to."""
    ip: str | None = ipv4_field()
    """The IP address of the user's device."""
    device_id: str | None = str_field()
    """Unique identifier for the user's device (``ANDROID_ID`` / ``identifierForVendor``)."""
    device_type: DeviceType | None = enum_field(DeviceType)
    """The type of device the user is using."""
    app_version: str | None = str_field()
    """The version of your application."""
    sender_id: str | None = str_field()
    """The Sender ID to use when sending the message."""
    callback_url: str | None = url_field()
    """A webhook URL to which delivery statuses will be sent."""
    app_realm: str | None = str_field()
    """The Android SMS Retriever API hash code that identifies your app."""
    os_version: str | None = str_field()
    """The version of the user's device operating system."""
    device_model: str | None = str_field()
    """The model of the user's device."""
    is_returning_user: bool | None = bool_field()
    """Whether the user is a returning user on your app (a trust signal)."""
    template_id: str | None = str_field()
    """The template id associated with the message content variant to be sent."""
    correlation_id: str | None = str_field()
    """A unique, user-defined identifier that will be included in webhook events."""
    locale: str | None = str_field()
    """A BCP-47 locale for the SMS, e.g. ``fr-FR``; defaults to the number's country."""


@model
class CreateCheckRequest(Model):
    """Check a code the user entered."""

    customer_uuid: str = uuid_field()
    """Your customer UUID, which can be found in the API settings in the dashboard."""
    authentication_uuid: str = uuid_field(auth=True)
    """The authentication UUID that was returned when you created the authentication."""
    check_code: str = str_field(required=True)
    """The code that the user entered."""


@model
class FeedbackRequest(Model):
    """Report whether the user finished onboarding."""

    customer_uuid: str = uuid_field()
    """Your customer UUID, which can be found in the API settings in the dashboard."""
    phone_number: str = phone_field()
    """An E.164 formatted phone number."""
    status: FeedbackRequestStatus = enum_field(
        FeedbackRequestStatus, required=True, code=Code.INVALID_FEEDBACK_STATUS
    )
    """The type of the feedback."""


@model
class RetryAuthenticationRequest(Model):
    """Ask for a new code when the user has not received one."""

    customer_uuid: str = uuid_field()
    """Your customer UUID, which can be found in the API settings in the dashboard."""
    authentication_uuid: str = uuid_field(auth=True)
    """The authentication UUID that was returned when you created the authentication."""


# --- responses ---------------------------------------------------------------------------


@model
class CreateAuthenticationResponse(Model):
    """A successful response to an authentication creation request."""

    authentication_uuid: str | None = None
    """A unique identifier for the authentication, for the /check and /retry endpoints."""
    status: CreateAuthenticationResponseStatus | str | None = None
    """The status of the authentication (see :class:`CreateAuthenticationResponseStatus`)."""
    created_at: datetime | None = None
    expires_at: datetime | None = None
    """The time at which the authentication expires and can no longer be checked or retried."""


@model
class CreateCheckResponse(Model):
    """The result of checking a code."""

    authentication_uuid: str | None = None
    """The UUID of the corresponding authentication."""
    status: CheckStatus | str | None = None
    """The status of the check (see :class:`CheckStatus`)."""


@model
class FeedbackResponse(Model):
    """The feedback that was recorded."""

    uuid: str | None = None
    """The UUID of the feedback."""


@model
class RetryAuthenticationResponse(Model):
    """The result of a retry."""

    authentication_uuid: str | None = None
    """The UUID of the corresponding authentication."""
    status: RetryAuthenticationResponseStatus | str | None = None
    """The status of the retry (see :class:`RetryAuthenticationResponseStatus`)."""
    created_at: datetime | None = None
    next_retry_at: datetime | None = None
    """The time at which the next retry will be available."""
    remaining_retry: int | None = None
    """The number of remaining retries."""


@model
class LookupResponse(Model):
    """Up-to-date metadata about a phone number."""

    phone_number: str | None = None
    """An E.164 formatted phone number."""
    mcc: str | None = None
    """The mobile country code of the phone number."""
    mnc: str | None = None
    """The mobile network code of the phone number."""
    caller_name: str | None = None
    """The CNAM (Caller ID Name); only when the ``cnam`` lookup type is requested and enabled."""
    carrier: str | None = None
    """The carrier of the phone number."""
    country_code: str | None = None
    """The ISO 3166-1 alpha-2 country code of the phone number."""
    number_ported: bool | None = None
    """Whether the phone number has been ported."""
    temporary_phone_number: bool | None = None
    """Whether the number is a known disposable, temporary phone number."""
    line_type: LineType | str | None = None
    """The type of phone line."""


@model
class Signals(Model):
    """Data points used to tell fraudulent from legitimate users."""

    ip: str | None = None
    device_id: str | None = None
    device_type: SignalsDeviceType | str | None = None
    app_version: str | None = None
    app_realm: str | None = None
    os_version: str | None = None
    device_model: str | None = None
    is_returning_user: bool | None = None


@model
class Attempt(Model):
    """An attempt to deliver a code."""

    id: str | None = None
    content: str | None = None
    sender_id: str | None = None
    capability: Capability | str | None = None
    attempt_number: int | None = None
    status: AttemptStatus | str | None = None
    type: EventType | str | None = EventType.ATTEMPT
    created_at: datetime | None = None


@model
class Check(Model):
    """A check of a code."""

    id: str | None = None
    code: str | None = None
    status: CheckStatus | str | None = None
    type: EventType | str | None = EventType.CHECK
    created_at: datetime | None = None


@model
class DeliveryStatus(Model):
    """A delivery report for an attempt."""

    status: DeliveryStatusStatus | str | None = None
    attempt_id: str | None = None
    attempt_number: int | None = None
    originated_at: datetime | None = None
    """The date and time from the provider."""
    type: EventType | str | None = EventType.DELIVERY_STATUS
    created_at: datetime | None = None


@model
class BalanceUpdate(Model):
    """A change of the account balance caused by the authentication."""

    balance_update_type: BalanceUpdateType | str | None = None
    amount: float | None = None
    type: EventType | str | None = EventType.BALANCE_UPDATE
    created_at: datetime | None = None


@model
class UnknownEvent(Model):
    """An event whose ``type`` this version of the SDK does not know; ``data`` holds it whole."""

    type: str | None = None
    data: dict[str, Any] = attrs.field(factory=dict)


Events = Attempt | Check | DeliveryStatus | BalanceUpdate | UnknownEvent
"""One event of an authentication, told apart by its ``type``."""


@model
class AuthenticationStatusResponse(Model):
    """The status of an authentication and everything that happened to it."""

    uuid: str | None = None
    """The UUID of the authentication."""
    phone_number: str | None = None
    template_id: str | None = None
    correlation_id: str | None = None
    created_at: datetime | None = None
    signals: Signals | None = None
    events: list[Events] | None = None


if not TYPE_CHECKING:
    __getattr__, __dir__ = _models.finish(globals())
