"""Starting the server and the client workers as separate, CPU-pinned processes.

The server gets one core and every client process the other, so the client's CPU time and
the server's never compete for the same core, and the figures describe the client alone.
"""

from __future__ import annotations

import compileall
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / ".work"


@dataclass(frozen=True)
class Pinning:
    """Which core the server and the clients run on; None where pinning is not possible."""

    server_core: int | None
    client_core: int | None

    @classmethod
    def detect(cls, enabled: bool = True) -> Pinning:
        cores = sorted(os.sched_getaffinity(0))
        if not enabled or len(cores) < 2 or shutil.which("taskset") is None:
            return cls(None, None)
        return cls(cores[0], cores[1])

    def describe(self) -> str:
        if self.server_core is None:
            return "not pinned (needs taskset and at least 2 cores)"
        return f"server on core {self.server_core}, clients on core {self.client_core} (taskset)"

    def server_prefix(self) -> list[str]:
        return _taskset(self.server_core)

    def client_prefix(self) -> list[str]:
        return _taskset(self.client_core)


def _taskset(core: int | None) -> list[str]:
    return [] if core is None else ["taskset", "-c", str(core)]


def _base_env() -> dict[str, str]:
    """This environment, minus what would make a measured process unlike an installed one.

    With PYTHONDONTWRITEBYTECODE set (some shells and CI images set it), the working tree's
    `ding` would be compiled from source on every import, while pip compiled every installed
    package, the official client included, to bytecode at install time: 25-30 ms of the
    import on the 2-core benchmark machine that no user pays.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_project() -> None:
    """Write the bytecode of the working tree's `ding` up front, as `pip install` would."""
    compileall.compile_dir(str(REPO_ROOT / "ding"), quiet=1)


def project_env() -> dict[str, str]:
    """Environment for processes that import this project's `ding` from the working tree."""
    env = _base_env()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def isolated_env() -> dict[str, str]:
    """Environment for the official client's venv: nothing may put this project's `ding` first."""
    env = _base_env()
    env.pop("PYTHONPATH", None)
    return env


class Server:
    """The benchmark server process; stops when `stop()` closes its stdin.

    `tls` is (certificate chain file, key file): the server then speaks HTTPS.
    """

    def __init__(self, pinning: Pinning, tls: tuple[Path, Path] | None = None) -> None:
        extra = [] if tls is None else ["--tls", str(tls[0]), str(tls[1])]
        self._process = subprocess.Popen(
            [*pinning.server_prefix(), sys.executable, str(BENCH_DIR / "server.py"), *extra],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"benchmark server did not start: {line!r}")
        scheme = "http" if tls is None else "https"
        self.url = f"{scheme}://127.0.0.1:{int(line.split()[1])}"

    def stop(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def run_worker(
    python: Path | str,
    style: str,
    *,
    pinning: Pinning,
    env: Mapping[str, str],
    url: str,
    seconds: float,
    warmup: float,
    max_calls: int | None = None,
    sample_every: int = 0,
    timeout: float = 900,
) -> dict[str, Any]:
    """One worker process for one style; returns its JSON, or a dict with `failed`."""
    command: list[str] = [
        *pinning.client_prefix(),
        str(python),
        str(BENCH_DIR / "worker.py"),
        style,
        f"--url={url}",
        f"--seconds={seconds}",
        f"--warmup={warmup}",
        f"--sample-every={sample_every}",
    ]
    if max_calls is not None:
        command.append(f"--max-calls={max_calls}")
    try:
        completed = subprocess.run(
            command, env=env, cwd=WORK_DIR, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"style": style, "failed": f"timed out after {timeout:.0f} s"}
    if completed.returncode != 0 or not completed.stdout.strip():
        last_lines = completed.stderr.strip().splitlines()[-3:]
        return {"style": style, "failed": " | ".join(last_lines) or f"exit {completed.returncode}"}
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def run_python(
    python: Path | str, args: Sequence[str], *, pinning: Pinning, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    """A short-lived interpreter on the client core (used for import timing)."""
    return subprocess.run(
        [*pinning.client_prefix(), str(python), *args],
        env=env,
        cwd=WORK_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
