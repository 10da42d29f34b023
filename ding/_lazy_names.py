"""A package's public names, imported on first use (PEP 562 ``__getattr__`` / ``__dir__``).

``ding`` and ``ding.testing`` declare where each name lives; the module that holds it is
imported when the name is first read, then the name is an ordinary attribute. So
``import ding`` runs no more than its ``__init__`` and this, and the pytest plugin does not
load the fake's server.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Mapping

__all__ = ["lazy_names"]


def lazy_names(
    package: str, names: Mapping[str, str], submodules: Collection[str] = ()
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: ``names`` maps each public name to
    the (relative) module that defines it; ``submodules`` are reachable as attributes."""

    def __getattr__(name: str) -> object:
        import importlib  # not needed by `import ding` itself

        where = names.get(name)
        if where is not None:
            value = getattr(importlib.import_module(where, package), name)
            setattr(sys.modules[package], name, value)  # later uses are plain attribute reads
            return value
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *names, *submodules})

    return __getattr__, __dir__
