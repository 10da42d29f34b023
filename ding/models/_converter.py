"""The one cattrs converter: how models become JSON-ready dicts and back.

Requests omit unset (``None``) fields. Responses tolerate unknown fields (ignored), missing
fields (``None``) and enum values the SDK does not know yet (kept as ``str``). Date-times
are parsed timezone-aware; a naive one is taken as UTC, which is what the API means.

Responses are never coerced: a value of the wrong JSON type is refused (the client raises
``ResponseValidationError``) rather than converted, so ``"false"`` never becomes ``True``, a
list never becomes its ``repr`` and ``2.9`` never becomes ``2``. The one widening allowed is
a JSON integer where a number is declared (``float``); a boolean is never a number and a
string is never a boolean or a number.
"""

from __future__ import annotations

import re
import sys
import types
import typing
import uuid
from datetime import datetime, timezone
from enum import Enum
from typing import Any, TypeVar, Union

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from ._fields import WHOLE_OBJECT, holds_whole_object, is_request_model

T = TypeVar("T")

converter = cattrs.Converter()
# No hook below names a model class: the models are built on first use (see ``_lazy``), and
# the converter must not build them all at import (nor import them: the models use it).


# Compiled (and cached by ``re``) on first use: on Python 3.11+ only what fromisoformat refuses
# (a lowercase "z", a malformed value) takes that path; compiling it at import cost a fresh
# process 0.26M instructions.
_FRACTION = r"(?<=:\d\d)\.(\d+)"


def _six_digits(match: re.Match[str]) -> str:
    return "." + (match.group(1) + "00000")[:6]


def _parse_normalised(value: str) -> datetime:
    # Python 3.10's fromisoformat takes neither the "Z" suffix the API uses nor fractions
    # other than 3 or 6 digits (".0Z", Go's nanoseconds): normalise both.
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    if "." in text:
        text = re.sub(_FRACTION, _six_digits, text, count=1)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise ValueError(f"expected an RFC 3339 date-time string, got {shown!r}") from None


# Python 3.11+ reads "Z" and any fraction itself (truncated to microseconds, as the
# normalisation does); then only a lowercase "z" takes the slow path.
_NATIVE_RFC3339 = sys.version_info >= (3, 11)
_fromisoformat = datetime.fromisoformat


def parse_datetime(value: Any, _type: Any = datetime) -> datetime:
    if type(value) is str and _NATIVE_RFC3339:
        try:
            parsed = _fromisoformat(value)
        except ValueError:
            parsed = _parse_normalised(value)
    elif isinstance(value, str):
        parsed = _parse_normalised(value)
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise TypeError(f"expected an RFC 3339 date-time string, got {type(value).__name__}")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def _json_type(value: Any) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return names.get(type(value), type(value).__name__)


def _exactly(kind: type[Any], expected: str) -> Any:
    """A structure hook that takes values of JSON type ``kind`` only (``bool`` is no ``int``)."""

    def structure(value: Any, _type: Any) -> Any:
        if type(value) is kind:
            return value
        raise TypeError(f"expected {expected}, got {_json_type(value)}")

    return structure


def _number(value: Any, _type: Any) -> float:
    if type(value) is float or type(value) is int:
        return float(value)
    raise TypeError(f"expected a number, got {_json_type(value)}")


_EXACT = {str: "a string", bool: "a boolean", int: "an integer"}
for _kind, _expected in _EXACT.items():
    converter.register_structure_hook(_kind, _exactly(_kind, _expected))
converter.register_structure_hook(float, _number)


def converter_hook(direction: str, tp: Any) -> Any:
    """The converter's ``"structure"`` or ``"unstructure"`` hook for ``tp``, looked up once
    (not per value, as ``converter.structure`` / ``unstructure`` do on every call).

    cattrs 24.1 made that lookup public (``get_structure_hook``); ding supports cattrs from
    22.2, where the one way is the private dispatch (``_structure_func.dispatch``).
    tests/unit/test_library_internals.py fails loudly if the installed cattrs has neither."""
    lookup: Any = getattr(converter, f"get_{direction}_hook", None)
    if lookup is None:
        lookup = getattr(converter, f"_{direction}_func").dispatch
    return lookup(tp)


