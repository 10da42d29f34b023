"""What the fields of the models carry beside their type: the request rules and the masks.

Request fields are declared with ``attrs.field`` itself, so that mypy's attrs plugin and
pyright's ``dataclass_transform`` see which fields are required (those without a default),
and their rule goes in the field's metadata::

    customer_uuid: str = attrs.field(converter=uuid_text, metadata=UUID)
    ip: str | None = attrs.field(default=None, metadata=IPV4)

Building or changing a model never raises for a value (as with the official client's
dataclasses): :func:`validate_request` runs the rules when a request is sent, raising
:class:`ding.models.errors.ValidationError` naming the field, with the ``code`` the API
answers for it (``invalid_phone_number``, ``invalid_auth_uuid``, ``bad_request``, ...).

Fields holding personal data or a secret are given a masked ``repr`` (:func:`masked_phone`,
:func:`masked`), so a debugger, an error tracker's frame variables or a log of a model shows
``'+33*******78'`` or ``'***'``; ``to_dict`` / ``to_json`` keep the real values.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, NoReturn
from urllib.parse import urlsplit

import attrs

from .errors import Code, ValidationError

Check = Callable[[str, Any], None]
"""Raises ValidationError for a bad ``value`` of the field ``name``."""

RULE = "ding.rule"
"""Metadata key of a request field's rule (a :data:`Check`)."""
WHOLE_OBJECT = "ding.whole_object"
"""Metadata key of the field that holds a model's whole JSON object (``UnknownEvent.data``):
the model is written back as that object."""

E164_PATTERN = re.compile(r"\+[1-9][0-9]{1,14}")
"""An E.164 phone number: '+' then 2 to 15 digits, the first not 0."""
UUID_PATTERN = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
"""The canonical 8-4-4-4-12 form the spec's ``format: uuid`` means (``uuid.UUID()`` would
also take braces, ``urn:uuid:`` and missing hyphens, which the API does not)."""

# Values that are personal data or a credential are never echoed back in an error message.
_SECRET_FIELDS = frozenset({"phone_number", "check_code"})


# --- masks: the repr of personal data and secrets -----------------------------------------


def masked_phone(value: object) -> str:
    """The repr of a phone number: its first three and last two characters, the rest ``*``
    (``'+33*******78'``); anything shorter than eight characters is masked whole."""
    if not isinstance(value, str):
        return masked(value)
    if len(value) < 8:
        return repr("*" * len(value))
    return repr(value[:3] + "*" * (len(value) - 5) + value[-2:])


def masked(value: object) -> str:
    """The repr of a secret or a piece of personal data: ``'***'`` (``None`` stays visible)."""
    return "None" if value is None else "'***'"


def keys_only(value: object) -> str:
    """The repr of an object kept whole (an unknown event): its keys, not its values."""
    if not isinstance(value, Mapping):
        return masked(value)
    return "{" + ", ".join(f"{key!r}: ..." for key in value) + "}"


# --- checks --------------------------------------------------------------------------------


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


def _check_pattern(
    name: str, value: object, pattern: re.Pattern[str], expected: str, code: Code
) -> str:
    text = _check_str(name, value, code)
    if pattern.fullmatch(text) is None:
        raise ValidationError(name, expected, got=describe(name, value), code=code)
    return text


def check_e164(name: str, value: object) -> str:
    """Raise unless ``value`` is an E.164 phone number ('+' then 2 to 15 digits)."""
    expected = "an E.164 phone number such as '+1234567890'"
    return _check_pattern(name, value, E164_PATTERN, expected, Code.INVALID_PHONE_NUMBER)


def check_uuid(name: str, value: object, code: Code = Code.BAD_REQUEST) -> str:
    """Raise unless ``value`` is a UUID string; a ``uuid.UUID`` is accepted and turned to text."""
    if isinstance(value, uuid.UUID):
        return str(value)
    expected = "a UUID such as 'c9f826e0-deca-41ec-871f-ecd6e8efeb46'"
    return _check_pattern(name, value, UUID_PATTERN, expected, code)


# The rules a request runs on every call. Each takes a valid string in one step (the common
# case, checked before each send) and leaves anything else to the function that explains it.


def _check_plain_uuid(name: str, value: object) -> None:
    if type(value) is not str or UUID_PATTERN.fullmatch(value) is None:
        check_uuid(name, value)


def _check_auth_uuid(name: str, value: object) -> None:
    if type(value) is not str or UUID_PATTERN.fullmatch(value) is None:
        check_uuid(name, value, Code.INVALID_AUTH_UUID)


def _check_phone(name: str, value: object) -> None:
    if type(value) is not str or E164_PATTERN.fullmatch(value) is None:
        check_e164(name, value)


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


# --- the metadata of request fields --------------------------------------------------------

UUID: Mapping[str, Check] = {RULE: _check_plain_uuid}
"""A UUID string (``customer_uuid``)."""
AUTH_UUID: Mapping[str, Check] = {RULE: _check_auth_uuid}
"""An authentication's UUID: a bad one is ``invalid_auth_uuid``, as the API answers."""
PHONE: Mapping[str, Check] = {RULE: _check_phone}
"""An E.164 phone number."""
TEXT: Mapping[str, Check] = {RULE: _check_plain_str}
"""Any string."""
IPV4: Mapping[str, Check] = {RULE: _check_ipv4}
"""An IPv4 address."""
URL: Mapping[str, Check] = {RULE: _check_url}
"""An absolute http(s) URL."""
BOOL: Mapping[str, Check] = {RULE: _check_bool}
"""A ``bool``."""


def one_of(enum: type[Enum], code: Code = Code.BAD_REQUEST) -> Mapping[str, Check]:
    """A member of ``enum`` or its value; a bad one is answered with ``code``."""
    return {RULE: _enum_check(enum, code)}


def uuid_text(value: str | uuid.UUID) -> str:
    """The constructor's converter of UUID fields: a ``uuid.UUID`` is stored as text (one
    assigned later is stored as given and sent as text). Any other value is kept as given,
    for the call to refuse: building a model never raises."""
    return str(value) if isinstance(value, uuid.UUID) else value


# --- validation ----------------------------------------------------------------------------

# The rules of each request model, gathered from its fields on first use:
# (name, check, required).
_RULES: dict[type, tuple[tuple[str, Check, bool], ...]] = {}
# Each request model's validator: its rules written out as one function (see _validator).
_VALIDATORS: dict[type, Callable[[Any], None]] = {}


def _rules(cls: type) -> tuple[tuple[str, Check, bool], ...]:
    rules = _RULES.get(cls)
    if rules is None:
        rules = tuple(
            (f.name, f.metadata[RULE], f.default is attrs.NOTHING)
            for f in attrs.fields(cls)
            if RULE in f.metadata
        )
        _RULES[cls] = rules
    return rules


def is_request_model(cls: Any) -> bool:
    """Whether ``cls`` is a request model (its fields carry rules)."""
    return isinstance(cls, type) and attrs.has(cls) and bool(_rules(cls))


def holds_whole_object(cls: Any) -> bool:
    """Whether ``cls`` keeps its whole JSON object in a field (see :data:`WHOLE_OBJECT`)."""
    return (
        isinstance(cls, type)
        and attrs.has(cls)
        and any(WHOLE_OBJECT in f.metadata for f in attrs.fields(cls))
    )


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
