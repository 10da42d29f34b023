"""mkdocs hooks: what the site shows beyond the Markdown.

* The footer names the version being documented, read from the package.
* A code block marked as a fragment says so on the page. The Markdown marks a fragment
  with an HTML comment on the line before its fence (the convention of
  tests/docs/test_code_blocks.py), which no reader sees; on the site the block gets a title
  instead, so nobody pastes it expecting a whole program.
* A name in a table may break after ``_`` or ``.`` only (``max_check_`` / ``attempts``), never
  in the middle of a word: the stylesheet keeps code in tables whole, and this hook puts a
  ``<wbr>`` (a line-break opportunity, not a character) after each ``_`` and ``.`` there.
"""

from __future__ import annotations

import re
from typing import Any

import ding

FRAGMENT_TITLE = "Part of a program, not a whole one"
_TABLE = re.compile(r"<table>.*?</table>", re.S)
_CODE = re.compile(r"(<code>)([^<]*)(</code>)")
_FRAGMENT = re.compile(
    r"^(?P<indent>[ \t]*)<!-- fragment -->\n(?P=indent)(?P<fence>```+)python[ \t]*$", re.M
)


def on_config(config: Any, **kwargs: Any) -> Any:
    config["copyright"] = f"ding {ding.__version__} · {config.get('copyright') or ''}".rstrip(" ·")
    return config


def _titled(match: re.Match[str]) -> str:
    indent, fence = match["indent"], match["fence"]
    return f'{indent}<!-- fragment -->\n{indent}{fence}python title="{FRAGMENT_TITLE}"'


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    return _FRAGMENT.sub(_titled, markdown)


def _breakable(table: re.Match[str]) -> str:
    def code(match: re.Match[str]) -> str:
        text = re.sub(r"(?<=[^_.])([_.])(?=[^_.\s])", r"\1<wbr>", match[2])
        return f"{match[1]}{text}{match[3]}"

    return _CODE.sub(code, table[0])


def on_page_content(html: str, **kwargs: Any) -> str:
    return _TABLE.sub(_breakable, html)
