"""Running a tool over the workload in a subprocess, and the leak table of all of them.

``python -m tests.observability._matrix`` prints the table (tool x data kind: where each
canary was found), the measurement behind docs/observability.md and the tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._canaries import Canaries, Leak, scan, uuids_in_names

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 300.0
"""Longest one tool's run may take (it takes seconds; the machine may be busy)."""
CAPTURE_ALL_HEADERS = {
    "OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_REQUEST": ".*",
    "OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_RESPONSE": ".*",
}


@dataclass(frozen=True)
class Setup:
    """A tool and the environment it runs with."""

    label: str
    tool: str
    env: dict[str, str] = field(default_factory=dict)


# The aiohttp auto-instrumentation on its own (ding's native tracing off: with it on, the
# instrumentation is suppressed while ding sends), in each semantic-convention mode; then
# ding's native tracing with the instrumentation installed too; Sentry; logging.
NATIVE_OFF = {"DING_OTEL": "off"}
SETUPS = (
    Setup("otel aiohttp (old conventions)", "opentelemetry", {**CAPTURE_ALL_HEADERS, **NATIVE_OFF}),
    Setup(
        "otel aiohttp (http)",
        "opentelemetry",
        {**CAPTURE_ALL_HEADERS, **NATIVE_OFF, "OTEL_SEMCONV_STABILITY_OPT_IN": "http"},
    ),
    Setup(
        "otel aiohttp (http/dup)",
        "opentelemetry",
        {**CAPTURE_ALL_HEADERS, **NATIVE_OFF, "OTEL_SEMCONV_STABILITY_OPT_IN": "http/dup"},
    ),
    Setup(
        "otel native",
        "opentelemetry",
        {**CAPTURE_ALL_HEADERS, "OTEL_SEMCONV_STABILITY_OPT_IN": "http/dup"},
    ),
    Setup("sentry", "sentry"),
    Setup("logging DEBUG", "logging"),
)


class Running:
    """A tool's run in a subprocess, started at once, waited for by ``result``."""

    def __init__(self, setup: Setup, *cases: str) -> None:
        self.setup = setup
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("OTEL_", "DING_", "SENTRY_")) and "PROXY" not in k.upper()
        }
        env.update(setup.env)
        self._tmp = tempfile.TemporaryDirectory()
        self._out = Path(self._tmp.name) / "result.json"
        # A file, not a pipe: a run that prints a lot must not block while others are read.
        self._stderr = open(Path(self._tmp.name) / "stderr.txt", "w+", encoding="utf-8")  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.observability._run", setup.tool, str(self._out), *cases],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )

    def result(self) -> dict[str, Any]:
        """What ``_run.py`` wrote (see there), with the setup's label."""
        try:
            self._process.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=30)
        try:
            self._stderr.seek(0)
            stderr = self._stderr.read()
            self._stderr.close()
            if self._process.returncode != 0:
                raise AssertionError(f"{self.setup.label} failed:\n{stderr[-4000:]}")
            result: dict[str, Any] = json.loads(self._out.read_text(encoding="utf-8"))
        finally:
            self._tmp.cleanup()
        label = self.setup.label
        if self.setup.tool == "sentry":
            label = f"sentry {result['version']}"
        result["label"] = label
        return result


def run(setup: Setup, *cases: str) -> dict[str, Any]:
    return Running(setup, *cases).result()


def leaks_of(result: dict[str, Any]) -> list[Leak]:
    canaries = Canaries.from_json(result["canaries"])
    label = result.get("label", result["tool"])
    documents = [(doc_label, doc) for doc_label, doc in result["documents"]]
    return scan(label, documents, canaries) + uuids_in_names(
        label, [(where, text) for where, text in result["names"]], canaries
    )


def table(leaks: list[Leak]) -> str:
    """Markdown: one row per tool, one column per kind of data, the places it was found."""
    kinds = ("api key", "phone number", "OTP code", "authentication uuid")
    places: dict[tuple[str, str], set[str]] = defaultdict(set)
    tools: list[str] = []
    for leak in leaks:
        if leak.tool not in tools:
            tools.append(leak.tool)
        places[(leak.tool, leak.kind)].add(_short(leak.where))
    lines = ["| tool | " + " | ".join(kinds) + " |", "|---" * (len(kinds) + 1) + "|"]
    for tool in tools:
        cells = [", ".join(sorted(places[(tool, kind)])) or "-" for kind in kinds]
        lines.append(f"| {tool} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _short(where: str) -> str:
    """The place without list indexes, the most telling end of it."""
    import re

    where = re.sub(r"\[\d+\]", "", where).replace(" (key)", "")
    frame = re.search(r"vars<([^>]+)>\.(\w+)", where)
    if frame:  # a stack frame's variable: the module and the variable
        return f"{where.split('.')[0]} frame {frame.group(1)}: {frame.group(2)}"
    parts = where.split(".")
    return ".".join(parts[:1] + parts[-2:]) if len(parts) > 3 else where


def main() -> None:
    wanted = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    leaks: list[Leak] = []
    for setup in SETUPS:
        if wanted and setup.tool not in wanted:
            continue
        result = run(setup)
        found = leaks_of(result)
        print(
            f"{result['label']}: {result['calls']} calls, {len(result['errors'])} errors, "
            f"{len(result['documents'])} documents, {len(found)} leaks, "
            f"{result['seconds']:.1f} s",
            file=sys.stderr,
        )
        if not found:
            found = [Leak(result["label"], "-", "-", "-", "")]
        leaks += found
    print(
        table(
            [leak for leak in leaks if leak.kind != "-"]
            + [leak for leak in leaks if leak.kind == "-"]
        )
    )
    if "-v" in sys.argv:
        for leak in leaks:
            print(leak)


if __name__ == "__main__":
    main()
