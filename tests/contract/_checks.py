"""What a contract test asserts: Prism saw no violation, and the SDK decoded what it got.

``Wire`` records each exchange through aiohttp's public tracing hooks (the SDK's
``trace_configs`` option), so the tests see the bytes that really crossed the socket: the
JSON body the SDK sent and the body Prism answered, in sync and async style alike.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta, timezone
from enum import Enum
from types import SimpleNamespace
from typing import Any, NoReturn

import aiohttp
import attrs
import pytest
from multidict import CIMultiDict

from ding.models import errors

VIOLATIONS_HEADER = "sl-violations"


def violations(headers: Mapping[str, str] | None) -> list[dict[str, Any]]:
    """Prism's list of contract violations for one request (empty when it had none)."""
    # SDKError.headers is a plain dict: look the name up case-insensitively.
    raw = next((v for k, v in (headers or {}).items() if k.lower() == VIOLATIONS_HEADER), None)
    if not raw:
        return []
    found: list[dict[str, Any]] = json.loads(raw)
    return found


def describe_violations(found: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  - [{v.get('severity')}] {'.'.join(str(p) for p in v.get('location', []))}: "
        f"{v.get('message')}"
        for v in found
    )


def assert_no_violations(headers: Mapping[str, str] | None, what: str) -> None:
    found = violations(headers)
    if found:
        pytest.fail(
            f"Prism reported contract violations for {what}:\n{describe_violations(found)}",
            pytrace=False,
        )


def fail_on_error(exc: errors.DingError, what: str) -> NoReturn:
    """Turn an SDK exception into a test failure that shows what Prism objected to."""
    headers = getattr(exc, "headers", None)
    found = violations(headers)
    detail = describe_violations(found) if found else f"  {type(exc).__name__}: {exc}"
    pytest.fail(f"{what} failed against the contract:\n{detail}", pytrace=False)


def call_sync(what: str, call: Callable[[Any], Any], client: Any) -> Any:
    """``call(client)``; an SDK exception becomes a failure that shows Prism's violations."""
    try:
        return call(client)
    except errors.DingError as exc:
        error = exc
    fail_on_error(error, what)  # outside the except block: no "during handling" noise


async def call_async(what: str, call: Callable[[Any], Awaitable[Any]], client: Any) -> Any:
    try:
        return await call(client)
    except errors.DingError as exc:
        error = exc
    fail_on_error(error, what)


# --- the wire ------------------------------------------------------------------------------


@attrs.define
class Exchange:
    method: str
    url: str
    request_headers: CIMultiDict[str] = attrs.field(factory=CIMultiDict)
    request_body: bytes = b""
    response_body: bytes = b""

    def request_json(self) -> Any:
        return json.loads(self.request_body) if self.request_body else None

    def response_json(self) -> Any:
        return json.loads(self.response_body)


