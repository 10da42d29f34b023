"""Issue 10: code written against the official client runs unchanged on ours.

Runs every snippet of ``snippets/`` (the official README and docs, and the idioms of code
and tests written against ``ding-api-client``) against the fake. A snippet marked ``differs``
shows a behaviour ours changes on purpose: it must still fail, so docs/migrating.md stays
true. (``run_snippets.py`` runs the same set under the official client, outside CI.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ding.testing import FakeDing

from .run_snippets import KEY, load_snippets, run_snippet

SNIPPETS = load_snippets().SNIPPETS


@pytest.fixture(scope="module")
def fake_url() -> Iterator[str]:
    with FakeDing.running(api_keys=[KEY], send_rate_limit=None) as fake:
        yield fake.url


@pytest.mark.parametrize(
    "snippet", [s for s in SNIPPETS if s.differs is None], ids=lambda s: s.name
)
def test_snippet_runs_unchanged(snippet: Any, fake_url: str) -> None:
    error = run_snippet(snippet.code, fake_url, snippet.name)
    assert error is None, f"{snippet.source}: {error}\n{snippet.code}"


@pytest.mark.parametrize(
    "snippet", [s for s in SNIPPETS if s.differs is not None], ids=lambda s: s.name
)
def test_deliberate_difference_is_still_what_the_migration_guide_says(
    snippet: Any, fake_url: str
) -> None:
    error = run_snippet(snippet.code, fake_url, snippet.name)
    assert error is not None, f"documented as differing ({snippet.differs}) but runs"


def test_the_snippet_set_is_large_and_named_uniquely() -> None:
    names = [s.name for s in SNIPPETS]
    assert len(names) == len(set(names))
    assert len(SNIPPETS) >= 150
