"""Where a cattrs structuring failure happened, in the words of a ``ValidationError``.

cattrs reports a wrong shape as a tree of exception groups whose notes name the attribute
(or list index) at each level: ``Structuring class X @ attribute y``. Callers want one line:
the dotted path to the first bad value and what was wrong with it.
"""

from __future__ import annotations

import re

_WHERE = re.compile(r"@ (?:attribute|index|key) (\S+)")


def first_failure(exc: BaseException) -> tuple[str, BaseException]:
    """``(path, leaf)``: the dotted path (``""`` at the top) to the first failing value and
    the exception raised there."""
    parts: list[str] = []
    while True:
        inner = getattr(exc, "exceptions", None)  # an exception group (a backport on 3.10)
        if not inner:
            return ".".join(parts), exc
        exc = inner[0]
        for note in getattr(exc, "__notes__", ()):
            found = _WHERE.search(str(note))
            if found:
                parts.append(found.group(1))
                break


def expected_and_got(leaf: BaseException) -> tuple[str, str | None]:
    """What the value should have been and, when known, what it was."""
    if isinstance(leaf, KeyError):
        return "a value (the field is required)", "nothing"
    message = str(leaf)
    if message.startswith("expected "):  # our hooks' own wording: "expected X, got Y"
        expected, sep, got = message[len("expected ") :].partition(", got ")
        return expected, (got if sep else None)
    return f"a valid value ({type(leaf).__name__}: {message})", None


def describe_failure(exc: BaseException) -> str:
    """One line for a log or an error message: ``path: expected X, got Y``."""
    path, leaf = first_failure(exc)
    expected, got = expected_and_got(leaf)
    text = f"{path or 'value'}: expected {expected}"
    return text if got is None else f"{text}, got {got}"
