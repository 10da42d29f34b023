"""Issue 18: what mypy --strict and pyright (Pylance's engine) make of ding, run for real.

* usage.py and webhooks_usage.py, a user's correct programs, pass both in strict mode;
* mistakes.py, a user's mistakes, is flagged in full by both: each mistake carries the
  ignore comment of each checker naming the error it must report, and both fail on an
  ignore that suppresses nothing, so a clean run proves every mistake flagged as named;
* ``pyright --verifytypes`` finds every exported symbol's type known (100%);
* pyright sees the sync operations as plain methods with the async ones' parameters.

Run by ``nox -s typecheck`` (it installs mypy and pyright; pyright fetches its Node.js
package from the npm registry on first use).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
USER_FILES = ["usage.py", "webhooks_usage.py", "mistakes.py"]


def _run(*command: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _pyright(*arguments: str) -> dict[str, Any]:
    done = _run("pyright", "--outputjson", *arguments)
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        pytest.fail(f"pyright did not run:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return report


def _ignores(tool: str) -> list[int]:
    """The lines of mistakes.py that carry an ignore comment of ``tool``."""
    marker = "# type: ignore[" if tool == "mypy" else "# pyright: ignore["
    lines = (HERE / "mistakes.py").read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, 1) if marker in line]


def test_every_mistake_names_the_error_of_both_checkers() -> None:
    # A guard: the runs below pass vacuously if the comments went missing.
    assert _ignores("mypy") == _ignores("pyright")
    assert len(_ignores("mypy")) >= 20


def test_mypy_strict_accepts_the_programs_and_flags_every_mistake() -> None:
    done = _run(
        "mypy", "--strict", "--no-error-summary", *(f"tests/typing/{f}" for f in USER_FILES)
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_pyright_strict_accepts_the_programs_and_flags_every_mistake() -> None:
    report = _pyright("-p", str(HERE / "pyrightconfig.json"))
    diagnostics = report["generalDiagnostics"]
    shown = [
        f"{Path(d['file']).name}:{d['range']['start']['line'] + 1}: {d.get('rule')}: {d['message']}"
        for d in diagnostics
    ]
    assert not shown, "\n".join(shown)
    assert report["summary"]["filesAnalyzed"] == len(USER_FILES)


def test_pyright_verifytypes_knows_every_exported_type() -> None:
    report = _pyright("--verifytypes", "ding", "--ignoreexternal")
    completeness = report["typeCompleteness"]
    unknown = [
        f"{symbol['name']}: {[d['message'] for d in symbol.get('diagnostics', [])]}"
        for symbol in completeness["symbols"]
        if not symbol["isTypeKnown"] or symbol["isTypeAmbiguous"]
    ]
    assert completeness["completenessScore"] == 1, "\n".join(unknown)


def test_pyright_shows_the_sync_operations_as_plain_methods(tmp_path: Path) -> None:
    """Hover and completion detail: the declared signature, not a private descriptor."""
    program = tmp_path / "probe.py"
    program.write_text(
        "import ding\n"
        "s = ding.Ding()\n"
        "reveal_type(s.otp.check)\n"
        "reveal_type(s.lookup.lookup)\n"
        "reveal_type(ding.AsyncDing().otp.check)\n",
        encoding="utf-8",
    )
    report = _pyright(str(program))
    revealed = [
        d["message"] for d in report["generalDiagnostics"] if d["severity"] == "information"
    ]
    assert len(revealed) == 3, revealed
    sync_check, sync_lookup, async_check = revealed
    assert re.search(
        r"\(request: CreateCheckRequest \| Mapping\[str, Any\] \| None = None", sync_check
    )
    assert sync_check.endswith('-> CheckResponse"')
    assert "type_: Type | str | Sequence[Type | str] | None = None" in sync_lookup
    assert async_check.endswith('-> CoroutineType[Any, Any, CheckResponse]"')
    assert not any("_Blocking" in text or "Callable" in text for text in revealed)
