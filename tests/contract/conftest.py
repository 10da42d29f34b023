"""A Prism mock server started from the OpenAPI spec, once per test session.

Prism (``@stoplight/prism-cli``) validates every request against the spec. Started with
``--errors``, a request that breaks the contract gets an error status and the list of
violations in the ``sl-violations`` response header, so a contract test only has to look at
that header (see :func:`assert_no_violations`).

Two changes are made to the spec before Prism sees it (a copy, written to a temp dir):

* every request body schema gets ``additionalProperties: false``. The spec allows unknown
  fields, so Prism alone would accept ``{"devicetype": "IOS"}`` when the SDK misspells the
  optional ``device_type``; with the overlay, every field the SDK sends must be in the spec.
* nothing else: response schemas, formats and examples are used as published.

Where things come from:

* the spec: ``$DING_SPEC``, else the repository's own copy, ``<repo>/spec/ding-openapi.yaml``
  (nothing outside the repository is read);
* Prism: ``$PRISM_BIN`` (what ``nox -s contract`` sets), else ``<repo>/.prism`` (what that
  session installs), else ``npx @stoplight/prism-cli@<version>``, the version pinned in
  ``prism-version.txt`` beside this file (one whose ``engines`` accept Node.js 18.20 and
  newer). None of them: the tests fail with a message saying how to get it. They never
  skip, so a green run means Prism ran.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ding

from .._loopback import free_port
from ._checks import Decoded, Wire

try:
    import yaml  # type: ignore[import-untyped,unused-ignore]
except ImportError:  # pragma: no cover - depends on the environment
    yaml = None

REPO = Path(__file__).resolve().parents[2]
# The one pin, shared with noxfile.py.
PRISM_VERSION = (Path(__file__).parent / "prism-version.txt").read_text(encoding="utf-8").strip()
STARTUP_TIMEOUT = 90.0  # npx may have to download Prism first
CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
AUTH_UUID = "8f1196d5-806e-4b71-9b24-5f96ec052808"
PHONE = "+1234567890"
API_KEY = "contract-test-key"


def spec_path() -> Path:
    override = os.environ.get("DING_SPEC")
    path = Path(override) if override else REPO / "spec" / "ding-openapi.yaml"
    if not path.is_file():
        pytest.fail(
            f"OpenAPI spec not found at {path}: set DING_SPEC to the path of ding-openapi.yaml",
            pytrace=False,
        )
    return path


def load_spec() -> dict[str, Any]:
    if yaml is None:
        pytest.fail(
            "the contract tests read the spec with PyYAML: pip install pyyaml", pytrace=False
        )
    with spec_path().open(encoding="utf-8") as f:
        spec: dict[str, Any] = yaml.safe_load(f)
    return spec


def strict_requests(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` whose request body schemas refuse properties they do not define."""
    strict: dict[str, Any] = json.loads(json.dumps(spec))
    schemas = strict["components"]["schemas"]
    for item in strict["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            for media in operation["requestBody"]["content"].values():
                ref = media["schema"].get("$ref", "")
                target = schemas[ref.rsplit("/", 1)[-1]] if ref else media["schema"]
                target["additionalProperties"] = False
    return strict


def prism_command() -> list[str]:
    configured = os.environ.get("PRISM_BIN")
    if configured:
        if not (Path(configured).is_file() or shutil.which(configured)):
            pytest.fail(f"PRISM_BIN={configured!r} does not exist", pytrace=False)
        return [configured]
    local = REPO / ".prism" / "node_modules" / ".bin" / "prism"
    if local.is_file():
        return [str(local)]
    npx = shutil.which("npx")
    if npx:
        return [npx, "--yes", f"@stoplight/prism-cli@{PRISM_VERSION}"]
    pytest.fail(
        "Prism is needed for the contract tests and was not found: run `nox -s contract`, "
        f"or `npm install --prefix .prism @stoplight/prism-cli@{PRISM_VERSION}`, or set "
        "PRISM_BIN to a prism executable (Node.js 18.20 or newer is required)",
        pytrace=False,
    )


def _answers(url: str) -> bool:
    # Any HTTP answer means Prism is serving (this one is a 401: no API key).
    try:
        urllib.request.urlopen(f"{url}/authentication/{AUTH_UUID}", timeout=2).close()
    except urllib.error.HTTPError as exc:
        exc.close()
        return True
    except OSError:
        return False
    return True


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop Prism and everything it spawned (npx starts node as a child): the whole group."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


@pytest.fixture(scope="session")
def contract_spec() -> dict[str, Any]:
    """The spec as published (not the strict copy Prism serves)."""
    return load_spec()


@pytest.fixture(scope="session")
def prism_url(
    tmp_path_factory: pytest.TempPathFactory, contract_spec: dict[str, Any]
) -> Iterator[str]:
    """Base URL of a Prism mock of the spec on a free loopback port, for the whole session."""
    workdir = tmp_path_factory.mktemp("prism")
    served_spec = workdir / "ding-openapi.strict.json"
    served_spec.write_text(json.dumps(strict_requests(contract_spec)), encoding="utf-8")
    command = prism_command()
    log_path = workdir / "prism.log"
    for _ in range(3):  # the port may be taken between free_port() and Prism's bind
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with log_path.open("wb") as log:  # a file, not a pipe: Prism logs every request
            process = subprocess.Popen(
                [
                    *command,
                    "mock",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--errors",
                    str(served_spec),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so _stop reaches every child
            )
        try:
            started = time.monotonic()
            while process.poll() is None and not _answers(url):
                if time.monotonic() - started > STARTUP_TIMEOUT:
                    pytest.fail(
                        f"Prism did not answer on {url} within {STARTUP_TIMEOUT:.0f}s:\n"
                        + _tail(log_path),
                        pytrace=False,
                    )
                time.sleep(0.2)
            if process.poll() is None:
                yield url
                return
            if "EADDRINUSE" not in _tail(log_path):
                pytest.fail(
                    f"Prism exited with status {process.returncode}:\n" + _tail(log_path),
                    pytrace=False,
                )
        finally:
            _stop(process)
    pytest.fail("Prism could not bind a free port in 3 tries:\n" + _tail(log_path), pytrace=False)


@pytest.fixture(scope="session")
def decoded(contract_spec: dict[str, Any]) -> Decoded:
    """Checks decoded payloads against the spec's response schemas."""
    return Decoded(contract_spec)


@pytest.fixture
def wire() -> Wire:
    """Records what the test's clients send and receive."""
    return Wire()


@pytest.fixture
def sync_client(prism_url: str, wire: Wire) -> Iterator[ding.Ding]:
    with ding.Ding(
        api_key=API_KEY, server_url=prism_url, trace_configs=[wire.trace_config()]
    ) as client:
        yield client


@pytest.fixture
def async_client(prism_url: str, wire: Wire) -> ding.AsyncDing:
    """Enter it with ``async with`` in the test: its session belongs to the test's loop."""
    return ding.AsyncDing(
        api_key=API_KEY, server_url=prism_url, trace_configs=[wire.trace_config()]
    )
