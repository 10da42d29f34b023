"""Runtime signatures that spell out the per-call options.

The operations take their options as ``**options: Unpack[CallOptions]``: exact for type
checkers, but at runtime ``inspect.signature`` (and so ``mock.create_autospec``, IDEs and
``help()``) would see a catch-all ``**options`` and accept any keyword. Each operation gets a
``__signature__`` listing the options as keyword-only parameters instead, async and sync
alike. Runs once per class, at import.
"""

from __future__ import annotations

import inspect
from typing import Any

from ._call_settings import CallOptions

__all__ = ["share_signatures", "spell_out_call_options"]


class _ClientDefault:
    """Default of a per-call option in a signature: the client's value applies."""

    def __repr__(self) -> str:
        return "<client default>"


CLIENT_DEFAULT: Any = _ClientDefault()


def spell_out_call_options(*classes: type) -> None:
    options = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=CLIENT_DEFAULT,
            annotation=getattr(kind, "__forward_arg__", kind),
        )
        for name, kind in CallOptions.__annotations__.items()
    ]
    for cls in classes:
        for name, method in vars(cls).items():
            if name.startswith("_") or not inspect.isfunction(method):
                continue
            signature = inspect.signature(method)
            params = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
            if len(params) == len(signature.parameters):
                continue  # no **options to spell out
            function: Any = method  # a function takes any attribute; its stub type does not
            function.__signature__ = signature.replace(parameters=[*params, *options])


def share_signatures(declarations: type, twin: type) -> None:
    """Give each operation of ``declarations`` the signature given to the one of the same name
    in ``twin``: the sync declarations are the async ones without ``await`` (same parameters,
    annotations and defaults; tests/unit/test_sync_declarations.py keeps them so). Reading
    the six again cost a fresh process 0.8M instructions (callgrind)."""
    for name, method in vars(declarations).items():
        if name.startswith("_") or not inspect.isfunction(method):
            continue
        signature = getattr(vars(twin)[name], "__signature__", None)
        if signature is not None:
            function: Any = method  # (see spell_out_call_options)
            function.__signature__ = signature
