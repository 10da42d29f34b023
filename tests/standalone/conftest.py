"""``ding fake`` as a real process, and the tools the tests drive it with.

What a test needs from outside Python's standard library and this project's dependencies (the
official client, from PyPI, in a virtual environment of its own; Chromium, from the OS
packages) is skipped with the reason naming the package when it cannot be had, except under
``CI=true``, where its absence fails the test: CI installs both (``.ci/run``, ``nox -s fake``).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import venv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NoReturn

import pytest

OFFICIAL_REQUIREMENT = "ding-api-client==3.9.120"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


def unavailable(reason: str) -> NoReturn:
    """Skip, or fail under CI, where everything a test needs must be there."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: required here)", pytrace=False)
    pytest.skip(reason)


@dataclass
class FakeProcess:
    """A running ``ding fake``: its exported variables and what it printed so far."""

    process: subprocess.Popen[str]
    exports: dict[str, str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    stderr: list[str] = field(default_factory=list)
    pumps: list[threading.Thread] = field(default_factory=list)

    @property
    def base(self) -> str:
        return self.exports["DING_SERVER_URL"].removesuffix("/v1")

    @property
    def env(self) -> dict[str, str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("DING_")}
        return {**clean, **self.exports}

    def wait_for_line(self, *parts: str, timeout: float = 10.0) -> str:
        """The next printed line that contains every one of `parts` (others are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no line with {parts} within {timeout} s")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if all(part in line for part in parts):
                return line

    def stop(self, signum: int = signal.SIGINT) -> int:
        """Send `signum`; the exit status (bounded: a hang fails the test)."""
        self.process.send_signal(signum)
        try:
            status = self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"ding fake did not stop within {STOP_TIMEOUT} s") from None
        for pump in self.pumps:  # everything it printed, read
            pump.join(5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return status


def start_fake(*options: str, dev_mode: bool = False) -> FakeProcess:
    """``ding fake OPTIONS``; with `dev_mode`, under ``-X dev -W error`` (a ResourceWarning
    or an unclosed session at the exit is a traceback on stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DING_")}
    flags = ["-X", "dev", "-W", "error"] if dev_mode else []
    process = subprocess.Popen(
        [sys.executable, *flags, "-m", "ding", "fake", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    lines: queue.Queue[str] = queue.Queue()
    stderr: list[str] = []
    pumps = [
        threading.Thread(target=_pump, args=(process.stdout, lines.put), daemon=True),
        threading.Thread(target=_pump, args=(process.stderr, stderr.append), daemon=True),
    ]
    for pump in pumps:
        pump.start()
    exports: dict[str, str] = {}
    deadline = time.monotonic() + START_TIMEOUT
    while len(exports) < 3:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise AssertionError(f"ding fake did not start: {''.join(stderr)}")
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        assert line.startswith("export "), line
        name, _, value = line.removeprefix("export ").strip().partition("=")
        exports[name] = value
    return FakeProcess(process, exports, lines, stderr, pumps)


def _pump(stream: IO[str], sink: Callable[[str], object]) -> None:
    for line in stream:
        sink(line)


@pytest.fixture
def ding_fake() -> Iterator[FakeProcess]:
    """``ding fake --port 0``, ended with SIGINT after the test (exit 0, nothing on stderr
    but its own lines)."""
    fake = start_fake("--port", "0", "--seed", "7")
    try:
        yield fake
    finally:
        if fake.process.poll() is None:
            status = fake.stop()
            stderr = "".join(fake.stderr)
            assert status == 0, stderr
            assert "Traceback" not in stderr, stderr
            assert stderr.rstrip().endswith("ding fake: stopped"), stderr


@pytest.fixture(scope="session")
def official_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the official client: it installs a package named `ding`
    too, so it never shares one with this project."""
    folder = tmp_path_factory.mktemp("official") / "venv"
    try:
        venv.create(folder, with_pip=True)
    except (OSError, subprocess.SubprocessError) as exc:
        unavailable(f"cannot create a virtual environment for {OFFICIAL_REQUIREMENT}: {exc}")
    python = folder / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    done = subprocess.run(
        [*pip, OFFICIAL_REQUIREMENT], capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        unavailable(f"cannot install {OFFICIAL_REQUIREMENT}: {done.stderr.strip()[-500:]}")
    return python
