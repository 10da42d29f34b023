from __future__ import annotations

from collections.abc import Iterator

import pytest

from ding.testing import FakeDing


@pytest.fixture
def fake() -> Iterator[FakeDing]:
    """A fake served from its own thread: usable by sync and async tests alike."""
    with FakeDing.running() as fake:
        yield fake
