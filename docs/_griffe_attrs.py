"""A griffe extension for the API reference: attrs classes get their real constructor.

griffe reads source code, and an attrs class has no ``__init__`` in its source, so the
reference would show no signature, and a field declared ``name: str = uuid_field()`` would
look optional (its default is a validator helper, not a value). This extension asks attrs
itself (``attrs.fields`` on the imported class) and writes what the generated ``__init__``
takes: each field with its annotation, keyword-only where attrs makes it so, and a default
only where there is one (``None``, ``dict()``, ``EventType.ATTEMPT``). Required fields have
none. The field attributes get the same defaults and lose the "class-attribute" label:
they are instance fields.
"""

from __future__ import annotations

import enum
import importlib
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


def _required_markers() -> tuple[Any, ...]:
    # ding's request models default required fields to a marker, so that leaving one out is
    # a ValidationError naming it; to a reader the field simply has no default.
    markers: list[Any] = [attrs.NOTHING]
    try:
        fields = importlib.import_module("ding.models._fields")
    except ImportError:
        return tuple(markers)
    if hasattr(fields, "REQUIRED"):
        markers.append(fields.REQUIRED)
    return tuple(markers)


def _default(field: attrs.Attribute[Any], required: tuple[Any, ...]) -> str | None:
    default = field.default
    if any(default is marker for marker in required):
        return None
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        factory = default.factory
        return f"{getattr(factory, '__name__', 'factory')}()"
    if isinstance(default, enum.Enum):
        return f"{type(default).__name__}.{default.name}"
    return repr(default)


def _document_attrs_class(cls: griffe.Class, runtime: type, required: tuple[Any, ...]) -> None:
    parameters = [
        griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword),
    ]
    for field in attrs.fields(runtime):
        if not field.init:
            continue
        default = _default(field, required)
        # Inherited fields (from a private base such as the envelopes') are aliases.
        member = cls.all_members.get(field.name)
        annotation = member.annotation if member is not None and member.is_attribute else None
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
    """Enum values and TypedDict keys are neither class nor instance attributes."""
    for name in names:
        member = cls.members.get(name)
        if isinstance(member, griffe.Attribute):
            member.labels.discard("class-attribute")
            member.labels.discard("instance-attribute")


def _hide_private_values(cls: griffe.Class) -> None:
    """``otp = AsyncOtp(self._transport)`` is shown as ``otp: AsyncOtp``, and a field a plain
    class's ``__init__`` sets from its parameter (``self.strategy = strategy``) as
    ``strategy: str``: its value is whatever was passed."""
    init = cls.members.get("__init__")
    parameters = {p.name for p in init.parameters} if isinstance(init, griffe.Function) else set()
    for member in cls.members.values():
        if not isinstance(member, griffe.Attribute) or member.value is None:
            continue
        if str(member.value) == member.name and member.name in parameters:
            member.value = None
            continue
        if "self._" not in str(member.value):
            continue
        if member.annotation is None and isinstance(member.value, griffe.ExprCall):
            member.annotation = member.value.function
        member.value = None


class AttrsConstructors(griffe.Extension):
    def __init__(self) -> None:
        self._required = _required_markers()

    def on_class(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        if not cls.path.startswith("ding"):
            return
        runtime = _runtime_class(cls)
        if runtime is None:
            return
        if attrs.has(runtime) and "__init__" not in cls.members:
            _document_attrs_class(cls, runtime, self._required)
        elif issubclass(runtime, enum.Enum):
            _drop_labels(cls, runtime.__members__)
        elif typing.is_typeddict(runtime):
            _drop_labels(cls, runtime.__annotations__)
        _hide_private_values(cls)
