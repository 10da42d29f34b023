"""Every Python block in the README and the docs runs, or says it is a fragment.

The convention (also stated in the README's Development section):

* A fenced block tagged ``python`` is a complete program. CI runs it against
  ``ding.testing.FakeDing`` (``DING_SERVER_URL``, ``DING_API_KEY`` and ``DING_CUSTOMER_UUID``
  point at the fake, ``DING_WEBHOOK_TOKEN`` holds a fresh ``CallbackToken`` secret, ``input()``
  answers the code the fake last sent) and type-checks it with ``mypy --strict``. A block that defines ``test_*`` functions is run by pytest, with the
  ``ding`` plugin's fixtures.
* A block that shows a piece of a program (it uses a ``client`` or a ``request`` defined
  elsewhere, or ``...``) is marked with an HTML comment on the line just before its fence,
  invisible on GitHub and on the site::

      <!-- fragment -->
      ```python
      client.otp.check(request, timeout=2)
      ```

  A fragment must still be valid Python (top-level ``await`` allowed).
* A block whose only content is a ``--8<--`` include shows a file from ``examples/``; those
  files are run by ``nox -s examples``.
"""

from __future__ import annotations

import ast
import builtins
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ding.testing import FakeDing
from ding.webhooks import CallbackToken

REPO = Path(__file__).resolve().parents[2]
FRAGMENT = "<!-- fragment -->"
CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)(?P<rest>.*)$")


@dataclass(frozen=True)
class Block:
    path: str  # relative to the repository
    line: int  # of the opening fence, 1-based
    source: str
    fragment: bool

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def include(self) -> list[str]:
        lines = [line.strip() for line in self.source.splitlines() if line.strip()]
        if lines and all(line.startswith("--8<--") for line in lines):
            return [line.split('"')[1] for line in lines]
        return []

    @property
    def is_pytest_module(self) -> bool:
        return re.search(r"^(async )?def test_", self.source, re.M) is not None


def documents() -> list[Path]:
    found = [REPO / "README.md"]
    found += sorted((REPO / "docs").rglob("*.md"))
    found += sorted((REPO / "docs_fragments").rglob("*.md"))
    return found


def blocks_in(path: Path) -> Iterator[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        fence, indent = opening["fence"], opening["indent"]
        end = i + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        if opening["lang"].lower() in ("python", "py", "python3"):
            before = next((line.strip() for line in reversed(lines[:i]) if line.strip()), "")
            body = "\n".join(
                line[len(indent) :] if line.startswith(indent) else line
                for line in lines[i + 1 : end]
            )
            yield Block(
                path=str(path.relative_to(REPO)),
                line=i + 1,
                source=textwrap.dedent(body) + "\n",
                fragment=before == FRAGMENT,
            )
        i = end + 1


BLOCKS = [block for doc in documents() for block in blocks_in(doc)]
RUNNABLE = [b for b in BLOCKS if not b.fragment and not b.include]


def test_the_docs_have_python_blocks_of_every_kind() -> None:
    # A guard on the parser: if it found nothing, the tests below would pass vacuously.
    assert len(BLOCKS) > 20
    assert any(b.fragment for b in BLOCKS)
    assert any(b.include for b in BLOCKS)
    assert any(b.is_pytest_module for b in RUNNABLE)
    assert any(b.path == "README.md" for b in RUNNABLE)
    assert any(b.path == "docs/index.md" for b in RUNNABLE)


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.fragment], ids=lambda b: b.where)
def test_a_fragment_is_valid_python(block: Block) -> None:
    try:
        compile(block.source, block.where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError as exc:
        pytest.fail(f"{block.where}: not valid Python: {exc}", pytrace=False)


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.include], ids=lambda b: b.where)
def test_an_include_shows_an_example_that_ci_runs(block: Block) -> None:
    for included in block.include:
        assert included.startswith("examples/") and (REPO / included).is_file(), included


def _latest_code(fake: FakeDing) -> str:
    sent = [a for a in fake.authentications() if a.code is not None]
    assert sent, "the block asked for a code before sending one"
    return str(sent[-1].code)


