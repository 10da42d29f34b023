"""Envelopes: what every operation returns.

Each carries the HTTP ``content_type``, ``status_code`` and ``raw_response`` (a
:class:`RawResponse`: a ``requests.Response``-like view of the answer, body already read),
the typed payload under the field name the official client uses, and how many ``attempts``
it took. Positional construction follows the official order: ``CheckResponse(content_type,
status_code, raw_response, create_check_response)``.

``LookupRequest`` and ``GetAuthenticationStatusRequest`` are the official client's names for
the parameters of those operations (the operations themselves take them as arguments).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from . import components
from ._enum import ValueEnum
from ._fields import masked_phone
from ._lazy import LazyModels
from ._raw import RawRequest, RawResponse

# Models are built (attrs code generation) on first use, not at import: see ``_lazy``.
_models = LazyModels(__name__)
if TYPE_CHECKING:
    from attrs import define as model

    from ._enum import ValueEnum as LazyValueEnum
else:
    model = _models.define
    LazyValueEnum = _models.enum_base(ValueEnum)  # an enum built on first use, as the models

__all__ = [
    "CheckResponse",
    "CreateAuthenticationResponse",
    "FeedbackResponse",
    "GetAuthenticationStatusRequest",
    "GetAuthenticationStatusResponse",
    "LookupRequest",
    "LookupResponse",
    "RawRequest",
    "RawResponse",
    "RetryResponse",
    "Type",
]


class Type(LazyValueEnum):
    """Extra lookup features to request (the ``type`` query parameter of a lookup)."""

    CNAM = "cnam"


@model
class LookupRequest:
    """The parameters of ``lookup.lookup`` (the official client's request object)."""

    phone_number: str = attrs.field(repr=masked_phone)
    """An E.164 formatted phone number to look up."""
    customer_uuid: str
    """Your customer UUID, which can be found in the API settings in the dashboard."""
    type: list[Type | str] | None = None
    """Extra lookup features to request."""


@model
class GetAuthenticationStatusRequest:
    """The parameter of ``otp.get_authentication_status``."""

    auth_uuid: str
    """The UUID of the authentication."""


@attrs.define  # a base: built at import
class _Envelope:
    """What every operation returns: the HTTP answer's details and, in each subclass, the
    typed payload. A call always sets the payload; it is optional, as in the official
    client, for envelopes built by hand (in tests)."""

    content_type: str
    """HTTP response content type for this operation."""
    status_code: int
    """HTTP response status code for this operation."""
    raw_response: RawResponse = attrs.field(repr=False)
    """Raw HTTP response, read like a ``requests.Response`` (``status_code``, ``headers``,
    ``json()``, ``text`` ...); ``.aiohttp_response`` is aiohttp's own object."""
    attempts: int = attrs.field(default=1, kw_only=True)
    """How many HTTP attempts the call took (1 when no retry was needed)."""


@model
class CreateAuthenticationResponse(_Envelope):
    """What ``otp.create_authentication`` returns."""

    create_authentication_response: components.CreateAuthenticationResponse | None = None
    """The answer: the new authentication's UUID, status and expiry."""


@model
class CheckResponse(_Envelope):
    """What ``otp.check`` returns."""

    create_check_response: components.CreateCheckResponse | None = None
    """The answer: the status of the check (``valid`` when the code matches)."""


@model
class FeedbackResponse(_Envelope):
    """What ``otp.feedback`` returns."""

    feedback_response: components.FeedbackResponse | None = None
    """The answer: the UUID of the recorded feedback."""


@model
class RetryResponse(_Envelope):
    """What ``otp.retry`` returns."""

    retry_authentication_response: components.RetryAuthenticationResponse | None = None
    """The answer: the status of the retry and the retries left."""


@model
class GetAuthenticationStatusResponse(_Envelope):
    """What ``otp.get_authentication_status`` returns."""

    authentication_status_response: components.AuthenticationStatusResponse | None = None
    """The answer: the authentication, its signals and its events."""


@model
class LookupResponse(_Envelope):
    """What ``lookup.lookup`` returns."""

    lookup_response: components.LookupResponse | None = None
    """The answer: the number's carrier, line type and more."""


if not TYPE_CHECKING:
    __getattr__, __dir__ = _models.finish(globals())
