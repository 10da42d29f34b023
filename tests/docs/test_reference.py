"""The API reference names every public name, with its members.

The names are found at run time, not listed here: every public module of the package
(``ding``, ``ding.models.*``, ``ding.utils``, ``ding.testing``, ``ding.webhooks``, the official
client's paths ``ding.sdk``, ``ding.otp``, ``ding.lookup``, ``ding.sdkconfiguration`` and
``ding.utils.retries``, and any public module added later), each module's ``__all__`` (or its public attributes), and for each class its fields,
enum values, TypedDict keys, methods, properties and, for exceptions, the attributes set
from the constructor. A name is documented when the built site has an anchor for it, under
any public path of the same object (``ding.components`` is ``ding.models.components``) or,
for a member, under the public class it is inherited from.
"""

from __future__ import annotations

import enum
import html
import importlib
import inspect
import pkgutil
import re
import types
import typing
from collections.abc import Iterator
from typing import Any

import attrs

import ding

from .conftest import Site

# Public modules documented elsewhere than in the API reference, and why.
NOT_IN_REFERENCE = {
    "ding.cli": "the command line, documented as such in docs/cli.md",
    "ding.__main__": "`python -m ding`, the same command line",
}


def public_modules() -> list[types.ModuleType]:
    found = [ding]
    for info in pkgutil.walk_packages(ding.__path__, "ding."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        if info.name in NOT_IN_REFERENCE:
            continue
        found.append(importlib.import_module(info.name))
    return found


def _is_ding_module(obj: object) -> bool:
    return isinstance(obj, types.ModuleType) and obj.__name__.split(".")[0] == "ding"


def public_names(module: types.ModuleType) -> list[str]:
    declared = getattr(module, "__all__", None)
    if declared is not None:
        return list(declared)
    names = []
    for name, obj in vars(module).items():
        if name.startswith("_"):
            continue
        if isinstance(obj, types.ModuleType):
            if _is_ding_module(obj):
                names.append(name)
            continue
        origin = getattr(obj, "__module__", None) or ""
        if origin.split(".")[0] == "ding":
            names.append(name)
    return names


def _has_identity(obj: object) -> bool:
    """Objects whose identity says "the same thing" (unlike equal strings or numbers)."""
    return isinstance(obj, (type, types.ModuleType)) or callable(obj)


def _index() -> dict[int, set[str]]:
    """id(object) -> every public dotted path that reaches it."""
    paths: dict[int, set[str]] = {}
    for module in public_modules():
        paths.setdefault(id(module), set()).add(module.__name__)
        for name in public_names(module):
            obj = getattr(module, name)
            if _has_identity(obj):
                paths.setdefault(id(obj), set()).add(f"{module.__name__}.{name}")
    return paths


PATHS = _index()


def paths_of(obj: object, path: str) -> set[str]:
    return PATHS.get(id(obj), set()) | {path} if _has_identity(obj) else {path}


def _lineage(cls: type) -> list[type]:
    """The class and the ding classes it inherits members from."""
    if typing.is_typeddict(cls):
        bases: list[type] = [cls]
        for base in getattr(cls, "__orig_bases__", ()):
            if typing.is_typeddict(base):
                bases += _lineage(base)
        return bases
    return [c for c in cls.__mro__ if c.__module__.split(".")[0] == "ding"]


def members(cls: type) -> list[str]:
    """The public members a reader of ``cls``'s reference must find."""
    if issubclass(cls, enum.Enum):
        return list(cls.__members__)
    if typing.is_typeddict(cls):
        return list(cls.__annotations__)
    names: list[str] = []
    if attrs.has(cls):
        names += [field.name for field in attrs.fields(cls)]
    for owner in _lineage(cls):
        names += [
            name
            for name in vars(owner)
            if not name.startswith("_") and not isinstance(vars(owner)[name], type)
        ]
        names += [name for name in vars(owner).get("__annotations__", {}) if name[0] != "_"]
    init = next((vars(c)["__init__"] for c in _lineage(cls) if "__init__" in vars(c)), None)
    if issubclass(cls, BaseException) and init is not None:
        # Exceptions keep every constructor argument as an attribute of the same name.
        names += [
            p.name
            for p in list(inspect.signature(init).parameters.values())[1:]
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
    return list(dict.fromkeys(names))


def _own_path(cls: type) -> str:
    """Where a class is defined: the anchor of a private base documented once, such as the
    helpers every model inherits (a member documented there is documented for all)."""
    return f"{cls.__module__}.{cls.__qualname__}"


def required_anchors() -> Iterator[tuple[str, set[str]]]:
    """(what, the anchors any one of which documents it)."""
    for module in public_modules():
        for name in public_names(module):
            obj = getattr(module, name)
            path = f"{module.__name__}.{name}"
            if isinstance(obj, types.ModuleType):
                continue  # its own names are required when the walk reaches it
            yield path, paths_of(obj, path)
            if isinstance(obj, type):
                for member in members(obj):
                    owners = [
                        p
                        for owner in _lineage(obj)
                        for p in paths_of(owner, path if owner is obj else _own_path(owner))
                    ]
                    yield f"{path}.{member}", {f"{owner}.{member}" for owner in owners}


REQUIRED = sorted(required_anchors())


def test_the_walk_finds_the_public_surface() -> None:
    # A guard on the discovery itself: if it broke, every other check would pass vacuously.
    names = {what for what, _ in REQUIRED}
    for expected in (
        "ding.AsyncDing",
        "ding.ClientOptions.connection_limit",
        "ding.models.components.CheckStatus.ALREADY_VALIDATED",
        "ding.models.errors.Code.INVALID_PHONE_NUMBER",
        "ding.models.errors.SDKError.raw_response",
        "ding.models.operations.CheckResponse.raw_response",
        "ding.models.operations.CheckResponse.status_code",
        "ding.models.components.Signals.ip",
        "ding.utils.BackoffStrategy.max_elapsed_time",
        "ding.utils.RetryConfig.strategy",
        "ding.testing.FakeDing.fail_next",
        "ding.testing.pytest_plugin.fake_ding",
        "ding.testing.pytest_plugin.webhook_receiver",
        "ding.webhooks.parse_event",
        "ding.webhooks.AttemptEvent.attempt_number",
        "ding.webhooks.CallbackToken.verify",
        "ding.webhooks.RecentEventIds.add",
        "ding.sdkconfiguration.SERVERS",
        "ding.utils.retries.BackoffStrategy.exponent",
        "ding.otp.Otp.check",
        "ding.__version__",
    ):
        assert expected in names
    assert len(names) > 300


def test_every_public_name_is_in_the_reference(site: Site) -> None:
    missing = [what for what, anchors in REQUIRED if not anchors & site.ids]
    assert not missing, (
        f"{len(missing)} public names have no entry in the built docs (render their module "
        "in docs/reference/, or add them to NOT_IN_REFERENCE with a reason):\n  "
        + "\n  ".join(missing)
    )


def _signature_text(site: Site, anchor: str) -> str:
    page = site.page_with_id(anchor)
    start = page.index(f'id="{anchor}"')
    block = re.search(r'<div class="doc-signature highlight">(.*?)</div>', page[start:], re.S)
    assert block is not None, f"no signature rendered for {anchor}"
    return html.unescape(re.sub(r"<[^>]+>", "", block.group(1)))


def _attrs_models() -> Iterator[tuple[str, type]]:
    for what, _ in REQUIRED:
        module_name, _, name = what.rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # a member path, not a module-level name
        obj = getattr(module, name)
        if isinstance(obj, type) and attrs.has(obj) and obj.__module__ == module.__name__:
            yield what, obj


def _is_required(field: attrs.Attribute[Any]) -> bool:
    return field.default is attrs.NOTHING


def _parameters(signature: str) -> dict[str, str]:
    """``Name(*, a: int, b: str | None = None)`` -> {"a": "a: int", "b": "b: str | None = None"}."""
    inner = signature[signature.index("(") + 1 : signature.rindex(")")]
    parts, depth, current = [], 0, ""
    for char in inner:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    shown = [" ".join(part.split()) for part in parts]
    return {part.split(":")[0].split("=")[0].strip(): part for part in shown if part}


def test_model_signatures_show_required_fields_without_a_default(site: Site) -> None:
    checked = 0
    wrong = []
    for path, cls in _attrs_models():
        shown = _parameters(_signature_text(site, path))
        for field in attrs.fields(cls):
            if not field.init:
                continue
            parameter = shown.get(field.alias or field.name)
            if parameter is None or ":" not in parameter:
                wrong.append(f"{path}: {field.name} has no annotated parameter in {shown}")
                continue
            if ("=" in parameter) == _is_required(field):
                wrong.append(f"{path}: {field.name} shown as {parameter!r}")
            checked += 1
    assert checked > 50
    assert not wrong, "\n".join(wrong)


def test_constructor_docstrings_document_every_parameter(site: Site) -> None:
    """A constructor whose docstring describes parameters renders each as its own entry."""
    checked = []
    for path, anchors in REQUIRED:
        module_name, _, name = path.rpartition(".")
        try:
            obj = getattr(importlib.import_module(module_name), name)
        except (ImportError, AttributeError):
            continue
        if not isinstance(obj, type) or attrs.has(obj):
            continue  # attrs models: each field is documented as an attribute
        init = vars(obj).get("__init__")
        if init is None or not init.__doc__:
            continue
        page = site.page_with_id(next(iter(anchors & site.ids)))
        start = page.index(f'id="{next(iter(anchors & site.ids))}"')
        section = page[start : start + 200_000]
        for parameter in list(inspect.signature(init).parameters)[1:]:
            entry = re.search(rf"<code>{parameter}</code>\s*</b>", section)
            assert entry is not None, f"{path}({parameter}=...) has no entry of its own"
        checked.append(path)
    assert "ding.testing.FakeDing" in checked


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_user_docs_name_no_internals(site: Site) -> None:
    """No private module (``ding._resources``, ``_fields``) and no note to maintainers."""
    leaks = {}
    for page, text in site.pages.items():
        visible = _visible_text(text)
        found = re.findall(r"ding(?:\.\w+)*\._(?!_)\w+", visible)
        found += ["DESIGN"] if "DESIGN" in visible else []
        if page.startswith("reference/"):
            found += re.findall(r"<code>(_[a-z]\w*)", text)
        if found:
            leaks[page] = sorted(set(found))
    assert not leaks, f"internal names in the built docs: {leaks}"


def test_version_and_license_on_every_page(site: Site) -> None:
    footer = f"ding {ding.__version__}"
    for page, text in site.pages.items():
        if page.startswith(("assets/", "search/")):
            continue
        assert footer in text and "MIT License" in text, page


def test_site_url_makes_the_sitemap_and_the_404_page_work(site: Site) -> None:
    sitemap = (site.root / "sitemap.xml").read_text(encoding="utf-8")
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    # One entry per page, absolute: mkdocs writes none without site_url.
    assert len(urls) == len([p for p in site.pages if p.endswith("index.html")])
    base = urls[0]
    assert base.startswith("https://") and all(url.startswith(base) for url in urls)
    # The 404 page is served at any depth, so its assets need the site's absolute path.
    not_found = site.pages["404.html"]
    prefix = "/" + base.split("/", 3)[3]
    assert re.search(rf'href="{re.escape(prefix)}assets/stylesheets/', not_found)


def test_the_changelog_troubleshooting_and_repository_are_on_the_site(site: Site) -> None:
    changelog = _visible_text(site.pages["changelog/index.html"])
    # The headings are links (Keep a Changelog's reference links), so the brackets are gone.
    assert "Unreleased" in changelog and re.search(r"\d+\.\d+\.\d+ - \d{4}-\d\d-\d\d", changelog)
    assert "Troubleshooting" in _visible_text(site.pages["troubleshooting/index.html"])
    assert re.search(
        r'<a href="https://github.com/[^"]+"[^>]*class="md-source"', site.pages["index.html"]
    )
