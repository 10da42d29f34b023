"""The waits before a retry, said on stderr instead of silence: a logging handler on the
``ding`` logger's retry records."""

from __future__ import annotations

import logging
from typing import TextIO

from ._countdown import Countdown

__all__ = ["RetryProgress"]


class RetryProgress(logging.Handler):
    """Says on stderr that the client waits before retrying, instead of going silent.

    Listens to the ``ding`` logger's retry records (INFO). On a terminal, the wait counts
    down in place; otherwise one line per wait.
    """

    def __init__(self, command: str, stream: TextIO, *, min_wait: float = 1.0) -> None:
        super().__init__(logging.INFO)
        self.command = command
        self.stream = stream
        self.min_wait = min_wait
        self._countdown: Countdown | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if "retrying" not in str(record.msg):
            return
        args = record.args if isinstance(record.args, tuple) else ()
        wait: float = 0.0
        if len(args) == 5 and isinstance(args[3], (int, float)) and isinstance(args[4], int):
            why, wait, attempt = args[2], float(args[3]), args[4]
            reason = f"HTTP {why}" if isinstance(why, int) else f"{why}"
            if why == 429:
                reason = "rate limited (HTTP 429)"
            text = f"ding {self.command}: {reason}; retrying in {{}} (attempt {attempt + 1})"
        else:  # a log format this version does not know: still better than silence
            self._finish()
            print(f"ding {self.command}: {record.getMessage()}", file=self.stream, flush=True)
            return
        self._show(text, wait)

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
