"""Writing results.json, results.md and (through `chart`) chart.png."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from analysis import MIB, rss_growth_mib
from chart import write_chart
from clients import ASYNC_CONCURRENCY, STYLES, THREADS


def write_json(path: Path, report: dict[str, Any]) -> None:
    path.write_text(json.dumps(report, indent=2, sort_keys=False) + "\n")


def _number(value: float) -> str:
    """About three significant figures, never in scientific notation."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _table(header: list[str], align: str, rows: list[list[str]]) -> list[str]:
    """A Markdown table; `align` has one letter per column, l or r."""
    rule = ["---:" if side == "r" else "---" for side in align]
    return [f"| {' | '.join(cells)} |" for cells in (header, rule, *rows)]


def _styles_table(summary: dict[str, dict[str, Any]]) -> list[str]:
    header = ["style", "client", "concurrency", "CPU µs/call", "calls/s", "± spread"]
    header += ["p50 ms", "p99 ms", "peak RSS MiB", "server busy"]
    rows = []
    for name, figures in summary.items():
        style = STYLES[name]
        first = [f"`{name}`", style.label, style.shape]
        if "missing" in figures:
            rows.append([*first, *["-"] * 6, figures["missing"]])
            continue
        rows.append(
            [
                *first,
                _number(figures["cpu_us_per_call"]),
                _number(figures["calls_per_s"]),
                f"{figures['calls_per_s_spread']:.0%}",
                _number(figures["p50_ms"]),
                _number(figures["p99_ms"]),
                f"{figures['peak_rss_mib']:.1f}",
                f"{figures['server_busy_max']:.0%}",
            ]
        )
    return _table(header, "lllrrrrrrr", rows)


def _targets_table(targets: list[dict[str, Any]]) -> list[str]:
    rows = []
    for row in targets:
        status = f"**{row['status']}**" if row["status"] == "FAIL" else row["status"]
        detail = row.get("note") or ", ".join(f"{ratio:.2f}" for ratio in row["per_run"])
        rows.append([row["target"], row["today"], row["limit"], row["display"], status, detail])
    header = ["figure", "today", "target", "measured", "pass", "each run / medians"]
    return _table(header, "lrrrll", rows)


# Each shape's own ding style: the figure every peer of that shape is compared with.
_PEER_GROUPS = [
    (
        f"{n} in flight",
        f"asyncding-c{n}",
        ("raw-aiohttp", "asyncding", "prelude-aiohttp", "prelude-httpx-async"),
        f"c{n}",
    )
    for n in ASYNC_CONCURRENCY
] + [
    (
        shape,
        f"ding-facade-{suffix}",
        ("raw-requests", "ding-facade", "official", "prelude-httpx-sync"),
        suffix,
    )
    for shape, suffix in (("sequential", "seq"), (f"{THREADS} threads", f"t{THREADS}"))
]


def _peers_table(summary: dict[str, dict[str, Any]]) -> list[str]:
    """Every peer next to ding at the same shape, by CPU per call and by calls/s."""
    rows = []
    for shape, ours, families, suffix in _PEER_GROUPS:
        mine = summary.get(ours, {})
        for family in families:
            name = f"{family}-{suffix}"
            figures = summary.get(name)
            if figures is None:
                continue
            if "missing" in figures:
                rows.append([shape, STYLES[name].label, "-", "-", "-", "-"])
                continue
            cpu_ratio = calls_ratio = "-"
            if "missing" not in mine and mine:
                cpu_ratio = f"{figures['cpu_us_per_call'] / mine['cpu_us_per_call']:.2f}x"
                calls_ratio = f"{figures['calls_per_s'] / mine['calls_per_s']:.2f}x"
            label = f"**{STYLES[name].label}**" if name == ours else STYLES[name].label
            rows.append(
                [
                    shape,
                    label,
                    _number(figures["cpu_us_per_call"]),
                    cpu_ratio,
                    _number(figures["calls_per_s"]),
                    calls_ratio,
                ]
            )
    header = ["shape", "client", "CPU µs/call", "CPU ÷ ding's", "calls/s", "calls/s ÷ ding's"]
    return _table(header, "llrrrr", rows)


def _coldstart_section(cases: dict[str, Any]) -> list[str]:
    if not cases:
        return ["Not measured in this run (`--only` left it out)."]
    rows = []
    for case in cases.values():
        if "median_ms" not in case:
            rows.append([case["label"], case["skipped"], "-", "-"])
            continue
        samples = case["samples_ms"]
        rows.append(
            [
                case["label"],
                f"{case['median_ms']:.0f}",
                f"{min(samples):.0f} - {max(samples):.0f}",
                str(len(samples)),
            ]
        )
    return [
        "Wall time of a whole fresh process running `benchmarks/coldstart_call.py` (import,",
        "`Ding(...)`, one `create_authentication` to the local server, exit), pinned to the",
        "client core, the cases alternating; `python -c pass` in each venv for reference, and",
        "`benchmarks/coldstart_floor.py`: aiohttp, attrs and cattrs imported and one raw aiohttp",
        "call, the least a client on these dependencies can cost.",
        "",
        *_table(["process", "median ms", "range ms", "runs"], "lrrr", rows),
    ]


