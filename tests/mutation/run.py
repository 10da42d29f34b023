"""Mutation testing of the modules where a bug costs users most (``nox -s mutation``).

For each module, mutmut (3.x) makes small realistic changes to it, one at a time (a ``<``
turned into ``<=``, a constant changed, an argument dropped), and runs the tests that cover
the changed function, fastest first, until one fails. A change no test notices "survives":
either the suite misses a bug of that shape, or the change is *equivalent* (the code still
does exactly the same thing). Equivalent mutants are accepted only when listed, with why, in
``equivalents.py``; every other survivor counts against the module's score, which must be at
least ``THRESHOLD``.

Each module runs in a scratch copy of the repository (mutmut writes its mutants and a
config beside the code), with only the test files listed for it in ``MODULES``: the unit
tests of the module first, then the few slower files that exercise it for real. A survivor
of a module listed in ``FRESH_IMPORT`` is run once more in a new process (see there). A
mutant that makes the tests hang past mutmut's bound counts as killed; one that no test
reaches counts as a survivor.

Usage, from the repository root (the session's virtualenv has ding, its test dependencies
and mutmut)::

    python tests/mutation/run.py [--workdir DIR] [ding/_retry.py ...]

It ends by printing one line per module, ``ding/_retry.py: 97.0% killed (97/100)``, and
exits 1 when a module is below the threshold or an entry of ``equivalents.py`` is stale.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.mutation.equivalents import EQUIVALENTS, Equivalent  # noqa: E402

THRESHOLD = 95.0
"""Percent of the non-equivalent mutants of each module that the tests must kill."""

# The tests that cover each module: its own unit tests first, then what drives it for real.
MODULES: dict[str, list[str]] = {
    "ding/_retry.py": [
        "tests/unit/test_retry_policy.py",
        "tests/unit/test_retry_limits.py",
        "tests/unit/test_transport_retries.py",
    ],
    "ding/_wire.py": [
        "tests/unit/test_wire.py",
        "tests/unit/test_transport_options.py",
        "tests/unit/test_transport_errors.py",
        "tests/unit/test_transport_bad_input.py",
        "tests/unit/test_header_and_url_options.py",
        "tests/reliability/test_hostile_responses.py",
        "tests/reliability/test_strict_decoding.py",
    ],
    "ding/_transport.py": [
        "tests/unit/test_transport_request.py",
        "tests/unit/test_retry_limits.py",
        "tests/unit/test_transport_retries.py",
        "tests/unit/test_transport_errors.py",
        "tests/unit/test_transport_options.py",
        "tests/unit/test_transport_bad_input.py",
        "tests/unit/test_header_and_url_options.py",
        "tests/unit/test_log_lines.py",
        "tests/integration/test_observability.py",
        "tests/reliability/test_event_loops.py",
        "tests/reliability/test_fault_matrix.py",
        "tests/reliability/test_secret_key.py",
        "tests/reliability/test_hard_deadline.py",
        "tests/reliability/test_bounded_answers.py",
        "tests/reliability/test_close_in_flight.py",
        "tests/reliability/test_hostile_requests.py::"
        "test_the_transport_sends_the_path_it_built_unchanged",
        "tests/reliability/test_hostile_requests.py::test_a_key_read_per_call_sends_the_real_path",
        "tests/compat/test_proxies.py",
        "tests/compat/test_proxy_errors.py",
    ],
    "ding/webhooks/_confirm.py": [
        "tests/unit/test_webhook_defences.py",
        "tests/integration/test_webhooks.py",
    ],
    "ding/webhooks/_tokens.py": [
        "tests/unit/test_webhook_defences.py",
    ],
    "ding/models/_fields.py": [
        "tests/unit/test_models.py",
        "tests/unit/test_model_reprs.py",
        "tests/unit/test_transport_bad_input.py",
        "tests/reliability/test_hostile_requests.py",
    ],
}

# Tests left out of mutation runs: one that measures the process itself (peak memory, which
# mutmut's instrumentation of every call changes), and slow waits that repeat another.
DESELECT = [
    "tests/reliability/test_bounded_answers.py::"
    "test_a_300_mb_answer_leaves_the_peak_memory_near_where_it_was",
    # Four of the six 5-6 s waits for a silent server: one of each limit is kept.
    "tests/reliability/test_hard_deadline.py::"
    "test_sync_limit_fires_on_time_against_a_silent_server[attempt-timeout-5.5s]",
    "tests/reliability/test_hard_deadline.py::"
    "test_sync_limit_fires_on_time_against_a_silent_server[deadline-5.05s]",
    "tests/reliability/test_hard_deadline.py::"
    "test_async_limit_fires_on_time_against_a_silent_server[deadline-5.05s]",
    "tests/reliability/test_hard_deadline.py::"
    "test_async_limit_fires_on_time_against_a_silent_server[attempt-timeout-5.5s]",
]
# What the tests read beside ding/ and tests/ (the spec: the model docstrings are checked
# against it).
ALSO_COPY = ["spec"]
KILLED = {1, 3}  # a failing test; pytest's internal error (mutmut counts both as a kill)
TIMEOUTS = {-24, 24, 36, 152, 255}  # the tests ran past mutmut's bound: a hang is noticed


@dataclass
class Mutant:
    name: str
    """mutmut's name, e.g. ``ding._retry.xǁRetryPolicyǁbackoff__mutmut_5``."""
    exit_code: int | None
    killed_in_a_new_process: bool = False

    @property
    def killed(self) -> bool:
        return (
            self.exit_code in KILLED or self.exit_code in TIMEOUTS or self.killed_in_a_new_process
        )

    @property
    def function(self) -> str:
        """``RetryPolicy.backoff`` or ``parse_retry_after``."""
        local = self.name.rsplit("__mutmut_", 1)[0].rsplit(".", 1)[1]
        local = local.removeprefix("x_").removeprefix("x")
        return ".".join(part for part in local.split("ǁ") if part)


