"""The one cattrs converter: how models become JSON-ready dicts and back.

Requests omit unset (``None``) fields. Responses tolerate unknown fields (ignored), missing
fields (``None``) and enum values the SDK does not know yet (kept as ``str``). Date-times
are parsed timezone-aware; a naive one is taken as UTC, which is what the API means.
"""

from __future__ import annotations

import re
import types
import typing
from datetime import datetime, timezone
from enum import Enum
from typing import Any, TypeVar, Union

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn

from . import components as c

T = TypeVar("T")

converter = cattrs.Converter()

REQUEST_MODELS: tuple[type[Any], ...] = (
    c.CreateAuthenticationRequest,
    c.CreateCheckRequest,
    c.FeedbackRequest,
    c.RetryAuthenticationRequest,
)


_FRACTION = re.compile(r"(?<=:\d\d)\.(\d+)")


def _six_digits(match: re.Match[str]) -> str:
    return "." + (match.group(1) + "00000")[:6]


def parse_datetime(value: Any, _type: Any = datetime) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        # Python 3.10's fromisoformat takes neither the "Z" suffix the API uses nor
        # fractions other than 3 or 6 digits (".0Z", Go's nanoseconds): normalise both.
        text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
        if "." in text:
            text = _FRACTION.sub(_six_digits, text, count=1)
        parsed = datetime.fromisoformat(text)
    else:
        raise TypeError(f"expected an RFC 3339 date-time string, got {type(value).__name__}")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


converter.register_structure_hook(datetime, parse_datetime)


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

    def structure(value: Any, _: Any) -> Any:
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

_EVENT_TYPES: dict[str, type[Any]] = {
    "attempt": c.Attempt,
    "check": c.Check,
    "delivery_status": c.DeliveryStatus,
    "balance_update": c.BalanceUpdate,
}


def _structure_event(value: Any, _: Any) -> c.Events:
    if not isinstance(value, dict):
        raise TypeError(f"expected an event object, got {type(value).__name__}")
    cls = _EVENT_TYPES.get(value.get("type"))  # type: ignore[arg-type]
    if cls is None:
        kind = value.get("type")
        return c.UnknownEvent(type=kind if isinstance(kind, str) else None, data=value)
    event: c.Events = converter.structure(value, cls)
    return event


converter.register_structure_hook(c.Events, _structure_event)
converter.register_unstructure_hook(c.UnknownEvent, lambda event: dict(event.data))

# Hooks are generated on first use, not at import: generating code for every model up
# front would make `import ding` measurably slower for nothing.
_REQUESTS = frozenset(REQUEST_MODELS)
converter.register_unstructure_hook_factory(
    # Unset optional fields stay off the wire: the API distinguishes "absent" from null.
    lambda cls: cls in _REQUESTS,
    lambda cls: make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True),
)


def request_to_json(request: Any) -> dict[str, Any]:
    """The JSON object for a request model: unset fields omitted, enums as their values."""
    payload: dict[str, Any] = converter.unstructure(request)
    return payload


def _wire_values(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _wire_values(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_wire_values(v) for v in value]
    if isinstance(value, Enum):
        return value.value  # (cattrs passes str enums in `Enum | str` unions through)
    return value


def to_wire(model: Any) -> dict[str, Any]:
    """A model as the JSON object the API writes (``to_dict``): unset fields left out, enums
    as their values, date-times as RFC 3339 text."""
    data: dict[str, Any] = _wire_values(converter.unstructure(model))
    return data


def structure(data: Any, cls: type[T]) -> T:
    """Build ``cls`` from decoded JSON; raises (any exception) if the shape is wrong."""
    if attrs.has(cls) and not isinstance(data, dict):
        raise TypeError(f"expected a JSON object for {cls.__name__}, got {type(data).__name__}")
    return converter.structure(data, cls)
