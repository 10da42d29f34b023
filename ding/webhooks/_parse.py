"""`parse_event`: a webhook request's body (bytes, text or decoded JSON) to a typed event.

Pure functions, no I/O. Every way a body can be wrong raises ``errors.WebhookError`` (a
``DingError`` and a ``ValueError``) naming what is wrong; nothing else escapes. Known fields
of the wrong JSON type are refused, never coerced (``"false"`` never becomes ``True``);
unknown fields are kept in ``extra``; an unknown event type is an ``UnknownEvent``.

The three event classes are read field by field by :class:`_Fields`, written out here: no
converter hook, nothing registered anywhere by importing this module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from ..models._converter import _json_type, parse_datetime
from ..models.components import AttemptStatus, Capability
from ..models.errors import WebhookError
from ._events import AttemptEvent, AuthenticationEvent, Price, UnknownEvent, WebhookEventType

if TYPE_CHECKING:
    from ._events import WebhookEvent  # a union, for the annotation only

__all__ = ["parse_event", "parse_event_time"]

Body = bytes | bytearray | memoryview | str | Mapping[str, Any]
E = TypeVar("E", bound=Enum)

_JSON_TYPES = ("application/json", "text/json")
_BASIC_OFFSET = re.compile(r"([+-]\d\d)(\d\d)$")


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
    try:
        known = WebhookEventType(kind)
    except ValueError:
        auth_uuid = data.get("auth_uuid")
        return UnknownEvent(
            id=event_id,
            type=kind,
            auth_uuid=auth_uuid if isinstance(auth_uuid, str) else None,
            data=data,
        )
    fields = _Fields(data)
    fields.take("type")  # the class says it
    common: dict[str, Any] = {
        "id": fields.text("id"),
        "auth_uuid": fields.text("auth_uuid"),
        "recipient_phone_number": fields.text("recipient_phone_number"),
        "price": fields.price("price"),
        "time": fields.time("time"),
        "correlation_id": fields.text("correlation_id"),
    }
    if known is WebhookEventType.AUTHENTICATION:
        return AuthenticationEvent(**common, extra=fields.rest())
    return AttemptEvent(
        **common,
        attempt_number=fields.integer("attempt_number"),
        capability=fields.enum("capability", Capability),
        status=fields.enum("status", AttemptStatus),
        sender_id=fields.text("sender_id"),
        extra=fields.rest(),
    )


def parse_event_time(value: object) -> datetime:
    """A webhook ``time``: ISO 8601 with a ``+0000``, ``+00:00`` or ``Z`` offset, on every
    supported Python (3.10's ``fromisoformat`` reads neither ``Z`` nor ``+0000``)."""
    return _time(value, "time")


def _time(value: object, field: str) -> datetime:
    if not isinstance(value, str):
        got = _json_type(value)
        raise WebhookError(f"{field}: expected a date-time string, got {got}", field=field)
    text = value.strip()
    date, sep, clock = text.partition("T")
    if sep:
        # "+0000" (what Ding sends) -> "+00:00"; "Z" is handled by parse_datetime.
        text = date + sep + _BASIC_OFFSET.sub(r"\1:\2", clock)
    try:
        return parse_datetime(text)
    except (TypeError, ValueError):
        raise WebhookError(
            f"{field}: expected an ISO 8601 date-time, got {value[:40]!r}", field=field
        ) from None


class _Fields:
    """The fields of one JSON object, read one by one. A read checks the JSON type and names
    the field (``price.amount``) in its error; ``null`` reads as absent; what was not read is
    the ``extra`` of the model, in the body's order."""

    def __init__(self, data: Mapping[str, Any], prefix: str = "") -> None:
        self._unread = dict(data)
        self._prefix = prefix

    def take(self, name: str) -> tuple[Any, str]:
        return self._unread.pop(name, None), self._prefix + name

    def text(self, name: str) -> str | None:
        value, path = self.take(name)
        if value is None or isinstance(value, str):
            return value
        raise _wrong_type(path, "a string", value)

    def integer(self, name: str) -> int | None:
        value, path = self.take(name)
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        raise _wrong_type(path, "an integer", value)

    def number(self, name: str) -> float | None:
        value, path = self.take(name)
        if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            return value
        raise _wrong_type(path, "a number", value)

    def time(self, name: str) -> datetime | None:
        value, path = self.take(name)
        return None if value is None else _time(value, path)

    def enum(self, name: str, enum: type[E]) -> E | str | None:
        value, path = self.take(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise _wrong_type(path, "a string", value)
        try:
            return enum(value)
        except ValueError:
            return value  # a value added after this version: kept as received

    def price(self, name: str) -> Price | None:
        value, path = self.take(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise _wrong_type(path, "an object", value)
        fields = _Fields(value, prefix=path + ".")
        return Price(
            amount=fields.number("amount"), currency=fields.text("currency"), extra=fields.rest()
        )

    def rest(self) -> dict[str, Any]:
        return self._unread


def _wrong_type(path: str, expected: str, value: object) -> WebhookError:
    return WebhookError(f"{path}: expected {expected}, got {_json_type(value)}", field=path)


def _required_text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if isinstance(value, str) and value:
        return value
    if name not in data:
        got = "nothing"
    elif value == "":
        got = "an empty string"
    else:
        got = _json_type(value)
    raise WebhookError(f"{name}: expected a non-empty string, got {got}", field=name)


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
