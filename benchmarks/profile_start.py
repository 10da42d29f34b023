"""Where the start goes: a fresh process that imports `ding`, builds a `Ding`, calls, exits.

    python benchmarks/profile_start.py                 # 15 repetitions, prints Markdown
    python benchmarks/profile_start.py --reps 7 --out benchmarks/.work/start.md
    python benchmarks/profile_start.py --cprofile      # also one cProfile run, dumped to .work
    python benchmarks/profile_start.py --against main  # adds `ding` as of that git revision

Every repetition starts fresh interpreters (pinned to the client core, the bench server on the
other) and the cases alternate, so background load hits them alike; figures are medians.

1. Phases of the whole process, this project next to the official client: interpreter
   start-up (from the parent's spawn to the probe's first line), `import ding`, `Ding(...)`,
   the first call (and, for this project, its loop-thread start, session creation and
   connect), a second call for comparison, and the exit (the probe's last line to the
   parent seeing the process end: interpreter teardown plus the client's own shutdown).
2. The import by owner, from `-X importtime` self times: ding's own modules, aiohttp and the
   libraries it pulls in, attrs, cattrs, the standard library; and `import aiohttp, attrs,
   cattrs` beside it. Modules `import ding` loads beyond that baseline are listed.
3. Inside ding's own module bodies (`start_probe.py --instrument`): attrs class generation,
   enum creation and the cattrs converter, per defining module.
4. `ding --help` (as `python -m ding --help`) next to `python -c pass`.
5. The CA store: aiohttp loads the system's at import, twice (aiohttp/connector.py makes a
   verified and an unverified context); requests loads certifi's only when it opens its
   first HTTPS connection. Both are timed so the gap can be read for HTTPS too.
6. `--cprofile`: one profiled run of import + `Ding(...)` + first call, by owner and by
   function (the profile itself is dumped to benchmarks/.work/start.prof).

`--against REV` exports `ding/` as of a git revision into benchmarks/.work and adds it as a
third column of the phase table, measured in the same alternating repetitions: a before/after
of a change to the start-up path.

Needs the project's benchmark interpreter; the official client's venv is made as in run.py.
"""

from __future__ import annotations

import argparse
import compileall
import json
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from environment import official_python
from imports import IMPORT_DING, parse_importtime
from processes import (
    BENCH_DIR,
    REPO_ROOT,
    WORK_DIR,
    Pinning,
    Server,
    compile_project,
    isolated_env,
    project_env,
    run_python,
)
from start_report import Samples, cprofile_section, owner, render

_PROBE = str(BENCH_DIR / "start_probe.py")
# What aiohttp.connector does at import: a verified and an unverified context, each loading
# the default verify paths (the system CA bundle).
_CA_OURS = (
    "import ssl, time; t = time.perf_counter(); ssl.create_default_context(); "
    "c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); c.set_default_verify_paths(); "
    "print(time.perf_counter() - t)"
)
_CA_OFFICIAL = (
    "import certifi, time; from urllib3.util.ssl_ import create_urllib3_context; "
    "t = time.perf_counter(); c = create_urllib3_context(); "
    "c.load_verify_locations(certifi.where()); print(time.perf_counter() - t)"
)


_BASELINE_IMPORT = (
    "import time; t = time.perf_counter(); import aiohttp, attrs, cattrs; "
    "print(time.perf_counter() - t)"
)


