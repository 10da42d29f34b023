"""Import-time measurement in fresh interpreters.

Each repetition starts a new interpreter and times only the import statement inside it, so
interpreter start-up (the same for everyone) does not dilute the ratio. The cases are
interleaved repetition by repetition, in an order that reverses every other repetition, so a
burst of background load hits them all alike, and the median is reported. One extra
`-X importtime` run lists what `import ding` loads beyond aiohttp + attrs + cattrs, which is
where any excess comes from.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from processes import Pinning, run_python

# `import ding` that also reaches the client class, so that a package `__init__` that loads
# its submodules lazily (PEP 562) still pays for what a user needs before the first call.
# Both this project and the official client have `ding.Ding`.
IMPORT_DING = "import ding; ding.Ding"

_TIMED = (
    "import time; started = time.perf_counter(); {statement}; print(time.perf_counter() - started)"
)


@dataclass(frozen=True)
class ImportCase:
    key: str
    label: str
    statement: str
    python: Path | str
    env: Mapping[str, str]


def _time_once(case: ImportCase, pinning: Pinning) -> float:
    completed = run_python(
        case.python, ["-c", _TIMED.format(statement=case.statement)], pinning=pinning, env=case.env
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"{case.statement!r} failed: {completed.stderr.strip().splitlines()[-1:]}"
        )
    return float(completed.stdout.strip().splitlines()[-1])


def time_imports(
    cases: list[ImportCase], reps: int, pinning: Pinning
) -> dict[str, dict[str, object]]:
    """Median import time per case, in milliseconds, over `reps` interleaved repetitions."""
    usable: list[ImportCase] = []
    results: dict[str, dict[str, object]] = {}
    for case in cases:
        try:
            _time_once(case, pinning)  # untimed: writes .pyc files so every rep reads them
            usable.append(case)
        except RuntimeError as error:
            results[case.key] = {"label": case.label, "skipped": str(error)}
    samples: dict[str, list[float]] = {case.key: [] for case in usable}
    for rep in range(reps):
        for case in usable if rep % 2 == 0 else usable[::-1]:
            samples[case.key].append(_time_once(case, pinning) * 1e3)
    for case in usable:
        results[case.key] = {
            "label": case.label,
            "median_ms": statistics.median(samples[case.key]),
            "samples_ms": samples[case.key],
        }
    return results


def _importtime(case: ImportCase, pinning: Pinning) -> dict[str, tuple[int, int]]:
    """module -> (self µs, cumulative µs) from one `-X importtime` run."""
    completed = run_python(
        case.python, ["-X", "importtime", "-c", case.statement], pinning=pinning, env=case.env
    )
    return parse_importtime(completed.stderr)


def parse_importtime(stderr: str) -> dict[str, tuple[int, int]]:
    """module -> (self µs, cumulative µs) from the stderr of a `-X importtime` run."""
    modules: dict[str, tuple[int, int]] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|")
        modules[name.strip()] = (int(self_us), int(cumulative_us))
    return modules


def extra_modules(
    subject: ImportCase, baseline: ImportCase, pinning: Pinning, top: int = 15
) -> dict[str, object]:
    """Modules `subject` imports that `baseline` does not, heaviest (self time) first."""
    subject_modules = _importtime(subject, pinning)
    baseline_modules = _importtime(baseline, pinning)
    extra = {name: times for name, times in subject_modules.items() if name not in baseline_modules}
    ranked = sorted(extra.items(), key=lambda item: item[1][0], reverse=True)
    return {
        "count": len(extra),
        "self_ms_total": sum(self_us for self_us, _ in extra.values()) / 1e3,
        "top": [
            {"module": name, "self_ms": s / 1e3, "cumulative_ms": c / 1e3}
            for name, (s, c) in ranked[:top]
        ],
    }
