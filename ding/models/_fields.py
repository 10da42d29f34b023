"""Field rules for request models: the checks the spec implies, run by the call before any I/O.

Building or changing a model never raises for a value (as with the official client's
dataclasses): each helper returns an ``attrs.field`` that only records its rule in the
field's metadata. :func:`validate_request` runs those rules when a request is sent, raising
:class:`ding.models.errors.ValidationError` naming the field, with the ``code`` the API
answers for it (``invalid_phone_number``, ``invalid_auth_uuid``, ``bad_request``, ...).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from enum import Enum
from typing import Any, NoReturn
from urllib.parse import urlsplit

import attrs

from .errors import Code, ValidationError

Check = Callable[[str, Any], None]
"""Raises ValidationError for a bad ``value`` of the field ``name``."""

RULE = "ding.rule"
"""Metadata key of a field's rule: ``(check, required)``."""

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


def _check_str(name: str, value: object, code: Code = Code.BAD_REQUEST) -> str:
    if not isinstance(value, str):
        raise ValidationError(name, "a string", got=describe(name, value), code=code)
    return value


def check_e164(name: str, value: object) -> str:
    """Raise unless ``value`` is an E.164 phone number ('+' then 2 to 15 digits)."""
    code = Code.INVALID_PHONE_NUMBER
    text = _check_str(name, value, code)
    if _E164.fullmatch(text) is None:
        raise ValidationError(
            name,
            "an E.164 phone number such as '+1234567890'",
            got=describe(name, value),
            code=code,
        )
    return text


def check_uuid(name: str, value: object, code: Code = Code.BAD_REQUEST) -> str:
    """Raise unless ``value`` is a UUID string; a ``uuid.UUID`` is accepted and turned to text."""
    if isinstance(value, uuid.UUID):
        return str(value)
    text = _check_str(name, value, code)
    if _UUID.fullmatch(text) is None:
        raise ValidationError(
            name,
            "a UUID such as 'c9f826e0-deca-41ec-871f-ecd6e8efeb46'",
            got=describe(name, value),
            code=code,
        )
    return text


# The rules a request runs on every call. Each takes a valid string in one step (the common
# case, checked before each send) and leaves anything else to the function that explains it.


def _check_auth_uuid(name: str, value: object) -> None:
    if type(value) is not str or _UUID.fullmatch(value) is None:
        check_uuid(name, value, Code.INVALID_AUTH_UUID)


def _check_plain_str(name: str, value: object) -> None:
    if type(value) is not str:
        _check_str(name, value)


def _check_ipv4(name: str, value: object) -> None:
    import ipaddress  # rarely used field: keep the module off `import ding`

    text = _check_str(name, value)
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        raise ValidationError(
            name, "an IPv4 address such as '192.0.2.1'", got=describe(name, value)
        ) from None


def _check_url(name: str, value: object) -> None:
    text = _check_str(name, value)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(name, "an absolute http(s) URL", got=describe(name, value))


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(name, "a bool", got=describe(name, value))


def _enum_check(enum: type[Enum], code: Code) -> Check:
    allowed = {member.value for member in enum}

    def check(name: str, value: object) -> None:
        if isinstance(value, enum):
            return
        if not isinstance(value, str) or value not in allowed:
            choices = ", ".join(sorted(repr(v) for v in allowed))
            raise ValidationError(
                name,
                f"one of {choices} ({enum.__name__})",
                got=describe(name, value),
                code=code,
            )

    return check


def _to_uuid_text(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


def _field(check: Check, *, required: bool, **kwargs: Any) -> Any:
    if required:
        return attrs.field(metadata={RULE: (check, True)}, **kwargs)
    return attrs.field(default=None, metadata={RULE: (check, False)}, **kwargs)


def uuid_field(*, required: bool = True, auth: bool = False) -> Any:
    """A UUID string (a ``uuid.UUID`` given to the constructor is stored as text; one assigned
    later is stored as given and sent as text); ``auth``: an authentication's."""
    check = _check_auth_uuid if auth else _check_plain_uuid
    return _field(check, required=required, converter=_to_uuid_text)


def _check_plain_uuid(name: str, value: object) -> None:
    if type(value) is not str or _UUID.fullmatch(value) is None:
        check_uuid(name, value)


def phone_field() -> Any:
    """A required E.164 phone number."""
    return _field(_phone_check, required=True)


def _phone_check(name: str, value: object) -> None:
    if type(value) is not str or _E164.fullmatch(value) is None:
        check_e164(name, value)


def str_field(*, required: bool = False) -> Any:
    return _field(_check_plain_str, required=required)


def ipv4_field() -> Any:
    return _field(_check_ipv4, required=False)


def url_field() -> Any:
    return _field(_check_url, required=False)


def bool_field() -> Any:
    return _field(_check_bool, required=False)


def enum_field(enum: type[Enum], *, required: bool = False, code: Code = Code.BAD_REQUEST) -> Any:
    return _field(_enum_check(enum, code), required=required)


# The rules of each request model, gathered from its fields on first use.
_RULES: dict[type, tuple[tuple[str, Check, bool], ...]] = {}
# Each request model's validator: its rules written out as one function (see _validator).
_VALIDATORS: dict[type, Callable[[Any], None]] = {}


def _rules(cls: type) -> tuple[tuple[str, Check, bool], ...]:
    rules = _RULES.get(cls)
    if rules is None:
        rules = tuple((f.name, *f.metadata[RULE]) for f in attrs.fields(cls) if RULE in f.metadata)
        _RULES[cls] = rules
    return rules


def is_request_model(cls: Any) -> bool:
    """Whether ``cls`` is a request model (its fields carry rules)."""
    return isinstance(cls, type) and attrs.has(cls) and bool(_rules(cls))


def _missing(name: str) -> NoReturn:
    raise ValidationError(
        name, "a value (this field is required)", got="None", code=Code.BAD_REQUEST
    )


def _validator(cls: type) -> Callable[[Any], None]:
    """The rules of ``cls`` as straight-line code, in field order, built once per model (as
    attrs and cattrs build theirs): every call validates its request, and a loop over the
    rules costs three times as much, most of it on optional fields left unset."""
    namespace: dict[str, Any] = {"_missing": _missing}
    lines = ["def validate(request):"]
    for index, (name, check, required) in enumerate(_rules(cls)):
        namespace[f"_check{index}"] = check
        lines.append(f"    value = request.{name}")
        if required:
            lines.append(f"    if value is None: _missing({name!r})")
            lines.append(f"    _check{index}({name!r}, value)")
        else:
            lines.append(f"    if value is not None: _check{index}({name!r}, value)")
    lines.append("    return None")
    exec(compile("\n".join(lines), f"<ding rules {cls.__qualname__}>", "exec"), namespace)
    validate: Callable[[Any], None] = namespace["validate"]
    _VALIDATORS[cls] = validate
    return validate


def validate_request(request: Any) -> None:
    """Raise ``ValidationError`` for the first field of ``request`` the spec rules out."""
    cls = type(request)
    (_VALIDATORS.get(cls) or _validator(cls))(request)
