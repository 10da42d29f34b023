"""Issue 18 items 5 and 6: what the built site says, not only that a name has an anchor.

Every operation, sync and async, with its signature, parameters, return, raises and an
example; error attributes with their types and meanings and no source text; enum members
as table rows, each ``Code`` with its meaning; no hook of pytest's; fragments labelled on
the page; console prompts kept out of what the copy button copies; names in tables whole.
"""

from __future__ import annotations

import enum
import html
import inspect
import re
from pathlib import Path

import pytest

import ding
from ding._resources import AsyncLookup, AsyncOtp
from ding.models import components, errors, operations

from .conftest import Site
from .test_code_blocks import BLOCKS

REPO = Path(__file__).resolve().parents[2]
OPERATIONS = [
    (public, cls, name)
    for public, cls in (
        ("ding.Otp", ding.Otp),
        ("ding.Lookup", ding.Lookup),
        ("ding._resources.AsyncOtp", AsyncOtp),
        ("ding._resources.AsyncLookup", AsyncLookup),
    )
    for name, function in vars(cls).items()
    if inspect.isfunction(function) and not name.startswith("_")
]


def _text(fragment: str) -> str:
    fragment = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _signature(section: str) -> str:
    """The signature shown at the top of a section, without spaces (``request:CreateCheck...``)."""
    found = re.search(r'<div class="doc-signature highlight">(.*?)</div>', section, re.S)
    assert found is not None, f"no signature in {_text(section)[:200]}"
    return "".join(_text(found.group(1)).split())


def _section(site: Site, anchor: str) -> str:
    """The HTML of the object documented under ``anchor``, up to the next object."""
    page = site.page_with_id(anchor)
    start = page.index(f'id="{anchor}"')
    following = re.search(r'<div class="doc doc-object ', page[start:])
    return page[start : start + following.start() if following else len(page)]


def test_there_are_sync_and_async_operations_to_check() -> None:
    assert len(OPERATIONS) == 12


@pytest.mark.parametrize(("owner", "cls", "name"), OPERATIONS, ids=lambda v: str(v))
def test_every_operation_is_documented_in_full(
    site: Site, owner: str, cls: type, name: str
) -> None:
    section = _section(site, f"{owner}.{name}")
    shown = _signature(section)
    for parameter in list(inspect.signature(vars(cls)[name]).parameters.values())[1:]:
        if parameter.kind is parameter.KEYWORD_ONLY:
            break  # the options, shown as **options: Unpack[CallOptions]
        assert f"{parameter.name}:" in shown, shown
    assert "**options:Unpack[CallOptions]" in shown
    text = _text(section)
    summary = (vars(cls)[name].__doc__ or "").splitlines()[0]
    assert summary and summary in text
    for heading in ("Parameters:", "Returns:", "Raises:", "Example:"):
        assert heading in text, f"{owner}.{name}: no {heading}"
    example = f"client.{'lookup' if 'Lookup' in owner else 'otp'}.{name}("
    assert example in "".join(text.split())


def test_no_internal_constructor_for_the_resources(site: Site) -> None:
    for anchor in ("ding.Otp", "ding.Lookup", "ding._resources.AsyncOtp"):
        heading = _section(site, anchor)[:3000]
        assert "runner" not in _text(heading) and "transport" not in _text(heading), anchor


def test_error_attributes_show_their_type_and_meaning_not_source(site: Site) -> None:
    page = site.page_with_id("ding.models.errors.SDKError")
    for attribute, kind in [
        ("SDKError.status_code", "int"),
        ("SDKError.body", "str"),
        ("SDKError.raw_response", "RawResponse | None"),
        ("SDKError.headers", "dict[str, str]"),
        ("SDKError.retry_after", "float | None"),
        ("ErrorResponse.code", "Code | str | None"),
        ("ErrorResponse.message", "str"),
        ("ErrorResponse.doc_url", "str | None"),
        ("ValidationError.field", "str"),
        ("ValidationError.expected", "str"),
        ("DingError.attempts", "int"),
    ]:
        section = _section(site, f"ding.models.errors.{attribute}")
        name = attribute.split(".")[1]
        assert _signature(section) == f"{name}:{kind.replace(' ', '')}"  # no value shown
        assert len(_text(section)) > len(name) + 40, f"{attribute}: no meaning"
    visible = _text(page)
    for source in ("message or", "dict(headers", "self.", "code.value"):
        assert source not in visible


def test_enum_members_are_rows_of_one_table(site: Site) -> None:
    enums = [
        (f"{module.__name__}.{name}", getattr(module, name))
        for module in (components, operations, errors)
        for name in module.__all__
        if isinstance(getattr(module, name), type)
        and issubclass(getattr(module, name), enum.Enum)
        and getattr(module, name).__name__ == name
    ]
    assert len(enums) >= 12
    for path, cls in enums:
        page = site.page_with_id(path)
        for member in cls.__members__:
            assert f'<span id="{path}.{member}"></span>' in page, f"{path}.{member}"
            assert not re.search(rf'<h\d id="{re.escape(path)}\.{member}"', page), member


def test_every_code_has_its_meaning_on_the_site(site: Site) -> None:
    page = site.page_with_id("ding.models.errors.Code")
    for name in errors.Code.__members__:
        row = re.search(
            rf'<tr>\s*<td><span id="ding\.models\.errors\.Code\.{name}">.*?</tr>', page, re.S
        )
        assert row is not None, name
        cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
        assert len(cells) == 2 and len(_text(cells[1])) > 10, (name, cells)


def test_the_version_is_documented(site: Site) -> None:
    assert ding.__version__ in _text(_section(site, "ding.__version__"))


def test_no_pytest_hook_or_maintainer_note_on_the_site(site: Site) -> None:
    for page, text in site.pages.items():
        if page.startswith(("assets/", "search/", "changelog/")):
            continue
        visible = _text(text)
        assert "pytest_configure" not in visible, page
        assert not re.search(r"tests/\w+\.py|DESIGN\.md|\bnox -s\b", visible), page


def test_every_fragment_is_labelled_on_its_page(site: Site) -> None:
    fragments = [block for block in BLOCKS if block.fragment and block.path != "README.md"]
    assert len(fragments) > 10
    labelled = sum(
        page.count('<!-- fragment -->\n<div class="highlight"><span class="filename">')
        for page in site.pages.values()
    )
    unlabelled = sum(
        len(re.findall(r'<!-- fragment -->\s*<div class="highlight"><pre', page))
        for page in site.pages.values()
    )
    assert unlabelled == 0
    assert labelled == len(fragments)


def test_the_copy_button_leaves_console_prompts_out(site: Site) -> None:
    css = (site.root / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert re.search(
        r"\[data-md-copying\] \.gp,\s*\[data-md-copying\] \.go \{\s*display: none", css
    )
    blocks = [
        block
        for page in site.pages.values()
        for block in re.findall(r"<pre><span></span><code>(.*?)</code></pre>", page, re.S)
        if re.search(r"^(<[^>]+>)*\$ ", block, re.M)
    ]
    assert len(blocks) >= 3  # the command-line and webhooks pages' sessions
    for block in blocks:
        prompts = re.findall(r"^(?:<[^>]+>)*\$ ", block, re.M)
        assert len(re.findall(r'^<span class="gp">\$ </span>', block, re.M)) == len(prompts)


def test_names_in_tables_break_only_between_words(site: Site) -> None:
    page = site.pages["testing/index.html"]
    assert "<code>max_<wbr>check_<wbr>attempts</code>" in page
    css = (site.root / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert "word-break: keep-all" in css
