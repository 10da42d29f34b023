"""The operations users call: ``client.otp.*`` and ``client.lookup.*``, written once, async.

Each method is a typed signature plus one line handing its endpoint declaration to the
transport. The sync facade derives its methods from these (see ``_sync_client``).

Error trackers send the variables of every frame of a traceback, these ones included: when a
call raises, no variable here holds a request given as a dict, or a phone number (a request
model's repr masks them), and the finished frames below have lost theirs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from . import _endpoints as ep
from ._options import CALL_OPTION_NAMES
from ._redaction import forget_frames
from ._signatures import spell_out_call_options
from ._transport import Transport
from .models import components, errors, operations
from .models._fields import check_e164, check_uuid, describe, validate_request

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._options import CallOptions


def as_request(
    endpoint: ep.Endpoint[Any], request: object, options: Mapping[str, Any] | None = None
) -> Any:
    """The request model for ``endpoint``, its fields checked against the spec (before any
    I/O): given as the model, or as a dict of its fields. A field passed as a keyword of the
    call (``options``) is named as misplaced rather than reported as an unknown option."""
    try:
        return _checked(endpoint, request, options)
    except errors.ValidationError as error:
        # A dict holds the code or the number, and so do the checks' frames below: error
        # reports send a frame's variables.
        del request
        forget_frames(error)
        raise


def _checked(endpoint: ep.Endpoint[Any], request: object, options: Mapping[str, Any] | None) -> Any:
    model = endpoint.request_model
    assert model is not None
    if options and not CALL_OPTION_NAMES.issuperset(options):  # the usual call: no lookup
        misplaced = sorted(k for k in options if k in attrs.fields_dict(model))
        if misplaced:
            raise errors.ValidationError(
                misplaced[0],
                f"inside request= (a components.{model.__name__} or a dict of its fields)",
                got="a keyword argument of the call",
            )
    if isinstance(request, model):
        validate_request(request)
        return request
    if isinstance(request, Mapping):
        fields = attrs.fields(model)
        known = {f.name for f in fields}
        unknown = sorted(str(k) for k in request if k not in known)
        if unknown:
            raise errors.ValidationError(
                f"request.{unknown[0]}",
                f"one of the fields of {model.__name__}",
                got="an unknown field",
            )
        missing = [f.name for f in fields if f.default is attrs.NOTHING and f.name not in request]
        if missing:
            raise errors.ValidationError(missing[0], "a value (this field is required)")
        built = model(**request)
        validate_request(built)
        return built
    raise errors.ValidationError(
        "request",
        f"a components.{model.__name__} or a dict of its fields",
        got=describe("request", request),
    )


def _lookup_types(type_: object) -> list[tuple[str, str]]:
    """``type_`` as repeated ``type`` query parameters; each value must be a known type."""
    if type_ is None:
        return []
    values: Sequence[object] = (
        [type_] if isinstance(type_, str) else type_ if isinstance(type_, Sequence) else [type_]
    )
    allowed = {t.value for t in operations.Type}
    query: list[tuple[str, str]] = []
    for value in values:
        if not isinstance(value, str) or value not in allowed:
            raise errors.ValidationError(
                "type_",
                f"None, or one or a list of {sorted(allowed)} (operations.Type)",
                got=describe("type_", value),
            )
        query.append(("type", operations.Type(value).value))
    return query


class _Resource:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class AsyncOtp(_Resource):
    """Send OTP codes to your users using their phone numbers."""

    async def create_authentication(
        self,
        request: components.CreateAuthenticationRequest | Mapping[str, Any] | None = None,
        **options: Unpack[CallOptions],
    ) -> operations.CreateAuthenticationResponse:
        """Send a code to a user's phone number.

        Never retried after an outcome where the SMS may already be on its way (500, 502,
        504, 408, read timeout, disconnect) unless ``retry_ambiguous=True``.
        """
        endpoint = ep.CREATE_AUTHENTICATION
        try:
            request = as_request(endpoint, request, options)
        except errors.ValidationError:
            del request  # (see the module's docstring)
            raise
        return await self._transport.send(endpoint, options, body=request)

    async def check(
        self,
        request: components.CreateCheckRequest | Mapping[str, Any] | None = None,
        **options: Unpack[CallOptions],
    ) -> operations.CheckResponse:
        """Check that a code entered by a user is valid."""
        try:
            request = as_request(ep.CHECK, request, options)
        except errors.ValidationError:
            del request  # (see the module's docstring)
            raise
        return await self._transport.send(ep.CHECK, options, body=request)

    async def feedback(
        self,
        request: components.FeedbackRequest | Mapping[str, Any] | None = None,
        **options: Unpack[CallOptions],
    ) -> operations.FeedbackResponse:
        """Report whether the user finished onboarding."""
        try:
            request = as_request(ep.FEEDBACK, request, options)
        except errors.ValidationError:
            del request  # (see the module's docstring)
            raise
        return await self._transport.send(ep.FEEDBACK, options, body=request)

    async def retry(
        self,
        request: components.RetryAuthenticationRequest | Mapping[str, Any] | None = None,
        **options: Unpack[CallOptions],
    ) -> operations.RetryResponse:
        """Perform a retry if a user has not received the code (sends a new SMS).

        Like ``create_authentication``, ambiguous failures are not retried unless
        ``retry_ambiguous=True``.
        """
        try:
            request = as_request(ep.RETRY, request, options)
        except errors.ValidationError:
            del request  # (see the module's docstring)
            raise
        return await self._transport.send(ep.RETRY, options, body=request)

    async def get_authentication_status(
        self, auth_uuid: str, **options: Unpack[CallOptions]
    ) -> operations.GetAuthenticationStatusResponse:
        """Get the status of an authentication and the events that happened to it."""
        path = {"auth_uuid": check_uuid("auth_uuid", auth_uuid, errors.Code.INVALID_AUTH_UUID)}
        return await self._transport.send(ep.GET_AUTHENTICATION_STATUS, options, path_params=path)


class AsyncLookup(_Resource):
    """Retrieve up-to-date metadata about a specific phone number."""

    async def lookup(
        self,
        phone_number: str,
        customer_uuid: str,
        type_: operations.Type | str | Sequence[operations.Type | str] | None = None,
        **options: Unpack[CallOptions],
    ) -> operations.LookupResponse:
        """Look up a phone number (``type_=operations.Type.CNAM`` adds the caller name)."""
        try:
            call = self._transport.send(
                ep.LOOKUP,
                options,
                path_params={"phone_number": check_e164("phone_number", phone_number)},
                query=_lookup_types(type_),
                headers={"customer-uuid": check_uuid("customer_uuid", customer_uuid)},
            )
        except errors.DingError as error:
            forget_frames(error)  # the checks' and the transport's, below
            raise
        finally:
            del phone_number  # (see the module's docstring)
        return await call


spell_out_call_options(AsyncOtp, AsyncLookup)
