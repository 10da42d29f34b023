"""Cold start: the wall time of a whole fresh process that imports, builds a client, calls once
and exits (`coldstart_call.py`), this project next to the official client.

Each repetition runs every case once, in an order that reverses on alternate repetitions, so
a burst of background load hits them alike; medians are compared. `python -c pass` is timed
the same way for each interpreter, so a difference that comes from the virtualenv itself
(its `.pth` files, say) rather than from the client shows up beside the result.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import payloads
from processes import BENCH_DIR, WORK_DIR, Pinning

CALL_SCRIPT = BENCH_DIR / "coldstart_call.py"
FLOOR_SCRIPT = BENCH_DIR / "coldstart_floor.py"
_TIMEOUT = 120.0


@dataclass(frozen=True)
class ColdStartCase:
    key: str
    label: str
    python: Path | str
    env: Mapping[str, str]
    script: Path | None = CALL_SCRIPT
    """The script to run against the server (it prints the answer's identifier); None:
    `python -c pass`, the interpreter's own start-up (reference)."""


def _run_once(case: ColdStartCase, url: str, pinning: Pinning) -> float:
    """Wall seconds of one whole process, spawn to reaped."""
    args = [str(case.script), url] if case.script is not None else ["-c", "pass"]
    command = [*pinning.client_prefix(), str(case.python), *args]
    started = time.perf_counter()
    completed = subprocess.run(
        command,
        env=dict(case.env),
        cwd=WORK_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=_TIMEOUT,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        last = completed.stderr.strip().splitlines()[-1:]
        raise RuntimeError(f"{case.label} failed: {last}")
    if case.script is not None and completed.stdout.strip() != payloads.AUTHENTICATION_UUID:
        raise RuntimeError(f"{case.label} printed {completed.stdout.strip()!r}, not the answer")
    return elapsed


def time_coldstarts(
    cases: list[tuple[str, ColdStartCase]], reps: int, pinning: Pinning, urls: Mapping[str, str]
) -> dict[str, dict[str, object]]:
    """Median wall milliseconds per case over `reps` alternating repetitions.

    `cases` pairs each case with the scheme of the server it calls (a key of `urls`).
    """
    results: dict[str, dict[str, object]] = {}
    usable: list[tuple[str, ColdStartCase]] = []
    for scheme, case in cases:
        try:
            _run_once(case, urls[scheme], pinning)  # untimed: writes .pyc files
            usable.append((scheme, case))
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
            results[case.key] = {"label": case.label, "skipped": str(error)}
    samples: dict[str, list[float]] = {case.key: [] for _, case in usable}
    for rep in range(reps):
        for scheme, case in usable if rep % 2 == 0 else usable[::-1]:
            samples[case.key].append(_run_once(case, urls[scheme], pinning) * 1e3)
    for _, case in usable:
        results[case.key] = {
            "label": case.label,
            "median_ms": statistics.median(samples[case.key]),
            "samples_ms": samples[case.key],
        }
    return results
