"""Every tool's run over the workload, started together once per session (they mostly wait
on the fake and on timeouts, so they overlap well even on two cores)."""

from __future__ import annotations

from typing import Any

import pytest

from ._matrix import SETUPS, Running


@pytest.fixture(scope="session")
def results() -> dict[str, dict[str, Any]]:
    runs = [Running(setup) for setup in SETUPS]
    return {run.setup.label: run.result() for run in runs}
