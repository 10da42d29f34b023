"""`WebhookReceiver`: a loopback endpoint that takes Ding's webhook events, for tests, the demo
and ``ding webhooks listen``.

Each POST is parsed with `ding.webhooks.parse_event`, recorded, handed to your handler, and
answered: 200, or 400 for a body that is not an event, or 500 when the handler raised or a
failure was injected with `fail_next` (so the sender redelivers).
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from aiohttp import web
from multidict import CIMultiDictProxy

from ..models.errors import WebhookError
from ..webhooks import WebhookEvent, parse_event
from ._listener import Listener
from ._serving import Served

__all__ = ["ReceivedWebhook", "WebhookReceiver"]

Handler = Callable[[WebhookEvent], Any]

# Bounds how long closing waits for a handler that is still answering.
_SHUTDOWN_TIMEOUT = 1.0


@dataclass(frozen=True)
class ReceivedWebhook:
    """One request the receiver got: the raw body and headers, the event parsed from it
    (None if it was not an event: then `error` says why) and the status answered."""

    body: bytes
    headers: CIMultiDictProxy[str]
    event: WebhookEvent | None
    error: str | None
    status: int
    received_at: datetime


class WebhookReceiver(Served):
    """An HTTP endpoint on ``127.0.0.1`` for webhook events; give `url` as ``callback_url``.

    ``handler`` (a function or a coroutine function taking the event) runs for every event
    received; if it raises, the receiver answers 500 and the sender redelivers. In async
    code: ``async with WebhookReceiver() as receiver:``; in sync code (served from its own
    thread): ``with WebhookReceiver.running() as receiver:``. Inspection is thread-safe.
    ``on_received``, if set, is called with every `ReceivedWebhook` once it is answered
    (``ding webhooks listen`` prints them that way).
    """

    def __init__(
        self,
        handler: Handler | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = "/webhooks/ding",
    ) -> None:
        if not path.startswith("/"):
            raise ValueError("path must start with '/'")
        self.handler = handler
        self.on_received: Callable[[ReceivedWebhook], Any] | None = None
        self.host = host
        self.path = path
        self._wanted_port = port
        self._lock = threading.Condition()
        self._received: list[ReceivedWebhook] = []
        self._failures: list[int] = []
        self._listener: Listener | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        """The ``callback_url`` to give Ding (or the fake)."""
        if self.port is None:
            raise RuntimeError("the receiver is not running")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.path}"

    # -- what was received --------------------------------------------------------------

    @property
    def received(self) -> list[ReceivedWebhook]:
        """Every request, oldest first."""
        with self._lock:
            return list(self._received)

    @property
    def events(self) -> list[WebhookEvent]:
        """Every event received, redeliveries and duplicates included, oldest first."""
        return [r.event for r in self.received if r.event is not None]

    @property
    def unique_events(self) -> list[WebhookEvent]:
        """The events received, each ``id`` once (its first arrival), oldest first."""
        seen: dict[str, WebhookEvent] = {}
        for event in self.events:
            seen.setdefault(event.id, event)
        return list(seen.values())

    def wait_for(self, count: int, timeout: float = 10.0) -> list[WebhookEvent]:
        """Block until `count` events were received (redeliveries count); returns `events`."""
        with self._lock:
            if not self._lock.wait_for(lambda: self._count_events() >= count, timeout):
                raise TimeoutError(
                    f"{self._count_events()} webhook events received after {timeout} s, "
                    f"expected {count}"
                )
        return self.events

    async def wait_for_async(self, count: int, timeout: float = 10.0) -> list[WebhookEvent]:
        """`wait_for` for async code (polls, so any loop works, the receiver's own too)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.events) < count:
            if asyncio.get_running_loop().time() >= deadline:
                raise TimeoutError(
                    f"{len(self.events)} webhook events received after {timeout} s, "
                    f"expected {count}"
                )
            await asyncio.sleep(0.01)
        return self.events

    def fail_next(self, n: int = 1, status: int = 500) -> None:
        """Answer `status` to the next `n` requests (after recording them)."""
        if n < 1 or not 300 <= status <= 599:
            raise ValueError("n must be at least 1 and status a non-2xx HTTP status")
        with self._lock:
            self._failures.extend([status] * n)

    def clear(self) -> None:
        """Forget what was received and the queued failures."""
        with self._lock:
            self._received.clear()
            self._failures.clear()

    def _count_events(self) -> int:
        return sum(1 for r in self._received if r.event is not None)

    # -- serving --------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        event: WebhookEvent | None = None
        error: str | None = None
        try:
            event = parse_event(body, request.headers)
        except WebhookError as exc:
            error, status = str(exc), 400
        else:
            status = 200
            with self._lock:
                if self._failures:
                    status = self._failures.pop(0)
                    error = "injected failure"
            if status == 200 and self.handler is not None:
                try:
                    result = self.handler(event)
                    if inspect.isawaitable(result):
                        await result
                except Exception as exc:  # the user's handler: report it as the answer
                    error, status = f"handler raised {type(exc).__name__}: {exc}", 500
        record = ReceivedWebhook(
            body=body,
            headers=CIMultiDictProxy(request.headers.copy()),
            event=event,
            error=error,
            status=status,
            received_at=datetime.now(timezone.utc),
        )
        with self._lock:
            self._received.append(record)
            self._lock.notify_all()
        if self.on_received is not None:
            self.on_received(record)
        return web.Response(status=status, text=error or "ok")

    async def start(self) -> None:
        """Start serving on the running event loop."""
        if self._listener is not None:
            raise RuntimeError("the receiver is already running")
        app = web.Application()
        app.router.add_post(self.path, self._handle)
        listener = await Listener.start(
            app, self.host, self._wanted_port, shutdown_timeout=_SHUTDOWN_TIMEOUT
        )
        self._listener = listener
        self.port = listener.port

    async def close(self) -> None:
        """Stop serving and close the connections."""
        listener, self._listener = self._listener, None
        if listener is not None:
            await listener.close()
        self.port = None

    def _is_running(self) -> bool:
        return self._listener is not None

    @classmethod
    @contextmanager
    def running(cls, handler: Handler | None = None, **options: Any) -> Iterator[WebhookReceiver]:
        """``with WebhookReceiver.running() as receiver:`` -- served from a daemon thread."""
        with cls(handler, **options).serving_in_thread() as receiver:
            yield receiver

    def __repr__(self) -> str:
        where = self.url if self.port is not None else "not running"
        return f"<WebhookReceiver {where} events={len(self.events)}>"
