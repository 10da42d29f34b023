"""One coroutine handed from a caller's thread to the private loop, and the caller's wait.

The facade's calls (and the fake's) run on the loop thread while their caller blocks. Every
wait here is bounded, returns at least every ``_WAIT_SLICE`` seconds (so a pending Ctrl-C
gets through), and tells why it ended: the call finished, its time ran out, the loop's
thread is gone, or the loop is stalled by a callback of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Coroutine
from typing import Any, Generic, TypeVar

from .models.errors import APITimeoutError, ClientClosedError

__all__ = ["Call", "Inbox", "abandon_call", "gave_up", "retrieve", "wait", "wait_while_alive"]

T = TypeVar("T")

_WAIT_SLICE = 0.5
"""Longest one blocking wait of a caller: a Ctrl-C whose signal lands just before the wait
blocks does not interrupt it (CPython runs the Python handler only once the wait returns),
so the wait returns this often to let a pending KeyboardInterrupt through."""
_STALLED = 1.0
"""A loop that has not run a callback posted to it for this long is stalled (a callback of
its own blocks it): only then does a caller of the facade stop waiting for a live loop."""


class Inbox:
    """The calls handed to one loop whose start has not run yet. Once the loop is closing, a
    call handed over is refused instead of started; the loop refuses those it never reached
    after it has closed (:meth:`refuse_waiting`)."""

    __slots__ = ("closing", "waiting")

    def __init__(self) -> None:
        self.waiting: set[Call[Any]] = set()
        self.closing = False

    def refuse_waiting(self) -> None:
        """After the loop closed: refuse every call it never started."""
        while self.waiting:
            with contextlib.suppress(KeyError):  # taken by its caller meanwhile
                self.waiting.pop().refuse()


class Call(Generic[T]):
    """One coroutine run on the private loop for a caller waiting in another thread.

    The caller blocks on a bare lock that the task's completion releases. This hand-off is
    paid on every call of the sync facade: ``asyncio.run_coroutine_threadsafe``, whose
    ``concurrent.futures.Future`` waits on a condition variable behind a chain of callbacks,
    costs a facade call 11% more instructions (benchmarks/instructions.py, ding-facade-seq).
    """

    __slots__ = ("abandoned", "coro", "done", "inbox", "task")

    def __init__(self, coro: Coroutine[Any, Any, T], inbox: Inbox) -> None:
        self.coro = coro
        self.done = threading.Lock()  # looked up now: gevent/eventlet may have patched it
        self.done.acquire()
        self.task: asyncio.Task[T] | None = None
        self.abandoned = False
        self.inbox = inbox
        inbox.waiting.add(self)

    def start(self) -> None:
        """On the loop: run the coroutine as a task, unless its caller gave up already or the
        loop is shutting down (then the caller is woken with no task: the client is closed)."""
        self.inbox.waiting.discard(self)
        if self.abandoned or self.inbox.closing:
            self.refuse()
            return
        task = self.task = asyncio.get_running_loop().create_task(self.coro)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[T]) -> None:
        if self.abandoned:
            retrieve(task)
        self.done.release()

    def abandon(self) -> None:
        """On the loop: the caller stopped waiting; cancel the task (or never start it)."""
        self.abandoned = True
        task = self.task
        if task is None:
            return
        if task.done():  # finished before the caller's hand-off arrived: nobody reads it now
            retrieve(task)
        else:
            task.cancel()

    def refuse(self) -> None:
        """The call will never start: close its coroutine (else it is reported as "never
        awaited" in the user's logs) and wake its caller, who finds no task."""
        self.coro.close()
        self.done.release()


def retrieve(task: asyncio.Task[Any]) -> None:
    """Mark a failure of a call nobody waits for as seen: asyncio would log it as "Task
    exception was never retrieved" (the caller was already told it gave up, or closed)."""
    if not task.cancelled():
        task.exception()


def wait(done: Any, timeout: float | None) -> bool:
    """``done.acquire(timeout=timeout)`` in slices of at most ``_WAIT_SLICE`` seconds (a call
    that ends within the first slice, the usual one, costs a single acquire)."""
    if done.acquire(True, _WAIT_SLICE if timeout is None else min(timeout, _WAIT_SLICE)):
        return True
    end = None if timeout is None else time.monotonic() + timeout - _WAIT_SLICE
    while True:
        left = _WAIT_SLICE if end is None else min(end - time.monotonic(), _WAIT_SLICE)
        if left <= 0:
            return False
        if done.acquire(True, left):
            return True


class _Probe:
    """Posted to the loop to learn whether it still runs callbacks."""

    __slots__ = ("ran",)

    def __init__(self) -> None:
        self.ran = False

    def __call__(self) -> None:
        self.ran = True


def wait_while_alive(
    done: Any, loop: asyncio.AbstractEventLoop, thread: threading.Thread, stalled_after: float
) -> str | None:
    """Wait on ``done`` (in slices, like :func:`wait`) while the loop's thread lives and the
    loop runs; None once done, else why the wait ended: "gone" (the thread ended or the loop
    is closed) or "stalled" (past ``stalled_after`` seconds, a probe posted to the loop went
    unanswered for ``_STALLED`` seconds)."""
    if done.acquire(True, _WAIT_SLICE):
        return None
    began = time.monotonic() - _WAIT_SLICE
    probe: _Probe | None = None
    posted = 0.0
    while True:
        if loop.is_closed() or (thread.ident is not None and not thread.is_alive()):
            return None if done.acquire(False) else "gone"
        now = time.monotonic()
        if now - began >= stalled_after:
            if probe is not None and probe.ran:
                probe = None  # the loop runs: the call goes on, within its own limits
            if probe is None:
                probe, posted = _Probe(), now
                with contextlib.suppress(RuntimeError):  # closed meanwhile: seen next turn
                    loop.call_soon_threadsafe(probe)
            elif now - posted >= _STALLED:
                return "stalled"
        if done.acquire(True, _WAIT_SLICE):
            return None


def gave_up(failure: str, timeout: float | None, stalled_after: float | None) -> Exception:
    """The error of a caller that stopped waiting for ``failure`` (see ``LoopThread.run``)."""
    if failure == "gone":
        return ClientClosedError(
            "the client's event-loop thread ended without finishing the call (its loop is "
            "closed); the client cannot make calls any more"
        )
    if failure == "stalled":
        return APITimeoutError(
            f"the client's event loop is stalled: it has run nothing for {_STALLED:g}s, past "
            f"the call's own limit of {stalled_after:g}s (a callback running on the loop "
            "blocks it); the call was abandoned"
        )
    return APITimeoutError(f"the call did not finish within {timeout:g}s")


def abandon_call(loop: asyncio.AbstractEventLoop, call: Call[Any]) -> None:
    """The caller stopped waiting: cancel the task on its loop (or never start it)."""
    with contextlib.suppress(RuntimeError):  # the loop is closed: nothing is left to cancel
        loop.call_soon_threadsafe(call.abandon)
