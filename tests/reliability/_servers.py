"""Loopback servers written on raw asyncio sockets, for faults an HTTP framework will not produce.

`ScriptServer` speaks just enough HTTP/1.1 (keep-alive, Content-Length bodies) to answer the
client, and lets a test decide, request by request, what happens on the wire (the actions of
`_actions`). It runs its own event loop on a daemon thread so that the sync facade,
`asyncio.run` in the test and forked children can all talk to it, and it records every
request exactly as it arrived (raw path included) and how many connections are open, which is
how the tests see what the client really did. `SilentListener` accepts and never answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ._actions import Action, Conn, Seen, reply


@dataclass
class _Rule:
    action: Action
    remaining: int


class ScriptServer:
    """See the module docstring. Use as a context manager; `url` is the client's server_url."""

    def __init__(
        self, *, ssl_context: ssl.SSLContext | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self._ssl = ssl_context
        self.host = host
        self.port = port
        self._lock = threading.Lock()
        self._requests: list[Seen] = []
        self._script: deque[_Rule] = deque()
        self._default: Action = reply()
        self._open = 0
        self._accepted = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="script-server", daemon=True)
        self._server: asyncio.base_events.Server | None = None

    # lifecycle

    @property
    def started(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> ScriptServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __enter__(self) -> ScriptServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._thread.is_alive():
            if not self._loop.is_closed():
                self._loop.close()
            return
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        # Handshake failures from clients that (rightly) refuse our certificate are expected.
        self._loop.set_exception_handler(lambda loop, ctx: None)
        self._loop.run_forever()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, ssl=self._ssl, limit=1 << 20, backlog=2048
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    # what tests use

    @property
    def url(self) -> str:
        scheme = "https" if self._ssl is not None else "http"
        return f"{scheme}://{self.host}:{self.port}/v1"

    def script(self, *actions: Action | tuple[Action, int]) -> ScriptServer:
        """Queue answers for the next requests, in order: an action, or (action, count)."""
        with self._lock:
            for item in actions:
                action, count = item if isinstance(item, tuple) else (item, 1)
                self._script.append(_Rule(action, count))
        return self

    def always(self, action: Action) -> ScriptServer:
        """Answer every request not covered by `script` with this action."""
        with self._lock:
            self._default = action
        return self

    @property
    def requests(self) -> list[Seen]:
        with self._lock:
            return list(self._requests)

    def count(self, path_suffix: str | None = None) -> int:
        return len(
            [r for r in self.requests if path_suffix is None or r.path.endswith(path_suffix)]
        )

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    @property
    def open_connections(self) -> int:
        with self._lock:
            return self._open

    @property
    def accepted_connections(self) -> int:
        with self._lock:
            return self._accepted

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return predicate()

    # per connection

    def _next_action(self) -> Action:
        with self._lock:
            if self._script:
                rule = self._script[0]
                rule.remaining -= 1
                if rule.remaining == 0:
                    self._script.popleft()
                return rule.action
            return self._default

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        with self._lock:
            self._open += 1
            self._accepted += 1
            number = self._accepted
        conn = Conn(reader, writer, number)
        try:
            while True:
                seen = await self._read_request(reader, number)
                if seen is None:
                    break
                with self._lock:
                    self._requests.append(seen)
                if not await self._next_action()(conn, seen):
                    break
        except (ConnectionError, OSError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            with self._lock:
                self._open -= 1
            self._writers.discard(writer)
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await writer.wait_closed()

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader, number: int) -> Seen | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return None  # the client closed an idle keep-alive connection
        except asyncio.LimitOverrunError:
            return None
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            return None  # not HTTP (a TLS ClientHello on a plain port, garbage): hang up
        method, target, _version = parts
        headers: dict[str, str] = {}
        header_lines: list[tuple[str, str]] = []
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
                header_lines.append((name.strip(), value.strip()))
        length = int(headers.get("content-length", "0") or 0)
        body = await reader.readexactly(length) if length else b""
        return Seen(method, target, headers, body, number, time.monotonic(), tuple(header_lines))


class SilentListener:
    """Accepts connections and never reads or writes a byte: the most patient of hangs.

    With `greeting`, it instead writes those bytes at once and hangs up (e.g. plain HTTP to a
    client that expects a TLS handshake).
    """

    def __init__(self, greeting: bytes | None = None) -> None:
        self._greeting = greeting
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.05)
        self.port = int(self._sock.getsockname()[1])
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="silent-listener", daemon=True)

    def __enter__(self) -> SilentListener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        for conn in self.accepted:
            conn.close()
        self._sock.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def tls_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/v1"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted.append(conn)
            if self._greeting is not None:
                with contextlib.suppress(OSError):
                    conn.sendall(self._greeting)
                conn.close()
