"""``ding.testing.FakeDing`` in a process of its own, driven over a pipe.

The tools under test instrument the process they run in: in-process, Sentry's aiohttp
integration would also trace the fake's *server* side and report the numbers it receives,
which is the fake's business, not the client's. In another process only the client is seen.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
from typing import Any

from ._canaries import CODE_LENGTH

_ANSWER_WAIT = 30.0
"""Longest one command waits for the fake's answer (it is in-memory: milliseconds)."""


def _serve(conn: Connection) -> None:
    from ding.testing import FakeDing

    with FakeDing.running(code_length=CODE_LENGTH, send_rate_limit=None, max_retries=100) as fake:
        conn.send(fake.url)
        while True:
            if not conn.poll(600):  # the driver died without saying goodbye
                return
            name, args, kwargs = conn.recv()
            if name == "stop":
                return
            try:
                if name == "request_headers":
                    answer: Any = [(r.raw_path, dict(r.headers)) for r in fake.requests]
                else:
                    answer = getattr(fake, name)(*args, **kwargs)
            except Exception as exc:  # sent back: the driver raises it
                answer = RuntimeError(f"fake.{name}: {exc!r}")
            conn.send(answer)


class RemoteFake:
    """The few controls of the fake the workload needs, as method calls."""

    def __init__(self, conn: Connection, url: str) -> None:
        self._conn = conn
        self.url = url

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self._conn.send((name, args, kwargs))
        if not self._conn.poll(_ANSWER_WAIT):
            raise TimeoutError(f"the fake did not answer {name} in {_ANSWER_WAIT} s")
        answer = self._conn.recv()
        if isinstance(answer, Exception):
            raise answer
        return answer

    def last_code(self, phone_number: str) -> str:
        return str(self._call("last_code", phone_number))

    def fail_next(self, n: int, status: int) -> None:
        self._call("fail_next", n, status)

    def drop_next(self, n: int = 1) -> None:
        self._call("drop_next", n)

    def delay_next(self, n: int = 1, seconds: float = 3600.0) -> None:
        self._call("delay_next", n, seconds)

    def clear_faults(self) -> None:
        self._call("clear_faults")

    def reset(self) -> None:
        self._call("reset")

    def request_headers(self) -> list[tuple[str, dict[str, str]]]:
        """(raw path, headers) of every request received since the last reset."""
        answer: list[tuple[str, dict[str, str]]] = self._call("request_headers")
        return answer


@contextmanager
def fake_in_a_process() -> Iterator[RemoteFake]:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs,), daemon=True)
    process.start()
    try:
        if not ours.poll(60):
            raise TimeoutError("the fake did not start within 60 s")
        yield RemoteFake(ours, ours.recv())
    finally:
        with suppress(OSError):
            ours.send(("stop", (), {}))
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join(5)
