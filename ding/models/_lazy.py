"""Models built on first use, so that ``import ding`` generates no attrs class.

attrs writes and compiles each class's methods when the class is decorated: about half a
millisecond per model, some 15 ms for the models of ``components`` and ``operations``, paid
by every process that imports ``ding`` although one call needs three of them. A module
declares its models as usual, decorated with :meth:`LazyModels.define` (which type checkers
see as ``attrs.define``): the class statement runs at import and only records the class;
attrs turns it into the model the first time its name is looked up on the module (an
attribute access, ``from ... import``, pickle, ``dir``). A union of such models
(``Events = Attempt | Check | ...``) is rebuilt from the built models the same way.

Enums are declared lazily too, on a base from :meth:`LazyModels.enum_base` (which type
checkers see as the enum's real base): defining an enum costs some 60,000 instructions per
member, and the enums of ``components`` were a third of what ``import ding.models`` ran, for
enums one call does not use. An enum that a declaration uses at import (a field's default, a
rule) is declared on its real base instead. Another name for a lazy enum (``Status = ...``)
follows it.

The model a user gets is exactly what ``attrs.define`` returns for the declaration: one class
per name, built once (under a lock) and then an ordinary module attribute. Before it is
built, a model's dependencies are built too (the models its annotations name), so
``typing.get_type_hints`` and cattrs resolve its annotations in the module as usual.
"""

from __future__ import annotations

import functools
import operator
import re
import sys
import threading
import types
import typing
from collections.abc import Callable, MutableMapping
from enum import Enum
from typing import Any, TypeVar

import attrs

T = TypeVar("T", bound=type)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# One lock for every module: a model may name models of another module in its annotations.
_LOCK = threading.RLock()


class LazyModels:
    """The models of one module, declared at import and built with attrs on first use."""

    def __init__(self, module: str, **options: Any) -> None:
        """``options``: for ``attrs.define``, the same for every model of the module."""
        self._module = module
        self._options = options
        self._declared: dict[str, type] = {}  # name -> the class statement's class
        self._unions: dict[str, tuple[Any, ...]] = {}  # name -> members, declared classes
        self._aliases: dict[str, str] = {}  # other name -> the declared name it stands for
        self._enum_bases: dict[type, type[Enum]] = {}  # declaration base -> real enum base
        self._building: set[str] = set()

    def define(self, cls: T) -> T:
        """Record a model declaration; ``attrs.define`` runs on it when it is first used."""
        if any(base in self._declared.values() for base in cls.__bases__):
            raise TypeError(f"{cls.__name__}: a base of a model must be built at import")
        self._declared[cls.__name__] = cls
        return cls

    def enum_base(self, base: type[Enum]) -> type:
        """The base of enum declarations built on first use as subclasses of ``base``: the
        class statement makes a plain class and records it."""
        declare = self.define

        class EnumDeclaration:
            __slots__ = ()

            def __init_subclass__(cls) -> None:
                declare(cls)

        self._enum_bases[EnumDeclaration] = base
        return EnumDeclaration

    def finish(
        self, namespace: MutableMapping[str, Any]
    ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
        """Take the declarations (and unions of them) out of the module's ``namespace``; give
        the module's ``__getattr__`` and ``__dir__``, which build them on first use."""
        declared = set(self._declared.values())
        for name, value in list(namespace.items()):
            if isinstance(value, types.UnionType) and declared & set(typing.get_args(value)):
                self._unions[name] = typing.get_args(value)
                del namespace[name]
            elif isinstance(value, type) and value in declared and name != value.__name__:
                self._aliases[name] = value.__name__
                del namespace[name]
        for name in self._declared:
            del namespace[name]

        def __getattr__(name: str) -> Any:
            if name in self._declared or name in self._unions or name in self._aliases:
                return self._build(name)
            raise AttributeError(f"module {self._module!r} has no attribute {name!r}")

        def __dir__() -> list[str]:
            return sorted({*namespace, *self._declared, *self._unions, *self._aliases})

        return __getattr__, __dir__

    def _build(self, name: str) -> Any:
        with _LOCK:
            namespace = vars(sys.modules[self._module])
            if name in namespace:
                return namespace[name]  # another thread built it meanwhile
            self._building.add(name)
            try:
                if name in self._unions:
                    members = [self._built(member) for member in self._unions[name]]
                    value: Any = functools.reduce(operator.or_, members)
                elif name in self._aliases:
                    value = self._build(self._aliases[name])
                else:
                    declaration = self._declared[name]
                    enum_base = self._enum_bases.get(declaration.__bases__[0])
                    if enum_base is not None:
                        value = _enum(declaration, enum_base)
                    else:
                        for needed in self._named_in_annotations(declaration):
                            self._build(needed)
                        value = attrs.define(declaration, **self._options)
            finally:
                self._building.discard(name)
            namespace[name] = value
            return value

    def _built(self, member: Any) -> Any:
        if isinstance(member, type) and self._declared.get(member.__name__) is member:
            return self._build(member.__name__)
        return member

    def _named_in_annotations(self, declaration: type) -> list[str]:
        """The other lazy names of this module that ``declaration``'s annotations mention."""
        names = []
        for annotation in vars(declaration).get("__annotations__", {}).values():
            for word in _NAME.findall(str(annotation)):
                lazy = word in self._declared or word in self._unions or word in self._aliases
                if lazy and word != declaration.__name__ and word not in self._building:
                    names.append(word)
        return names


def _enum(declaration: type, base: type[Enum]) -> type[Enum]:
    """The enum the class statement of ``declaration`` makes when its base is ``base``."""
    metaclass: Any = type(base)  # EnumType: called as a class statement calls it
    namespace = metaclass.__prepare__(declaration.__name__, (base,))
    for key, value in vars(declaration).items():
        if key not in ("__dict__", "__weakref__"):
            namespace[key] = value  # in the statement's order: its members' order
    enum: type[Enum] = metaclass(declaration.__name__, (base,), namespace)
    return enum
