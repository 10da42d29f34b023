"""The waits before a retry, said on stderr instead of silence: a logging handler on the
``ding`` logger's retry records."""

from __future__ import annotations

import logging
from typing import TextIO

from ._countdown import Countdown

__all__ = ["RetryProgress"]


class RetryProgress(logging.Handler):
    """Says on stderr that the client waits before retrying, instead of going silent.

    Listens to the ``ding`` logger's retry records (INFO, ``stage="retry"``) and reads
    their fields (``wait``, ``attempt``, ``status``, ``error_type``). On a terminal, the wait
    counts down in place; otherwise one line per wait.
    """

    def __init__(self, command: str, stream: TextIO, *, min_wait: float = 1.0) -> None:
        super().__init__(logging.INFO)
        self.command = command
        self.stream = stream
        self.min_wait = min_wait
        self._countdown: Countdown | None = None

    def emit(self, record: logging.LogRecord) -> None:
        # The record's fields, never its message text (DESIGN §3: consumers read fields).
        if getattr(record, "stage", None) != "retry":
            return
        wait = getattr(record, "wait", None)
        attempt = getattr(record, "attempt", None)
        if not isinstance(wait, (int, float)) or not isinstance(attempt, int):
            self._finish()  # a record this version does not know: still better than silence
            print(f"ding {self.command}: {record.getMessage()}", file=self.stream, flush=True)
            return
        status = getattr(record, "status", None)
        if status == 429:
            reason = "rate limited (HTTP 429)"
        elif isinstance(status, int):
            reason = f"HTTP {status}"
        else:
            reason = str(getattr(record, "error_type", None) or "the request failed")
        text = f"ding {self.command}: {reason}; retrying in {{}} (attempt {attempt + 1})"
        self._show(text, float(wait))

    def _show(self, text: str, wait: float) -> None:
        self._finish()
        if wait < self.min_wait:
            return
        if not self.stream.isatty():
            print(text.format(f"{wait:.0f} s"), file=self.stream, flush=True)
            return
        self._countdown = Countdown(text, wait, self.stream)

    def _finish(self) -> None:
        if self._countdown is not None:
            self._countdown.stop()
            self._countdown = None

    def close(self) -> None:
        self._finish()
        super().close()
