"""``Record``: the base of the client's small internal settings records.

They are plain slotted classes rather than attrs ones: each is built once per client (or per
call with options), and defining one with attrs would cost ``import ding`` about a
millisecond of code generation apiece. A record is immutable: change one with ``replace``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing_extensions import Self


class Record:
    """Slots named as the ``__init__`` parameters; a field repr; ``replace``; read-only."""

    __slots__ = ()
    _hidden: ClassVar[frozenset[str]] = frozenset()
    """Fields the repr leaves out (a credential)."""

    def _fields(self) -> tuple[str, ...]:
        names: tuple[str, ...] = self.__slots__  # a subclass's: its __init__ parameters
        return names

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied (as ``attrs.evolve`` or ``dataclasses.replace``)."""
        values = {name: getattr(self, name) for name in self._fields()}
        unknown = changes.keys() - values.keys()
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        values.update(changes)
        return type(self)(**values)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only; use replace()")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt through __init__ (copy and pickle would otherwise set the slots directly).
        return _rebuild, (type(self), {name: getattr(self, name) for name in self._fields()})

    def __repr__(self) -> str:
        shown = (f"{n}={getattr(self, n)!r}" for n in self._fields() if n not in self._hidden)
        return f"{type(self).__name__}({', '.join(shown)})"


def _rebuild(cls: type[Record], values: dict[str, Any]) -> Record:
    return cls(**values)


set_field = object.__setattr__
"""How a record's ``__init__`` sets its fields (``Record.__setattr__`` refuses)."""