def _structure_list(tp: Any) -> Any:
    (item,) = typing.get_args(tp) or (Any,)
    item_hook = converter_hook("structure", item)

    def structure(value: Any, _type: Any) -> list[Any]:
        if type(value) is not list:  # a dict or a string would otherwise be iterated
            raise TypeError(f"expected an array, got {_json_type(value)}")
        return [item_hook(element, item) for element in value]

    return structure


def _optional_of(tp: Any) -> Any:
    """``X | None`` (not an open enum): the hook of X, resolved once, or None."""
    inner = next(a for a in _union_args(tp) if a is not type(None))
    if inner in _EXACT:  # most response fields: one call per value, not two
        expected = _EXACT[inner]

        def exactly_or_none(value: Any, _type: Any) -> Any:
            if value is None or type(value) is inner:
                return value
            raise TypeError(f"expected {expected}, got {_json_type(value)}")

        return exactly_or_none
    inner_hook = converter_hook("structure", inner)

    def structure(value: Any, _type: Any) -> Any:
        return None if value is None else inner_hook(value, inner)

    return structure


def _is_optional(tp: Any) -> bool:
    args = _union_args(tp)
    return len(args) == 2 and type(None) in args


def _structure_object(cls: type[Any]) -> Any:
    fields = make_dict_structure_fn(cls, converter)

    def structure(value: Any, _type: Any) -> Any:
        if type(value) is not dict:  # a list would otherwise give an object of Nones
            raise TypeError(f"expected an object for {cls.__name__}, got {_json_type(value)}")
        return fields(value, cls)

    return structure


def _is_list(tp: Any) -> bool:
    origin: Any = typing.get_origin(tp)
    return origin is list


converter.register_structure_hook_factory(_is_list, _structure_list)
converter.register_structure_hook_factory(attrs.has, _structure_object)
converter.register_structure_hook(datetime, parse_datetime)
# cattrs would look the inner type's hook up again for every value of an optional field.
converter.register_structure_hook_factory(_is_optional, _optional_of)


