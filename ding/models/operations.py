"""Envelopes: what every operation returns.

Each carries the HTTP ``status_code``, ``content_type`` and ``raw_response`` (the aiohttp
response, body already read), how many ``attempts`` it took, and the typed payload under the
field name the official client uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from . import components
from ._enum import ValueEnum

if TYPE_CHECKING:
    import aiohttp

__all__ = [
    "CheckResponse",
    "CreateAuthenticationResponse",
    "FeedbackResponse",
    "GetAuthenticationStatusResponse",
    "LookupResponse",
    "RetryResponse",
    "Type",
]


class Type(ValueEnum):
    """Extra lookup features to request (the ``type`` query parameter of a lookup)."""

    CNAM = "cnam"


@attrs.define(kw_only=True)
class _Envelope:
    status_code: int
    """HTTP response status code for this operation."""
    content_type: str
    """HTTP response content type for this operation."""
    raw_response: aiohttp.ClientResponse | Any = attrs.field(repr=False)
    """Raw HTTP response (its body is already read); for custom parsing or headers."""
    attempts: int = 1
    """How many HTTP attempts the call took (1 when no retry was needed)."""


@attrs.define(kw_only=True)
class CreateAuthenticationResponse(_Envelope):
    create_authentication_response: components.CreateAuthenticationResponse | None = None


@attrs.define(kw_only=True)
class CheckResponse(_Envelope):
    create_check_response: components.CreateCheckResponse | None = None


@attrs.define(kw_only=True)
class FeedbackResponse(_Envelope):
    feedback_response: components.FeedbackResponse | None = None


@attrs.define(kw_only=True)
class RetryResponse(_Envelope):
    retry_authentication_response: components.RetryAuthenticationResponse | None = None


@attrs.define(kw_only=True)
class GetAuthenticationStatusResponse(_Envelope):
    authentication_status_response: components.AuthenticationStatusResponse | None = None


@attrs.define(kw_only=True)
class LookupResponse(_Envelope):
    lookup_response: components.LookupResponse | None = None
