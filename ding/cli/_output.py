"""What the command line prints: payloads as readable text or JSON."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TextIO

__all__ = ["payload_of", "print_payload", "timed", "to_jsonable"]

_PAYLOAD_FIELDS = (
    "create_authentication_response",
    "create_check_response",
    "feedback_response",
    "retry_authentication_response",
    "authentication_status_response",
    "lookup_response",
)


def payload_of(envelope: Any) -> Any:
    """The typed payload of an operation's envelope."""
    for name in _PAYLOAD_FIELDS:
        if hasattr(envelope, name):
            return getattr(envelope, name)
    raise TypeError(f"not an envelope: {type(envelope).__name__}")


def to_jsonable(payload: Any) -> Any:
    """The payload as plain JSON values (enums as their values, datetimes as ISO 8601)."""
    from ..models._converter import converter  # cattrs: loaded by a command, not by --help

    return converter.unstructure(payload)


def print_payload(payload: Any, out: TextIO, *, as_json: bool, indent: str = "") -> None:
    data = to_jsonable(payload)
    if as_json:
        print(json.dumps(data), file=out)
        return
    _print_readable(data, out, indent)


def _print_readable(data: Any, out: TextIO, indent: str) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            if value is None:
                continue
            if isinstance(value, (dict, list)):
                print(f"{indent}{key}:", file=out)
                _print_readable(value, out, indent + "  ")
            else:
                print(f"{indent}{key}: {value}", file=out)
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict):
                first, *rest = [(k, v) for k, v in item.items() if v is not None] or [("-", "")]
                print(f"{indent}- {first[0]}: {first[1]}", file=out)
                _print_readable(dict(rest), out, indent + "  ")
            else:
                print(f"{indent}- {item}", file=out)
    else:
        print(f"{indent}{data}", file=out)


def timed(step: Callable[[], Any]) -> tuple[Any, float]:
    """Run ``step``; its result and how long it took in milliseconds."""
    started = time.perf_counter()
    result = step()
    return result, (time.perf_counter() - started) * 1000
