"""Request and response models of the Ding API, named as in the spec and the official client.

Models are positional in the official client's field order, and building or changing one
never raises for a value: the call checks request fields before any I/O and refuses a bad
one with ``ding.models.errors.ValidationError``. Every model has ``to_dict`` / ``to_json`` /
``from_dict`` / ``from_json``. In response models every field is optional (the API may
leave one out), unknown fields are ignored, and an enum value the SDK does not know yet is
kept as a plain ``str`` (the API adds statuses over time); a value of the wrong JSON type
is never coerced but refused with ``ResponseValidationError``. Enums are ``str`` enums, so
``status == "valid"`` works.

The ``repr`` of a model masks personal data and secrets (phone numbers as ``'+33*******78'``;
codes, message texts, caller names, IP addresses and device ids as ``'***'``), so a
debugger, an error tracker or a log of a model never shows them; ``to_dict`` / ``to_json``
give the real values.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from ._enum import ValueEnum
from ._fields import (
    AUTH_UUID,
    BOOL,
    IPV4,
    PHONE,
    TEXT,
    URL,
    UUID,
    WHOLE_OBJECT,
    keys_only,
    masked,
    masked_phone,
    one_of,
    uuid_text,
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

    from ._enum import ValueEnum as LazyValueEnum
else:
    model = _models.define
    # Enums too (8M instructions of a fresh process for all 12), but those a declaration
    # below uses at import (a rule, a default), which are plain ``ValueEnum``s.
    LazyValueEnum = _models.enum_base(ValueEnum)

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


class SignalsDeviceType(LazyValueEnum):
    """The type of device the user was using, as reported back in the status signals."""

    ANDROID = "ANDROID"
    IOS = "IOS"
    IPADOS = "IPADOS"
    TVOS = "TVOS"
    WEB = "WEB"


class CreateAuthenticationResponseStatus(LazyValueEnum):
    """The status of the authentication."""

    PENDING = "pending"
    """The OTP code is being sent."""
    RATE_LIMITED = "rate_limited"
    """This user is rate-limited and cannot receive another code."""
    SPAM_DETECTED = "spam_detected"
    """This attempt is flagged as spam. Go to the dashboard for more details."""


class CheckStatus(LazyValueEnum):
    """The status of the check."""

    UNKNOWN = "unknown"
    VALID = "valid"
    """The code is valid."""
    INVALID = "invalid"
    """The code is invalid."""
    WITHOUT_ATTEMPT = "without_attempt"
    """No attempt was sent yet, so a check cannot be completed."""
    RATE_LIMITED = "rate_limited"
    """The authentication was rate limited and cannot be checked."""
    ALREADY_VALIDATED = "already_validated"
    """The authentication has already been validated."""
    EXPIRED_AUTH = "expired_auth"
    """The authentication has expired and cannot be checked."""


class FeedbackRequestStatus(ValueEnum):
    """The type of the feedback."""

    ONBOARDED = "onboarded"
    """The user finished onboarding."""
    NOT_ONBOARDED = "not_onboarded"
    """The user did not finish onboarding."""


class RetryAuthenticationResponseStatus(LazyValueEnum):
    """The status of the retry."""

    APPROVED = "approved"
    """The retry was approved and a new code was sent."""
    DENIED = "denied"
    """The retry was denied."""
    NO_ATTEMPT = "no_attempt"
    """No attempt was sent yet, so a retry cannot be completed."""
    RATE_LIMITED = "rate_limited"
    """The authentication was rate limited and cannot be retried."""
    EXPIRED_AUTH = "expired_auth"
    """The authentication has expired and cannot be retried."""
    ALREADY_VALIDATED = "already_validated"
    """The authentication has already been validated."""


class LineType(LazyValueEnum):
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
    """An :class:`Attempt`: a code was sent."""
    CHECK = "check"
    """A :class:`Check`: a code was checked."""
    DELIVERY_STATUS = "delivery_status"
    """A :class:`DeliveryStatus`: a delivery report for an attempt."""
    BALANCE_UPDATE = "balance_update"
    """A :class:`BalanceUpdate`: the account balance changed."""


class Capability(LazyValueEnum):
    """The channel an attempt was sent through."""

    RCS = "rcs"
    """RCS (Rich Communication Services)."""
    TEXT = "text"
    """SMS."""
    WHATSAPP = "whatsapp"
    """WhatsApp."""
    VIBER = "viber"
    """Viber."""


class AttemptStatus(LazyValueEnum):
    """The status of an attempt."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    RATE_LIMITED = "rate_limited"
    EXPIRED = "expired"


