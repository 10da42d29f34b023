"""Every operation of the Ding API, declared once as data.

The transport knows no concrete operation: it runs any :class:`Endpoint`. Adding an
endpoint is a declaration here plus a one-line typed method on a resource.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import attrs

from .models import components, operations

Envelope = TypeVar("Envelope")


@attrs.frozen
class Endpoint(Generic[Envelope]):
    operation_id: str
    method: str
    path: str
    """Path template below the server URL; ``{name}`` placeholders are percent-encoded."""
    envelope: type[Envelope]
    payload_field: str
    """Field of the envelope that receives the decoded body."""
    response_model: type[Any]
    request_model: type[Any] | None = None
    """Model of the JSON body, for operations that send one."""
    sends_message: bool = False
    """True when a call costs money and reaches a phone: ambiguous failures are not retried."""


CREATE_AUTHENTICATION = Endpoint(
    operation_id="create-authentication",
    method="POST",
    path="/authentication",
    envelope=operations.CreateAuthenticationResponse,
    payload_field="create_authentication_response",
    response_model=components.CreateAuthenticationResponse,
    request_model=components.CreateAuthenticationRequest,
    sends_message=True,
)
CHECK = Endpoint(
    operation_id="check",
    method="POST",
    path="/check",
    envelope=operations.CheckResponse,
    payload_field="create_check_response",
    response_model=components.CreateCheckResponse,
    request_model=components.CreateCheckRequest,
)
FEEDBACK = Endpoint(
    operation_id="feedback",
    method="POST",
    path="/authentication/feedback",
    envelope=operations.FeedbackResponse,
    payload_field="feedback_response",
    response_model=components.FeedbackResponse,
    request_model=components.FeedbackRequest,
)
RETRY = Endpoint(
    operation_id="retry",
    method="POST",
    path="/retry",
    envelope=operations.RetryResponse,
    payload_field="retry_authentication_response",
    response_model=components.RetryAuthenticationResponse,
    request_model=components.RetryAuthenticationRequest,
    sends_message=True,
)
GET_AUTHENTICATION_STATUS = Endpoint(
    operation_id="getAuthenticationStatus",
    method="GET",
    path="/authentication/{auth_uuid}",
    envelope=operations.GetAuthenticationStatusResponse,
    payload_field="authentication_status_response",
    response_model=components.AuthenticationStatusResponse,
)
LOOKUP = Endpoint(
    operation_id="lookup",
    method="GET",
    path="/lookup/{phone_number}",
    envelope=operations.LookupResponse,
    payload_field="lookup_response",
    response_model=components.LookupResponse,
)