def _probe(
    python: Path, url: str, pinning: Pinning, env: Mapping[str, str], *extra: str
) -> dict[str, Any]:
    started = time.time()
    completed = run_python(python, [_PROBE, url, *extra], pinning=pinning, env=env)
    ended = time.time()
    if completed.returncode != 0:
        raise RuntimeError(f"probe failed: {completed.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    result["startup_ms"] = (result["epoch_start"] - started) * 1e3
    result["exit_ms"] = (ended - result["epoch_end"]) * 1e3
    result["total_ms"] = (ended - started) * 1e3
    return result


def _wall(python: Path, args: Sequence[str], pinning: Pinning, env: Mapping[str, str]) -> float:
    started = time.perf_counter()
    completed = run_python(python, args, pinning=pinning, env=env)
    if completed.returncode != 0:
        raise RuntimeError(f"{args} failed: {completed.stderr.strip()[-500:]}")
    return (time.perf_counter() - started) * 1e3


def _printed_ms(python: Path, code: str, pinning: Pinning, env: Mapping[str, str]) -> float:
    completed = run_python(python, ["-c", code], pinning=pinning, env=env)
    if completed.returncode != 0:
        raise RuntimeError(f"{code!r} failed: {completed.stderr.strip()[-300:]}")
    return float(completed.stdout.strip().splitlines()[-1]) * 1e3


def _record_phases(samples: Samples, prefix: str, result: Mapping[str, Any]) -> None:
    samples.add(f"{prefix}.startup", result["startup_ms"])
    for phase, ms in result["phases_ms"].items():
        samples.add(f"{prefix}.{phase}", ms)
    for step, ms in result["first_call_steps_ms"].items():
        samples.add(f"{prefix}.step.{step}", ms)
    samples.add(f"{prefix}.exit", result["exit_ms"])
    samples.add(f"{prefix}.total", result["total_ms"])


def _record_importtime(samples: Samples, prefix: str, stderr: str) -> None:
    by_owner: dict[str, float] = defaultdict(float)
    for module, (self_us, _cumulative) in parse_importtime(stderr).items():
        by_owner[owner(module)] += self_us / 1e3
        samples.add(f"{prefix}.module.{module}", self_us / 1e3)
    for name, ms in by_owner.items():
        samples.add(f"{prefix}.owner.{name}", ms)
    samples.add(f"{prefix}.owner_total", sum(by_owner.values()))


def export_revision(revision: str) -> dict[str, str]:
    """`ding/` as of `revision`, exported under .work; the environment that imports it."""
    commit = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", revision],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    target = WORK_DIR / f"ding-at-{commit}"
    if not (target / "ding" / "__init__.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "archive", commit, "ding"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    compileall.compile_dir(str(target / "ding"), quiet=1)  # bytecode, as if installed
    env = isolated_env()
    env["PYTHONPATH"] = str(target)
    return env


def collect(
    reps: int,
    pinning: Pinning,
    url: str,
    official: Path | None,
    revision_env: dict[str, str] | None = None,
) -> Samples:
    ours, ours_env = Path(sys.executable), project_env()
    samples = Samples()

    def phases() -> None:
        _record_phases(samples, "ours", _probe(ours, url, pinning, ours_env))

    def bodies() -> None:
        for row in _probe(ours, url, pinning, ours_env, "--instrument")["module_bodies"]:
            samples.add(f"body.{row['kind']}.{row['module']}", row["ms"])
            samples.add(f"count.{row['kind']}.{row['module']}", row["count"])

    def importtimes() -> None:
        _importtime(samples, "ding", IMPORT_DING, pinning)
        _importtime(samples, "baseline", "import aiohttp, attrs, cattrs", pinning)

    def walls() -> None:
        samples.add("baseline.import", _printed_ms(ours, _BASELINE_IMPORT, pinning, ours_env))
        samples.add("ours.pass", _wall(ours, ["-c", "pass"], pinning, ours_env))
        samples.add("ours.help", _wall(ours, ["-m", "ding", "--help"], pinning, ours_env))
        samples.add("ca.ours", _printed_ms(ours, _CA_OURS, pinning, ours_env))

    steps: list[Callable[[], None]] = [phases, bodies, importtimes, walls]
    if revision_env is not None:

        def revision_phases() -> None:
            assert revision_env is not None
            _record_phases(samples, "rev", _probe(ours, url, pinning, revision_env))

        steps.insert(1, revision_phases)
    if official is not None:
        off_env = isolated_env()

        def official_steps() -> None:
            assert official is not None
            _record_phases(samples, "official", _probe(official, url, pinning, off_env))
            samples.add("official.pass", _wall(official, ["-c", "pass"], pinning, off_env))
            samples.add("ca.official", _printed_ms(official, _CA_OFFICIAL, pinning, off_env))

        steps.insert(1, official_steps)
    for step in steps:  # untimed: writes .pyc files, creates nothing measured
        step()
    samples.values.clear()
    for rep in range(reps):
        for step in steps if rep % 2 == 0 else steps[::-1]:
            step()
        print(f"[profile] repetition {rep + 1}/{reps} done", file=sys.stderr, flush=True)
    return samples


def _importtime(samples: Samples, prefix: str, statement: str, pinning: Pinning) -> None:
    completed = run_python(
        sys.executable, ["-X", "importtime", "-c", statement], pinning=pinning, env=project_env()
    )
    _record_importtime(samples, prefix, completed.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15, help="repetitions (medians reported)")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    parser.add_argument("--cprofile", action="store_true", help="add one cProfile run")
    parser.add_argument("--no-official", action="store_true", help="skip the official client")
    parser.add_argument("--no-pin", action="store_true", help="do not pin to cores")
    parser.add_argument("--against", metavar="REV", help="add `ding` as of this git revision")
    args = parser.parse_args(argv)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    compile_project()
    pinning = Pinning.detect(enabled=not args.no_pin)
    official = None if args.no_official else official_python()
    with Server(pinning) as server:
        revision_env = export_revision(args.against) if args.against else None
        samples = collect(args.reps, pinning, server.url, official, revision_env)
        text = render(samples, args.reps, pinning, official is not None, args.against)
        if args.cprofile:
            profile = WORK_DIR / "start.prof"
            _probe(
                Path(sys.executable), server.url, pinning, project_env(), "--cprofile", str(profile)
            )
            text += cprofile_section(profile)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
