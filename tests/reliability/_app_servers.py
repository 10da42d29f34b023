"""Real WSGI servers (gunicorn, uWSGI) run as their users run them, and a burst of concurrent
requests to them: started in a process session of their own, stopped with all their workers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

# No proxies: a developer's HTTP_PROXY must not capture loopback calls.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def load_app_server(
    command: list[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    port: int,
    count: int,
    parallel: int,
    timeout: float,
) -> tuple[list[Any], str]:
    """Start `command`, wait until it listens on `port`, `hammer` it, stop it; returns the
    outcomes and what the server printed."""
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_listening(port, proc, 30)
        results = hammer(f"http://127.0.0.1:{port}/", count, parallel, timeout)
    finally:
        log = stop(proc)
    return results, log


def get(url: str, timeout: float) -> tuple[int, str]:
    with _OPENER.open(url, timeout=timeout) as response:
        return response.status, response.read().decode()


def wait_listening(port: int, proc: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited early: {proc.stdout.read() if proc.stdout else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail("server never listened")


def stop(proc: subprocess.Popen[str]) -> str:
    """End the server and every process of its session (it was started in its own)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    if proc.stdout is None:
        return ""
    with proc.stdout:
        return proc.stdout.read()


def hammer(url: str, count: int, parallel: int, timeout: float) -> list[Any]:
    """`count` requests, `parallel` at a time from the start (concurrent first calls)."""
    results: list[Any] = []
    lock = threading.Lock()
    remaining = list(range(count))

    def worker() -> None:
        while True:
            with lock:
                if not remaining:
                    return
                remaining.pop()
            try:
                outcome: Any = get(url, timeout)
            except Exception as exc:
                outcome = repr(exc)
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * count)
    return results
