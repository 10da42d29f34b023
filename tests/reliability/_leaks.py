"""Finding a secret where it must not be: the API key (or a piece of it), a phone number, in
every text an exception or a log line turns into."""

from __future__ import annotations

import pickle
import traceback
from collections.abc import Iterator

from ding.models import errors

from ._ops import API_KEY, PHONE

# Pieces of the key: a leak that truncates or re-encodes it should still be caught.
KEY_PIECES = (API_KEY, "SECRETKEY", API_KEY[-12:])
PHONE_DIGITS = PHONE.lstrip("+")  # 14155550123
PHONE_PIECES = (PHONE, PHONE_DIGITS, PHONE_DIGITS[2:9])


def leaks(text: str, pieces: tuple[str, ...] = KEY_PIECES) -> list[str]:
    return [piece for piece in pieces if piece in text]


def texts_of_exception(exc: BaseException) -> Iterator[str]:
    """Every way an exception reaches a log or an error tracker."""
    yield "".join(traceback.format_exception(exc))
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        yield repr(current.args)
        yield repr({k: v for k, v in vars(current).items() if k != "raw_response"})
        current = current.__cause__ or current.__context__
    if isinstance(exc, errors.DingError):
        yield repr(pickle.dumps(exc))
