"""Client instructions per call, counted by callgrind: a per-call comparison that load on the
machine does not move.

    python benchmarks/instructions.py                     # AsyncDing vs raw aiohttp at 1-1000,
                                                          # the facade vs raw requests
    python benchmarks/instructions.py asyncding-c10 raw-aiohttp-c10 prelude-aiohttp-c10
    python benchmarks/instructions.py --against REV       # adds `ding` as of a git revision

CPU time per call (what `run.py` reports and the targets use) moves with whatever else runs
on the machine; the number of instructions a call executes does not. Each style runs in a
fresh process under `valgrind --tool=callgrind` (every thread counted), against the same
benchmark server as `run.py`: a first checked call, a warm-up at the style's concurrency,
then N calls. It runs twice, with N = `--calls` and 3 x `--calls`, and the difference of the
two totals divided by the difference in calls is the per-call figure: start-up, imports,
warm-up and exit cancel out. Instructions are user space only: the system calls a client
makes (the same for these clients, which all use one connection pool and the same loop)
are not in them, and instructions are not time (a cache miss costs more than an add), so
this complements the CPU time, it does not replace it. Runs take about a minute per style.

`--against REV` exports `ding/` at a git revision into benchmarks/.work and counts the
`asyncding` and `ding-facade` styles with it as well: a before/after of a hot-path change.

`--startup` counts a fresh process instead: `coldstart_call.py` (import `ding`, build a `Ding`,
make one call, exit) for this tree (and `--against REV`), beside its floor `coldstart_floor.py`
(import aiohttp, attrs and cattrs, one raw aiohttp call). The median of `--reps` processes is
reported (the loop thread's start varies by a few thousand instructions from run to run).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from clients import ASYNC_CONCURRENCY, STYLES
from processes import BENCH_DIR, REPO_ROOT, WORK_DIR, Pinning, Server, compile_project, project_env

DEFAULT_STYLES = [
    *(f"{family}-c{n}" for n in ASYNC_CONCURRENCY for family in ("raw-aiohttp", "asyncding")),
    "raw-requests-seq",
    "ding-facade-seq",
]
_COLLECTED = re.compile(r"Collected : (\d+)")


def _probe(style_name: str, url: str, warmup: int, calls: int) -> None:
    """Inside the counted process: one checked call, `warmup` calls, then `calls` calls."""
    from measure import measure_async, measure_sync
    from worker import _check

    style = STYLES[style_name]
    module: Any = importlib.import_module(f"clients.{style.module}")
    forever = 1e9

    def settle() -> None:
        # Objects that exist after the warm-up (the imported libraries, the pool) are moved
        # out of the collector's sight: otherwise each full collection during the counted
        # calls walks the whole heap, a cost that depends on what the process imported and
        # lands on a few calls at random, not on what a call does.
        gc.collect()
        gc.freeze()

    if style.mode == "async":

        async def run() -> None:
            async with module.open_client(url, style.parallelism) as call:
                _check(await call())
                await measure_async(
                    call, concurrency=style.parallelism, seconds=forever, max_calls=warmup
                )
                settle()
                await measure_async(
                    call, concurrency=style.parallelism, seconds=forever, max_calls=calls
                )

        asyncio.run(run())
    else:
        with module.open_client(url, style.parallelism) as call:
            _check(call())
            measure_sync(call, threads=style.parallelism, seconds=forever, max_calls=warmup)
            settle()
            measure_sync(call, threads=style.parallelism, seconds=forever, max_calls=calls)


def _callgrind(args: list[str], env: dict[str, str], pinning: Pinning) -> int:
    """Instructions (every thread) of one process: this interpreter running ``args``."""
    command = [
        *pinning.client_prefix(),
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        *args,
    ]
    completed = subprocess.run(
        command, env=env, cwd=WORK_DIR, capture_output=True, text=True, timeout=3600
    )
    found = _COLLECTED.findall(completed.stderr)
    if completed.returncode != 0 or not found:
        tail = " | ".join(completed.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"{args[0]}: callgrind run failed: {tail}")
    return int(found[-1])


def _count(
    style: str, url: str, warmup: int, calls: int, env: dict[str, str], pinning: Pinning
) -> int:
    probe = [str(Path(__file__).resolve()), "--probe", style, f"--url={url}"]
    return _callgrind([*probe, f"--warmup={warmup}", f"--calls={calls}"], env, pinning)


def per_call(style: str, url: str, calls: int, env: dict[str, str], pinning: Pinning) -> float:
    """Instructions per call: the difference between a run of 3N calls and one of N (N at
    least twice the calls in flight, so that the window is mostly at full concurrency)."""
    parallelism = STYLES[style].parallelism
    warmup = max(200, 2 * parallelism)
    calls = max(calls, 2 * parallelism)
    short = _count(style, url, warmup, calls, env, pinning)
    long = _count(style, url, warmup, 3 * calls, env, pinning)
    return (long - short) / (2 * calls)


def startup(
    variants: list[tuple[str, str, dict[str, str]]], url: str, reps: int, pinning: Pinning
) -> dict[str, float]:
    """The median instructions of `reps` fresh processes per (label, script, env)."""
    results: dict[str, float] = {}
    for label, script, env in variants:
        print(f"[instructions] start-up: {label} ...", file=sys.stderr, flush=True)
        counts = sorted(
            _callgrind([str(BENCH_DIR / script), url], env, pinning) for _ in range(reps)
        )
        results[label] = counts[len(counts) // 2]
    return results


def _export(revision: str) -> Path:
    """`ding/` as of `revision`, compiled, in a directory to put first on PYTHONPATH."""
    target = WORK_DIR / f"ding-{revision}"
    if not (target / "ding").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile() as archive:
            subprocess.run(
                ["git", "archive", revision, "ding"], cwd=REPO_ROOT, stdout=archive, check=True
            )
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                tar.extractall(target, filter="data")
    import compileall

    compileall.compile_dir(target / "ding", quiet=1)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("styles", nargs="*", help=f"default: {' '.join(DEFAULT_STYLES)}")
    parser.add_argument("--calls", type=int, default=500, help="N (default 500)")
    parser.add_argument("--against", metavar="REV", help="also count ding as of this revision")
    parser.add_argument("--no-pin", action="store_true", help="do not pin to cores")
    parser.add_argument(
        "--startup", action="store_true", help="count fresh processes (import, one call, exit)"
    )
    parser.add_argument("--reps", type=int, default=3, help="processes per --startup case")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--warmup", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        _probe(args.styles[0], args.url, args.warmup, args.calls)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    if args.startup:
        _main_startup(args)
        return
    styles = args.styles or DEFAULT_STYLES
    unknown = [s for s in styles if s not in STYLES or STYLES[s].venv != "project"]
    if unknown:
        raise SystemExit(f"unknown style (or one of the official client's venv): {unknown}")
    WORK_DIR.mkdir(exist_ok=True)
    compile_project()
    pinning = Pinning.detect(not args.no_pin)
    env = project_env()
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH_DIR), env.get("PYTHONPATH", "")])
    # String hashing is randomised per process, and with it the layout (and probing) of
    # every dict: a few million instructions of difference between two otherwise identical
    # runs. A fixed seed makes the counts repeatable to the instruction.
    env["PYTHONHASHSEED"] = "0"
    env["BENCH_DING_TIMEOUTS"] = "1"  # see payloads.ding_options
    variants: list[tuple[str, str, dict[str, str]]] = [(s, s, env) for s in styles]
    if args.against:
        old = _export(args.against)
        old_env = dict(env, PYTHONPATH=os.pathsep.join([str(old), env["PYTHONPATH"]]))
        variants += [
            (f"{s} @ {args.against}", s, old_env)
            for s in styles
            if STYLES[s].family in ("asyncding", "ding-facade")
        ]
    results: dict[str, float] = {}
    with Server(pinning) as server:
        for label, style, style_env in variants:
            print(f"[instructions] {label} ...", file=sys.stderr, flush=True)
            results[label] = per_call(style, server.url, args.calls, style_env, pinning)
    width = max(len(label) for label in results)
    print(f"| {'style':{width}} | instructions per call |")
    print(f"| {'-' * width} | ---: |")
    for label, value in results.items():
        print(f"| {label:{width}} | {value:,.0f} |")
    _print_ratios(results)


def _main_startup(args: argparse.Namespace) -> None:
    WORK_DIR.mkdir(exist_ok=True)
    compile_project()
    pinning = Pinning.detect(not args.no_pin)
    env = project_env()
    env["PYTHONHASHSEED"] = "0"
    variants = [
        ("floor (aiohttp, attrs, cattrs)", "coldstart_floor.py", env),
        ("ding", "coldstart_call.py", env),
    ]
    if args.against:
        old = _export(args.against)
        old_env = dict(env, PYTHONPATH=os.pathsep.join([str(old), env["PYTHONPATH"]]))
        variants.append((f"ding @ {args.against}", "coldstart_call.py", old_env))
    with Server(pinning) as server:
        results = startup(variants, server.url, args.reps, pinning)
    width = max(len(label) for label in results)
    print(f"| {'fresh process':{width}} | instructions | / floor |")
    print(f"| {'-' * width} | ---: | ---: |")
    floor = results[variants[0][0]]
    for label, value in results.items():
        print(f"| {label:{width}} | {value:,.0f} | {value / floor:.3f}x |")


def _print_ratios(results: dict[str, float]) -> None:
    pairs: list[tuple[str, str]] = [
        (f"asyncding-c{n}", f"raw-aiohttp-c{n}") for n in ASYNC_CONCURRENCY
    ]
    pairs += [(f"prelude-aiohttp-c{n}", f"asyncding-c{n}") for n in ASYNC_CONCURRENCY]
    pairs += [("raw-requests-seq", "ding-facade-seq"), ("raw-requests-t16", "ding-facade-t16")]
    lines = [
        f"- {a} / {b}: {results[a] / results[b]:.2f}x"
        for a, b in pairs
        if a in results and b in results
    ]
    if lines:
        print("\nRatios (instructions per call):")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
