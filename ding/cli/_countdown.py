"""A wait shown on a terminal as a line that counts down in place, on its own thread."""

from __future__ import annotations

import threading
from typing import TextIO

__all__ = ["Countdown"]


class Countdown:
    """Writes ``text`` (a format with one ``{}`` for the time left) to ``stream`` every
    second for ``seconds``, then once more with ``now`` and a newline; :meth:`stop` ends it
    early (and waits, at most two seconds, for the last line)."""

    def __init__(self, text: str, seconds: float, stream: TextIO) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._count_down, args=(text, seconds, stream), daemon=True
        )
        self._thread.start()

    def _count_down(self, text: str, seconds: float, stream: TextIO) -> None:
        remaining = seconds
        while remaining > 0 and not self._stop.is_set():
            stream.write("\r" + text.format(f"{remaining:.0f} s ") + "  ")
            stream.flush()
            step = remaining - int(remaining) or 1.0
            self._stop.wait(step)
            remaining -= step
        stream.write("\r" + text.format("now") + "   \n")
        stream.flush()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
