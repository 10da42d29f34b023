"""Injected faults: what the fake answers instead of the API, and the queue that holds them.

A fault consumes one request: the request is logged, then the fault answers and the real
handler does not run (so no state changes) -- except `Delay`, which models a slow server
and lets the real handler answer late.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any, Protocol

from aiohttp import web

from ._endpoints import Selector
from ._errors import error_body
from ._thread_safe import CountedQueue

__all__ = [
    "PROXY_502_PAGE",
    "CloseMidBody",
    "Delay",
    "Drop",
    "Fault",
    "FaultQueue",
    "RetryAfter",
    "canned_json",
    "failure",
    "large_body",
    "malformed_json",
    "non_json",
    "truncated_json",
]

# The real handling of a request (authentication check + endpoint), run on demand.
Answer = Callable[[], Awaitable[web.StreamResponse]]
RetryAfter = float | str | datetime | None

JSON = "application/json"

# A plausible API answer, used where a fault needs a body that starts out looking right.
SAMPLE_BODY = json.dumps(
    {
        "authentication_uuid": "5f6ae5a1-8b3e-4b59-a5d6-0c0f6a7a1f0e",
        "status": "pending",
        "created_at": "2024-01-01T00:00:00.000Z",
        "expires_at": "2024-01-01T00:10:00.000Z",
    }
).encode()

PROXY_502_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


class Fault(Protocol):
    @property
    def kind(self) -> str:
        """Names the fault in the request log."""
        ...

    async def respond(
        self, request: web.Request, answer: Answer, abandoned: asyncio.Event
    ) -> web.StreamResponse: ...


def _close_connection(request: web.Request, *, reset: bool = False) -> None:
    transport = request.transport
    if transport is None:
        return
    if reset:
        transport.abort()  # RST: the client sees "connection reset by peer"
    else:
        transport.close()  # FIN after flushing: the client sees "server disconnected"


def _unsent_response() -> web.StreamResponse:
    # The handler must return a response; aiohttp's attempt to write it to the closed
    # transport raises ConnectionError, which it treats as "client went away" and ignores.
    return web.Response()


@dataclass(frozen=True)
class CannedResponse:
    """A complete, well-framed HTTP response with whatever status, headers and body."""

    kind: str
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    async def respond(
        self, request: web.Request, answer: Answer, abandoned: asyncio.Event
    ) -> web.StreamResponse:
        return web.Response(status=self.status, body=self.body, headers=dict(self.headers))


@dataclass(frozen=True)
class Delay:
    """Answer late; `handle_first` processes at once and only delays the answer."""

    seconds: float
    handle_first: bool = False
    kind: str = "delay"

    async def respond(
        self, request: web.Request, answer: Answer, abandoned: asyncio.Event
    ) -> web.StreamResponse:
        early = await answer() if self.handle_first else None
        try:
            # Waiting on the event set at close and reset lets the fake stop (or a test
            # end) at once even while a request sleeps through an hour-long delay.
            await asyncio.wait_for(abandoned.wait(), self.seconds)
        except asyncio.TimeoutError:
            return early if early is not None else await answer()
        _close_connection(request)
        return _unsent_response()


@dataclass(frozen=True)
class Drop:
    """Close the connection without sending a byte of response."""

    reset: bool = False
    kind: str = "drop"

    async def respond(
        self, request: web.Request, answer: Answer, abandoned: asyncio.Event
    ) -> web.StreamResponse:
        _close_connection(request, reset=self.reset)
        return _unsent_response()


@dataclass(frozen=True)
class CloseMidBody:
    """Send the status line, headers (announcing the full length) and half the body; close."""

    status: int = 200
    body: bytes = SAMPLE_BODY
    kind: str = "close_mid_body"

    async def respond(
        self, request: web.Request, answer: Answer, abandoned: asyncio.Event
    ) -> web.StreamResponse:
        response = web.StreamResponse(status=self.status, headers={"Content-Type": JSON})
        response.content_length = len(self.body)
        await response.prepare(request)
        await response.write(self.body[: len(self.body) // 2])
        _close_connection(request)
        return response


def format_retry_after(value: RetryAfter) -> str | None:
    """`Retry-After` as seconds (a number) or an HTTP-date (a datetime or a ready string)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("retry_after datetime must be timezone-aware")
        return format_datetime(value.astimezone(timezone.utc), usegmt=True)
    return str(int(value)) if float(value).is_integer() else str(value)


