"""`parse_event`: a webhook request's body (bytes, text or decoded JSON) to a typed event.

Pure functions, no I/O. Every way a body can be wrong raises ``errors.WebhookError`` (a
``DingError`` and a ``ValueError``) naming what is wrong; nothing else escapes. Known fields
of the wrong JSON type are refused, never coerced (``"false"`` never becomes ``True``);
unknown fields are kept in ``extra``; an unknown event type is an ``UnknownEvent``.

The events are structured through the SDK's one cattrs converter: this module registers
its hooks there when imported.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any

import attrs

from ..models._converter import converter, parse_datetime
from ..models.errors import WebhookError
from ._events import (
    AttemptEvent,
    AuthenticationEvent,
    Price,
    UnknownEvent,
    WebhookEvent,
    WebhookEventType,
)

__all__ = ["parse_event", "parse_event_time"]

Body = bytes | bytearray | memoryview | str | Mapping[str, Any]

_EVENT_CLASSES: dict[str, type[Any]] = {
    WebhookEventType.AUTHENTICATION.value: AuthenticationEvent,
    WebhookEventType.ATTEMPT.value: AttemptEvent,
}
_MODELS = frozenset({AuthenticationEvent, AttemptEvent, Price})
_JSON_TYPES = ("application/json", "text/json")


def parse_event(body: Body, headers: Mapping[str, str] | None = None) -> WebhookEvent:
    """The event a webhook request carries.

    ``body`` is the raw request body (``bytes`` or ``str``, UTF-8 JSON) or the JSON your
    framework already decoded (a mapping). ``headers``, when given, are the request's
    headers (any mapping; names are matched case-insensitively): a ``Content-Type`` that is
    not JSON, a charset other than UTF-8 or a ``Content-Encoding`` is refused.

    Returns an :class:`AuthenticationEvent`, an :class:`AttemptEvent`, or an
    :class:`UnknownEvent` for a type this version does not know. Raises
    :class:`ding.models.errors.WebhookError` when the body is not a JSON object, is not
    valid UTF-8, lacks a string ``id`` or ``type``, or has a known field of the wrong type.
    """
    if headers is not None:
        _check_headers(headers)
    data = _decode(body)
    event_id = _required_text(data, "id")
    kind = _required_text(data, "type")
    cls = _EVENT_CLASSES.get(kind)
    if cls is None:
        auth_uuid = data.get("auth_uuid")
        return UnknownEvent(
            id=event_id,
            type=kind,
            auth_uuid=auth_uuid if isinstance(auth_uuid, str) else None,
            data=data,
        )
    try:
        event: WebhookEvent = converter.structure(data, cls)
    except WebhookError:
        raise
    except Exception as exc:  # a converter hook we did not write: still never a raw error
        raise WebhookError(f"cannot read the {kind} event: {exc}") from exc
    return event


def parse_event_time(value: object) -> datetime:
    """A webhook ``time``: ISO 8601 with a ``+0000``, ``+00:00`` or ``Z`` offset, on every
    supported Python (3.10's ``fromisoformat`` reads neither ``Z`` nor ``+0000``)."""
    if not isinstance(value, str):
        raise WebhookError(
            f"time: expected a date-time string, got {_json_type(value)}", field="time"
        )
    text = value.strip()
    date, sep, clock = text.partition("T")
    if sep:
        # "+0000" (what Ding sends) -> "+00:00"; "Z" is handled by parse_datetime.
        text = date + sep + _BASIC_OFFSET.sub(r"\1:\2", clock)
    try:
        return parse_datetime(text)
    except (TypeError, ValueError):
        raise WebhookError(
            f"time: expected an ISO 8601 date-time, got {value[:40]!r}", field="time"
        ) from None


_BASIC_OFFSET = re.compile(r"([+-]\d\d)(\d\d)$")


# -- the body ------------------------------------------------------------------------


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == name:
            return str(value)
    return None


def _check_headers(headers: Mapping[str, str]) -> None:
    content_type = _header(headers, "content-type")
    if content_type is not None and content_type.strip():
        media, *params = (part.strip() for part in content_type.split(";"))
        media = media.lower()
        if media not in _JSON_TYPES and not media.endswith("+json"):
            raise WebhookError(
                f"Content-Type: expected application/json, got {media[:60]!r}",
                field="content-type",
            )
        for param in params:
            name, _, charset = param.partition("=")
            charset = charset.strip().strip('"').lower()
            if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
                raise WebhookError(
                    f"Content-Type: expected a UTF-8 body, got charset {charset[:30]!r}",
                    field="content-type",
                )
    encoding = _header(headers, "content-encoding")
    if encoding is not None and encoding.strip().lower() not in ("", "identity"):
        raise WebhookError(
            f"Content-Encoding: expected an uncompressed body, got {encoding[:30]!r}",
            field="content-encoding",
        )


def _reject_constant(name: str) -> Any:
    raise WebhookError(f"the body is not valid JSON ({name} is not a JSON number)")


def _decode(body: object) -> dict[str, Any]:
    if isinstance(body, Mapping):
        data: Any = dict(body)
    else:
        text = _text(body)
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except WebhookError:
            raise
        except RecursionError:
            raise WebhookError("the body is not a usable JSON object (nested too deeply)") from None
        except ValueError as exc:
            raise WebhookError(f"the body is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise WebhookError(f"the body must be a JSON object, got {_json_type(data)}")
    _check_json(data)
    return data


def _text(body: object) -> str:
    if isinstance(body, (bytes, bytearray, memoryview)):
        try:
            # Decoded explicitly: json.loads(bytes) would also guess UTF-16 and UTF-32.
            return bytes(body).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise WebhookError(f"the body is not valid UTF-8 (byte {exc.start})") from None
    if isinstance(body, str):
        return body
    raise WebhookError(f"the body must be bytes, str or a mapping, got {type(body).__name__}")


def _check_json(data: dict[str, Any]) -> None:
    """Every key a string, every value a JSON value, no text that is not valid UTF-8
    (a lone surrogate, from a ``\\ud800`` escape or a str built with surrogateescape)."""
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key in value:
                if not isinstance(key, str):
                    raise WebhookError(f"the body has a non-string key ({type(key).__name__})")
                _check_utf8(key)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            _check_utf8(value)
        elif isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise WebhookError("the body has a number JSON cannot carry (NaN or infinity)")
        elif value is not None and not isinstance(value, (bool, int)):
            raise WebhookError(f"the body has a value JSON cannot carry ({type(value).__name__})")


def _check_utf8(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise WebhookError("the body is not valid UTF-8 (it contains a lone surrogate)") from None


def _required_text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        got = "nothing" if name not in data else _json_type(value)
        raise WebhookError(f"{name}: expected a non-empty string, got {got}", field=name)
    return value


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string" if value else "an empty string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# -- converter hooks -------------------------------------------------------------------

Reader = Callable[[Any, str], Any]


def _read_text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise WebhookError(f"{path}: expected a string, got {_json_type(value)}", field=path)
    return value


def _read_number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise WebhookError(f"{path}: expected a number, got {_json_type(value)}", field=path)
    return value


def _read_int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WebhookError(f"{path}: expected an integer, got {_json_type(value)}", field=path)
    return value


def _read_time(value: Any, path: str) -> datetime:
    try:
        return parse_event_time(value)
    except WebhookError as exc:
        raise WebhookError(str(exc).replace("time:", f"{path}:", 1), field=path) from None


def _read_price(value: Any, path: str) -> Price:
    if not isinstance(value, dict):
        raise WebhookError(f"{path}: expected an object, got {_json_type(value)}", field=path)
    price: Price = _structure_fields(value, Price, prefix=f"{path}.")
    return price


def _enum_reader(enum: type[Enum]) -> Reader:
    def read(value: Any, path: str) -> Any:
        text = _read_text(value, path)
        try:
            return enum(text)
        except ValueError:
            return text  # a value added after this version: kept as received

    return read


def _reader_for(annotation: Any) -> Reader:
    args = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    enums = [a for a in args if isinstance(a, type) and issubclass(a, Enum)]
    if enums:
        return _enum_reader(enums[0])
    (kind,) = args
    readers: dict[Any, Reader] = {
        str: _read_text,
        float: _read_number,
        int: _read_int,
        datetime: _read_time,
        Price: _read_price,
    }
    return readers[kind]


def _plan(cls: type[Any]) -> dict[str, Reader]:
    hints = typing.get_type_hints(cls)
    return {
        field.name: _reader_for(hints[field.name])
        for field in attrs.fields(cls)
        if field.name not in ("extra", "type")
    }


_PLANS: dict[type[Any], dict[str, Reader]] = {}


def _structure_fields(data: dict[str, Any], cls: type[Any], prefix: str = "") -> Any:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _plan(cls)
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        reader = plan.get(key)
        if key == "type" and cls is not Price:
            continue  # the discriminator: the class already says it
        if reader is None:
            extra[key] = value
        elif value is not None:  # null is "absent", as in the API's answers
            known[key] = reader(value, prefix + key)
    return cls(**known, extra=extra)


def _structure_event(data: Any, cls: type[Any]) -> Any:
    if not isinstance(data, dict):
        raise WebhookError(f"expected a JSON object, got {_json_type(data)}")
    return _structure_fields(data, cls)


def _unstructure_model(model: Any) -> dict[str, Any]:
    """The JSON object of an event: known fields that are set, then ``extra`` as received."""
    out: dict[str, Any] = {}
    for field in attrs.fields(type(model)):
        value = getattr(model, field.name)
        if field.name == "extra" or value is None:
            continue
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Price):
            value = _unstructure_model(value)
        out[field.name] = value
    out.update(getattr(model, "extra", {}))
    return out


converter.register_structure_hook_factory(lambda cls: cls in _MODELS, lambda cls: _structure_event)
converter.register_unstructure_hook_factory(
    lambda cls: cls in _MODELS, lambda cls: _unstructure_model
)
converter.register_unstructure_hook(UnknownEvent, lambda event: dict(event.data))
