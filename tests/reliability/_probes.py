"""A probe: a script run in a fresh interpreter (this checkout first on its path), for what
only a new process shows -- its peak memory, what it frees with the cyclic GC off -- and
whose last line of output is a JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_probe(*args: str, timeout: float = 120) -> tuple[dict[str, Any], str]:
    """Run ``python *args``; its JSON report and what it wrote to stderr."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DING_LOG", None)
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report, done.stderr
