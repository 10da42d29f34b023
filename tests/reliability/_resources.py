"""How a test sees resources come back: open file descriptors, live threads, and a poll that
gives closing sockets and joining threads the moment they take."""

from __future__ import annotations

import gc
import os
import threading
import time
from typing import Any


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def live_threads() -> int:
    return threading.active_count()


def settle(predicate: Any, timeout: float = 5.0) -> bool:
    """Poll until `predicate()` holds: closing sockets and joining threads is not instant."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        gc.collect()
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())