def _imports_section(imports: dict[str, Any], extra: dict[str, Any] | None) -> list[str]:
    rows = [
        [case["label"], f"{case['median_ms']:.1f}" if "median_ms" in case else case["skipped"]]
        for case in imports.values()
    ]
    lines = _table(["import", "median ms"], "lr", rows)
    if extra:
        lines += [
            "",
            f"`import ding` loads {extra['count']} modules that `import aiohttp, attrs, cattrs` "
            f"does not: {extra['self_ms_total']:.1f} ms of their own import time in one "
            "`-X importtime` run. The heaviest:",
            "",
        ]
        modules = [
            [f"`{row['module']}`", f"{row['self_ms']:.2f}", f"{row['cumulative_ms']:.2f}"]
            for row in extra["top"]
        ]
        lines += _table(["module", "self ms", "cumulative ms"], "lrr", modules)
    return lines


def _soak_section(soak: dict[str, dict[str, Any]]) -> list[str]:
    header = ["style", "calls", "RSS after warm-up MiB", "RSS at end MiB", "growth MiB"]
    header += ["peak RSS MiB", "CPU µs/call"]
    rows = []
    for name, result in soak.items():
        growth = rss_growth_mib(result)
        if growth is None:
            reason = str(result.get("skipped") or result.get("failed"))
            rows.append([f"`{name}`", *["-"] * 5, reason])
            continue
        rows.append(
            [
                f"`{name}`",
                f"{result['calls']:,}",
                f"{result['rss_start_bytes'] / MIB:.1f}",
                f"{result['rss_end_bytes'] / MIB:.1f}",
                f"{growth:+.2f}",
                f"{result['peak_rss_bytes'] / MIB:.1f}",
                _number(result["cpu_us_per_call"]),
            ]
        )
    return _table(header, "lrrrrrr", rows)


def busy_warning(machine: dict[str, Any], quick: bool) -> list[str]:
    """A visible warning when other work shared the machine or the run was a smoke run.

    Judged by the load when the run began: the load at its end is the benchmark's own server
    and clients, busy on every core for the last minute, whatever else the machine did."""
    try:
        load = float(str(machine.get("load_average_at_start", "")).split()[0])
    except (IndexError, ValueError):
        load = None
    notes = []
    if load is not None and load >= 0.5 * machine["usable_cores"]:
        notes.append(
            f"the 1-minute load average was {load:.2f} on {machine['usable_cores']} cores when "
            "the run began: other work shared the machine, so absolute figures are noisy "
            "(ratios, measured side by side, less so)"
        )
    if quick:
        notes.append("this is a `--quick` smoke run: few, short repetitions")
    return [f"> **Not a reference run**: {'; '.join(notes)}.", ""] if notes else []


def _chart_title(report: dict[str, Any]) -> str:
    machine = report["machine"]
    title = f"ding benchmarks — {machine['cpu']}, {machine['python']}, {machine['date']}"
    if busy_warning(machine, report["config"]["quick"]):
        title += "\nNOT A REFERENCE RUN (busy machine or --quick): see results.md"
    return title


def write_markdown(path: Path, report: dict[str, Any]) -> None:
    machine, config = report["machine"], report["config"]
    argv = config.get("argv", ["--quick"] if config["quick"] else [])
    command = " ".join(["python benchmarks/run.py", *argv])
    load = f"{machine['load_average_at_start']} / {machine.get('load_average_at_end', '?')}"
    packages = ", ".join(f"{name} {version}" for name, version in machine["packages"].items())
    lines = [
        "# ding benchmark results",
        "",
        f"Generated by `{command}` on {machine['date']}.",
        "See benchmarks/README.md for what each figure means and how it is measured.",
        "",
        *busy_warning(machine, config["quick"]),
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} cores ({machine['usable_cores']} usable)",
        f"- {machine['python']} on {machine['platform']}",
        f"- Pinning: {machine['pinning']}",
        f"- Load average at start / end: {load} (1, 5, 15 min; near the core count = noisy)",
        f"- Packages: {packages}",
        f"- Runs: {config['runs']} x {config['seconds']} s measured per style after "
        f"{config['warmup']} s warm-up; figures are medians across runs, ratios are computed "
        "within each run",
        f"- Fresh processes: {config['coldstart_reps']} per cold-start case, "
        f"{config['import_reps']} per import case, alternating",
        "",
        "## Targets (issue 13, DESIGN §6)",
        "",
        "Every ratio below comes from this one run. `today` is the figure before this round.",
        "",
        *_targets_table(report["targets"]),
        "",
        "Also measured (no target of their own):",
        "",
        *_targets_table(report.get("other_checks", [])),
        "",
        "## Fresh process: import + `Ding(...)` + one call + exit",
        "",
        *_coldstart_section(report.get("coldstart", {})),
        "",
        "## Peers side by side",
        "",
        "CPU per call is the honest comparison: on a one-core loopback server calls/s also "
        "measures the server and the scheduler. Ratios are against ding at the same shape "
        "(`AsyncDing` for the async rows, the facade for the sync rows).",
        "",
        *_peers_table(report["styles"]),
        "",
        "## Every style",
        "CPU is the client process's own CPU time per call (all its threads). `± spread` is "
        "(max - min) / median of calls/s across runs. `server busy` is the server's CPU time over "
        "the measured window (worst run); near 100 % the server, not the client, sets the pace.",
        "",
        *_styles_table(report["styles"]),
        "",
        "## Import time",
        "",
        *_imports_section(report["imports"], report.get("import_extra")),
        "",
        "## Memory over a long run",
        "",
        *_soak_section(report["soak"]),
        "",
    ]
    if report.get("chart_note"):
        lines += [report["chart_note"], ""]
    else:
        lines += ["![chart](chart.png)", ""]
    path.write_text("\n".join(lines))


def write_all(directory: Path, report: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    report["chart_note"] = write_chart(directory / "chart.png", report, _chart_title(report))
    write_json(directory / "results.json", report)
    write_markdown(directory / "results.md", report)
