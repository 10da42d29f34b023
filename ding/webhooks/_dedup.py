"""Deduplication by event id: Ding redelivers an event (same ``id``) until it gets a 200, so a
receiver sees some events twice -- when its 200 was lost, or when it answered too slowly.

The protocol is two operations any store can do atomically: ``add`` (claim an id; say
whether it is new) and ``discard`` (release a claim when handing the event on failed, so
the redelivery is processed). :class:`RecentEventIds` is a bounded in-memory store for one
process; back the protocol with your database or Redis for several processes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Protocol, runtime_checkable

from ..models.errors import ValidationError

__all__ = ["AsyncEventIdStore", "EventIdStore", "RecentEventIds"]


@runtime_checkable
class EventIdStore(Protocol):
    """Where a receiver remembers the ids of the events it has taken.

    ``add`` must be atomic: two requests carrying the same id at the same moment (a
    redelivery racing a slow first delivery) must not both get ``True``. Keep ids at
    least two weeks, as long as Ding redelivers. For example, with Redis:
    ``SET ding:event:<id> 1 NX EX 1209600`` (``add`` is whether it answered ``OK``) and
    ``DEL`` for ``discard``; with SQL: ``INSERT ... ON CONFLICT DO NOTHING`` on a primary
    key (``add`` is whether a row was inserted) and ``DELETE``.
    """

    def add(self, event_id: str) -> bool:
        """Record ``event_id``; True if it was not recorded yet (process the event)."""
        ...

    def discard(self, event_id: str) -> None:
        """Forget ``event_id`` (processing failed: let the redelivery through)."""
        ...


@runtime_checkable
class AsyncEventIdStore(Protocol):
    """:class:`EventIdStore` for an async store (``redis.asyncio``, an async database)."""

    async def add(self, event_id: str) -> bool:
        """Record ``event_id``; True if it was not recorded yet (process the event)."""
        ...

    async def discard(self, event_id: str) -> None:
        """Forget ``event_id`` (processing failed: let the redelivery through)."""
        ...


class RecentEventIds:
    """The last ``max_size`` event ids, in memory; thread-safe; an :class:`EventIdStore`.

    When full, the oldest id is forgotten, so an event redelivered after ``max_size``
    newer ones would be taken again: size it for the events of a few hours at least,
    and use a persistent store when duplicates must never get through (several
    processes, restarts).
    """

    def __init__(self, max_size: int = 10_000) -> None:
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
            raise ValidationError("max_size", "a positive integer", got=repr(max_size))
        self.max_size = max_size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, event_id: str) -> bool:
        with self._lock:
            if event_id in self._ids:
                return False
            self._ids[event_id] = None
            if len(self._ids) > self.max_size:
                self._ids.popitem(last=False)
            return True

    def discard(self, event_id: str) -> None:
        with self._lock:
            self._ids.pop(event_id, None)

    def __contains__(self, event_id: object) -> bool:
        with self._lock:
            return event_id in self._ids

    def __len__(self) -> int:
        with self._lock:
            return len(self._ids)

    def __repr__(self) -> str:
        return f"RecentEventIds({len(self)}/{self.max_size})"
