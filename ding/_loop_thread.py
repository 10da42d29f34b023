"""A private event loop on a daemon thread: the sync facade's engine, and the fake's.

Callers in any thread submit coroutines with :meth:`LoopThread.run` and block for the
result; the caller's own loop (if any) is never run, so this works inside Jupyter or an
async app calling legacy code. Modelled on sentry-python's background worker, it holds up in
every process model its users have:

* **Owned per process.** The loop belongs to the process that started it (its pid is
  recorded). A forked child -- through ``os.fork()`` or a fork from C that runs no at-fork
  hook, as uWSGI's preforking does -- notices the pid change, abandons the inherited loop
  without closing it (its selector is shared with the parent's epoll instance) and starts a
  fresh one.
* **Started lazily, race-free, and never holding a lock across a wait.** The lock only
  guards publishing the new loop and thread; the thread is started after it is released.
  Callers do not wait for the loop to run: work submitted early is queued until it does.
  A lock made before gevent/eventlet monkey-patching is a real OS lock, and a greenlet
  waiting on one while holding it would freeze the whole process.
* **Green threads.** Under gevent or eventlet the thread is a green thread; the loop hides
  itself from the other greenlets while it waits in ``select`` (asyncio keeps its "running
  loop" per OS thread, and they share it).
* **Never waits forever.** ``run`` waits at most the caller's timeout or, for the facade,
  as long as the call runs on a live loop, whose own limits end it (``_handoff``); ``stop``
  cancels what is in flight, so every waiting caller gets :class:`ClientClosedError` at
  once.
* **Shutdown-proof.** Python 3.12 refuses to start threads while the interpreter exits: the
  teardown starts none (no ``shutdown_default_executor``), and a first call made that late is
  refused with :class:`ClientClosedError`.
"""

from __future__ import annotations

import asyncio
import os
import selectors
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, TypeVar

from ._forks import abandon
from ._handoff import Call, Inbox, abandon_call, gave_up, retrieve, wait, wait_while_alive
from .models.errors import ClientClosedError, ReentrantCallError

T = TypeVar("T")

_SHUTDOWN_TIMEOUT = 10.0
"""Longest ``stop`` waits for the loop thread to finish its teardown."""
_CANCEL_WAIT = 1.0
"""Longest the teardown waits for cancelled calls to unwind (and for the last coroutine)."""
_CLOSING_WAIT = 1.0
"""Longest a call submitted while the loop is being stopped waits to learn its fate."""
_CLOSED = "this client is closed (close() is final)"


def _green_threads() -> bool:
    """Whether gevent or eventlet has patched ``threading`` (looked up, never imported)."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("threading"):
        return True
    patcher = sys.modules.get("eventlet.patcher")
    return patcher is not None and bool(patcher.is_monkey_patched("thread"))


def _swap_running_loop(
    loop: asyncio.AbstractEventLoop | None,
) -> asyncio.AbstractEventLoop | None:
    """Make ``loop`` asyncio's running loop of this OS thread; give back the one it replaces.

    No public way exists (``run_forever`` does this around its own run): asyncio exports
    ``_get_running_loop`` and ``_set_running_loop`` in its ``__all__`` for event loops of
    other libraries, without documenting them. tests/unit/test_library_internals.py fails
    loudly if they change."""
    previous = asyncio._get_running_loop()
    asyncio._set_running_loop(loop)
    return previous


class _PrivateWhileWaiting(selectors.BaseSelector):
    """A selector that clears asyncio's running loop while it blocks.

    Under green threads, every greenlet of an OS thread shares asyncio's "running loop"; the
    other greenlets run while this loop waits in ``select``, and must not see it as theirs.
    """

    def __init__(self, inner: selectors.BaseSelector) -> None:
        self._inner = inner

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._inner.register(fileobj, events, data)

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        return self._inner.unregister(fileobj)

    def modify(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._inner.modify(fileobj, events, data)

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        loop = _swap_running_loop(None)
        try:
            return self._inner.select(timeout)
        finally:
            _swap_running_loop(loop)

    def close(self) -> None:
        self._inner.close()

    def get_map(self) -> Mapping[Any, selectors.SelectorKey]:
        return self._inner.get_map()


class _OwnedLoop(asyncio.SelectorEventLoop):
    """Our loop, so that a forked child can disown it: an abandoned loop is never closed
    (closing would unregister its self-pipe from the epoll instance the parent shares) and
    its finalizer does nothing. Nothing else runs it in the child: its thread is the
    parent's."""

    _abandoned = False
    inbox: Inbox
    """The calls handed over to it (``LoopThread.run``) that it has not started yet."""

    def abandon(self) -> None:
        self._abandoned = True

    def close(self) -> None:
        if not self._abandoned:
            super().close()

    def __del__(self) -> None:
        if not self._abandoned:
            super().__del__()


