"""The fake's notion of "now": frozen by default so tests decide when time passes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from ._thread_safe import Subscribers

__all__ = ["FakeClock", "format_timestamp", "to_timedelta"]


def to_timedelta(value: float | timedelta) -> timedelta:
    """Accept durations as seconds or as a `timedelta`, like every tunable of the fake."""
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with millisecond precision and a `Z` suffix, as the API sends them."""
    utc = moment.astimezone(timezone.utc)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _require_aware(moment: datetime) -> datetime:
    # A naive datetime would silently mean "local time" and make expiry depend on the
    # machine's timezone; refusing it keeps every timestamp the fake emits unambiguous.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("FakeClock needs a timezone-aware datetime")
    return moment.astimezone(timezone.utc)


class FakeClock:
    """A thread-safe clock that stands still until told to move.

    A *frozen* clock (the default) only moves through `advance` and `set`, so TTLs,
    retry intervals and rate-limit windows can be crossed instantly and exactly. A
    *ticking* clock (`FakeClock.real()` or `ticking=True`) follows the machine's
    monotonic clock from its starting point; `advance` and `set` still work on it.
    """

    def __init__(self, start: datetime | None = None, *, ticking: bool = False) -> None:
        if start is None:
            # Whole seconds keep the emitted timestamps easy to read in test output.
            start = datetime.now(timezone.utc).replace(microsecond=0)
        self._lock = threading.Lock()
        self._base = _require_aware(start)
        self._base_monotonic = time.monotonic()
        self._ticking = ticking
        self._watchers: Subscribers[None] = Subscribers()

    @classmethod
    def real(cls) -> FakeClock:
        """A clock that follows real time, starting now."""
        return cls(datetime.now(timezone.utc), ticking=True)

    @property
    def ticking(self) -> bool:
        """Whether the clock follows real time between explicit moves."""
        with self._lock:
            return self._ticking

    def now(self) -> datetime:
        """The current fake time, timezone-aware (UTC)."""
        with self._lock:
            return self._now_locked()

    def advance(self, seconds: float | timedelta) -> datetime:
        """Move the clock forward (a negative amount moves it back) and return the new time."""
        with self._lock:
            self._rebase(self._now_locked() + to_timedelta(seconds))
            moved = self._base
        self._notify()
        return moved

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (timezone-aware)."""
        with self._lock:
            self._rebase(_require_aware(moment))
        self._notify()

    def freeze(self) -> None:
        """Stop following real time; the clock keeps its current reading."""
        with self._lock:
            self._rebase(self._now_locked())
            self._ticking = False
        self._notify()

    def unfreeze(self) -> None:
        """Follow real time from the current reading on."""
        with self._lock:
            self._rebase(self._now_locked())
            self._ticking = True
        self._notify()

    def watch(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` (from the thread that moved the clock) after every `advance`,
        `set`, `freeze` and `unfreeze`; returns the function that stops it. The fake's
        webhook redeliveries use it to follow the clock."""
        return self._watchers.subscribe(lambda _: callback())

    def _notify(self) -> None:
        for watcher in self._watchers.current():  # outside the lock: a watcher reads the clock
            watcher(None)

    def _now_locked(self) -> datetime:
        if not self._ticking:
            return self._base
        return self._base + timedelta(seconds=time.monotonic() - self._base_monotonic)

    def _rebase(self, moment: datetime) -> None:
        self._base = moment
        self._base_monotonic = time.monotonic()

    def __repr__(self) -> str:
        mode = "ticking" if self.ticking else "frozen"
        return f"<FakeClock {format_timestamp(self.now())} {mode}>"