class Wire:
    """Records every exchange of the clients given :meth:`trace_config`."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []

    def trace_config(self) -> aiohttp.TraceConfig:
        config = aiohttp.TraceConfig()
        config.on_request_start.append(self._start)
        config.on_request_headers_sent.append(self._headers_sent)
        config.on_request_chunk_sent.append(self._chunk_sent)
        config.on_response_chunk_received.append(self._chunk_received)
        return config

    @property
    def last(self) -> Exchange:
        assert self.exchanges, "no request went out"
        return self.exchanges[-1]

    async def _start(
        self, _s: aiohttp.ClientSession, ctx: SimpleNamespace, p: aiohttp.TraceRequestStartParams
    ) -> None:
        ctx.exchange = Exchange(p.method, str(p.url))
        self.exchanges.append(ctx.exchange)

    async def _headers_sent(
        self,
        _s: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        p: aiohttp.TraceRequestHeadersSentParams,
    ) -> None:
        ctx.exchange.request_headers = CIMultiDict(p.headers)

    async def _chunk_sent(
        self,
        _s: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        p: aiohttp.TraceRequestChunkSentParams,
    ) -> None:
        ctx.exchange.request_body += p.chunk

    async def _chunk_received(
        self,
        _s: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        p: aiohttp.TraceResponseChunkReceivedParams,
    ) -> None:
        ctx.exchange.response_body += p.chunk


# --- decoding ------------------------------------------------------------------------------

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})"
)


def rfc3339(text: str) -> datetime:
    """An independent RFC 3339 parser (any number of fraction digits, like Go emits)."""
    m = _RFC3339.fullmatch(text)
    assert m is not None, f"not an RFC 3339 date-time: {text!r}"
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    micro = int((m.group(7) or "0")[:6].ljust(6, "0"))
    zone = m.group(8)
    if zone in ("Z", "z"):
        tz = timezone.utc
    else:
        sign = 1 if zone[0] == "+" else -1
        tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)


class Decoded:
    """Checks a decoded model against the JSON it came from, guided by the spec's schema.

    Every JSON property the spec defines must land on the model attribute of the same name, with the Python
    type the schema implies: enums as the SDK's enum members (a value the SDK does not know
    would stay a plain ``str``), ``date-time`` as timezone-aware datetimes, nested objects as
    the model class of the same name as the schema, ``oneOf`` events by their discriminator.
    """

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self._schemas: Mapping[str, Any] = spec["components"]["schemas"]

    def check(self, schema_name: str, raw: Any, value: Any) -> None:
        self._check({"$ref": f"#/components/schemas/{schema_name}"}, raw, value, schema_name)

    def _resolve(self, schema: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any]]:
        ref = schema.get("$ref")
        if ref is None:
            return None, schema
        name = ref.rsplit("/", 1)[-1]
        return name, self._schemas[name]

    def _check(self, schema: Mapping[str, Any], raw: Any, value: Any, where: str) -> None:
        name, schema = self._resolve(schema)
        if "oneOf" in schema:
            discriminator = schema["discriminator"]
            kind = raw[discriminator["propertyName"]]
            target = discriminator["mapping"][kind]
            self._check({"$ref": target}, raw, value, where)
            return
        kind = schema.get("type")
        if kind == "object":
            assert attrs.has(type(value)), f"{where}: expected a model, got {value!r}"
            if name is not None:
                assert type(value).__name__ == name, (
                    f"{where}: decoded as {type(value).__name__}, the spec calls it {name}"
                )
            properties = schema.get("properties", {})
            for key, item in raw.items():
                if key not in properties:
                    # Generated bodies carry extra fields (the schemas allow them); that the
                    # model was built at all shows the SDK ignored them, as it must.
                    continue
                assert hasattr(value, key), f"{where}: {type(value).__name__} has no {key!r}"
                self._check(properties[key], item, getattr(value, key), f"{where}.{key}")
        elif kind == "array":
            assert isinstance(value, list), f"{where}: expected a list, got {value!r}"
            assert len(value) == len(raw), f"{where}: {len(value)} items decoded of {len(raw)}"
            for i, (item_raw, item) in enumerate(zip(raw, value, strict=True)):
                self._check(schema["items"], item_raw, item, f"{where}[{i}]")
        elif kind == "string":
            self._check_string(schema, raw, value, where)
        elif kind == "integer":
            assert isinstance(value, int) and not isinstance(value, bool), f"{where}: {value!r}"
            assert value == raw, f"{where}: {value!r} != {raw!r}"
        elif kind == "number":
            assert isinstance(value, (int, float)) and not isinstance(value, bool), where
            assert value == raw, f"{where}: {value!r} != {raw!r}"
        elif kind == "boolean":
            assert value is raw, f"{where}: {value!r} != {raw!r}"
        else:  # pragma: no cover - the spec uses only the types above
            raise AssertionError(f"{where}: schema type {kind!r} not handled by the test")

    def _check_string(self, schema: Mapping[str, Any], raw: Any, value: Any, where: str) -> None:
        if "enum" in schema:
            assert isinstance(value, Enum), (
                f"{where}: {raw!r} is in the spec's enum but decoded as plain {value!r}: "
                "the SDK's enum lacks that value"
            )
            assert value.value == raw, f"{where}: {value!r} != {raw!r}"
        elif schema.get("format") == "date-time":
            assert isinstance(value, datetime), f"{where}: expected a datetime, got {value!r}"
            assert value.tzinfo is not None, f"{where}: naive datetime {value!r}"
            assert value == rfc3339(raw), f"{where}: {value!r} != {raw!r}"
        else:
            assert isinstance(value, str) and value == raw, f"{where}: {value!r} != {raw!r}"
            if schema.get("format") == "uuid":
                uuid.UUID(value)
