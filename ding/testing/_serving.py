"""How the fake and the webhook receiver are served: on the running event loop (``async with``)
or from a private event loop on a daemon thread (``FakeDing.running()``,
``WebhookReceiver.running()``), and closed at interpreter exit if nobody closed them.

A server left running in a thread (a ``running()`` block entered and never left) is closed by an
`atexit` hook, while its loop thread still runs. Later, in the interpreter's final teardown, the
daemon thread is frozen: waiting for it then would only run out the startup bound.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import signal
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar

from .._loop_thread import LoopThread

__all__ = ["Served", "call_on_loop", "until_interrupted"]

# Bounds starting and closing; both are quick on loopback, so only a wedged loop reaches it.
_STARTUP_TIMEOUT = 30.0
# Bounds closing at interpreter exit, where a user waits for the prompt.
_EXIT_TIMEOUT = 5.0

S = TypeVar("S", bound="Served")


def call_on_loop(
    loop: asyncio.AbstractEventLoop | None, function: Callable[[], None], timeout: float
) -> None:
    """Run `function` on `loop` (at once if this is its thread, or it has none) and wait
    for it, at most `timeout` seconds."""
    try:
        running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:  # no loop runs in this thread
        running = None
    if loop is None or running is loop:
        function()
        return
    done = threading.Event()

    def run() -> None:
        try:
            function()
        finally:
            done.set()

    try:
        loop.call_soon_threadsafe(run)
    except RuntimeError:  # the loop closed meanwhile: nothing runs there any more
        return
    if not done.wait(timeout):
        raise TimeoutError(f"the fake's event loop did not answer within {timeout:g} s")


async def until_interrupted() -> None:
    """Wait for Ctrl-C or SIGTERM, taken by the running loop as an event: a
    ``KeyboardInterrupt`` raised wherever the main thread happens to be (inside a request being
    answered, say) could leave a server half torn down. Where the loop takes no signals
    (Windows, a thread other than the main one), Ctrl-C arrives as ``KeyboardInterrupt``."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    installed = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except (NotImplementedError, RuntimeError):
            continue
        installed.append(signum)
    try:
        await stop.wait()
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


class _ThreadServing:
    """One server on its loop thread; `stop` closes it once, whoever calls it first."""

    def __init__(self, close: Callable[[], Coroutine[Any, Any, None]], thread: LoopThread):
        self._close = close
        self._thread = thread
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._stopped = False

    def stop(self, timeout: float = _STARTUP_TIMEOUT) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        if self._pid != os.getpid() or sys.is_finalizing():
            # A forked child does not own the thread; in the final teardown it is frozen.
            return
        try:
            self._thread.run(self._close(), timeout=timeout)
        finally:
            self._thread.stop()


_serving: set[_ThreadServing] = set()
_serving_lock = threading.Lock()


@atexit.register
def _stop_all_at_exit() -> None:
    with _serving_lock:
        left = list(_serving)
        _serving.clear()
    for serving in left:
        try:
            serving.stop(_EXIT_TIMEOUT)
        except Exception as exc:  # at exit: say what happened, let the others close
            print(f"ding.testing: could not close a server at exit: {exc!r}", file=sys.stderr)


class Served:
    """``start()`` and ``close()`` on the running loop, ``async with``, and
    `serving_in_thread`; subclasses say whether they are running (`_is_running`)."""

    _thread: LoopThread | None = None  # the loop thread serving it, if any

    async def start(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    def _is_running(self) -> bool:
        raise NotImplementedError

    async def __aenter__(self: S) -> S:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @contextmanager
    def serving_in_thread(self: S) -> Iterator[S]:
        """Serve from a private event loop on a daemon thread for the duration of the block."""
        kind = type(self).__name__
        if self._is_running():
            raise RuntimeError(f"the {kind} is already running")
        thread = LoopThread(name=f"{kind}-{id(self):x}")
        serving = _ThreadServing(self.close, thread)
        try:
            thread.run(self.start(), timeout=_STARTUP_TIMEOUT)
        except BaseException:
            thread.stop()
            raise
        with _serving_lock:
            _serving.add(serving)
        self._thread = thread
        try:
            yield self
        finally:
            self._thread = None
            with _serving_lock:
                _serving.discard(serving)
            serving.stop()