def _new_loop() -> _OwnedLoop:
    if _green_threads():
        loop = _OwnedLoop(_PrivateWhileWaiting(selectors.DefaultSelector()))
    else:
        loop = _OwnedLoop()
    loop.inbox = Inbox()
    return loop


async def _cancel_all_but_me() -> None:
    """Cancel every other task of the running loop and let them unwind (bounded)."""
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    if tasks:
        done, _ = await asyncio.wait(tasks, timeout=_CANCEL_WAIT)
        for task in done:
            retrieve(task)


class LoopThread:
    """Owns one event loop running forever on a daemon thread, started on first use."""

    def __init__(self, name: str = "ding-loop") -> None:
        self._name = name
        self._lock = threading.Lock()  # guards publishing loop and thread; never held long
        self._loop: _OwnedLoop | None = None
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stopped = False

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        loop = self._loop
        if loop is None or self._pid != os.getpid():
            loop = self._start()
        return loop

    def _start(self) -> _OwnedLoop:
        with self._lock:  # no wait of any kind inside: see the module docstring
            if self._stopped:
                raise ClientClosedError(_CLOSED)
            pid = os.getpid()
            if self._loop is not None:
                if self._pid == pid:
                    return self._loop  # another caller started it meanwhile
                # Inherited across a fork: disown, never close.
                self._loop.abandon()
                abandon(self._loop, self._thread)
            loop = _new_loop()
            thread = threading.Thread(target=self._serve, args=(loop,), name=self._name)
            thread.daemon = True
            self._loop, self._thread, self._pid = loop, thread, pid
        try:
            thread.start()  # outside the lock: under gevent this yields to other greenlets
        except RuntimeError as exc:  # "can't create new thread at interpreter shutdown"
            with self._lock:
                if self._loop is loop:
                    self._loop = self._thread = None
            loop.close()
            raise ClientClosedError(f"cannot start the client's event loop thread ({exc})") from exc
        return loop

    @staticmethod
    def _serve(loop: _OwnedLoop) -> None:
        try:
            loop.run_forever()
        finally:
            loop.inbox.closing = True  # a call handed over from now on is refused
            # The teardown of asyncio.run, bounded: cancel what is left, close what was first
            # iterated in this loop (the session guards), then close the loop, which shuts
            # the resolver's executor down without waiting and without starting a thread.
            try:
                tasks = asyncio.all_tasks(loop)
                for task in tasks:
                    task.cancel()
                if tasks:
                    done, _ = loop.run_until_complete(asyncio.wait(tasks, timeout=_CANCEL_WAIT))
                    for task in done:
                        retrieve(task)
                loop.run_until_complete(
                    asyncio.wait_for(loop.shutdown_asyncgens(), timeout=_CANCEL_WAIT)
                )
            except Exception:
                pass  # a teardown step ran out of time: closing the loop is what matters
            finally:
                loop.close()
                loop.inbox.refuse_waiting()  # handed over too late to be run

    def run(
        self,
        coro: Coroutine[Any, Any, T],
        timeout: float | None = None,
        *,
        stalled_after: float | None = None,
    ) -> T:
        """Run ``coro`` on the private loop and wait for it.

        With ``timeout``, wait at most that long, whatever happens. With ``stalled_after``
        instead (the sync facade), wait for as long as the call runs on a live loop -- it
        ends by its own limits, which that loop enforces -- and give up only if the loop's
        thread is gone, or if, past ``stalled_after`` seconds, the loop no longer runs
        anything (a callback holds it). Ctrl-C, or giving up, cancels the task there. A call
        cancelled by ``stop()`` raises :class:`ClientClosedError`.
        """
        loop, thread = self._loop, self._thread
        if loop is None or self._pid != os.getpid():
            try:
                loop = self._start()
            except BaseException:
                coro.close()  # never started: close it so it is not reported as never awaited
                raise
            thread = self._thread
        # Read after the pid check: the thread is this process's, never one a fork left behind
        # (a thread of the child may have the ident the parent's loop thread had).
        if thread is not None and thread.ident == threading.get_ident():
            coro.close()
            raise ReentrantCallError(
                "a sync ding.Ding method was called on the client's own event-loop thread "
                "(from a callback running there); it would deadlock. Use AsyncDing there."
            )
        call = Call(coro, loop.inbox)
        try:
            loop.call_soon_threadsafe(call.start)
        except RuntimeError:  # the loop was closed under us by stop() in another thread
            loop.inbox.waiting.discard(call)
            coro.close()
            raise ClientClosedError(_CLOSED) from None
        if self._stopped:  # stop() raced with this call: the loop may drop it unseen
            timeout = _CLOSING_WAIT if timeout is None else min(timeout, _CLOSING_WAIT)
            stalled_after = None
        try:
            if stalled_after is None or thread is None:
                failure = None if wait(call.done, timeout) else "timeout"
            else:
                failure = wait_while_alive(call.done, loop, thread, stalled_after)
        except BaseException:  # KeyboardInterrupt or SystemExit while waiting
            abandon_call(loop, call)
            raise
        if failure is not None:
            abandon_call(loop, call)
            if self._stopped:
                raise ClientClosedError("the client was closed during the call") from None
            raise gave_up(failure, timeout, stalled_after) from None
        task = call.task
        try:
            if task is None or task.cancelled():  # by stop(), or the loop died under the call
                raise ClientClosedError("the client was closed during the call") from None
            return task.result()  # or raises what the call raised
        finally:
            # A raised error's traceback holds this frame; through the task this frame would
            # hold the error: a cycle only the cyclic GC frees (with the client's resources).
            del call, task

    def stop(self, last: Callable[[], Coroutine[Any, Any, None]] | None = None) -> None:
        """Cancel the calls in flight, run ``last()``, stop the loop, join the thread.

        Idempotent. Calls waiting in other threads raise :class:`ClientClosedError` at once;
        calls made afterwards raise it too.
        """
        with self._lock:
            loop, thread, pid = self._loop, self._thread, self._pid
            self._loop = self._thread = None
            self._stopped = True
        if loop is None or thread is None:
            return
        if pid != os.getpid():  # inherited across a fork: disown, never close
            loop.abandon()
            abandon(loop, thread)
            return

        async def finish() -> None:
            try:
                await _cancel_all_but_me()
                if last is not None:
                    await asyncio.wait_for(last(), timeout=_CANCEL_WAIT)
            finally:
                asyncio.get_running_loop().stop()

        if thread.ident == threading.get_ident():
            # Called on the loop's thread (e.g. a finalizer run there): do not wait.
            loop.create_task(finish())
            return
        finishing = finish()
        try:
            asyncio.run_coroutine_threadsafe(finishing, loop)
        except RuntimeError:  # closed already
            finishing.close()
            return
        deadline = time.monotonic() + _SHUTDOWN_TIMEOUT
        # The thread may be published but not started yet (its starter is between releasing
        # the lock and thread.start()); it will run `finish` as soon as it starts.
        while thread.ident is None and not loop.is_closed() and time.monotonic() < deadline:
            time.sleep(0.005)
        if thread.ident is not None:
            thread.join(max(0.0, deadline - time.monotonic()))
