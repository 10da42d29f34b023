"""Where does a client's CPU go? Sample a benchmark worker with py-spy.

    python benchmarks/profile_style.py raw-aiohttp-c10 asyncding-c10 --seconds 8

Runs each named style's ordinary worker (`worker.py`, pinned to the client core) under
`py-spy record` against the bench server, then prints, per call: CPU by package, the heaviest
functions by self time, and this project's heaviest frames by inclusive time. With two or
more styles the first is the baseline, and a last table shows what each costs beyond it.

py-spy samples from outside the process without pausing it, so the worker runs at full
speed, and it skips threads that are waiting (epoll, locks): the samples are CPU. Time spent
in C code is charged to the Python function that called it. Samples taken outside the event
imports (start-up) are dropped. Shares are converted to µs per
call with the worker's own unprofiled-style CPU figure.

Needs py-spy (`pip install py-spy`); not part of `run.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clients import STYLES
from processes import BENCH_DIR, REPO_ROOT, WORK_DIR, Pinning, Server, isolated_env, project_env

_FRAME = re.compile(r"^(?P<function>.*) \((?P<path>.*?)(?::\d+)?\)$")
_SITE_PACKAGES = os.sep + "site-packages" + os.sep
_STDLIB = os.path.dirname(os.__file__) + os.sep
_PROJECT = str(REPO_ROOT / "ding") + os.sep
# Samples taken while importing are start-up, not the workload. (py-spy cannot always walk
# from a coroutine back to the event loop, so the workload cannot be selected by its root.)
_IMPORT_FRAMES = ("_find_and_load", "_call_with_frames_removed")


@dataclass
class Profile:
    style: str
    cpu_us_per_call: float
    samples: int = 0
    by_package: Counter[str] = field(default_factory=Counter)
    by_function: Counter[str] = field(default_factory=Counter)
    project_inclusive: Counter[str] = field(default_factory=Counter)

    def us(self, samples: int) -> float:
        """Samples converted to µs per call through the worker's measured CPU per call."""
        return samples / self.samples * self.cpu_us_per_call if self.samples else 0.0

    def share(self, samples: int) -> float:
        return samples / self.samples if self.samples else 0.0


def _package(path: str) -> str:
    """A short owner for a source file: this project, a distribution, a stdlib module."""
    if path.startswith(_PROJECT):
        return "ding"
    if path.startswith("<attrs generated") or path.startswith("<cattrs generated"):
        # Code that attrs/cattrs generate for this project's models: e.g. "<attrs generated
        # init ding.models.components.CreateAuthenticationRequest>".
        return path[1:].split(" ", 1)[0] + " (generated)"
    if path.startswith(str(BENCH_DIR)):
        return "harness"
    if _SITE_PACKAGES in path:
        return path.split(_SITE_PACKAGES, 1)[1].split(os.sep, 1)[0].removesuffix(".py")
    if path.startswith(_STDLIB):
        return "stdlib:" + path[len(_STDLIB) :].split(os.sep, 1)[0].removesuffix(".py")
    return "other"


def _short(path: str) -> str:
    if path.startswith(str(REPO_ROOT)):
        return path[len(str(REPO_ROOT)) + 1 :]
    if _SITE_PACKAGES in path:
        return path.rsplit(_SITE_PACKAGES, 1)[1]
    return path.removeprefix(_STDLIB)


def _parse_frames(stack: str) -> list[tuple[str, str]]:
    frames = []
    for text in stack.split(";"):
        match = _FRAME.match(text)
        if match:
            frames.append((match["function"], match["path"]))
    return frames


def aggregate(profile: Profile, collapsed: str) -> None:
    """Fold py-spy's raw (collapsed-stack) output into the profile's counters."""
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        frames = _parse_frames(stack)
        if not frames or any(function in _IMPORT_FRAMES for function, _ in frames):
            continue
        count = int(count_text)
        function, path = frames[-1]
        profile.samples += count
        profile.by_package[_package(path)] += count
        profile.by_function[f"{function} ({_short(path)})"] += count
        for label in {f"{f} ({_short(p)})" for f, p in frames if p.startswith(_PROJECT)}:
            profile.project_inclusive[label] += count


def find_py_spy() -> str:
    """py-spy from PATH, or installed next to this interpreter (an unactivated venv)."""
    beside = Path(sys.executable).parent / "py-spy"
    found = shutil.which("py-spy") or (str(beside) if beside.exists() else None)
    if found is None:
        raise SystemExit("py-spy not found: pip install py-spy")
    return found


