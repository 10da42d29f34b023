"""Envelopes: what every operation returns.

Each carries the HTTP ``content_type``, ``status_code`` and ``raw_response`` (a
``requests.Response``-like view of the answer, body already read), the typed payload under the
field name the official client uses, and how many ``attempts`` it took. Positional
construction follows the official order: ``CheckResponse(content_type, status_code,
raw_response, create_check_response)``.

``LookupRequest`` and ``GetAuthenticationStatusRequest`` are the official client's names for
the parameters of those operations (the operations themselves take them as arguments).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from . import components
from ._enum import ValueEnum

if TYPE_CHECKING:
    from .._raw_response import RawResponse

__all__ = [
    "CheckResponse",
    "CreateAuthenticationResponse",
    "FeedbackResponse",
    "GetAuthenticationStatusRequest",
    "GetAuthenticationStatusResponse",
    "LookupRequest",
    "LookupResponse",
    "RetryResponse",
    "Type",
]


class Type(ValueEnum):
    """Extra lookup features to request (the ``type`` query parameter of a lookup)."""

    CNAM = "cnam"


@attrs.define
class LookupRequest:
    """The parameters of ``lookup.lookup`` (the official client's request object)."""

    phone_number: str
    customer_uuid: str
    type: list[Type | str] | None = None


@attrs.define
class GetAuthenticationStatusRequest:
    """The parameter of ``otp.get_authentication_status``."""

    auth_uuid: str


@attrs.define
class _Envelope:
    content_type: str
    """HTTP response content type for this operation."""
    status_code: int
    """HTTP response status code for this operation."""
    raw_response: RawResponse | Any = attrs.field(repr=False)
    """Raw HTTP response, read like a ``requests.Response`` (``status_code``, ``headers``,
    ``json()``, ``text`` ...); ``.aiohttp_response`` is aiohttp's own object."""
    attempts: int = attrs.field(default=1, kw_only=True)
    """How many HTTP attempts the call took (1 when no retry was needed)."""


@attrs.define
class CreateAuthenticationResponse(_Envelope):
    create_authentication_response: components.CreateAuthenticationResponse | None = None


@attrs.define
class CheckResponse(_Envelope):
    create_check_response: components.CreateCheckResponse | None = None


@attrs.define
class FeedbackResponse(_Envelope):
    feedback_response: components.FeedbackResponse | None = None


@attrs.define
class RetryResponse(_Envelope):
    retry_authentication_response: components.RetryAuthenticationResponse | None = None


@attrs.define
class GetAuthenticationStatusResponse(_Envelope):
    authentication_status_response: components.AuthenticationStatusResponse | None = None


@attrs.define
class LookupResponse(_Envelope):
    lookup_response: components.LookupResponse | None = None
