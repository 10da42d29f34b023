"""Thread-safe containers shared by the thread that serves and the test that inspects: `Records`
(what happened: requests, webhook deliveries), `CountedQueue` (injected faults, each good for
a number of uses) and `Subscribers` (who to tell when something happens)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["CountedQueue", "Records", "Subscribers"]

T = TypeVar("T")


class Records(Generic[T]):
    """A thread-safe append-only list."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[T] = []

    def append(self, item: T) -> None:
        with self._lock:
            self._items.append(item)

    def all(self) -> list[T]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


@dataclass(eq=False)  # removed by identity: two entries may hold equal items
class _Entry(Generic[T]):
    item: T
    remaining: int


class CountedQueue(Generic[T]):
    """Items each good for a number of uses, consumed first-in first-out; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[_Entry[T]] = []

    def add(self, item: T, uses: int) -> None:
        with self._lock:
            self._entries.append(_Entry(item, uses))

    def take(self, fits: Callable[[T], bool]) -> T | None:
        """The oldest item that `fits`, if any; consumes one of its uses."""
        with self._lock:
            for entry in self._entries:
                if fits(entry.item):
                    entry.remaining -= 1
                    if entry.remaining == 0:
                        self._entries.remove(entry)
                    return entry.item
        return None

    def pending(self) -> int:
        """The uses left, all items together."""
        with self._lock:
            return sum(entry.remaining for entry in self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class Subscribers(Generic[T]):
    """Callbacks taking a `T`, added and removed from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[T], None]] = []

    def subscribe(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Add `callback`; returns the function that removes it."""
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    def current(self) -> list[Callable[[T], None]]:
        """The callbacks now, to call outside the lock (a callback may subscribe another)."""
        with self._lock:
            return list(self._callbacks)
