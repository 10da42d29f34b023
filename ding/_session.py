"""Loop-aware ownership of the aiohttp session.

An ``AsyncDing`` may be created at import time and then used under several event loops in
turn (``asyncio.run`` twice, pytest-asyncio's per-test loops). aiohttp sessions belong to
one loop, so the session is created lazily in the running loop and replaced when the loop
changes. Two traps shape this module:

* When the loop changes, the old loop is usually closed already and its sockets can no
  longer be closed through it. So each session is closed as part of its own loop's shutdown:
  a tiny guard async generator, first iterated in that loop, closes the session in its
  ``finally`` when ``loop.shutdown_asyncgens()`` runs (``asyncio.run`` and pytest-asyncio do).
* After ``os.fork()`` the child shares the parent's epoll instance: closing or unregistering
  an inherited socket in the child removes it from the parent's selector too. The child
  therefore abandons inherited sessions without closing them, keeping a reference so that
  no finalizer closes them either, and builds fresh ones.

A session the user supplied is used as given and never closed here.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncGenerator, Callable
from typing import Any

import aiohttp
import attrs

# Incremented in a forked child; cheaper to compare than calling os.getpid() per request.
_fork_generation = 0
# Sessions (and their loops) inherited across a fork: kept alive, never closed, on purpose.
_abandoned: list[Any] = []


def _after_fork_in_child() -> None:
    global _fork_generation
    _fork_generation += 1


os.register_at_fork(after_in_child=_after_fork_in_child)


def fork_generation() -> int:
    return _fork_generation


def abandon(*objects: Any) -> None:
    """Keep ``objects`` alive for the life of this process without ever closing them."""
    _abandoned.extend(objects)


async def _close_with_loop(session: aiohttp.ClientSession) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        if not session.closed:
            await session.close()


@attrs.define
class _Bound:
    loop: asyncio.AbstractEventLoop
    session: aiohttp.ClientSession
    guard: AsyncGenerator[None, None]
    generation: int


class SessionOwner:
    """Hands out the session for the running loop, creating or replacing it as needed."""

    def __init__(
        self,
        factory: Callable[[], aiohttp.ClientSession],
        user_session: aiohttp.ClientSession | None = None,
    ) -> None:
        self._factory = factory
        self._user_session = user_session
        self._bound: _Bound | None = None

    async def get(self) -> aiohttp.ClientSession:
        if self._user_session is not None:
            return self._user_session
        bound = self._bound
        if (
            bound is not None
            and bound.generation == _fork_generation
            and bound.loop is asyncio.get_running_loop()
            and not bound.session.closed
        ):
            return bound.session
        return await self._rebind()

    async def _rebind(self) -> aiohttp.ClientSession:
        old = self._bound
        session = self._factory()
        if hasattr(session, "_retry_connection"):
            # aiohttp silently resends an idempotent request once when a pooled connection
            # drops; then the server sees more attempts than `max_retries` allows and than
            # `.attempts` reports. Sessions ding owns leave every retry to ding's policy.
            session._retry_connection = False
        guard = _close_with_loop(session)
        await guard.__anext__()  # first iteration registers it with this loop's shutdown
        # Publish the new session before awaiting anything, so concurrent callers share it.
        self._bound = _Bound(asyncio.get_running_loop(), session, guard, _fork_generation)
        if old is not None:
            if old.generation != _fork_generation:
                abandon(old)
            elif old.loop is asyncio.get_running_loop():
                await old.guard.aclose()  # its session was closed under us; finish the guard
            # else: the old loop's shutdown closes its own session through the guard.
        return session

    async def close(self) -> None:
        """Close the session of the running loop (if it is ours and lives there)."""
        bound, self._bound = self._bound, None
        if bound is None:
            return
        if bound.generation != _fork_generation:
            abandon(bound)
        elif bound.loop is asyncio.get_running_loop():
            await bound.guard.aclose()
        elif not bound.loop.is_closed() and bound.loop.is_running():
            # The session lives on a loop running in another thread; close it there.
            done = asyncio.run_coroutine_threadsafe(bound.guard.aclose(), bound.loop)
            await asyncio.wrap_future(done)
