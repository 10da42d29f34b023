"""Every operation of the Ding API, declared once as data.

The transport knows no concrete operation: it runs any :class:`Endpoint`. Adding an
endpoint is a declaration here plus a one-line typed method on a resource.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

from .models import components, operations

Envelope = TypeVar("Envelope")


class Endpoint(Generic[Envelope]):
    """One operation, as data. Read-only once built.

    A plain slotted class rather than an attrs one, so that ``import ding`` pays no class
    generation for it. The models are given as functions returning them and looked up on
    first use: a model is built when the first call needs it, not at import (see
    ``models._lazy``). From then on they are plain slots, read at no extra cost.
    """

    __slots__ = (
        "_models",
        "envelope",
        "idempotent",
        "method",
        "name",
        "operation_id",
        "path",
        "payload_field",
        "request_model",
        "response_model",
    )

    operation_id: str
    name: str
    """What logs, traces, metrics and hooks call the operation: ``otp.check``."""
    method: str
    path: str
    """Path template below the server URL; ``{name}`` placeholders are percent-encoded."""
    envelope: type[Envelope]
    payload_field: str
    """Field of the envelope that receives the decoded body."""
    response_model: type[Any]
    request_model: type[Any] | None
    """Model of the JSON body, for operations that send one."""
    idempotent: bool
    """True when sending the request twice does what sending it once does (reading a status,
    a lookup). Every POST of this API acts: a send or a retry texts a phone, a check spends
    one of the user's attempts (and a second check of the right code answers
    ``already_validated``), a feedback is stored once (a second answers
    ``duplicated_feedback_status``). So after an outcome where the server may have acted
    (see ``_retry.Outcome.AMBIGUOUS``) only an idempotent request is retried, unless the
    caller opts in with ``retry_ambiguous=True``."""

    def __init__(
        self,
        *,
        operation_id: str,
        name: str,
        method: str,
        path: str,
        envelope: Callable[[], type[Envelope]],
        payload_field: str,
        response_model: Callable[[], type[Any]],
        idempotent: bool,
        request_model: Callable[[], type[Any]] | None = None,
    ) -> None:
        fields = {
            "operation_id": operation_id,
            "name": name,
            "method": method,
            "path": path,
            "payload_field": payload_field,
            "idempotent": idempotent,
            "_models": {
                "envelope": envelope,
                "response_model": response_model,
                "request_model": request_model or _no_model,
            },
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    if not TYPE_CHECKING:  # (type checkers would take any attribute name as valid)

        def __getattr__(self, name: str) -> Any:
            # Only reached while a model slot is still empty: fill it, once.
            models = object.__getattribute__(self, "_models")
            if name not in models:
                raise AttributeError(f"Endpoint has no attribute {name!r}")
            value = models[name]()
            object.__setattr__(self, name, value)
            return value

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"Endpoint is read-only; cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"Endpoint is read-only; cannot delete {name!r}")

    def __repr__(self) -> str:
        return f"Endpoint({self.operation_id}: {self.method} {self.path})"


def _no_model() -> None:
    return None


CREATE_AUTHENTICATION = Endpoint(
    operation_id="create-authentication",
    name="otp.create_authentication",
    method="POST",
    path="/authentication",
    envelope=lambda: operations.CreateAuthenticationResponse,
    payload_field="create_authentication_response",
    response_model=lambda: components.CreateAuthenticationResponse,
    request_model=lambda: components.CreateAuthenticationRequest,
    idempotent=False,  # texts the phone (and bills) again
)
CHECK = Endpoint(
    operation_id="check",
    name="otp.check",
    method="POST",
    path="/check",
    envelope=lambda: operations.CheckResponse,
    payload_field="create_check_response",
    response_model=lambda: components.CreateCheckResponse,
    request_model=lambda: components.CreateCheckRequest,
    idempotent=False,  # spends an attempt; the right code twice answers already_validated
)
FEEDBACK = Endpoint(
    operation_id="feedback",
    name="otp.feedback",
    method="POST",
    path="/authentication/feedback",
    envelope=lambda: operations.FeedbackResponse,
    payload_field="feedback_response",
    response_model=lambda: components.FeedbackResponse,
    request_model=lambda: components.FeedbackRequest,
    idempotent=False,  # a second one answers duplicated_feedback_status
)
RETRY = Endpoint(
    operation_id="retry",
    name="otp.retry",
    method="POST",
    path="/retry",
    envelope=lambda: operations.RetryResponse,
    payload_field="retry_authentication_response",
    response_model=lambda: components.RetryAuthenticationResponse,
    request_model=lambda: components.RetryAuthenticationRequest,
    idempotent=False,  # texts the phone again
)
GET_AUTHENTICATION_STATUS = Endpoint(
    operation_id="getAuthenticationStatus",
    name="otp.get_authentication_status",
    method="GET",
    path="/authentication/{auth_uuid}",
    envelope=lambda: operations.GetAuthenticationStatusResponse,
    payload_field="authentication_status_response",
    response_model=lambda: components.AuthenticationStatusResponse,
    idempotent=True,
)
LOOKUP = Endpoint(
    operation_id="lookup",
    name="lookup.lookup",
    method="GET",
    path="/lookup/{phone_number}",
    envelope=lambda: operations.LookupResponse,
    payload_field="lookup_response",
    response_model=lambda: components.LookupResponse,
    idempotent=True,
)
