"""Input validation per the spec, driven by small per-endpoint field tables.

Each endpoint declares its inputs as a mapping of name -> `Field`; one function checks a
request against such a table. The error codes follow the API: a malformed phone number is
`invalid_phone_number`, a malformed authentication uuid `invalid_auth_uuid`, and fields with
a dedicated code (`invalid_app_version`, ...) use it; anything else wrong with the shape of
a request (missing or unknown fields, wrong JSON types, bad enum values) is `bad_request`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from ._errors import ApiError

__all__ = [
    "Field",
    "Kind",
    "Source",
    "is_e164",
    "is_uuid",
    "validate",
]

Kind = Literal["string", "uuid", "phone", "ipv4", "url", "boolean", "enum", "enum_list"]
Source = Literal["body", "path", "header", "query"]

_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def is_uuid(value: str) -> bool:
    """The canonical hyphenated form only: the API rejects braces, URNs and bare hex."""
    return _UUID.fullmatch(value) is not None


def is_e164(value: str) -> bool:
    """Syntax only (`+`, country code, at most 15 digits); numbering plans are not checked."""
    return _E164.fullmatch(value) is not None


def _is_ipv4(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


_FORMATS: dict[Kind, tuple[Callable[[str], bool], str]] = {
    "uuid": (is_uuid, "a UUID"),
    "phone": (is_e164, "an E.164 phone number"),
    "ipv4": (_is_ipv4, "an IPv4 address"),
    "url": (_is_url, "an http(s) URL"),
}


@dataclass(frozen=True)
class Field:
    """One input of an endpoint.

    `error` is the API code for a value of the right JSON type but the wrong form; plain
    strings are only checked for their type unless they carry a dedicated code.
    """

    kind: Kind = "string"
    required: bool = False
    choices: tuple[str, ...] = ()
    error: str = "bad_request"
    source: Source = "body"


def validate(values: Mapping[str, object], fields: Mapping[str, Field]) -> None:
    """Raise `ApiError` (400) for the first problem in `values`, checked against `fields`.

    `values` holds what the request carried: unknown names are refused, so a client that
    sends a field the spec does not define (a typo, a `None` that was not omitted) is told.
    """
    for name in values:
        if name not in fields:
            raise ApiError("bad_request", f"unknown field {name!r}")
    for name, field in fields.items():
        if name not in values:
            if field.required:
                raise ApiError("bad_request", f"{name} is required")
            continue
        _check_value(name, values[name], field)


def _check_value(name: str, value: object, field: Field) -> None:
    if field.kind == "boolean":
        if not isinstance(value, bool):
            raise ApiError("bad_request", f"{name} must be a boolean")
        return
    if field.kind == "enum_list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ApiError("bad_request", f"{name} must be a list of strings")
        for item in value:
            _check_choice(name, item, field)
        return
    if not isinstance(value, str):
        raise ApiError("bad_request", f"{name} must be a string")
    if field.kind == "enum":
        _check_choice(name, value, field)
        return
    if field.kind == "string":
        # A field with a dedicated error code (invalid_app_version, ...) is refused when
        # empty: the one malformation the fake can recognise without knowing the app.
        if not value and field.error != "bad_request":
            raise ApiError(field.error, f"{name} must not be empty")
        return
    check, description = _FORMATS[field.kind]
    if not check(value):
        raise ApiError(field.error, f"{value!r} is not {description} ({name})")


def _check_choice(name: str, value: str, field: Field) -> None:
    if value not in field.choices:
        allowed = ", ".join(field.choices)
        raise ApiError(field.error, f"{value!r} is not a valid {name} (one of: {allowed})")