@dataclass
class Score:
    module: str
    mutants: list[Mutant]
    equivalent: dict[str, Equivalent] = field(default_factory=dict)
    diffs: dict[str, tuple[str, str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def counted(self) -> list[Mutant]:
        return [m for m in self.mutants if m.name not in self.equivalent]

    @property
    def killed(self) -> int:
        return sum(m.killed for m in self.counted)

    @property
    def percent(self) -> float:
        return 100.0 * self.killed / len(self.counted) if self.counted else 100.0

    def line(self) -> str:
        return f"{self.module}: {self.percent:.1f}% killed ({self.killed}/{len(self.counted)})"


# mutmut forks each mutant's test run from a process that has already run the tests once, and
# picks the tests of a function by the calls it saw: code that runs once per process (the rules
# each request model gathers into its validator, the enum checks one_of() builds at import,
# the cattrs hooks chosen per class) ran there unmutated, and is credited to one test only.
# For these modules each survivor is run again in a new process, the mutant active from the
# start, against the module's unit tests: killed there, it counts as killed.
FRESH_IMPORT = {"ding/models/_fields.py"}


def _config(module: str, tests: list[str]) -> str:
    def toml_list(items: list[str]) -> str:
        return "[" + ", ".join(json.dumps(item) for item in items) + "]"

    pytest_args = ["-p", "no:cacheprovider", "-W", "error"]
    pytest_args += [f"--deselect={test}" for test in DESELECT]
    return (
        "\n\n[tool.mutmut]\n"
        'source_paths = ["ding"]\n'
        f"only_mutate = {toml_list([module])}\n"
        f"also_copy = {toml_list(ALSO_COPY)}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        f"pytest_add_cli_args = {toml_list(pytest_args)}\n"
    )


def _exists(test: str) -> bool:
    """Whether a test file (or a ``file::function`` node) exists."""
    path, _, function = test.partition("::")
    file = ROOT / path
    return file.exists() and (not function or f"def {function}(" in file.read_text("utf-8"))


def _scratch(workdir: Path, module: str, skip_missing: bool) -> Path:
    """A copy of what the tests need, with mutmut's config for ``module``."""
    tests = MODULES[module]
    missing = [t for t in tests if not _exists(t)]
    if missing and not skip_missing:
        raise SystemExit(f"{module}: test files not found: {missing}")
    tests = [t for t in tests if t not in missing]
    scratch = workdir / module.replace("/", "_").removesuffix(".py")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for name in ["ding", "tests", *ALSO_COPY]:
        shutil.copytree(ROOT / name, scratch / name, ignore=ignore)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (scratch / "pyproject.toml").write_text(pyproject + _config(module, tests), encoding="utf-8")
    return scratch


def _diff(scratch: Path, name: str) -> tuple[str, str]:
    """The lines a mutant removed and added, stripped of indentation."""
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", name],
        cwd=scratch,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    lines = [line for line in out.splitlines() if not line.startswith(("---", "+++", "#"))]
    removed = "\n".join(line[1:].strip() for line in lines if line.startswith("-"))
    added = "\n".join(line[1:].strip() for line in lines if line.startswith("+"))
    return removed, added


def _killed_in_a_new_process(scratch: Path, name: str, tests: list[str]) -> bool:
    """Whether ``tests`` fail with the mutant ``name`` active from the start of a process."""
    mutants = scratch / "mutants"
    env = {
        **os.environ,
        "MUTANT_UNDER_TEST": name,
        "PYTHONPATH": str(mutants),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(command, cwd=mutants, env=env, capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        return True  # a hang is noticed
    return done.returncode not in (0, 5)  # 5: no test ran


def mutate(module: str, workdir: Path, skip_missing: bool = False) -> Score:
    scratch = _scratch(workdir, module, skip_missing)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mutmut", "run"],
        cwd=scratch,
        env=env,
        stdout=subprocess.DEVNULL,  # a progress line per mutant
        stderr=subprocess.PIPE,
        text=True,
        timeout=3600,
    )
    meta = scratch / "mutants" / (module + ".meta")
    if run.returncode != 0 or not meta.exists():
        raise SystemExit(f"mutmut run failed for {module} (exit {run.returncode}):\n{run.stderr}")
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    score = Score(module, [Mutant(name, code) for name, code in sorted(codes.items())])
    if not score.mutants:
        score.problems.append("mutmut made no mutant")
    if any(m.exit_code is None for m in score.mutants):
        score.problems.append("some mutants were not checked")
    entries = [e for e in EQUIVALENTS if e.module == module]
    used: set[int] = set()
    unit_tests = [t for t in MODULES[module] if t.startswith("tests/unit/") and (ROOT / t).exists()]
    for mutant in score.mutants:
        if not mutant.killed and module in FRESH_IMPORT and mutant.exit_code is not None:
            mutant.killed_in_a_new_process = _killed_in_a_new_process(
                scratch, mutant.name, unit_tests
            )
        if mutant.killed:
            continue
        removed, added = score.diffs[mutant.name] = _diff(scratch, mutant.name)
        for index, entry in enumerate(entries):
            if entry.matches(mutant.function, removed, added):
                score.equivalent[mutant.name] = entry
                used.add(index)
    for index, entry in enumerate(entries):
        if index not in used:
            score.problems.append(
                f"equivalents.py lists a mutant that did not survive (killed, or the code "
                f"changed): {entry.function}: {entry.original!r} -> {entry.mutant!r}"
            )
    return score


def report(score: Score) -> None:
    for mutant in score.counted:
        if mutant.killed:
            continue
        removed, added = score.diffs[mutant.name]
        print(f"  survived ({mutant.function}): {removed!r} -> {added!r}  [{mutant.name}]")
    for problem in score.problems:
        print(f"  problem: {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES), help="default: all")
    parser.add_argument("--workdir", type=Path, default=ROOT / "mutants-scratch")
    parser.add_argument(
        "--skip-missing-tests",
        action="store_true",
        help="leave out listed test files that do not exist (to score an older commit)",
    )
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"not a module under mutation: {unknown} (known: {list(MODULES)})")
    started = time.monotonic()
    scores = []
    for module in args.modules:
        began = time.monotonic()
        score = mutate(module, args.workdir.resolve(), args.skip_missing_tests)
        took = time.monotonic() - began
        print(f"{score.line()}  [{took:.0f} s; {len(score.equivalent)} equivalent]", flush=True)
        report(score)
        scores.append(score)
    print(f"\nmutation testing took {time.monotonic() - started:.0f} s")
    for score in scores:
        print(score.line())
    failed = [s for s in scores if s.percent < THRESHOLD or s.problems]
    if failed:
        print(f"below {THRESHOLD}% or with problems: {[s.module for s in failed]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
