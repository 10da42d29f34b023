"""mkdocs hooks: what the site shows beyond the Markdown.

* The footer names the version being documented, read from the package.
* A code block marked as a fragment says so on the page. The Markdown marks a fragment
  with an HTML comment on the line before its fence (the convention of
  tests/docs/test_code_blocks.py), which no reader sees; on the site the block gets the
  title bar a titled block has, so nobody pastes it expecting a whole program. Done on the
  rendered page, so that fragments in included files (``--8<--``) get it too.
* A name in a table may break after ``_`` or ``.`` only (``max_check_`` / ``attempts``), never
  in the middle of a word: the stylesheet keeps code in tables whole, and this hook puts a
  ``<wbr>`` (a line-break opportunity, not a character) after each ``_`` and ``.`` there.
"""

from __future__ import annotations

import re
from typing import Any

import ding

FRAGMENT_TITLE = "Part of a program, not a whole one"
_FRAGMENT = re.compile(r'(<!-- fragment -->\s*<div class="highlight">)(?!<span class="filename">)')
_TABLE = re.compile(r"<table>.*?</table>", re.S)
_CODE = re.compile(r"(<code>)([^<]*)(</code>)")


def on_config(config: Any, **kwargs: Any) -> Any:
    config["copyright"] = f"ding {ding.__version__} · {config.get('copyright') or ''}".rstrip(" ·")
    return config


def _breakable(table: re.Match[str]) -> str:
    def code(match: re.Match[str]) -> str:
        text = re.sub(r"(?<=[^_.])([_.])(?=[^_.\s])", r"\1<wbr>", match[2])
        return f"{match[1]}{text}{match[3]}"

    return _CODE.sub(code, table[0])


def on_page_content(html: str, **kwargs: Any) -> str:
    html = _FRAGMENT.sub(rf'\1<span class="filename">{FRAGMENT_TITLE}</span>', html)
    return _TABLE.sub(_breakable, html)
