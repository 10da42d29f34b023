"""The official client's private virtualenv, and a description of the machine for the report."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from processes import WORK_DIR, Pinning

# Pinned so that every run compares against the same release of the official client.
OFFICIAL_REQUIREMENT = "ding-api-client==3.9.120"
OFFICIAL_VENV = WORK_DIR / "venv-official"

_REPORTED_PACKAGES = (
    "aiohttp",
    "attrs",
    "cattrs",
    "requests",
    "urllib3",
    "httpx",
    "httpx-aiohttp",
    "prelude-python-sdk",
    "pydantic",
    "matplotlib",
)


def official_python(
    requirements: tuple[str, ...] = (OFFICIAL_REQUIREMENT,), venv: Path = OFFICIAL_VENV
) -> Path:
    """A venv with `ding-api-client` (and any other `requirements`), created once under
    benchmarks/.work.

    The official client installs a top-level package named `ding`, which would shadow this
    project's, so it can never share an interpreter environment with it.
    """
    python = venv / "bin" / "python"
    marker = venv / "installed.txt"
    wanted = "\n".join(requirements)
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    print(f"creating {venv} with {', '.join(requirements)} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *requirements,
        ],
        check=True,
    )
    marker.write_text(wanted)
    return python


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def load_average() -> str:
    """Load while measuring: anything near or above the core count means noisy figures."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def describe_machine(pinning: Pinning) -> dict[str, object]:
    packages = {name: _version(name) for name in _REPORTED_PACKAGES}
    packages["ding-api-client"] = OFFICIAL_REQUIREMENT.split("==")[1] + " (own venv)"
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "pinning": pinning.describe(),
        "load_average_at_start": load_average(),
        "packages": packages,
    }
