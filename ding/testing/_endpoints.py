"""Every operation of the spec, declared once: route, inputs and the logic that answers it.

The server registers one route per entry and runs the same generic handler for all of
them; the request log and the fault filters name operations through the same table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._state import JsonObject, OtpState
from ._validation import Field

__all__ = ["API_PREFIX", "ENDPOINTS", "Endpoint", "Selector"]

API_PREFIX = "/v1"

_CUSTOMER = Field("uuid", required=True)
_PHONE = Field("phone", required=True, error="invalid_phone_number")
_AUTH_UUID = Field("uuid", required=True, error="invalid_auth_uuid")


@dataclass(frozen=True)
class Endpoint:
    operation_id: str  # as in the spec
    method: str
    path: str  # under API_PREFIX, in aiohttp's template syntax
    fields: Mapping[str, Field]
    action: Callable[[OtpState, Mapping[str, Any]], JsonObject]
    # Where a non-body input travels under a different name (the lookup's header).
    wire_names: Mapping[str, str] | None = None

    @property
    def sdk_name(self) -> str:
        """The client's method name: the operation id in snake case."""
        return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", self.operation_id).replace("-", "_").lower()

    @property
    def route(self) -> str:
        return API_PREFIX + self.path

    @property
    def takes_body(self) -> bool:
        return any(field.source == "body" for field in self.fields.values())

    def wire_name(self, name: str) -> str:
        return (self.wire_names or {}).get(name, name)


def _post(
    operation_id: str,
    path: str,
    action: Callable[[OtpState, Mapping[str, Any]], JsonObject],
    **fields: Field,
) -> Endpoint:
    """An operation that takes a JSON body: every one of them names the customer."""
    return Endpoint(operation_id, "POST", path, {"customer_uuid": _CUSTOMER, **fields}, action)


ENDPOINTS: tuple[Endpoint, ...] = (
    _post(
        "create-authentication",
        "/authentication",
        OtpState.create_authentication,
        phone_number=_PHONE,
        ip=Field("ipv4"),
        device_id=Field(error="invalid_device_id"),
        device_type=Field("enum", choices=("IOS", "ANDROID", "WEB")),
        app_version=Field(error="invalid_app_version"),
        callback_url=Field("url"),
        app_realm=Field(error="invalid_app_realm"),
        os_version=Field(error="invalid_os_version"),
        device_model=Field(error="invalid_device_model"),
        is_returning_user=Field("boolean"),
        template_id=Field(error="invalid_template_id"),
        correlation_id=Field(),
        sender_id=Field(error="invalid_sender_id"),
        locale=Field(),
    ),
    _post(
        "check",
        "/check",
        OtpState.check,
        authentication_uuid=_AUTH_UUID,
        check_code=Field(required=True),
    ),
    _post(
        "feedback",
        "/authentication/feedback",
        OtpState.feedback,
        phone_number=_PHONE,
        status=Field(
            "enum",
            required=True,
            choices=("onboarded", "not_onboarded"),
            error="invalid_feedback_status",
        ),
    ),
    _post("retry", "/retry", OtpState.retry, authentication_uuid=_AUTH_UUID),
    Endpoint(
        "lookup",
        "GET",
        "/lookup/{phone_number}",
        {
            "customer_uuid": Field("uuid", required=True, source="header"),
            "phone_number": Field(
                "phone", required=True, error="invalid_phone_number", source="path"
            ),
            "type": Field("enum_list", choices=("cnam",), source="query"),
        },
        OtpState.lookup,
        wire_names={"customer_uuid": "customer-uuid"},
    ),
    Endpoint(
        "getAuthenticationStatus",
        "GET",
        "/authentication/{auth_uuid}",
        {"auth_uuid": Field("uuid", required=True, error="invalid_auth_uuid", source="path")},
        OtpState.authentication_status,
    ),
)

_BY_NAME: dict[str, Endpoint] = {
    name: endpoint for endpoint in ENDPOINTS for name in (endpoint.operation_id, endpoint.sdk_name)
}
_BY_TEMPLATE: dict[str, Endpoint] = {endpoint.path: endpoint for endpoint in ENDPOINTS}


@dataclass(frozen=True)
class Selector:
    """Which requests a filter means: an operation, or one concrete (decoded) path."""

    operation: str | None = None
    path: str | None = None

    @classmethod
    def parse(cls, selector: str) -> Selector:
        """Resolve a name as tests write it.

        Accepted: an operation id or the client's method name (`"check"`,
        `"create_authentication"`, `"getAuthenticationStatus"`), a path template
        (`"/lookup/{phone_number}"`), or a concrete path (`"/lookup/+14155550100"`); paths
        may include or omit the `/v1` prefix.
        """
        if not selector.startswith("/"):
            endpoint = _BY_NAME.get(selector)
            if endpoint is None:
                known = ", ".join(sorted(_BY_NAME))
                raise ValueError(f"unknown operation {selector!r}; known: {known}")
            return cls(operation=endpoint.operation_id)
        relative = (
            selector[len(API_PREFIX) :] if selector.startswith(API_PREFIX + "/") else selector
        )
        if "{" in relative:
            endpoint = _BY_TEMPLATE.get(relative)
            if endpoint is None:
                known = ", ".join(sorted(_BY_TEMPLATE))
                raise ValueError(f"unknown path template {selector!r}; known: {known}")
            return cls(operation=endpoint.operation_id)
        return cls(path=API_PREFIX + relative)

    def matches(self, operation: str | None, path: str) -> bool:
        if self.operation is not None:
            return operation == self.operation
        return path == self.path
