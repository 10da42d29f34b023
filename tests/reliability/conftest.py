"""Fixtures of the reliability suite: a scripted loopback server per test, no DING_* settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._servers import ScriptServer


@pytest.fixture
def server() -> Iterator[ScriptServer]:
    """A raw-socket HTTP server on 127.0.0.1 whose answers the test scripts."""
    with ScriptServer() as srv:
        yield srv


@pytest.fixture(autouse=True)
def no_ding_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a developer's DING_* variables from changing what a test constructs."""
    for name in ("DING_API_KEY", "DING_SERVER_URL", "DING_LOG"):
        monkeypatch.delenv(name, raising=False)
