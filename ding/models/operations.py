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
from ._lazy import LazyModels

if TYPE_CHECKING:
    from .._raw_response import RawResponse

# Models are built (attrs code generation) on first use, not at import: see ``_lazy``.
_models = LazyModels(__name__)
if TYPE_CHECKING:
    from attrs import define as model
else:
    model = _models.define

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


@model
class LookupRequest:
    """The parameters of ``lookup.lookup`` (the official client's request object)."""

    phone_number: str
    customer_uuid: str
    type: list[Type | str] | None = None


@model
class GetAuthenticationStatusRequest:
    """The parameter of ``otp.get_authentication_status``."""

    auth_uuid: str


@attrs.define  # a base: built at import
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


@model
class CreateAuthenticationResponse(_Envelope):
    create_authentication_response: components.CreateAuthenticationResponse | None = None


@model
class CheckResponse(_Envelope):
    create_check_response: components.CreateCheckResponse | None = None


@model
class FeedbackResponse(_Envelope):
    feedback_response: components.FeedbackResponse | None = None


@model
class RetryResponse(_Envelope):
    retry_authentication_response: components.RetryAuthenticationResponse | None = None


@model
class GetAuthenticationStatusResponse(_Envelope):
    authentication_status_response: components.AuthenticationStatusResponse | None = None


@model
class LookupResponse(_Envelope):
    lookup_response: components.LookupResponse | None = None


if not TYPE_CHECKING:
    __getattr__, __dir__ = _models.finish(globals())
