"""Benchmark ding against raw aiohttp, raw requests and the published clients (DESIGN §6).

    python benchmarks/run.py            # full run, about 10-15 minutes on 2 cores
    python benchmarks/run.py --quick    # smoke run, about 2 minutes
    python benchmarks/run.py --only asyncding --only raw-aiohttp-c100
    python benchmarks/run.py --only coldstart,import   # the start-up rows alone, ~1 minute
    python benchmarks/run.py --list

Starts the canned-response server on one core, runs every client style in its own process on
the other core, times fresh processes (import + `Ding(...)` + one call + exit, and the imports
alone) against the official client, runs the long memory soak, and writes
benchmarks/results/{results.md,results.json,chart.png}. It reports the targets; it never fails
because of them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import analysis
import report
from clients import ASYNC_CONCURRENCY, STYLES, THREADS, Style
from environment import describe_machine, load_average
from interpreters import Interpreters
from processes import (
    BENCH_DIR,
    WORK_DIR,
    Pinning,
    Server,
    compile_project,
    run_worker,
)
from startup import measure_coldstart, measure_imports

SPECIAL_SECTIONS = ("coldstart", "import", "soak")


@dataclass(frozen=True)
class Settings:
    runs: int
    seconds: float
    warmup: float
    soak_calls: int
    import_reps: int
    coldstart_reps: int
    quick: bool


QUICK = Settings(
    runs=2,
    seconds=0.6,
    warmup=0.2,
    soak_calls=10_000,
    import_reps=10,
    coldstart_reps=7,
    quick=True,
)
FULL = Settings(
    runs=5,
    seconds=3.0,
    warmup=0.5,
    soak_calls=100_000,
    import_reps=40,
    coldstart_reps=21,
    quick=False,
)


def ordered_styles() -> list[Style]:
    """Each subject next to its baseline, so a pair is measured under the same load."""
    names = [
        f"{family}-c{n}"
        for n in ASYNC_CONCURRENCY
        for family in (
            "raw-aiohttp",
            "asyncding",
            "asyncding-otel",
            "prelude-aiohttp",
            "prelude-httpx-async",
        )
    ]
    names += [
        f"{family}-{shape}"
        for shape in ("seq", f"t{THREADS}")
        for family in ("raw-requests", "ding-facade", "official", "prelude-httpx-sync")
    ]
    assert sorted(names) == sorted(STYLES), "every registered style has a place in the order"
    return [STYLES[name] for name in names]


def select(only: Sequence[str] | None) -> tuple[list[Style], set[str]]:
    """Styles and special sections named by --only (a style, a family, or a section)."""
    if not only:
        return ordered_styles(), set(SPECIAL_SECTIONS)
    wanted = {name for value in only for name in value.split(",") if name}
    unknown = (
        wanted - set(STYLES) - {style.family for style in STYLES.values()} - set(SPECIAL_SECTIONS)
    )
    if unknown:
        raise SystemExit(f"unknown --only value(s): {', '.join(sorted(unknown))}; see --list")
    styles = [style for style in ordered_styles() if style.name in wanted or style.family in wanted]
    return styles, wanted & set(SPECIAL_SECTIONS)


def measure_styles(
    styles: list[Style], settings: Settings, server: Server, pinning: Pinning, pythons: Interpreters
) -> list[analysis.RunResults]:
    runs: list[analysis.RunResults] = []
    for index in range(settings.runs):
        # Alternate the order so that neither member of a pair is always measured first.
        order = styles if index % 2 == 0 else styles[::-1]
        run: analysis.RunResults = {}
        for style in order:
            python, env = pythons.for_style(style)
            if python is None:
                result: dict[str, Any] = {"style": style.name, "skipped": pythons.official_problem}
            else:
                result = run_worker(
                    python,
                    style.name,
                    pinning=pinning,
                    env=env,
                    url=server.url,
                    seconds=settings.seconds,
                    warmup=settings.warmup,
                )
            run[style.name] = result
            print(f"[run {index + 1}/{settings.runs}] {describe(result)}", flush=True)
        runs.append(run)
    return runs


def measure_soak(
    settings: Settings, server: Server, pinning: Pinning, pythons: Interpreters
) -> analysis.RunResults:
    """A long run per soak style, calls-bound, sampling RSS along the way."""
    soak: analysis.RunResults = {}
    for name in analysis.SOAK_STYLES:
        python, env = pythons.for_style(STYLES[name])
        assert python is not None  # soak styles run in the project's interpreter
        soak[name] = run_worker(
            python,
            name,
            pinning=pinning,
            env=env,
            url=server.url,
            seconds=3600,
            warmup=max(settings.warmup, 1.0),
            max_calls=settings.soak_calls,
            sample_every=max(1, settings.soak_calls // 50),
        )
        print(f"[soak] {describe(soak[name])}", flush=True)
    return soak


def describe(result: dict[str, Any]) -> str:
    name = result["style"]
    if "skipped" in result:
        return f"{name}: skipped: {result['skipped']}"
    if "failed" in result:
        return f"{name}: FAILED: {result['failed']}"
    return (
        f"{name}: {result['calls_per_s']:,.0f} calls/s, "
        f"{result['cpu_us_per_call']:.0f} µs CPU/call, p50 {result['p50_ms']:.2f} ms, "
        f"p99 {result['p99_ms']:.2f} ms, server busy {result['server_busy']:.0%}"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run (about 2 minutes)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="only this style or family, or the `coldstart`, `import` or `soak` section "
        "(repeatable, or comma-separated)",
    )
    parser.add_argument(
        "--runs", type=int, help="repetitions of every style (medians are reported)"
    )
    parser.add_argument("--seconds", type=float, help="measured seconds per style and run")
    parser.add_argument("--warmup", type=float, help="unmeasured warm-up seconds per style and run")
    parser.add_argument("--soak-calls", type=int, help="calls in the RSS soak")
    parser.add_argument("--import-reps", type=int, help="fresh interpreters per import case")
    parser.add_argument(
        "--coldstart-reps", type=int, help="fresh processes per cold-start case (>= 7)"
    )
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results", help="output directory")
    parser.add_argument(
        "--no-pin", action="store_true", help="do not pin server and clients to cores"
    )
    parser.add_argument("--list", action="store_true", help="list the styles and exit")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    base = QUICK if args.quick else FULL
    overrides = {
        "runs": args.runs,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "soak_calls": args.soak_calls,
        "import_reps": args.import_reps,
        "coldstart_reps": args.coldstart_reps,
    }
    return Settings(
        **{**asdict(base), **{key: value for key, value in overrides.items() if value is not None}}
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for style in ordered_styles():
            print(f"{style.name:28} {style.label} ({style.shape})")
        print(f"{'coldstart':28} fresh process: import + Ding(...) + one call + exit")
        print(f"{'import':28} import time in fresh interpreters")
        print(f"{'soak':28} RSS over the long run")
        return 0
    settings = settings_from(args)
    styles, sections = select(args.only)
    started = time.monotonic()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    compile_project()
    pinning = Pinning.detect(enabled=not args.no_pin)
    machine = describe_machine(pinning)
    load = machine["load_average_at_start"]
    print(f"{machine['cpu']}, {machine['python']}; {pinning.describe()}; load {load}")
    pythons = Interpreters(
        need_official=any(style.venv == "official" for style in styles)
        or bool(sections & {"import", "coldstart"})
    )

    runs: list[analysis.RunResults] = []
    soak: analysis.RunResults = {}
    cold: dict[str, Any] = {}
    with Server(pinning) as server:
        if "coldstart" in sections:
            cold = measure_coldstart(settings.coldstart_reps, server, pinning, pythons)
        if styles:
            runs = measure_styles(styles, settings, server, pinning, pythons)
        if "soak" in sections:
            soak = measure_soak(settings, server, pinning, pythons)
    timings, extra = (
        measure_imports(settings.import_reps, pinning, pythons)
        if "import" in sections
        else ({}, None)
    )
    machine["load_average_at_end"] = load_average()

    results: dict[str, Any] = {
        "machine": machine,
        "config": {**asdict(settings), "only": args.only, "argv": list(argv or sys.argv[1:])},
        "targets": analysis.evaluate_targets(runs, timings, cold, soak),
        "other_checks": analysis.evaluate_other_checks(runs, timings, cold),
        "styles": analysis.summarise_styles(runs, [style.name for style in styles]),
        "coldstart": cold,
        "imports": timings,
        "import_extra": extra,
        "soak": soak,
        "runs": runs,
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    report.write_all(args.out, results)
    print()
    for row in results["targets"]:
        print(f"{row['status']:>4}  {row['target']}: {row['display']} (target {row['limit']})")
    print(f"\nwrote {args.out}/results.md, results.json, chart.png in {results['elapsed_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
