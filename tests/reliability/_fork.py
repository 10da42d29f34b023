"""Run work in a forked child and get its report back, through ``os.fork()`` or through libc's
``fork()`` (as uWSGI forks its workers: no at-fork hook runs).

The child reports through a pipe and leaves with ``os._exit``, so no finalizer or atexit
hook of the test process runs twice, and it never returns into pytest.
"""

from __future__ import annotations

import ctypes
import json
import os
import time
import traceback
from collections.abc import Callable
from typing import Any

import pytest


def c_fork() -> int:
    """libc's fork(), called with the GIL held (a CDLL call would release it), no hooks."""
    libc = ctypes.PyDLL(None)
    libc.fork.restype = ctypes.c_int
    return int(libc.fork())


def in_child(
    work: Callable[[], dict[str, Any]],
    timeout: float = 20.0,
    fork: Callable[[], int] = os.fork,
) -> dict[str, Any]:
    """Fork; run `work` in the child; return what it reported (or raise with its traceback)."""
    read_end, write_end = os.pipe()
    pid = fork()
    if pid == 0:  # child: never return into pytest
        code = 1
        try:
            os.close(read_end)
            report = {"ok": True, **work()}
            code = 0
        except BaseException:
            report = {"ok": False, "error": traceback.format_exc()}
        finally:
            try:
                os.write(write_end, json.dumps(report, default=str).encode())
            finally:
                os._exit(code)
    os.close(write_end)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            os.close(read_end)
            pytest.fail(f"the child forked by {fork.__name__}() hung")
        time.sleep(0.01)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    report = json.loads(data) if data else {"ok": False, "error": "no report"}
    assert report["ok"], report.get("error")
    assert os.waitstatus_to_exitcode(status) == 0
    return report
