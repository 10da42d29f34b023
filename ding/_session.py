"""Loop-aware ownership of the aiohttp sessions: one per live event loop.

An ``AsyncDing`` may be created at import time and then used under several event loops, in
turn (``asyncio.run`` twice, pytest-asyncio's per-test loops) or at the same time (async
views beside a background loop, ``asyncio.run`` per request under a threaded server).
aiohttp sessions belong to one loop, so each loop gets its own session, created lazily in
it and kept in a mapping from loop to session. Three traps shape this module:

* A session is closed only in its own loop, as part of that loop's shutdown when possible:
  a tiny guard async generator, first iterated in that loop, closes the session in its
  ``finally`` when ``loop.shutdown_asyncgens()`` runs (``asyncio.run`` and pytest-asyncio
  do), and then forgets it. Dropping the guard of a loop that is still running would close
  its session mid-request (the loop finalizes the collected generator), so a session is
  never replaced while its loop lives. The mapping is not weak on purpose: every session
  references its loop, so a weak key could never be released; entries go when their loop
  shuts down or is found closed.
* After a fork the child shares the parent's epoll instance: closing or unregistering an
  inherited socket in the child removes it from the parent's selector too. The child
  therefore abandons inherited sessions without closing them (``_forks``). The per-call
  check compares the process id (a fork from C runs no at-fork hook); binding a session
  also compares the at-fork hook's generation.
* A call waiting for a retry must not sleep through ``close()``: each session carries an
  event set when it is closed, which wakes such waits at once.

``close()`` is final: a later call raises ``ClientClosedError`` at once, as a closed aiohttp
session or httpx client does. A client shared across event loops need not be closed at all:
each loop's session is closed when that loop shuts down.

A session the user supplied is used as given and never closed here.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import weakref
from collections.abc import AsyncGenerator, Callable

import aiohttp

from ._forks import abandon, generation
from .models.errors import ClientClosedError

_CLOSED = (
    "this client is closed (close() is final): create a new AsyncDing. A client shared "
    "across event loops need not be closed: each loop's session closes when that loop shuts "
    "down"
)

_CLOSE_ELSEWHERE_TIMEOUT = 5.0
"""Longest ``close()`` waits for a session living on another thread's loop to close."""


def no_silent_resend(session: aiohttp.ClientSession) -> None:
    """Turn off aiohttp's own resend: when a pooled connection turns out closed, aiohttp
    sends an idempotent request (a GET) once more, unasked; the server then sees more
    attempts than ``max_retries`` allows and than ``.attempts`` reports. Sessions ding owns
    leave every retry to ding's policy.

    aiohttp has no public switch for it: its session keeps it in the private
    ``_retry_connection``. tests/unit/test_library_internals.py fails loudly if that changes;
    a session without it is used as it is."""
    if hasattr(session, "_retry_connection"):
        session._retry_connection = False


class _Bound:
    """A session bound to its loop, with what tells whether another process made it."""

    __slots__ = ("closed", "generation", "guard", "loop", "pid", "session")

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        session: aiohttp.ClientSession,
        closed: asyncio.Event,
        generation: int,
        pid: int,
    ) -> None:
        self.loop = loop
        self.session = session
        self.closed = closed
        self.generation = generation
        self.pid = pid
        self.guard: AsyncGenerator[None, None] | None = None

    def inherited(self, pid: int) -> bool:
        return self.generation != generation() or self.pid != pid


