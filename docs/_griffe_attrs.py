"""A griffe extension for the API reference: what the generated code and the runtime know.

* attrs classes get their real constructor. griffe reads source code, and an attrs class has
  no ``__init__`` in its source, so the reference would show no signature, and a field
  declared ``name: str = attrs.field(metadata=PHONE)`` would show that call as its value.
  This extension asks attrs itself (``attrs.fields`` on the imported class) and writes what
  the generated ``__init__`` takes: each field with its annotation, keyword-only where attrs
  makes it so, and a default only where there is one (``None``, ``dict()``,
  ``EventType.ATTEMPT``). The field attributes get the same defaults and lose the
  "class-attribute" label: they are instance fields.
* An enum's members become one table (name, value, meaning) in the class's docstring, each
  row keeping the member's anchor, instead of a heading and a signature each.
* ``**options`` shows no default (griffe would say ``{}``).
* An attribute set by ``__init__`` (``self.headers = dict(headers or {})``) shows its type and
  docstring, not the expression: that is source code, not something a reader can use.
"""

from __future__ import annotations

import enum
import importlib
import re
import typing
from typing import Any

import attrs
import griffe


def _runtime_class(cls: griffe.Class) -> type | None:
    try:
        obj: Any = importlib.import_module(cls.module.path)
    except ImportError:
        return None
    for part in cls.path[len(cls.module.path) + 1 :].split("."):
        obj = getattr(obj, part, None)
    return obj if isinstance(obj, type) else None


def _default(field: attrs.Attribute[Any]) -> str | None:
    default = field.default
    if default is attrs.NOTHING:
        return None
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        factory = default.factory
        return f"{getattr(factory, '__name__', 'factory')}()"
    if isinstance(default, enum.Enum):
        return f"{type(default).__name__}.{default.name}"
    return repr(default)


def _converter_parameter(field: attrs.Attribute[Any]) -> str | None:
    """The annotation of a field converter's parameter, as written (``str | uuid.UUID``)."""
    converter = field.converter
    annotations = getattr(converter, "__annotations__", {})
    names = [name for name in annotations if name != "return"]
    return str(annotations[names[0]]) if names else None


def _document_attrs_class(cls: griffe.Class, runtime: type) -> None:
    parameters = [
        griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword),
    ]
    for field in attrs.fields(runtime):
        if not field.init:
            continue
        default = _default(field)
        # Inherited fields (from a private base such as the envelopes') are aliases.
        member = cls.all_members.get(field.name)
        annotation = member.annotation if member is not None and member.is_attribute else None
        # A converter's parameter is what the constructor takes (``str | uuid.UUID``).
        accepted = _converter_parameter(field)
        if accepted is not None:
            annotation = accepted
        kind = (
            griffe.ParameterKind.keyword_only
            if field.kw_only
            else griffe.ParameterKind.positional_or_keyword
        )
        parameters.append(
            griffe.Parameter(
                field.alias or field.name,
                annotation=annotation,
                kind=kind,
                default=default,
                docstring=member.docstring if member is not None else None,
            )
        )
        if field.name in cls.members and isinstance(cls.members[field.name], griffe.Attribute):
            own = cls.members[field.name]
            own.value = default
            own.labels.discard("class-attribute")
            own.labels.add("instance-attribute")
    # Keyword-only parameters go last, whatever the field order.
    parameters.sort(key=lambda p: p.kind is griffe.ParameterKind.keyword_only)
    init = griffe.Function(
        "__init__",
        lineno=0,
        endlineno=0,
        parent=cls,
        parameters=griffe.Parameters(*parameters),
        returns="None",
    )
    cls.set_member("__init__", init)


def _drop_labels(cls: griffe.Class, names: Any) -> None:
    """TypedDict keys are neither class nor instance attributes."""
    for name in names:
        member = cls.members.get(name)
        if isinstance(member, griffe.Attribute):
            member.labels.discard("class-attribute")
            member.labels.discard("instance-attribute")


def _cell(text: str) -> str:
    """A docstring as one table cell: one line, Sphinx roles as code, pipes escaped."""
    text = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", " ".join(text.split()))
    return text.replace("|", "\\|")


def _public_paths(cls: griffe.Class, runtime: type) -> list[str]:
    """The class's path and those of the packages above it that re-export it (the page
    renders ``ding.webhooks.WebhookEventType``, defined in ``ding.webhooks._events``)."""
    paths = [cls.path]
    parts = cls.module.path.split(".")
    for end in range(len(parts) - 1, 0, -1):
        package = importlib.import_module(".".join(parts[:end]))
        if getattr(package, cls.name, None) is runtime:
            paths.append(f"{package.__name__}.{cls.name}")
    return paths


def _enum_table(cls: griffe.Class, runtime: type[enum.Enum]) -> None:
    """The members as one table in the docstring; each row keeps the member's anchor."""
    meanings = {}
    for name in runtime.__members__:
        documented = cls.members.get(name)
        if isinstance(documented, griffe.Attribute):
            meanings[name] = _cell(documented.docstring.value) if documented.docstring else ""
            cls.del_member(name)
    # Two columns, so that the table fits a phone: the member with its value under it, and
    # what it means (or the value, when no member says what it means).
    with_meanings = any(meanings.values())
    rows = ["| member | meaning |" if with_meanings else "| member | value |", "|---|---|"]
    paths = _public_paths(cls, runtime)
    for name, member in runtime.__members__.items():
        anchor = "".join(f'<span id="{path}.{name}"></span>' for path in paths)
        value = f"`{member.value!r}`"
        if with_meanings:
            rows.append(f"| {anchor}`{name}`<br>{value} | {meanings.get(name, '')} |")
        else:
            rows.append(f"| {anchor}`{name}` | {value} |")
    table = "\n".join(rows)
    if cls.docstring is None:
        cls.docstring = griffe.Docstring(table, parent=cls)
    else:
        cls.docstring.value = f"{cls.docstring.value}\n\n{table}"


def _hide_instance_values(cls: griffe.Class) -> None:
    """``otp = AsyncOtp(self._transport)`` is shown as ``otp: AsyncOtp``, and an attribute
    that ``__init__`` sets (``self.headers = dict(headers or {})``) by its type alone: its
    value is whatever the constructor made of its arguments."""
    for member in cls.members.values():
        if not isinstance(member, griffe.Attribute) or member.value is None:
            continue
        if "instance-attribute" not in member.labels and "self._" not in str(member.value):
            continue
        if member.annotation is None and isinstance(member.value, griffe.ExprCall):
            member.annotation = member.value.function
        member.value = None


class AttrsConstructors(griffe.Extension):
    def on_function(self, *, func: griffe.Function, **kwargs: Any) -> None:
        """``**options`` has no default to show (griffe gives it ``{}``)."""
        for parameter in func.parameters:
            if parameter.kind in (
                griffe.ParameterKind.var_keyword,
                griffe.ParameterKind.var_positional,
            ):
                parameter.default = None

    def on_class(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        if not cls.path.startswith("ding"):
            return
        runtime = _runtime_class(cls)
        if runtime is None:
            return
        if attrs.has(runtime) and "__init__" not in cls.members:
            _document_attrs_class(cls, runtime)
        elif issubclass(runtime, enum.Enum):
            _enum_table(cls, runtime)
        elif typing.is_typeddict(runtime):
            _drop_labels(cls, runtime.__annotations__)
        if not attrs.has(runtime):
            _hide_instance_values(cls)