def profile_style(
    name: str, server: Server, pinning: Pinning, seconds: float, rate: int
) -> Profile:
    style = STYLES[name]
    env = isolated_env() if style.venv == "official" else project_env()
    python = sys.executable
    with tempfile.NamedTemporaryFile(suffix=".txt", dir=WORK_DIR) as output:
        command = [
            find_py_spy(),
            "record",
            "--nonblocking",
            "--full-filenames",
            "--format=raw",
            f"--rate={rate}",
            f"--output={output.name}",
            "--",
            *pinning.client_prefix(),
            python,
            str(BENCH_DIR / "worker.py"),
            name,
            f"--url={server.url}",
            f"--seconds={seconds}",
            "--warmup=0.5",
        ]
        # py-spy itself sits on the server's core so that its sampling never takes the client's.
        completed = subprocess.run(
            [*pinning.server_prefix(), *command],
            env=env,
            cwd=WORK_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise SystemExit(f"profiling {name} failed:\n{completed.stderr[-2000:]}")
        # py-spy writes its own status lines to the same stdout as the worker's JSON.
        result = json.loads(
            [line for line in completed.stdout.splitlines() if line.startswith("{")][-1]
        )
        if "skipped" in result:
            raise SystemExit(f"{name} skipped: {result['skipped']}")
        profile = Profile(name, result["cpu_us_per_call"])
        aggregate(profile, Path(output.name).read_text())
    return profile


def _print_profile(profile: Profile, top: int) -> None:
    cpu = profile.cpu_us_per_call
    print(f"\n=== {profile.style}: {cpu:.0f} µs CPU/call, {profile.samples:,} samples")
    print(f"{'package':28} {'µs/call':>8} {'share':>6}")
    for package, count in profile.by_package.most_common():
        print(f"{package:28} {profile.us(count):8.1f} {profile.share(count):6.1%}")
    print(f"\n{'function (self)':86} {'µs/call':>8} {'share':>6}")
    for function, count in profile.by_function.most_common(top):
        print(f"{function[:86]:86} {profile.us(count):8.1f} {profile.share(count):6.1%}")
    if profile.project_inclusive:
        print(f"\n{'ding frames (inclusive)':86} {'µs/call':>8} {'share':>6}")
        for function, count in profile.project_inclusive.most_common(top):
            print(f"{function[:86]:86} {profile.us(count):8.1f} {profile.share(count):6.1%}")


def _print_difference(baseline: Profile, subject: Profile, top: int) -> None:
    print(f"\n=== {subject.style} minus {baseline.style}: µs per call by package")

    def extra(package: str) -> float:
        return subject.us(subject.by_package[package]) - baseline.us(baseline.by_package[package])

    for package in sorted(
        set(baseline.by_package) | set(subject.by_package), key=extra, reverse=True
    ):
        before, after = (
            baseline.us(baseline.by_package[package]),
            subject.us(subject.by_package[package]),
        )
        print(f"{package:28} {before:8.1f} -> {after:8.1f}  ({after - before:+.1f})")
    print(
        f"{'total':28} {baseline.cpu_us_per_call:8.1f} -> {subject.cpu_us_per_call:8.1f}  "
        f"({subject.cpu_us_per_call - baseline.cpu_us_per_call:+.1f})"
    )

    def extra_in(function: str) -> float:
        return subject.us(subject.by_function[function]) - baseline.us(
            baseline.by_function[function]
        )

    print(f"\n{'functions costing more (self)':86} {'µs/call':>8}")
    for function in sorted(set(subject.by_function), key=extra_in, reverse=True)[:top]:
        print(f"{function[:86]:86} {extra_in(function):+8.1f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "styles", nargs="+", choices=sorted(STYLES), metavar="STYLE", help="first is the baseline"
    )
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per style")
    parser.add_argument("--rate", type=int, default=1000, help="py-spy samples per second")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    find_py_spy()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    pinning = Pinning.detect()
    with Server(pinning) as server:
        profiles = [
            profile_style(name, server, pinning, args.seconds, args.rate) for name in args.styles
        ]
    for profile in profiles:
        _print_profile(profile, args.top)
    for subject in profiles[1:]:
        _print_difference(profiles[0], subject, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