class SessionOwner:
    """Hands out the session of the running loop, creating it on the loop's first call."""

    def __init__(
        self,
        factory: Callable[[], aiohttp.ClientSession],
        user_session: aiohttp.ClientSession | None = None,
    ) -> None:
        self._factory = factory
        self._user_session = user_session
        self._by_loop: dict[asyncio.AbstractEventLoop, _Bound] = {}
        self._last: _Bound | None = None  # the binding used last: one compare per call
        self.closed: bool = False
        """Set by ``close()``, for good: every later call raises ``ClientClosedError``."""

    def current(self) -> aiohttp.ClientSession | None:
        """The running loop's session if it is ready for a request, else None (then ``get``).

        A plain function: the per-call path asks this first and awaits nothing. The process
        id, not the at-fork hook's counter, tells a session this process did not make: a
        fork from C (uWSGI's preforking) runs no hook, and the loop may be the same object
        in the child."""
        if self._user_session is not None:
            return self._user_session
        bound = self._last
        if (
            bound is None
            or bound.loop is not asyncio.get_running_loop()
            or bound.pid != os.getpid()
            or bound.session.closed
        ):
            return None
        return bound.session

    async def get(self) -> aiohttp.ClientSession:
        session = self.current()
        if session is not None:
            return session
        if self.closed:
            raise ClientClosedError(_CLOSED)
        loop = asyncio.get_running_loop()
        bound = self._by_loop.get(loop)
        if bound is None or bound.inherited(os.getpid()) or bound.session.closed:
            bound = await self._bind(loop)
            if self.closed:  # close() ran in another thread while this was set up
                if bound.guard is not None:
                    await bound.guard.aclose()
                raise ClientClosedError(_CLOSED)
        self._last = bound
        return bound.session

    async def pause(self, session: aiohttp.ClientSession, seconds: float) -> None:
        """Sleep ``seconds``, or less if ``session`` is closed meanwhile (by ``close()``)."""
        bound = self._by_loop.get(asyncio.get_running_loop())
        if bound is None or bound.session is not session:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(bound.closed.wait(), seconds)

    async def _bind(self, loop: asyncio.AbstractEventLoop) -> _Bound:
        pid = os.getpid()
        self._forget_dead(pid)
        session = self._factory()
        no_silent_resend(session)
        bound = _Bound(loop, session, asyncio.Event(), generation(), pid)
        old = self._by_loop.get(loop)
        # Publish before awaiting anything, so concurrent callers of this loop share it.
        self._by_loop[loop] = bound
        bound.guard = _close_with_loop(loop, session, bound.closed, weakref.ref(self), pid)
        await bound.guard.__anext__()  # first iteration registers it with this loop's shutdown
        if old is not None:
            if old.inherited(pid):
                abandon(old)
            elif old.guard is not None:
                await old.guard.aclose()  # its session was closed under us; finish the guard
        return bound

    def _forget_dead(self, pid: int) -> None:
        """Drop the bindings of closed loops, and abandon those another process made."""
        for loop, bound in list(self._by_loop.items()):
            if bound.inherited(pid):
                abandon(self._by_loop.pop(loop))
            elif loop.is_closed():
                # Closed without shutting its async generators down: the session cannot be
                # closed through it any more; let it go rather than keep it forever.
                self._by_loop.pop(loop, None)

    def _forget(self, loop: asyncio.AbstractEventLoop, session: aiohttp.ClientSession) -> None:
        bound = self._by_loop.get(loop)
        if bound is not None and bound.session is session:
            del self._by_loop[loop]
        last = self._last
        if last is not None and last.session is session:
            self._last = None

    async def close(self) -> None:
        """Close every session ding owns: this loop's here, others' in their own loops.

        Calls in flight on them end with ``ClientClosedError``, and so does every later
        call. A session whose loop is not running now is closed at that loop's shutdown.
        """
        self.closed = True
        self._user_session = None  # used as given, never closed by us: just no longer used
        self._last = None
        running = asyncio.get_running_loop()
        pid = os.getpid()
        elsewhere = []
        for loop, bound in list(self._by_loop.items()):
            if bound.inherited(pid):
                abandon(self._by_loop.pop(loop))
            elif bound.guard is None:
                continue  # still being set up by its first call
            elif loop is running:
                await bound.guard.aclose()
            elif loop.is_running() and not loop.is_closed():
                # The session lives on a loop running in another thread; close it there.
                try:
                    closing = asyncio.run_coroutine_threadsafe(bound.guard.aclose(), loop)
                except RuntimeError:  # that loop closed meanwhile
                    continue
                elsewhere.append(asyncio.wrap_future(closing))
        if elsewhere:
            done, pending = await asyncio.wait(elsewhere, timeout=_CLOSE_ELSEWHERE_TIMEOUT)
            for future in pending:
                future.cancel()
            for future in done:
                if not future.cancelled():
                    future.exception()  # closing failed there: nothing more to do about it


async def _close_with_loop(
    loop: asyncio.AbstractEventLoop,
    session: aiohttp.ClientSession,
    closed: asyncio.Event,
    owner: weakref.ref[SessionOwner],
    pid: int,
) -> AsyncGenerator[None, None]:
    """The guard: closes ``session`` when its loop finalizes it (or on ``aclose()``); in a
    forked child (the loop made before the fork, shut down there), it abandons it instead.

    Holds its owner weakly: a strong reference would make a cycle, and the session of a
    dropped client would then stay open until the cyclic collector ran. A dropped client's
    guard goes with it, and the loop finalizes it: the session closes in its own loop.
    """
    try:
        yield
    finally:
        try:
            forget = owner()
            if forget is not None:
                forget._forget(loop, session)
            if os.getpid() != pid:
                abandon(session)  # closing it would unregister the parent's sockets
            elif not session.closed:
                await session.close()
        finally:
            closed.set()  # wakes the calls pausing before a retry: they see it closed
