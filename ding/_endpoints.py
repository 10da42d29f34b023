"""Every operation of the Ding API, declared once as data.

The transport knows no concrete operation: it runs any :class:`Endpoint`. Adding an
endpoint is a declaration here, a typed method on an async resource (``_resources``) and its
sync declaration (``_sync_client``).
"""

from __future__ import annotations

import typing
from functools import cached_property
from typing import Any, Generic, NoReturn, TypeVar

import attrs

from .models import components, operations

Envelope = TypeVar("Envelope")


class Endpoint(Generic[Envelope]):
    """One operation, as data. Read-only.

    Its models are named by the official client's names and looked up on first use
    (``functools.cached_property``): declaring the endpoints builds no model, and a model is
    built when the first call needs it (see ``models._lazy``). The envelope of ``otp.check``
    is ``operations.CheckResponse``; the model of its body is the type of the envelope's
    payload field; the request model of a POST is named in the declaration.
    """

    operation_id: str
    """The spec's ``operationId``, which errors name: ``check``."""
    name: str
    """What logs, traces, metrics and hooks call the operation: ``otp.check``."""
    method: str
    path: str
    """Path template below the server URL; ``{name}`` placeholders are percent-encoded."""
    _request: str | None

    def __init__(
        self, operation_id: str, name: str, route: str, *, request: str | None = None
    ) -> None:
        """``route`` is the method and the path template: ``"POST /check"``; ``request``
        the name of the ``components`` model of the JSON body, for an operation that sends
        one."""
        method, path = route.split(" ")
        fields = dict(operation_id=operation_id, name=name, method=method, path=path)
        vars(self).update(fields, _request=request)

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
        """``operations.<Operation>Response``: ``otp.check`` → ``CheckResponse``."""
        operation = self.name.partition(".")[2]
        found: type[Envelope] = getattr(operations, _camel(operation) + "Response")
        return found

    @cached_property
    def payload_field(self) -> str:
        """Field of the envelope that receives the decoded body: the last one declared."""
        envelope: Any = self.envelope
        name: str = attrs.fields(envelope)[-1].name
        return name

    @cached_property
    def response_model(self) -> type[Any]:
        """The model of the decoded body: the type of the envelope's payload field (it is
        declared ``components.<Model> | None``)."""
        hints = typing.get_type_hints(self.envelope, vars(operations))
        model: type[Any] = next(
            t for t in typing.get_args(hints[self.payload_field]) if t is not type(None)
        )
        return model

    @cached_property
    def request_model(self) -> type[Any] | None:
        """Model of the JSON body, for operations that send one."""
        return None if self._request is None else getattr(components, self._request)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"Endpoint is read-only; cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"Endpoint is read-only; cannot delete {name!r}")

    def __repr__(self) -> str:
        return f"Endpoint({self.operation_id}: {self.method} {self.path})"


def _camel(snake: str) -> str:
    return "".join(word.capitalize() for word in snake.split("_"))


# Declared in the order of the spec; each annotation names the envelope the name leads to.
CREATE_AUTHENTICATION: Endpoint[operations.CreateAuthenticationResponse] = Endpoint(
    "create-authentication",
    "otp.create_authentication",
    "POST /authentication",
    request="CreateAuthenticationRequest",
)
CHECK: Endpoint[operations.CheckResponse] = Endpoint(
    "check", "otp.check", "POST /check", request="CreateCheckRequest"
)
FEEDBACK: Endpoint[operations.FeedbackResponse] = Endpoint(
    "feedback", "otp.feedback", "POST /authentication/feedback", request="FeedbackRequest"
)
RETRY: Endpoint[operations.RetryResponse] = Endpoint(
    "retry", "otp.retry", "POST /retry", request="RetryAuthenticationRequest"
)
GET_AUTHENTICATION_STATUS: Endpoint[operations.GetAuthenticationStatusResponse] = Endpoint(
    "getAuthenticationStatus", "otp.get_authentication_status", "GET /authentication/{auth_uuid}"
)
LOOKUP: Endpoint[operations.LookupResponse] = Endpoint(
    "lookup", "lookup.lookup", "GET /lookup/{phone_number}"
)
