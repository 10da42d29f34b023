"""What a `ScriptServer` does with each request, decided by the test request by request.

An `Action` gets the connection (`Conn`) and the request as the server read it off the socket
(`Seen`), acts on the wire -- a full answer, no answer at all, a dropped or reset connection,
half a body, raw bytes -- and says whether the connection stays open for the next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

from ._ops import AUTH_UUID

FEEDBACK_UUID = "123e4567-e89b-12d3-a456-4266141740a0"


@dataclass(frozen=True)
class Seen:
    """One request as the server read it off the socket."""

    method: str
    raw_path: str
    """Exactly as sent, percent-encoding and query included."""
    headers: Mapping[str, str]
    """Lower-cased names."""
    body: bytes
    connection: int
    """Which connection carried it (1, 2, ... in accept order)."""
    received: float = 0.0
    """time.monotonic() when its last byte arrived."""
    header_lines: tuple[tuple[str, str], ...] = ()
    """Every header line in order, duplicates kept (the dict keeps only the last)."""

    @property
    def path(self) -> str:
        """The raw path without the query string."""
        return self.raw_path.split("?", 1)[0]

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class Conn:
    """The server side of one connection, handed to actions."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, number: int
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.number = number

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def wait_client_close(self) -> None:
        """Block until the client closes its side (EOF or error): a server that never answers."""
        with contextlib.suppress(ConnectionError, OSError):
            while await self.reader.read(65536):
                pass


# An action answers one request. It returns True to keep the connection open for the next one.
Action = Callable[[Conn, Seen], Awaitable[bool]]


def http_response(
    status: int,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
    *,
    content_type: str | None = "application/json",
    content_length: int | None = None,
) -> bytes:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Whatever"
    lines = [f"HTTP/1.1 {status} {reason}"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    lines.append(f"Content-Length: {len(body) if content_length is None else content_length}")
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def default_body(method: str, path: str) -> dict[str, Any]:
    """A plausible, spec-shaped 200 body for whichever operation `path` names."""
    if method == "POST" and path.endswith("/authentication"):
        return {
            "authentication_uuid": AUTH_UUID,
            "status": "pending",
            "created_at": "2024-01-01T00:00:00Z",
            "expires_at": "2024-01-01T00:10:00Z",
        }
    if path.endswith("/check"):
        return {"authentication_uuid": AUTH_UUID, "status": "valid"}
    if path.endswith("/authentication/feedback"):
        return {"uuid": FEEDBACK_UUID}
    if path.endswith("/retry"):
        return {
            "authentication_uuid": AUTH_UUID,
            "status": "approved",
            "created_at": "2024-01-01T00:00:00Z",
            "next_retry_at": "2024-01-01T00:01:00Z",
            "remaining_retry": 2,
        }
    if "/lookup/" in path:
        return {
            "phone_number": unquote(path.rsplit("/", 1)[1]),
            "mcc": "310",
            "mnc": "410",
            "carrier": "AT&T",
            "country_code": "US",
            "line_type": "Mobile",
        }
    if "/authentication/" in path:
        return {
            "uuid": AUTH_UUID,
            "phone_number": "+14155550100",
            "created_at": "2024-01-01T00:00:00Z",
            "events": [
                {"type": "attempt", "id": "a1", "attempt_number": 1, "status": "delivered"},
                {"type": "check", "id": "c1", "code": "123456", "status": "valid"},
            ],
        }
    return {"code": "bad_request", "message": f"no route {method} {path}"}


def reply(
    status: int = 200,
    body: bytes | str | Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    *,
    content_type: str | None = "application/json",
) -> Action:
    """A complete, well-framed answer; the default body is the operation's normal payload."""

    async def act(conn: Conn, seen: Seen) -> bool:
        payload = default_body(seen.method, seen.path) if body is None else body
        if isinstance(payload, Mapping):
            raw = json.dumps(payload).encode()
        elif isinstance(payload, str):
            raw = payload.encode()
        else:
            raw = payload
        await conn.send(http_response(status, raw, headers, content_type=content_type))
        return True

    return act


def api_error(status: int, code: str = "internal_server_error", **headers: str) -> Action:
    """The API's own error object, as the real service sends it."""
    body = {"code": code, "message": f"injected {status}", "doc_url": "https://docs.ding.live"}
    return reply(status, body, {k.replace("_", "-"): v for k, v in headers.items()})


def hang() -> Action:
    """Read the request, then never answer: only the client's timeout can end the wait."""

    async def act(conn: Conn, seen: Seen) -> bool:
        await conn.wait_client_close()
        return False

    return act


def drop() -> Action:
    """Close the connection right after reading the request, without a byte of answer."""

    async def act(conn: Conn, seen: Seen) -> bool:
        return False

    return act


def reset() -> Action:
    """Abort the connection with a TCP RST (SO_LINGER 0) right after reading the request."""

    async def act(conn: Conn, seen: Seen) -> bool:
        sock = conn.writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.writer.transport.abort()
        return False

    return act


def mid_body(status: int = 200) -> Action:
    """Status line and headers announcing the full length, half the body, then close."""

    async def act(conn: Conn, seen: Seen) -> bool:
        raw = json.dumps(default_body(seen.method, seen.path)).encode()
        head = http_response(status, b"", content_length=len(raw))
        await conn.send(head + raw[: len(raw) // 2])
        return False

    return act


def raw(data: bytes, *, keep_alive: bool = False) -> Action:
    """Exactly these bytes, whatever they are."""

    async def act(conn: Conn, seen: Seen) -> bool:
        await conn.send(data)
        return keep_alive

    return act


def slow(seconds: float, then: Action | None = None) -> Action:
    """Wait, then answer normally (a slow but healthy server)."""

    async def act(conn: Conn, seen: Seen) -> bool:
        await asyncio.sleep(seconds)
        return await (then or reply())(conn, seen)

    return act
