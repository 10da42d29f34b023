"""Run the programs in ``examples/`` against ``ding.testing.FakeDing``.

Scripts run as their users run them: a subprocess with the environment variables set.
The web apps are driven through their frameworks' test clients.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import attrs
import pytest

from ding.testing import FakeDing

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
API_KEY = "example-test-key"


@pytest.fixture
def fake() -> Iterator[FakeDing]:
    # Only our key is accepted: proves the examples take it from DING_API_KEY.
    with FakeDing.running(api_keys=[API_KEY]) as server:
        yield server


@pytest.fixture
def ding_env(fake: FakeDing, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """What a user exports before running an example, pointed at the fake."""
    env = {
        "DING_API_KEY": API_KEY,
        "DING_CUSTOMER_UUID": CUSTOMER_UUID,
        "DING_SERVER_URL": fake.url,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@attrs.frozen
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run_example(name: str, *args: str, env: dict[str, str], timeout: float = 60) -> Run:
    """``python examples/<name> args...`` in a fresh interpreter, warnings as errors."""
    pythonpath = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    completed = subprocess.run(
        [sys.executable, "-W", "error", str(EXAMPLES / name), *args],
        env={**os.environ, **env, "PYTHONPATH": pythonpath},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    return Run(completed.returncode, completed.stdout, completed.stderr)


def load_example(name: str) -> ModuleType:
    """Import ``examples/<name>`` as a module (for the web apps' test clients)."""
    module_name = f"example_{Path(name).stem}"
    spec = importlib.util.spec_from_file_location(module_name, EXAMPLES / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # pydantic resolves the models' annotations through it
    spec.loader.exec_module(module)
    return module
