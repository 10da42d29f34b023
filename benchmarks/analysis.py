"""From raw per-run results to per-style medians and the DESIGN §6 targets.

Ratios are computed inside each run (subject and baseline measured minutes apart, under the
same background load) and only then summarised by their median across runs, which cancels
most of the drift that a shared, noisy machine adds to absolute figures.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from clients import ASYNC_CONCURRENCY, THREADS

RunResults = dict[str, dict[str, Any]]  # style name -> worker JSON
Metric = Literal["cpu_us_per_call", "calls_per_s"]

MIB = 1024 * 1024
RSS_GROWTH_LIMIT_MIB = 5.0
SOAK_STYLES = ("asyncding-c100", f"ding-facade-t{THREADS}", "raw-aiohttp-c100")
# The soak styles that carry the RSS target; raw aiohttp is measured as a reference only.
RSS_TARGET_STYLES = SOAK_STYLES[:2]


def _ok(result: dict[str, Any] | None) -> bool:
    return result is not None and "skipped" not in result and "failed" not in result


def summarise_styles(
    runs: Sequence[RunResults], style_names: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Median of each figure across runs; the worst server load seen; why a style has no data."""
    summary: dict[str, dict[str, Any]] = {}
    for name in style_names:
        results = [run[name] for run in runs if name in run]
        good = [result for result in results if _ok(result)]
        if not good:
            reasons = {result.get("skipped") or result.get("failed") for result in results}
            summary[name] = {"missing": "; ".join(sorted(str(r) for r in reasons)) or "not run"}
            continue
        rates = [result["calls_per_s"] for result in good]
        median_rate = statistics.median(rates)
        summary[name] = {
            "runs": len(good),
            "calls": statistics.median(result["calls"] for result in good),
            "cpu_us_per_call": statistics.median(result["cpu_us_per_call"] for result in good),
            "calls_per_s": median_rate,
            "calls_per_s_spread": (max(rates) - min(rates)) / median_rate if median_rate else 0.0,
            "p50_ms": statistics.median(result["p50_ms"] for result in good),
            "p99_ms": statistics.median(result["p99_ms"] for result in good),
            "peak_rss_mib": max(result["peak_rss_bytes"] for result in good) / MIB,
            "server_busy_max": max(result["server_busy"] for result in good),
        }
    return summary


@dataclass(frozen=True)
class RatioTarget:
    description: str
    subject: str
    baseline: str
    metric: Metric
    limit: float
    at_most: bool  # True: the ratio must not exceed `limit`; False: it must reach it


def ratio_targets() -> list[RatioTarget]:
    targets = [
        RatioTarget(
            f"AsyncDing CPU/call ≤ 1.3x raw aiohttp (c={n})",
            f"asyncding-c{n}",
            f"raw-aiohttp-c{n}",
            "cpu_us_per_call",
            1.3,
            True,
        )
        for n in ASYNC_CONCURRENCY
    ]
    targets += [
        RatioTarget(
            "Ding facade calls/s ≥ 1.5x raw requests (sequential)",
            "ding-facade-seq",
            "raw-requests-seq",
            "calls_per_s",
            1.5,
            False,
        ),
        RatioTarget(
            f"Ding facade calls/s ≥ 1.5x raw requests ({THREADS} threads)",
            f"ding-facade-t{THREADS}",
            f"raw-requests-t{THREADS}",
            "calls_per_s",
            1.5,
            False,
        ),
        RatioTarget(
            f"Ding facade scales with threads ({THREADS} threads > sequential)",
            f"ding-facade-t{THREADS}",
            "ding-facade-seq",
            "calls_per_s",
            1.0,
            False,
        ),
    ]
    targets += [
        RatioTarget(
            f"AsyncDing calls/s ≥ 5x prelude-python-sdk on aiohttp (c={n})",
            f"asyncding-c{n}",
            f"prelude-aiohttp-c{n}",
            "calls_per_s",
            5.0,
            False,
        )
        for n in ASYNC_CONCURRENCY
    ]
    return targets


def _verdict(value: float | None, limit: float, at_most: bool) -> str:
    if value is None:
        return "n/a"
    passed = value <= limit if at_most else value >= limit
    return "pass" if passed else "FAIL"


def evaluate_ratio(target: RatioTarget, runs: Sequence[RunResults]) -> dict[str, Any]:
    per_run: list[float] = []
    for run in runs:
        subject, baseline = run.get(target.subject), run.get(target.baseline)
        if _ok(subject) and _ok(baseline) and baseline and subject and baseline[target.metric]:
            per_run.append(subject[target.metric] / baseline[target.metric])
    value = statistics.median(per_run) if per_run else None
    return {
        "target": target.description,
        "measured": None if value is None else round(value, 3),
        "display": "no data" if value is None else f"{value:.3f}x",
        "limit": f"{'≤' if target.at_most else '≥'} {target.limit:g}x",
        "status": _verdict(value, target.limit, target.at_most),
        "per_run": [round(ratio, 3) for ratio in per_run],
    }


def evaluate_import(imports: dict[str, dict[str, Any]]) -> dict[str, Any]:
    ding, baseline = imports.get("ding", {}), imports.get("baseline", {})
    value = None
    if "median_ms" in ding and "median_ms" in baseline and baseline["median_ms"]:
        value = ding["median_ms"] / baseline["median_ms"]
    return {
        "target": "`import ding` ≤ 1.15x `import aiohttp, attrs, cattrs`",
        "measured": None if value is None else round(value, 3),
        "display": "no data" if value is None else f"{value:.3f}x",
        "limit": "≤ 1.15x",
        "status": _verdict(value, 1.15, True),
        "per_run": [],
    }


def rss_growth_mib(result: dict[str, Any] | None) -> float | None:
    if not _ok(result) or result is None:
        return None
    return float(result["rss_end_bytes"] - result["rss_start_bytes"]) / MIB


def evaluate_rss(style: str, soak: RunResults) -> dict[str, Any]:
    result = soak.get(style)
    growth = rss_growth_mib(result)
    calls = result.get("calls", 0) if result else 0
    return {
        "target": f"RSS growth < {RSS_GROWTH_LIMIT_MIB:g} MiB over the long run ({style})",
        "measured": None if growth is None else round(growth, 3),
        "display": "no data" if growth is None else f"{growth:+.2f} MiB over {calls:,} calls",
        "limit": f"< {RSS_GROWTH_LIMIT_MIB:g} MiB",
        "status": "n/a"
        if growth is None
        else ("pass" if growth < RSS_GROWTH_LIMIT_MIB else "FAIL"),
        "per_run": [],
    }


def evaluate_targets(
    runs: Sequence[RunResults], imports: dict[str, dict[str, Any]], soak: RunResults
) -> list[dict[str, Any]]:
    rows = [evaluate_ratio(target, runs) for target in ratio_targets()]
    rows.append(evaluate_import(imports))
    rows += [evaluate_rss(style, soak) for style in RSS_TARGET_STYLES]
    return rows