def canned_json(
    kind: str, status: int, body: Any, headers: Mapping[str, str] | None = None
) -> CannedResponse:
    return CannedResponse(
        kind, status, json.dumps(body).encode(), {"Content-Type": JSON, **(headers or {})}
    )


def failure(
    status: int,
    retry_after: RetryAfter = None,
    body: bytes | str | Mapping[str, Any] | None = None,
    content_type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> CannedResponse:
    """An error response: by default the API's error object for `status`."""
    if body is None:
        code = "internal_server_error" if status >= 500 else "bad_request"
        body = error_body(code, f"injected failure (HTTP {status})")
    if isinstance(body, Mapping):
        raw, default_type = json.dumps(dict(body)).encode(), JSON
    else:
        raw = body.encode() if isinstance(body, str) else body
        default_type = "text/plain; charset=utf-8"
    all_headers = {"Content-Type": content_type or default_type, **(headers or {})}
    retry_header = format_retry_after(retry_after)
    if retry_header is not None:
        all_headers["Retry-After"] = retry_header
    return CannedResponse("fail", status, raw, all_headers)


def malformed_json(status: int) -> CannedResponse:
    """JSON-looking bytes that no JSON parser accepts (bare words, a trailing comma)."""
    body = b'{"authentication_uuid": "5f6ae5a1", status: pending,}'
    return CannedResponse("malformed_json", status, body, {"Content-Type": JSON})


def truncated_json(status: int) -> CannedResponse:
    """A well-framed response whose JSON document stops half-way."""
    body = SAMPLE_BODY[: len(SAMPLE_BODY) // 2]
    return CannedResponse("truncated_json", status, body, {"Content-Type": JSON})


def non_json(status: int, body: str | bytes, content_type: str) -> CannedResponse:
    raw = body.encode() if isinstance(body, str) else body
    return CannedResponse("non_json", status, raw, {"Content-Type": content_type})


_PADDING_ENVELOPE = b'{"padding": ""}'
LARGE_BODY_MIN_SIZE = len(_PADDING_ENVELOPE)


def large_body(size: int, status: int) -> CannedResponse:
    """A valid JSON object of exactly `size` bytes: one huge field no client knows."""
    if size < LARGE_BODY_MIN_SIZE:
        raise ValueError(f"size must be at least {LARGE_BODY_MIN_SIZE} bytes")
    padding = b"x" * (size - LARGE_BODY_MIN_SIZE)
    body = _PADDING_ENVELOPE[:-2] + padding + _PADDING_ENVELOPE[-2:]
    return CannedResponse("large_body", status, body, {"Content-Type": JSON})


@dataclass(frozen=True)
class _Rule:
    fault: Fault
    selector: Selector | None

    def applies_to(self, operation: str | None, path: str) -> bool:
        return self.selector is None or self.selector.matches(operation, path)


class FaultQueue:
    """Faults waiting for requests, consumed first-in first-out; thread-safe."""

    def __init__(self) -> None:
        self._rules: CountedQueue[_Rule] = CountedQueue()

    def add(self, fault: Fault, count: int, path: str | None) -> None:
        if count < 1:
            raise ValueError("the number of requests to affect must be at least 1")
        # Parse now so a typo in `path` fails in the test, not silently never matches.
        selector = None if path is None else Selector.parse(path)
        self._rules.add(_Rule(fault, selector), count)

    def take(self, operation: str | None, path: str) -> Fault | None:
        """The fault for this request, if any; consumes one use of it."""
        rule = self._rules.take(lambda rule: rule.applies_to(operation, path))
        return None if rule is None else rule.fault

    def pending(self) -> int:
        """How many requests the queued faults will still affect."""
        return self._rules.pending()

    def clear(self) -> None:
        self._rules.clear()
