"""Fixtures of the reliability suite: a scripted loopback server per test (tests/conftest.py
keeps a developer's DING_* and proxy settings out)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._servers import ScriptServer


@pytest.fixture
def server() -> Iterator[ScriptServer]:
    """A raw-socket HTTP server on 127.0.0.1 whose answers the test scripts."""
    with ScriptServer() as srv:
        yield srv