@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: b.where)
def test_a_block_runs_against_the_fake(
    block: Block, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with FakeDing.running() as fake:
        if block.is_pytest_module:
            (tmp_path / "pytest.ini").write_text(
                "[pytest]\nasyncio_default_fixture_loop_scope = function\n", encoding="utf-8"
            )
            test_file = tmp_path / "test_docs_block.py"
            test_file.write_text(block.source, encoding="utf-8")
            command = [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-W",
                "error",
                "-p",
                "no:cacheprovider",
            ]
            done = subprocess.run(
                [*command, str(test_file)],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, f"{block.where}:\n{done.stdout[-4000:]}{done.stderr}"
            assert re.search(r"\b[1-9]\d* passed\b", done.stdout), done.stdout
            return
        monkeypatch.setenv("DING_API_KEY", "docs-test-key")
        monkeypatch.setenv("DING_SERVER_URL", fake.url)
        monkeypatch.setenv("DING_CUSTOMER_UUID", CUSTOMER_UUID)
        # The webhook secret a program keeps with its other secrets (docs/webhooks.md).
        monkeypatch.setenv("DING_WEBHOOK_TOKEN", CallbackToken.generate())
        monkeypatch.setattr("builtins.input", lambda prompt="": _latest_code(fake))
        # Scripts that run `ding ...` find the command installed beside this Python.
        monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        monkeypatch.chdir(tmp_path)
        code = compile(block.source, block.where, "exec")
        exec(code, {"__name__": "__main__", "__file__": block.where})


@pytest.fixture(scope="session")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Type-check every runnable block as its own module, in one mypy run."""
    try:
        import mypy  # noqa: F401
    except ImportError:
        pytest.fail("the docs tests type-check the blocks: pip install mypy", pytrace=False)
    workdir = tmp_path_factory.mktemp("blocks")
    files = {}
    for number, block in enumerate(RUNNABLE):
        name = f"block_{number:03d}.py"
        (workdir / name).write_text(block.source, encoding="utf-8")
        files[name] = block.where
    command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary"]
    command += ["--cache-dir", str(workdir / ".mypy_cache"), *sorted(files)]
    done = subprocess.run(
        command,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "MYPY_FORCE_COLOR": "0"},
    )
    errors: dict[str, list[str]] = {where: [] for where in files.values()}
    for line in done.stdout.splitlines():
        name, _, rest = line.partition(":")
        if name in files and ": error:" in line:
            errors[files[name]].append(rest)
    if done.returncode not in (0, 1) or (done.returncode == 1 and not any(errors.values())):
        pytest.fail(f"mypy did not run:\n{done.stdout}{done.stderr}", pytrace=False)
    return errors


@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: b.where)
def test_a_block_passes_mypy_strict(block: Block, mypy_errors: dict[str, list[str]]) -> None:
    assert not mypy_errors[block.where], (
        f"{block.where} (line numbers count from the fence):\n  "
        + "\n  ".join(mypy_errors[block.where])
    )


# --- a fragment pastes into a program without a missing import --------------------------

# Names a reader may use in a fragment without importing them: its program's own objects.
_IMPORTABLE_ROOTS = frozenset(sys.stdlib_module_names) | {"ding", "aiohttp", "pytest", "fastapi"}


def _public_ding_names() -> set[str]:
    import ding.models
    import ding.testing
    import ding.utils
    import ding.webhooks

    names = set(ding.__all__) | set(ding.testing.__all__) | set(ding.webhooks.__all__)
    return names | set(ding.utils.__all__) | set(ding.models.__all__)


def _unbound_names(source: str) -> set[str]:
    tree = ast.parse(source)
    bound = set(dir(builtins))
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else used).add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return used - bound


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.fragment], ids=lambda b: b.where)
def test_a_fragment_imports_what_it_uses(block: Block) -> None:
    """A fragment may use the objects of the program around it (``client``, ``request``),
    never a module or a ding name it did not import: pasted, it would fail on that."""
    source = block.source
    if "await " in source:  # top-level await: wrap it to parse
        source = "async def _fragment():\n" + textwrap.indent(source, "    ")
    unbound = _unbound_names(source)
    missing = sorted(n for n in unbound if n in _IMPORTABLE_ROOTS or n in _public_ding_names())
    assert not missing, f"{block.where}: uses {missing} without importing it"


# --- `pip install` lines agree with the install page --------------------------------------

_PUBLISHED = "Once a release is published"


def test_pip_install_lines_agree_with_the_install_page() -> None:
    """ding is installed from a checkout until it is published: `pip install ding` appears
    only in the blocks the install sections introduce as what works once it is."""
    found = []
    files = [*documents(), *sorted((REPO / "examples").glob("*.py"))]
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            installs = re.search(r"pip install ([^#`&;]*)", line)
            if installs is None or not re.search(r"(^|\s)\"?ding(\[\w+\])?\"?(\s|$)", installs[1]):
                continue
            before = "\n".join(lines[max(0, number - 6) : number])
            if _PUBLISHED not in before and "once it is on PyPI" not in line:
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
