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
    today: str  # the figure before this round of work (issue 13), for the report


# Before the second round (issue 13; the 2026-11-26 run on f0e8b3d's predecessor where the
# issue gives no figure). Ratios of CPU per call are per-run medians of that run.
_TODAY_ASYNC_VS_RAW = {1: "1.05x", 10: "1.13x", 100: "1.08x", 1000: "1.20x"}
_TODAY_PRELUDE_BY_CPU = {1: "3.2x", 10: "4.0x", 100: "4.0x", 1000: "3.5x"}


def ratio_targets() -> list[RatioTarget]:
    """The issue-13 targets measured from the client styles (the rest: import, cold start)."""
    targets = [
        RatioTarget(
            f"`AsyncDing` CPU per call vs raw aiohttp, {n} in flight",
            f"asyncding-c{n}",
            f"raw-aiohttp-c{n}",
            "cpu_us_per_call",
            1.15,
            True,
            _TODAY_ASYNC_VS_RAW[n],
        )
        for n in ASYNC_CONCURRENCY
    ]
    targets += [
        RatioTarget(
            f"prelude-python-sdk (aiohttp) CPU per call ÷ `AsyncDing`'s, {n} in flight",
            f"prelude-aiohttp-c{n}",
            f"asyncding-c{n}",
            "cpu_us_per_call",
            7.0,
            False,
            f"{_TODAY_PRELUDE_BY_CPU[n]} (≈ 4.5x by calls/s)",
        )
        for n in ASYNC_CONCURRENCY
    ]
    targets.append(
        RatioTarget(
            "facade calls/s vs raw `requests.Session`, sequential",
            "ding-facade-seq",
            "raw-requests-seq",
            "calls_per_s",
            2.0,
            False,
            "1.7-2.0x",
        )
    )
    return targets


def other_ratio_checks() -> list[RatioTarget]:
    """Round-one checks kept for context; the issue sets no new target for them."""
    return [
        RatioTarget(
            f"facade calls/s vs raw `requests.Session`, {THREADS} threads",
            f"ding-facade-t{THREADS}",
            f"raw-requests-t{THREADS}",
            "calls_per_s",
            1.5,
            False,
            "2.94x",
        ),
        RatioTarget(
            f"facade scales with threads ({THREADS} threads vs sequential, calls/s)",
            f"ding-facade-t{THREADS}",
            "ding-facade-seq",
            "calls_per_s",
            1.0,
            False,
            "2.00x",
        ),
        RatioTarget(
            "official client CPU per call ÷ the facade's, sequential",
            "official-seq",
            "ding-facade-seq",
            "cpu_us_per_call",
            1.0,
            False,
            "5.9x",
        ),
    ]


def _verdict(value: float | None, limit: float, at_most: bool) -> str:
    if value is None:
        return "n/a"
    passed = value <= limit if at_most else value >= limit
    return "pass" if passed else "FAIL"


def _row(
    description: str,
    today: str,
    value: float | None,
    limit: float,
    at_most: bool,
    per_run: list[float],
    *,
    display: str | None = None,
    note: str = "",
) -> dict[str, Any]:
    return {
        "target": description,
        "today": today,
        "measured": None if value is None else round(value, 3),
        "display": display or ("no data" if value is None else f"{value:.2f}x"),
        "limit": f"{'≤' if at_most else '≥'} {limit:g}x",
        "status": _verdict(value, limit, at_most),
        "per_run": [round(ratio, 3) for ratio in per_run],
        "note": note,
    }


def evaluate_ratio(target: RatioTarget, runs: Sequence[RunResults]) -> dict[str, Any]:
    per_run: list[float] = []
    for run in runs:
        subject, baseline = run.get(target.subject), run.get(target.baseline)
        if _ok(subject) and _ok(baseline) and baseline and subject and baseline[target.metric]:
            per_run.append(subject[target.metric] / baseline[target.metric])
    value = statistics.median(per_run) if per_run else None
    return _row(target.description, target.today, value, target.limit, target.at_most, per_run)


def _median_ratio(
    cases: dict[str, dict[str, Any]], subject: str, baseline: str
) -> tuple[float | None, str]:
    """Ratio of two medians measured side by side, and a note with both medians."""
    first, second = cases.get(subject, {}), cases.get(baseline, {})
    if "median_ms" not in first or "median_ms" not in second or not second["median_ms"]:
        reasons = [
            case.get("skipped", "not run") for case in (first, second) if "median_ms" not in case
        ]
        return None, "; ".join(str(reason) for reason in reasons)
    reps = len(first.get("samples_ms", []))
    note = f"{first['median_ms']:.0f} ms vs {second['median_ms']:.0f} ms, medians of {reps}"
    return first["median_ms"] / second["median_ms"], note


