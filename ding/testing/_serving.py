"""Serving from a private event loop on a daemon thread: how sync code runs the fake and the
webhook receiver (``FakeDing.running()``, ``WebhookReceiver.running()``)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

from .._loop_thread import LoopThread

__all__ = ["serve_in_thread"]

# Bounds starting and closing; both are quick on loopback, so only a wedged loop reaches it.
_STARTUP_TIMEOUT = 30.0


@contextmanager
def serve_in_thread(
    start: Callable[[], Coroutine[Any, Any, None]],
    close: Callable[[], Coroutine[Any, Any, None]],
    name: str,
) -> Iterator[LoopThread]:
    """Run ``start()`` on a new loop thread called `name`, and ``close()`` there when the
    block ends (however it ends); then stop the thread. Yields the thread."""
    thread = LoopThread(name=name)
    try:
        thread.run(start(), timeout=_STARTUP_TIMEOUT)
        yield thread
    finally:
        try:
            thread.run(close(), timeout=_STARTUP_TIMEOUT)
        finally:
            thread.stop()
