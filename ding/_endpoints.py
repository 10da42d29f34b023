"""Every operation of the Ding API, declared once as data.

The transport knows no concrete operation: it runs any :class:`Endpoint`. Adding an
endpoint is a declaration here, a typed method on an async resource (``_resources``) and its
sync declaration (``_sync_client``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, Generic, NoReturn, TypeVar

import attrs

from .models import components, operations

Envelope = TypeVar("Envelope")


class Endpoint(Generic[Envelope]):
    """One operation, as data. Read-only.

    Its models are given as functions returning them and looked up on first use
    (``functools.cached_property``): declaring the endpoints builds no model, and a model is
    built when the first call needs it (see ``models._lazy``).
    """

    operation_id: str
    """The spec's ``operationId``, which errors name: ``check``."""
    name: str
    """What logs, traces, metrics and hooks call the operation: ``otp.check``."""
    method: str
    path: str
    """Path template below the server URL; ``{name}`` placeholders are percent-encoded."""
    _models: tuple[
        Callable[[], type[Envelope]], Callable[[], type[Any]], Callable[[], type[Any]] | None
    ]

    def __init__(
        self,
        operation_id: str,
        name: str,
        method: str,
        path: str,
        *,
        envelope: Callable[[], type[Envelope]],
        response: Callable[[], type[Any]],
        request: Callable[[], type[Any]] | None = None,
    ) -> None:
        vars(self).update(operation_id=operation_id, name=name, method=method, path=path)
        vars(self)["_models"] = (envelope, response, request)

    @property
    def idempotent(self) -> bool:
        """True when sending the request twice does what sending it once does: a GET (reading
        a status, a lookup). Every POST of this API acts: a send or a retry texts a phone, a
        check spends one of the user's attempts (and a second check of the right code
        answers ``already_validated``), a feedback is stored once (a second answers
        ``duplicated_feedback_status``). So after an outcome where the server may have acted
        (see ``_retry.Outcome.AMBIGUOUS``) only a GET is retried, unless the caller opts in
        with ``retry_ambiguous=True``."""
        return self.method == "GET"

    @cached_property
    def envelope(self) -> type[Envelope]:
        return self._models[0]()

    @cached_property
    def response_model(self) -> type[Any]:
        return self._models[1]()

    @cached_property
    def request_model(self) -> type[Any] | None:
        """Model of the JSON body, for operations that send one."""
        find = self._models[2]
        return None if find is None else find()

    @cached_property
    def payload_field(self) -> str:
        """Field of the envelope that receives the decoded body: the last one declared."""
        envelope: Any = self.envelope
        name: str = attrs.fields(envelope)[-1].name
        return name

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"Endpoint is read-only; cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"Endpoint is read-only; cannot delete {name!r}")

    def __repr__(self) -> str:
        return f"Endpoint({self.operation_id}: {self.method} {self.path})"


# Declared in the order of the spec; the models, by the official client's names.
CREATE_AUTHENTICATION = Endpoint(
    "create-authentication",
    "otp.create_authentication",
    "POST",
    "/authentication",
    envelope=lambda: operations.CreateAuthenticationResponse,
    response=lambda: components.CreateAuthenticationResponse,
    request=lambda: components.CreateAuthenticationRequest,
)
CHECK = Endpoint(
    "check",
    "otp.check",
    "POST",
    "/check",
    envelope=lambda: operations.CheckResponse,
    response=lambda: components.CreateCheckResponse,
    request=lambda: components.CreateCheckRequest,
)
FEEDBACK = Endpoint(
    "feedback",
    "otp.feedback",
    "POST",
    "/authentication/feedback",
    envelope=lambda: operations.FeedbackResponse,
    response=lambda: components.FeedbackResponse,
    request=lambda: components.FeedbackRequest,
)
RETRY = Endpoint(
    "retry",
    "otp.retry",
    "POST",
    "/retry",
    envelope=lambda: operations.RetryResponse,
    response=lambda: components.RetryAuthenticationResponse,
    request=lambda: components.RetryAuthenticationRequest,
)
GET_AUTHENTICATION_STATUS = Endpoint(
    "getAuthenticationStatus",
    "otp.get_authentication_status",
    "GET",
    "/authentication/{auth_uuid}",
    envelope=lambda: operations.GetAuthenticationStatusResponse,
    response=lambda: components.AuthenticationStatusResponse,
)
LOOKUP = Endpoint(
    "lookup",
    "lookup.lookup",
    "GET",
    "/lookup/{phone_number}",
    envelope=lambda: operations.LookupResponse,
    response=lambda: components.LookupResponse,
)
