"""Developer and CI sessions. ``nox`` runs every default session; ``nox -s bench`` measures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
TEST_DEPS = [
    "pytest>=8",
    "pytest-asyncio>=0.24",
    "pytest-timeout>=2.2",
    "aioresponses>=0.7.6",
    "hypothesis>=6.100",
]
# The process models the reliability suite runs for real (test-only dependencies).
PROCESS_MODEL_DEPS = ["gevent>=24.2", "eventlet>=0.36", "gunicorn>=22", "uwsgi>=2.0.24"]
PRISM_VERSION = "5.16.0"

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = [
    "lint",
    "typecheck",
    "tests",
    "reliability",
    "contract",
    "examples",
    "docs",
    "wheel",
]


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python="3.11")
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[testing]", "mypy>=1.11", *TEST_DEPS)
    session.run("mypy", "--strict", "ding", "tests/typing")


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Unit and integration tests, warnings as errors."""
    session.install("-e", ".[testing]", *TEST_DEPS)
    session.run(
        "pytest",
        "-W",
        "error",
        "tests",
        "--ignore=tests/contract",
        "--ignore=tests/reliability",
        "--ignore=tests/examples",
        *session.posargs,
    )


@nox.session(python="3.11")
def reliability(session: nox.Session) -> None:
    """The fault matrix, load, lifecycle, hostile input and secrets, sync and async; threads,
    forks (with and without at-fork hooks: uWSGI), gevent/eventlet and gunicorn for real."""
    session.install(
        "-e", ".[testing]", "trustme>=1.1", "pyyaml>=6", *TEST_DEPS, *PROCESS_MODEL_DEPS
    )
    session.run("pytest", "-W", "error", "tests/reliability", *session.posargs)


@nox.session(python="3.11")
def contract(session: nox.Session) -> None:
    """Every operation against a Prism mock server started from the OpenAPI spec."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        session.error("npm and node are required for the contract tests: install Node.js 18+")
    prism_dir = ROOT / ".prism"
    session.run(
        "npm",
        "install",
        "--no-audit",
        "--no-fund",
        "--prefix",
        str(prism_dir),
        f"@stoplight/prism-cli@{PRISM_VERSION}",
        external=True,
    )
    session.install("-e", ".[testing]", "pyyaml>=6", *TEST_DEPS)  # conftest reads the spec
    env = {"PRISM_BIN": str(prism_dir / "node_modules" / ".bin" / "prism")}
    session.run("pytest", "-W", "error", "tests/contract", *session.posargs, env=env)


@nox.session(python="3.11")
def examples(session: nox.Session) -> None:
    """Run every example against ding.testing (web apps through their test clients)."""
    session.install("-e", ".[testing]", "fastapi", "httpx", "httpx2", "flask", *TEST_DEPS)
    session.run("pytest", "-W", "error", "tests/examples", *session.posargs)


@nox.session(python="3.11")
def docs(session: nox.Session) -> None:
    session.install("-e", ".[testing]", "mkdocs-material>=9.5", "mkdocstrings[python]>=0.26")
    session.run("mkdocs", "build", "--strict", "--site-dir", str(ROOT / "site"))


@nox.session(python="3.11")
def wheel(session: nox.Session) -> None:
    """Build the wheel, install it into a fresh venv, import it and run the demo."""
    session.install("build")
    dist = ROOT / "dist"
    session.run("python", "-m", "build", "--wheel", "--outdir", str(dist))
    wheels = sorted(dist.glob("ding-*.whl"), key=os.path.getmtime)
    session.install("--force-reinstall", str(wheels[-1]))
    session.chdir(session.create_tmp())
    session.run("python", "-c", "import ding, ding.testing; print(ding.__version__)")
    session.run("ding", "demo")


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Benchmarks side by side with raw aiohttp, requests and the published clients."""
    session.install(
        "-e", ".", "requests", "matplotlib", "prelude-python-sdk[aiohttp]", "httpx", "py-spy"
    )
    session.run("python", "benchmarks/run.py", *session.posargs)
