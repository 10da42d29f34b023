"""The built documentation site, for the tests that read it.

``nox -s docs`` builds the site with ``mkdocs build --strict`` and passes its directory in
``DING_DOCS_SITE``. Run alone (``pytest tests/docs``), the fixture builds it into a temporary
directory itself; without mkdocs installed the tests fail and say how to get it. They never
skip: a green run means a site was checked.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_ID = re.compile(r'\bid="([^"]+)"')


class Site:
    """A built site: its pages (path relative to the site root -> HTML) and their ids."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages = {
            str(page.relative_to(root)): page.read_text(encoding="utf-8")
            for page in sorted(root.rglob("*.html"))
        }
        self.ids = {html.unescape(i) for text in self.pages.values() for i in _ID.findall(text)}

    def page_with_id(self, anchor: str) -> str:
        for text in self.pages.values():
            if f'id="{anchor}"' in text:
                return text
        raise KeyError(anchor)


def _build(into: Path) -> Path:
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        pytest.fail(
            "the docs tests read the built site: run `nox -s docs`, or set DING_DOCS_SITE to a "
            "site built with `mkdocs build --strict` (pip install mkdocs-material mkdocstrings"
            "[python] ruff)",
            pytrace=False,
        )
    site = into / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stderr[-4000:]}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    given = os.environ.get("DING_DOCS_SITE")
    if given:
        root = Path(given)
        if not (root / "index.html").is_file():
            pytest.fail(f"DING_DOCS_SITE={given!r} holds no built site", pytrace=False)
        yield Site(root)
        return
    workdir = tmp_path_factory.mktemp("docs")
    try:
        yield Site(_build(workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
