"""chart.png: the target table, then calls/s and CPU per call per style, the start-up, and RSS.

matplotlib is imported only inside `write_chart` (with the Agg backend): the workers never
load it, and a machine without it still gets the Markdown and JSON reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis import MIB, SOAK_STYLES
from clients import STYLES

_FAMILY_COLOURS = {
    "raw-aiohttp": "#9e9e9e",
    "asyncding": "#1f77b4",
    "prelude-aiohttp": "#ff7f0e",
    "prelude-httpx-async": "#ffbb78",
    "raw-requests": "#bdbdbd",
    "ding-facade": "#2ca02c",
    "official": "#d62728",
    "prelude-httpx-sync": "#e7969c",
}
_STATUS_COLOURS = {"pass": "#d9f2d9", "FAIL": "#f8d0d0"}


def _colour(family: str) -> str:
    return _FAMILY_COLOURS.get(family, "#7f7f7f")


def _targets_table(axis: Any, targets: list[dict[str, Any]]) -> None:
    axis.axis("off")
    cells = [
        [row["target"].replace("`", ""), row["today"], row["limit"], row["display"], row["status"]]
        for row in targets
    ]
    table = axis.table(
        cellText=cells,
        colLabels=["target (issue 13)", "today", "target", "measured", "result"],
        colWidths=[0.5, 0.14, 0.08, 0.2, 0.08],
        loc="center",
        cellLoc="left",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1, 1.25)
    for index, row in enumerate(targets, start=1):
        colour = _STATUS_COLOURS.get(row["status"])
        if colour:
            table[index, 4].set_facecolor(colour)


def _style_bars(rate_axis: Any, cpu_axis: Any, styles: dict[str, dict[str, Any]]) -> None:
    measured = {name: figures for name, figures in styles.items() if "missing" not in figures}
    names = list(measured)[::-1]  # barh draws bottom-up; keep the table's order top-down
    colours = [_colour(STYLES[name].family) for name in names]
    rate_axis.barh(names, [measured[name]["calls_per_s"] for name in names], color=colours)
    rate_axis.set_xlabel("calls per second (higher is better)")
    cpu_axis.barh(names, [measured[name]["cpu_us_per_call"] for name in names], color=colours)
    cpu_axis.set_xlabel("client CPU µs per call (lower is better)")
    cpu_axis.set_yticklabels([])
    for axis in (rate_axis, cpu_axis):
        axis.grid(axis="x", alpha=0.3)


def _startup_bars(axis: Any, report: dict[str, Any]) -> None:
    bars: list[tuple[str, float, str]] = []
    cold = report.get("coldstart", {})
    for key, colour in (
        ("ding", "#1f77b4"),
        ("floor", "#9e9e9e"),
        ("official", "#d62728"),
        ("ding-https", "#6baed6"),
        ("official-https", "#fc9272"),
        ("pass", "#bdbdbd"),
    ):
        case = cold.get(key, {})
        if "median_ms" in case:
            label = case["label"].replace("`", "")
            bars.append((f"fresh process: {label}", case["median_ms"], colour))
    for key, colour in (("ding", "#1f77b4"), ("baseline", "#9e9e9e"), ("official", "#d62728")):
        case = report.get("imports", {}).get(key, {})
        if "median_ms" in case:
            bars.append((case["label"].replace("`", ""), case["median_ms"], colour))
    if not bars:
        axis.set_axis_off()
        return
    labels, values, colours = zip(*bars[::-1], strict=True)
    axis.barh(labels, values, color=colours)
    axis.set_xlabel("milliseconds, median (lower is better)")
    axis.set_title("start-up")
    axis.grid(axis="x", alpha=0.3)


def _rss_lines(axis: Any, soak: dict[str, Any]) -> None:
    plotted = False
    for name in SOAK_STYLES:
        samples = soak.get(name, {}).get("rss_samples") or []
        if samples:
            axis.plot(
                [calls for calls, _ in samples], [rss / MIB for _, rss in samples], label=name
            )
            plotted = True
    axis.set_xlabel("calls")
    axis.set_ylabel("RSS MiB")
    axis.set_title("RSS during the long run")
    if plotted:
        axis.legend(loc="lower right", fontsize="small")
    axis.grid(alpha=0.3)


def write_chart(path: Path, report: dict[str, Any], title: str) -> str | None:
    """Draw the chart; returns a note instead when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "Chart not drawn: matplotlib is not installed."

    styles = report["styles"]
    style_rows = max(5.0, 0.32 * len(styles) + 1.5)
    table_rows = 0.3 * (len(report["targets"]) + 1) + 0.4
    figure = plt.figure(figsize=(18, table_rows + style_rows + 4.5))
    grid = figure.add_gridspec(
        3, 2, height_ratios=[table_rows, style_rows, 4.0], width_ratios=[1, 1]
    )
    _targets_table(figure.add_subplot(grid[0, :]), report["targets"])
    _style_bars(figure.add_subplot(grid[1, 0]), figure.add_subplot(grid[1, 1]), styles)
    _startup_bars(figure.add_subplot(grid[2, 0]), report)
    _rss_lines(figure.add_subplot(grid[2, 1]), report["soak"])
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return None
