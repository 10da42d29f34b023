"""A minimal, fast HTTP/1.1 server that answers the Ding API paths with canned JSON.

It is a raw asyncio protocol rather than aiohttp.web so that the server costs far less per
request than any client under test (it must never be the bottleneck), and so that it shares
no code with the clients it measures. It speaks just enough HTTP/1.1 for keep-alive clients:
Content-Length bodies, pipelining, `Connection: close`. Responses are prebuilt bytes.

Run: `python benchmarks/server.py` prints `PORT <n>` once it listens on 127.0.0.1 and serves
until its standard input closes (so it dies with the runner) or it gets SIGTERM. With
`--tls CERT KEY` it serves HTTPS instead (the cold-start rows over TLS use it).
`GET /__stats` returns the server's own CPU seconds and request count, which lets the runner
show how busy the server was while a client was measured.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import ssl
import sys
import time
from typing import Final

import payloads
from measure import raise_fd_limit

_REASONS: Final = {200: b"OK", 404: b"Not Found", 501: b"Not Implemented"}


def _response(status: int, body: bytes, *, close: bool = False) -> bytes:
    head = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n" % (
        status,
        _REASONS[status],
        len(body),
    )
    if close:
        head += b"Connection: close\r\n"
    return head + b"\r\n" + body


def _build_routes() -> tuple[dict[tuple[bytes, bytes], bytes], list[tuple[bytes, bytes, bytes]]]:
    exact: dict[tuple[bytes, bytes], bytes] = {}
    prefixes: list[tuple[bytes, bytes, bytes]] = []
    for (method, path), body in payloads.DING_RESPONSES.items():
        response = _response(200, payloads.encode(body))
        full_path = ("/v1" + path).encode()
        if path.endswith("/"):
            prefixes.append((method.encode(), full_path, response))
        else:
            exact[(method.encode(), full_path)] = response
    exact[(b"POST", b"/v2/verification")] = _response(
        200, payloads.encode(payloads.PRELUDE_VERIFICATION_RESPONSE)
    )
    return exact, prefixes


_EXACT, _PREFIXES = _build_routes()
_NOT_FOUND: Final = _response(
    404, payloads.encode({"code": "bad_request", "message": "no such path", "doc_url": ""})
)


class _Stats:
    requests = 0


class HttpProtocol(asyncio.Protocol):
    """One connection. Parses requests from the byte stream and writes canned responses."""

    __slots__ = ("_buffer", "_transport")

    def __init__(self) -> None:
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        # Fast path: the common case is exactly one whole request per read, no copying.
        buffer = self._buffer + data if self._buffer else data
        start = 0
        while True:
            head_end = buffer.find(b"\r\n\r\n", start)
            if head_end < 0:
                break
            head = buffer[start:head_end]
            lowered = head.lower()
            if b"\r\ntransfer-encoding:" in lowered:
                # No client under test streams a JSON body; refuse rather than misparse.
                self._write(_response(501, b"{}", close=True), close=True)
                return
            body_end = head_end + 4 + _content_length(lowered)
            if body_end > len(buffer):
                break
            start = body_end
            line_end = head.find(b"\r\n")
            request_line = head if line_end < 0 else head[:line_end]
            # HTTP/1.0 without keep-alive negotiation, or an explicit close, ends the connection.
            close = request_line.endswith(b"HTTP/1.0") or b"\r\nconnection: close" in lowered
            self._write(_route(request_line), close=close)
            if close:
                return
        self._buffer = buffer[start:]

    def _write(self, response: bytes, *, close: bool) -> None:
        _Stats.requests += 1
        assert self._transport is not None
        self._transport.write(response)
        if close:
            self._transport.close()


def _content_length(lowered_head: bytes) -> int:
    at = lowered_head.find(b"\r\ncontent-length:")
    if at < 0:
        return 0
    value_start = at + len(b"\r\ncontent-length:")
    value_end = lowered_head.find(b"\r\n", value_start)
    return int(lowered_head[value_start : value_end if value_end >= 0 else None])


def _route(request_line: bytes) -> bytes:
    method, target, _version = request_line.split(b" ", 2)
    path = target.split(b"?", 1)[0]
    response = _EXACT.get((method, path))
    if response is not None:
        return response
    if path == b"/__stats":
        stats = {"cpu_seconds": time.process_time(), "requests": _Stats.requests}
        return _response(200, json.dumps(stats).encode())
    for route_method, prefix, prefixed_response in _PREFIXES:
        if method == route_method and path.startswith(prefix) and len(path) > len(prefix):
            return prefixed_response
    return _NOT_FOUND


async def serve(host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(HttpProtocol, host, port, backlog=4096, ssl=tls)
    stopped = loop.create_future()

    def stop() -> None:
        if not stopped.done():
            stopped.set_result(None)

    def on_stdin() -> None:
        # EOF on stdin means the runner went away (or closed it deliberately): stop serving.
        if not os.read(sys.stdin.fileno(), 4096):
            stop()

    loop.add_signal_handler(signal.SIGTERM, stop)
    loop.add_signal_handler(signal.SIGINT, stop)
    loop.add_reader(sys.stdin.fileno(), on_stdin)
    bound_port = server.sockets[0].getsockname()[1]
    print(f"PORT {bound_port}", flush=True)
    async with server:
        await stopped


def main() -> None:
    raise_fd_limit()
    tls = None
    if sys.argv[1:2] == ["--tls"]:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(sys.argv[2], sys.argv[3])
    asyncio.run(serve(tls=tls))


if __name__ == "__main__":
    main()