class DeliveryStatusStatus(LazyValueEnum):
    """The status of the delivery."""

    UNKNOWN = "unknown"
    """The status of the delivery is unknown."""
    SUBMITTED = "submitted"
    """The message has been submitted to the carrier."""
    IN_TRANSIT = "in_transit"
    """The message is in transit to the recipient."""
    DELIVERED = "delivered"
    """The message has been delivered to the recipient."""
    UNDELIVERABLE = "undeliverable"
    """The message could not be delivered to the recipient."""


class BalanceUpdateType(LazyValueEnum):
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
# Fields are declared with ``attrs.field`` so that type checkers know which are required
# (those without a default); the metadata holds the rule the call checks (see ``_fields``).


@model
class CreateAuthenticationRequest(Model):
    """Send a code: the phone number to send an OTP to, and optional fraud signals."""

    customer_uuid: str = attrs.field(converter=uuid_text, metadata=UUID)
    """Your customer UUID, which can be found in the API settings in the dashboard."""
    phone_number: str = attrs.field(metadata=PHONE, repr=masked_phone)
    """An E.164 formatted phone number to send the OTP to."""
    ip: str | None = attrs.field(default=None, metadata=IPV4, repr=masked)
    """The IP address of the user's device."""
    device_id: str | None = attrs.field(default=None, metadata=TEXT, repr=masked)
    """Unique identifier for the user's device. For Android, this corresponds to the
    ``ANDROID_ID`` and for iOS, this corresponds to the ``identifierForVendor``."""
    device_type: DeviceType | None = attrs.field(default=None, metadata=one_of(DeviceType))
    """The type of device the user is using."""
    app_version: str | None = attrs.field(default=None, metadata=TEXT)
    """The version of your application."""
    sender_id: str | None = attrs.field(default=None, metadata=TEXT)
    """The Sender ID to use when sending the message."""
    callback_url: str | None = attrs.field(default=None, metadata=URL)
    """A webhook URL to which delivery statuses will be sent."""
    app_realm: str | None = attrs.field(default=None, metadata=TEXT)
    """The Android SMS Retriever API hash code that identifies your app. This allows you to
    automatically retrieve and fill the OTP code on Android devices."""
    os_version: str | None = attrs.field(default=None, metadata=TEXT)
    """The version of the user's device operating system."""
    device_model: str | None = attrs.field(default=None, metadata=TEXT)
    """The model of the user's device."""
    is_returning_user: bool | None = attrs.field(default=None, metadata=BOOL)
    """Whether the user is a returning user on your app (a trust signal)."""
    template_id: str | None = attrs.field(default=None, metadata=TEXT)
    """The template id associated with the message content variant to be sent."""
    correlation_id: str | None = attrs.field(default=None, metadata=TEXT)
    """A unique, user-defined identifier that will be included in webhook events."""
    locale: str | None = attrs.field(default=None, metadata=TEXT)
    """A BCP-47 locale for the SMS; when absent the language follows the phone number's country
    code; unsupported languages fall back to en-US. For example ``fr-FR``."""