def evaluate_coldstart(coldstart: dict[str, dict[str, Any]]) -> dict[str, Any]:
    value, note = _median_ratio(coldstart, "ding", "official")
    return _row(
        "fresh process: import + `Ding(...)` + one call + exit, wall, vs the official client",
        "1.36x",
        value,
        1.15,
        True,
        [],
        note=note,
    )


def evaluate_import(imports: dict[str, dict[str, Any]]) -> dict[str, Any]:
    value, note = _median_ratio(imports, "ding", "baseline")
    return _row(
        "`import ding` vs `import aiohttp, attrs, cattrs`",
        "1.21-1.23x",
        value,
        1.10,
        True,
        [],
        note=note,
    )


def evaluate_import_vs_official(imports: dict[str, dict[str, Any]]) -> dict[str, Any]:
    value, note = _median_ratio(imports, "ding", "official")
    row = _row(
        "`import ding` vs the official client's `import ding`",
        "1.44x",
        value,
        1.0,
        True,
        [],
        note=note,
    )
    row["limit"], row["status"] = "-", "info"
    return row


def rss_growth_mib(result: dict[str, Any] | None) -> float | None:
    if not _ok(result) or result is None:
        return None
    return float(result["rss_end_bytes"] - result["rss_start_bytes"]) / MIB


def evaluate_rss(style: str, soak: RunResults) -> dict[str, Any]:
    result = soak.get(style)
    growth = rss_growth_mib(result)
    calls = result.get("calls", 0) if result else 0
    return {
        "target": f"RSS growth over the long run ({style})",
        "today": "+0.1 MiB",
        "measured": None if growth is None else round(growth, 3),
        "display": "no data" if growth is None else f"{growth:+.2f} MiB over {calls:,} calls",
        "limit": f"< {RSS_GROWTH_LIMIT_MIB:g} MiB",
        "status": "n/a"
        if growth is None
        else ("pass" if growth < RSS_GROWTH_LIMIT_MIB else "FAIL"),
        "per_run": [],
        "note": "",
    }


def evaluate_targets(
    runs: Sequence[RunResults],
    imports: dict[str, dict[str, Any]],
    coldstart: dict[str, dict[str, Any]],
    soak: RunResults,
) -> list[dict[str, Any]]:
    """The issue-13 target table, in the issue's order."""
    ratios = [evaluate_ratio(target, runs) for target in ratio_targets()]
    rows = [evaluate_coldstart(coldstart), evaluate_import(imports)]
    rows += ratios
    rows += [evaluate_rss(style, soak) for style in RSS_TARGET_STYLES]
    return rows


def evaluate_coldstart_https(coldstart: dict[str, dict[str, Any]]) -> dict[str, Any]:
    value, note = _median_ratio(coldstart, "ding-https", "official-https")
    row = _row(
        "the same fresh process over HTTPS, each client loading its usual CA bundle",
        "-",
        value,
        1.15,
        True,
        [],
        note=note,
    )
    row["status"] = "info" if value is not None else "n/a"
    return row


def _info_row(
    cases: dict[str, dict[str, Any]], subject: str, baseline: str, description: str
) -> dict[str, Any]:
    value, note = _median_ratio(cases, subject, baseline)
    row = _row(description, "-", value, 1.0, True, [], note=note)
    row["limit"], row["status"] = "-", "info" if value is not None else "n/a"
    return row


def evaluate_coldstart_floor(coldstart: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Where the cold-start ratio comes from: the dependencies' floor against the official
    client (what no change in ding removes), and ding against that floor (what ding adds)."""
    return [
        _info_row(
            coldstart,
            "floor",
            "official",
            "ding's floor (aiohttp + attrs + cattrs imported, one raw aiohttp call) vs the "
            "official client",
        ),
        _info_row(coldstart, "ding", "floor", "the fresh process of ding vs that floor"),
    ]


def evaluate_other_checks(
    runs: Sequence[RunResults],
    imports: dict[str, dict[str, Any]],
    coldstart: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    rows = [evaluate_coldstart_https(coldstart), *evaluate_coldstart_floor(coldstart)]
    rows.append(evaluate_import_vs_official(imports))
    rows += [evaluate_ratio(target, runs) for target in other_ratio_checks()]
    return rows
