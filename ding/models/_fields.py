"""Field rules for request models: the checks the spec implies, run before any I/O.

Each helper returns an ``attrs.field`` whose validator raises
:class:`ding.models.errors.ValidationError` naming the field and what was expected. Required
fields default to :data:`REQUIRED` so that leaving one out is also a ``ValidationError``
(naming the field) rather than a bare ``TypeError`` from ``__init__``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

import attrs

from .errors import ValidationError


class _Required:
    """Marker default for a required field that the caller left out."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()

_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
# The canonical 8-4-4-4-12 form the spec's `format: uuid` means (uuid.UUID() would also
# take braces, "urn:uuid:" and missing hyphens, which the API does not).
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Values that are personal data or a credential are never echoed back in an error message.
_SECRET_FIELDS = frozenset({"phone_number", "check_code"})


def describe(field: str, value: object) -> str:
    """A short description of a bad value, safe to put in an exception message."""
    if field in _SECRET_FIELDS:
        if isinstance(value, str):
            return f"a {len(value)}-character string"
        return f"a value of type {type(value).__name__}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _check_present(name: str, value: object) -> None:
    if value is REQUIRED:
        raise ValidationError(name, "a value (this field is required)", got="nothing")


def _check_str(name: str, value: object) -> str:
    _check_present(name, value)
    if not isinstance(value, str):
        raise ValidationError(name, "a string", got=describe(name, value))
    return value


def _uuid_validator(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_uuid(attribute.name, value)


def check_e164(name: str, value: object) -> str:
    """Raise unless ``value`` is an E.164 phone number ('+' then 2 to 15 digits)."""
    text = _check_str(name, value)
    if _E164.fullmatch(text) is None:
        raise ValidationError(
            name, "an E.164 phone number such as '+1234567890'", got=describe(name, value)
        )
    return text


def check_uuid(name: str, value: object) -> str:
    """Raise unless ``value`` is a UUID string; a ``uuid.UUID`` is accepted and turned to text."""
    if isinstance(value, uuid.UUID):
        return str(value)
    text = _check_str(name, value)
    if _UUID.fullmatch(text) is None:
        raise ValidationError(
            name, "a UUID such as 'c9f826e0-deca-41ec-871f-ecd6e8efeb46'", got=describe(name, value)
        )
    return text


def _phone_validator(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_e164(attribute.name, value)


def _str_validator(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _check_str(attribute.name, value)


def _optional(validator: Callable[[object, attrs.Attribute[Any], object], None]) -> Any:
    def run(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            validator(inst, attribute, value)

    return run


def _ipv4_validator(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    import ipaddress  # rarely used field: keep the module off `import ding`

    text = _check_str(attribute.name, value)
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        raise ValidationError(
            attribute.name,
            "an IPv4 address such as '192.0.2.1'",
            got=describe(attribute.name, value),
        ) from None


def _url_validator(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    text = _check_str(attribute.name, value)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            attribute.name, "an absolute http(s) URL", got=describe(attribute.name, value)
        )


def _bool_validator(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, "a bool", got=describe(attribute.name, value))


def _enum_validator(enum: type[Enum]) -> Any:
    allowed = {member.value for member in enum}

    def run(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        _check_present(attribute.name, value)
        if isinstance(value, enum):
            return
        if not isinstance(value, str) or value not in allowed:
            choices = ", ".join(sorted(repr(v) for v in allowed))
            raise ValidationError(
                attribute.name,
                f"one of {choices} ({enum.__name__})",
                got=describe(attribute.name, value),
            )

    return run


def _to_uuid_text(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


def uuid_field(*, required: bool = True) -> Any:
    """A UUID string; a ``uuid.UUID`` instance is accepted and stored as text."""
    if required:
        return attrs.field(default=REQUIRED, converter=_to_uuid_text, validator=_uuid_validator)
    return attrs.field(default=None, converter=_to_uuid_text, validator=_optional(_uuid_validator))


def phone_field() -> Any:
    """A required E.164 phone number."""
    return attrs.field(default=REQUIRED, validator=_phone_validator)


def str_field(*, required: bool = False) -> Any:
    if required:
        return attrs.field(default=REQUIRED, validator=_str_validator)
    return attrs.field(default=None, validator=_optional(_str_validator))


def ipv4_field() -> Any:
    return attrs.field(default=None, validator=_optional(_ipv4_validator))


def url_field() -> Any:
    return attrs.field(default=None, validator=_optional(_url_validator))


def bool_field() -> Any:
    return attrs.field(default=None, validator=_optional(_bool_validator))


def enum_field(enum: type[Enum], *, required: bool = False) -> Any:
    if required:
        return attrs.field(default=REQUIRED, validator=_enum_validator(enum))
    return attrs.field(default=None, validator=_optional(_enum_validator(enum)))
