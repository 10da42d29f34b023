"""A private event loop on a daemon thread, for the sync facade.

Callers in any thread submit coroutines with :meth:`LoopThread.run` and block for the
result; the caller's own loop (if any) is never run, so this works inside Jupyter or an
async app calling legacy code. A forked child abandons the inherited loop (its selector is
shared with the parent's epoll instance) and starts a fresh one.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from . import _session
from .models.errors import ClientClosedError, ReentrantCallError

T = TypeVar("T")

_SHUTDOWN_TIMEOUT = 10.0


class _OwnedLoop(asyncio.SelectorEventLoop):
    """Our loop, so that a forked child can disown it without touching the shared selector."""

    _abandoned = False

    def abandon(self) -> None:
        self._abandoned = True

    def close(self) -> None:
        if not self._abandoned:
            super().close()

    def _remove_reader(self, fd: Any) -> bool:
        # In a forked child, unregistering an inherited socket would unregister it from the
        # parent's epoll instance too (the parent's next pooled request would then hang).
        return False if self._abandoned else super()._remove_reader(fd)  # type: ignore[misc]

    def _remove_writer(self, fd: Any) -> bool:
        return False if self._abandoned else super()._remove_writer(fd)  # type: ignore[misc]

    def __del__(self) -> None:
        if not self._abandoned:
            super().__del__()


class LoopThread:
    """Owns one event loop running forever on a daemon thread, started on first use."""

    def __init__(self, name: str = "ding-loop") -> None:
        self._name = name
        self._lock = threading.Lock()
        self._loop: _OwnedLoop | None = None
        self._thread: threading.Thread | None = None
        self._generation = -1
        self._stopped = False

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        loop = self._loop
        if loop is None or self._generation != _session.fork_generation():
            loop = self._start()
        return loop

    def _start(self) -> _OwnedLoop:
        with self._lock:
            if self._stopped:
                raise ClientClosedError("this ding.Ding client is closed")
            if self._loop is not None and self._generation == _session.fork_generation():
                return self._loop
            if self._loop is not None:  # inherited across fork(): disown, never close
                self._loop.abandon()
                _session.abandon(self._loop, self._thread)
            loop = _OwnedLoop()
            started = threading.Event()
            thread = threading.Thread(
                target=self._serve, args=(loop, started), name=self._name, daemon=True
            )
            thread.start()
            started.wait()
            self._loop, self._thread = loop, thread
            self._generation = _session.fork_generation()
            return loop

    @staticmethod
    def _serve(loop: _OwnedLoop, started: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(started.set)
        try:
            loop.run_forever()
        finally:
            # Close what was first iterated in this loop (the session guards), and the
            # resolver's executor threads, before closing the loop itself.
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    def in_loop_thread(self) -> bool:
        return self._thread is not None and threading.current_thread() is self._thread

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the private loop and wait for it; Ctrl-C cancels it there."""
        try:
            loop = self.loop
        except BaseException:
            coro.close()  # never started: close it so it is not reported as never awaited
            raise
        if threading.current_thread() is self._thread:
            coro.close()
            raise ReentrantCallError(
                "a sync ding.Ding method was called on the client's own event-loop thread "
                "(from a callback running there); it would deadlock. Use AsyncDing there."
            )
        future = asyncio.run_coroutine_threadsafe(coro, loop)
        try:
            return future.result()
        except BaseException:
            # KeyboardInterrupt or SystemExit while waiting: cancel the task on our loop.
            future.cancel()
            raise

    def stop(self, last: Callable[[], Coroutine[Any, Any, None]] | None = None) -> None:
        """Run ``last()`` on the loop, then stop it and join the thread. Idempotent."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
            self._stopped = True
        if loop is None or thread is None:
            return
        if self._generation != _session.fork_generation():
            loop.abandon()
            _session.abandon(loop, thread)
            return

        async def finish() -> None:
            try:
                if last is not None:
                    await last()
            finally:
                asyncio.get_running_loop().stop()

        if threading.current_thread() is thread:
            # Called from the loop itself (e.g. a finalizer run there): do not wait.
            loop.create_task(finish())
            return
        if loop.is_closed():
            return
        asyncio.run_coroutine_threadsafe(finish(), loop)
        thread.join(_SHUTDOWN_TIMEOUT)