@model
class CreateCheckRequest(Model):
    """Check a code the user entered."""

    customer_uuid: str = attrs.field(converter=uuid_text, metadata=UUID)
    """Your customer UUID, which can be found in the API settings in the dashboard."""
    authentication_uuid: str = attrs.field(converter=uuid_text, metadata=AUTH_UUID)
    """The authentication UUID that was returned when you created the authentication."""
    check_code: str = attrs.field(metadata=TEXT, repr=masked)
    """The code that the user entered."""


@model
class FeedbackRequest(Model):
    """Report whether the user finished onboarding."""

    customer_uuid: str = attrs.field(converter=uuid_text, metadata=UUID)
    """Your customer UUID, which can be found in the API settings in the dashboard."""
    phone_number: str = attrs.field(metadata=PHONE, repr=masked_phone)
    """An E.164 formatted phone number."""
    status: FeedbackRequestStatus = attrs.field(
        metadata=one_of(FeedbackRequestStatus, Code.INVALID_FEEDBACK_STATUS)
    )
    """The type of the feedback: whether the user finished onboarding."""


@model
class RetryAuthenticationRequest(Model):
    """Ask for a new code when the user has not received one."""

    customer_uuid: str = attrs.field(converter=uuid_text, metadata=UUID)
    """Your customer UUID, which can be found in the API settings in the dashboard."""
    authentication_uuid: str = attrs.field(converter=uuid_text, metadata=AUTH_UUID)
    """The authentication UUID that was returned when you created the authentication."""


# --- responses ---------------------------------------------------------------------------
# Every field is optional: the API may leave one out, and ding does not invent one.


@model
class CreateAuthenticationResponse(Model):
    """A successful response to an authentication creation request."""

    authentication_uuid: str | None = None
    """A unique identifier for the authentication that you can use on the /check and /retry
    endpoints."""
    status: CreateAuthenticationResponseStatus | str | None = None
    """The status of the authentication (see :class:`CreateAuthenticationResponseStatus`)."""
    created_at: datetime | None = None
    """When the authentication was created."""
    expires_at: datetime | None = None
    """The time at which the authentication expires and can no longer be checked or retried."""


@model
class CreateCheckResponse(Model):
    """The result of checking a code."""

    authentication_uuid: str | None = None
    """The UUID of the corresponding authentication."""
    status: CheckStatus | str | None = None
    """The status of the check (see :class:`CheckStatus`): ``valid`` when the code matches."""


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
    """When the retry was made."""
    next_retry_at: datetime | None = None
    """The time at which the next retry will be available."""
    remaining_retry: int | None = None
    """The number of remaining retries."""


@model
class LookupResponse(Model):
    """Up-to-date metadata about a phone number."""

    phone_number: str | None = attrs.field(default=None, repr=masked_phone)
    """An E.164 formatted phone number."""
    mcc: str | None = None
    """The mobile country code of the phone number."""
    mnc: str | None = None
    """The mobile network code of the phone number."""
    caller_name: str | None = attrs.field(default=None, repr=masked)
    """The CNAM (Caller ID Name) of the number; only when the ``cnam`` lookup type is
    requested and enabled."""
    carrier: str | None = None
    """The carrier of the phone number."""
    country_code: str | None = None
    """The ISO 3166-1 alpha-2 country code of the phone number."""
    number_ported: bool | None = None
    """Whether the phone number has been ported."""
    temporary_phone_number: bool | None = None
    """Whether the number is a known disposable, temporary phone number."""
    line_type: LineType | str | None = None
    """The type of phone line (see :class:`LineType`)."""


@model
class Signals(Model):
    """Data points used to tell fraudulent from legitimate users: the signals sent with the
    authentication (see :class:`CreateAuthenticationRequest`)."""

    ip: str | None = attrs.field(default=None, repr=masked)
    """The IP address of the user's device."""
    device_id: str | None = attrs.field(default=None, repr=masked)
    """Unique identifier for the user's device (``ANDROID_ID`` or ``identifierForVendor``)."""
    device_type: SignalsDeviceType | str | None = None
    """The type of device the user was using."""
    app_version: str | None = None
    """The version of your application."""
    app_realm: str | None = None
    """The Android SMS Retriever API hash code that identifies your app."""
    os_version: str | None = None
    """The version of the user's device operating system."""
    device_model: str | None = None
    """The model of the user's device."""
    is_returning_user: bool | None = None
    """Whether the user is a returning user on your app (a trust signal)."""