def format_datetime(value: datetime) -> str:
    """RFC 3339 as the API writes it: UTC as ``Z``."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


converter.register_unstructure_hook(datetime, format_datetime)


def _union_args(tp: Any) -> tuple[Any, ...]:
    if typing.get_origin(tp) in (Union, types.UnionType):
        return typing.get_args(tp)
    return ()


def _open_enum(tp: Any) -> type[Enum] | None:
    """The enum of an ``Enum | str [| None]`` annotation (an enum that tolerates new values)."""
    args = [a for a in _union_args(tp) if a is not type(None)]
    enums = [a for a in args if isinstance(a, type) and issubclass(a, Enum)]
    if len(enums) == 1 and str in args and len(args) == 2:
        return enums[0]
    return None


def _structure_open_enum(tp: Any) -> Any:
    enum = _open_enum(tp)
    assert enum is not None
    nullable = type(None) in _union_args(tp)
    # The members by value, looked up directly: calling the enum costs a few times more.
    members: dict[Any, Enum] = {member.value: member for member in enum}

    def structure(value: Any, _: Any) -> Any:
        member = members.get(value) if type(value) is str else None
        if member is not None:
            return member
        if value is None and nullable:
            return None
        try:
            return enum(value)
        except ValueError:
            if isinstance(value, str):
                return value  # a status added after this SDK version; keep it as text
            raise

    return structure


converter.register_structure_hook_factory(
    lambda tp: _open_enum(tp) is not None, _structure_open_enum
)


def _tags(tp: Any) -> dict[Any, type[Any]] | None:
    """The members of a union of models told apart by their ``type`` field, by the tag each
    member's ``type`` defaults to (the member defaulting to None, the fallback, under None);
    None when ``tp`` is not such a union (``Events``)."""
    members = _union_args(tp)
    if not members or not all(attrs.has(m) and "type" in attrs.fields_dict(m) for m in members):
        return None
    tags: dict[Any, type[Any]] = {}
    for member in members:
        tag = attrs.fields_dict(member)["type"].default
        tags[tag.value if isinstance(tag, Enum) else tag] = member
    return tags if None in tags and len(tags) == len(members) else None


def _structure_tagged_union(tp: Any) -> Any:
    """An object of a tagged union: the member its ``type`` names, built when first met;
    a type this version does not know gives the fallback member, which keeps the object."""
    tags = _tags(tp)
    assert tags is not None
    fallback = tags.pop(None)
    whole = next(f.name for f in attrs.fields(fallback) if WHOLE_OBJECT in f.metadata)
    hooks: dict[str, tuple[type[Any], Any]] = {}

    def structure(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            raise TypeError(f"expected an event object, got {_json_type(value)}")
        kind = value.get("type")
        found = hooks.get(kind) if type(kind) is str else None
        if found is None and type(kind) is str and kind in tags:
            cls = tags[kind]
            found = hooks[kind] = (cls, converter_hook("structure", cls))
        if found is None:
            return fallback(type=kind if isinstance(kind, str) else None, **{whole: value})
        cls, hook = found
        return hook(value, cls)

    return structure


converter.register_structure_hook_factory(lambda tp: _tags(tp) is not None, _structure_tagged_union)


def _unstructure_whole_object(cls: type[Any]) -> Any:
    whole = next(f.name for f in attrs.fields(cls) if WHOLE_OBJECT in f.metadata)
    return lambda model: dict(getattr(model, whole))


converter.register_unstructure_hook_factory(holds_whole_object, _unstructure_whole_object)

# Hooks are generated on first use, not at import: generating code for every model up
# front would make `import ding` measurably slower for nothing.
converter.register_unstructure_hook_factory(
    # Unset optional fields stay off the wire: the API distinguishes "absent" from null.
    is_request_model,
    lambda cls: make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True),
)


# The hooks of the models a call sends and receives, looked up in the converter once per
# model rather than on every call (what `converter.structure` / `unstructure` do each time).
_structure_hooks: dict[type[Any], Any] = {}
_unstructure_hooks: dict[type[Any], Any] = {}


def _unstructure_hook(cls: type[Any]) -> Any:
    hook = _unstructure_hooks[cls] = converter_hook("unstructure", cls)
    return hook


def request_to_json(request: Any) -> dict[str, Any]:
    """The JSON object for a request model: unset fields omitted, enums as their values."""
    cls = type(request)
    payload: dict[str, Any] = (_unstructure_hooks.get(cls) or _unstructure_hook(cls))(request)
    return payload


def _wire_values(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _wire_values(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_wire_values(v) for v in value]
    if isinstance(value, Enum):
        return value.value  # (cattrs passes str enums in `Enum | str` unions through)
    if isinstance(value, uuid.UUID):
        return str(value)  # assigned to a request's UUID field after construction
    return value


def to_wire(model: Any) -> dict[str, Any]:
    """A model as the JSON object the API writes (``to_dict``): unset fields left out, enums
    as their values, date-times as RFC 3339 text."""
    data: dict[str, Any] = _wire_values(converter.unstructure(model))
    return data


def structure(data: Any, cls: type[T]) -> T:
    """Build ``cls`` from decoded JSON; raises (any exception) if the shape or a type is wrong."""
    hook = _structure_hooks.get(cls)
    if hook is None:
        hook = _structure_hooks[cls] = converter_hook("structure", cls)
    result: T = hook(data, cls)
    return result
