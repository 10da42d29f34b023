from __future__ import annotations

from enum import Enum


class ValueEnum(str, Enum):
    """A ``str`` enum whose ``str()`` and f-string form is its value (``"valid"``), as the
    wire has it, on every Python version (3.11 changed the default to ``"Cls.MEMBER"``)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)