@model
class Attempt(Model):
    """An attempt to deliver a code."""

    id: str | None = None
    """The UUID of the attempt."""
    content: str | None = attrs.field(default=None, repr=masked)
    """The text of the message sent (it holds the code)."""
    sender_id: str | None = None
    """The Sender ID the message was sent from."""
    capability: Capability | str | None = None
    """The channel the attempt was sent through (see :class:`Capability`)."""
    attempt_number: int | None = None
    """The number of the attempt within the authentication."""
    status: AttemptStatus | str | None = None
    """The status of the attempt (see :class:`AttemptStatus`)."""
    type: EventType | str | None = EventType.ATTEMPT
    """The type of the event: ``attempt``."""
    created_at: datetime | None = None
    """When the attempt was made."""


@model
class Check(Model):
    """A check of a code."""

    id: str | None = None
    """The UUID of the check."""
    code: str | None = attrs.field(default=None, repr=masked)
    """The code that was checked."""
    status: CheckStatus | str | None = None
    """The status of the check (see :class:`CheckStatus`)."""
    type: EventType | str | None = EventType.CHECK
    """The type of the event: ``check``."""
    created_at: datetime | None = None
    """When the check was made."""


@model
class DeliveryStatus(Model):
    """A delivery report for an attempt."""

    status: DeliveryStatusStatus | str | None = None
    """The status of the delivery (see :class:`DeliveryStatusStatus`)."""
    attempt_id: str | None = None
    """The UUID of the attempt this report is about."""
    attempt_number: int | None = None
    """The number of the attempt this report is about."""
    originated_at: datetime | None = None
    """The date and time from the provider."""
    type: EventType | str | None = EventType.DELIVERY_STATUS
    """The type of the event: ``delivery_status``."""
    created_at: datetime | None = None
    """When Ding received the report."""


@model
class BalanceUpdate(Model):
    """A change of the account balance caused by the authentication."""

    balance_update_type: BalanceUpdateType | str | None = None
    """What the balance update was for (see :class:`BalanceUpdateType`)."""
    amount: float | None = None
    """The amount the balance changed by."""
    type: EventType | str | None = EventType.BALANCE_UPDATE
    """The type of the event: ``balance_update``."""
    created_at: datetime | None = None
    """When the balance changed."""


@model
class UnknownEvent(Model):
    """An event whose ``type`` this version of the SDK does not know; ``data`` holds it whole."""

    type: str | None = None
    """The type of the event, as the API sent it."""
    data: dict[str, Any] = attrs.field(factory=dict, metadata={WHOLE_OBJECT: True}, repr=keys_only)
    """The whole event object, as the API sent it (``to_dict()`` gives it back)."""


Events = Attempt | Check | DeliveryStatus | BalanceUpdate | UnknownEvent
"""One event of an authentication, told apart by its ``type``."""


@model
class AuthenticationStatusResponse(Model):
    """The status of an authentication and everything that happened to it."""

    uuid: str | None = None
    """The UUID of the authentication."""
    phone_number: str | None = attrs.field(default=None, repr=masked_phone)
    """The E.164 formatted phone number the codes were sent to."""
    template_id: str | None = None
    """The template id of the message content variant that was sent."""
    correlation_id: str | None = None
    """The identifier you gave the authentication, included in webhook events."""
    created_at: datetime | None = None
    """When the authentication was created."""
    signals: Signals | None = None
    """The signals sent with the authentication."""
    events: list[Events] | None = None
    """What happened to the authentication: attempts, delivery reports, checks and balance
    updates (:data:`Events`)."""


if not TYPE_CHECKING:
    __getattr__, __dir__ = _models.finish(globals())
