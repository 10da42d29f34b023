"""The retry policy: what may be retried, and how long to wait. Pure logic, no I/O.

Whether an outcome may be retried depends on whether the server may already have acted on
the request, and on whether acting twice is harmless (the endpoint is idempotent). Every
POST of this API acts: a send or a retry texts a phone, a check spends one of the user's
attempts, a feedback is stored once. After an outcome where the server may have acted, a
POST is retried only if the caller opted in (``retry_ambiguous``); a GET always is.
"""

# No ``from __future__ import annotations`` here: RetryPolicy's annotations are then types,
# not strings that NamedTuple compiles one by one (typing.ForwardRef): 0.5M instructions of a
# fresh process (callgrind). Every annotation of this module names a built-in or a name
# defined above it.

import enum
import math
import random
from datetime import datetime, timezone
from typing import NamedTuple


class Outcome(enum.Enum):
    """How an attempt failed, as far as retrying is concerned."""

    #: The server did not act on it: never reached (DNS, refused, TLS handshake, a proxy
    #: that would not open the tunnel), or refused before acting (429; 503, which RFC 9110
    #: defines as "currently unable to handle the request" and which load balancers answer
    #: when no server is up; the API's spec documents no other meaning for it).
    SAFE = "safe"
    #: The server may have acted on it (408, 500, 502, 504, read timeout, disconnect).
    AMBIGUOUS = "ambiguous"
    #: Retrying cannot help (other 4xx, certificate verification failure).
    FINAL = "final"


_SAFE_STATUSES = frozenset({429, 503})
_AMBIGUOUS_STATUSES = frozenset({408, 500, 502, 504})


def classify_status(status: int) -> Outcome:
    if status in _SAFE_STATUSES:
        return Outcome.SAFE
    if status in _AMBIGUOUS_STATUSES:
        return Outcome.AMBIGUOUS
    return Outcome.FINAL


class RetryPolicy(NamedTuple):
    """Client-wide (or per-call) retry settings; times in seconds."""

    max_retries: int | None = 2
    """Retries after the first attempt; ``None`` means bounded only by the deadline."""
    initial_interval: float = 0.25
    max_interval: float = 8.0
    exponent: float = 2.0
    retry_after_cap: float = 60.0
    """Longest ``Retry-After`` honoured; a longer one raises instead of sleeping."""
    retry_connection_errors: bool = True
    retry_ambiguous: bool = False
    """Also retry ambiguous outcomes for requests that are not idempotent (every POST): may
    send a second SMS, spend a second check attempt or store a feedback twice."""
    max_elapsed: float | None = None
    """No retry starts once this many seconds have passed since the first attempt (the
    official RetryConfig's ``max_elapsed_time``); the call's deadline still bounds it all."""

    def allows(self, outcome: Outcome, *, idempotent: bool, retries_done: int) -> bool:
        if self.max_retries is not None and retries_done >= self.max_retries:
            return False
        if outcome is Outcome.FINAL:
            return False
        if outcome is Outcome.AMBIGUOUS and not idempotent:
            return self.retry_ambiguous
        return True

    def backoff(self, retries_done: int) -> float:
        """Full jitter: a uniform wait between 0 and the exponential ceiling."""
        ceiling = self.initial_interval
        if self.exponent > 1 and ceiling < self.max_interval:
            # Stop growing at the cap: exponent ** n overflows a float (n ~ 1,024 for 2), and
            # a policy bounded only by a deadline may retry that often with 1 ms intervals.
            to_cap = math.ceil(math.log(self.max_interval / ceiling, self.exponent))
            ceiling *= self.exponent ** min(retries_done, to_cap)
        return random.uniform(0.0, min(ceiling, self.max_interval))


_LONGEST_RETRY_AFTER = 10.0**9
"""Seconds; a longer delta (31 years) is clamped, never turned into an overflow."""


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date), or None.

    Anything else (negative, fractional, exponent, NaN, non-ASCII digits such as "²" or
    "٣", a malformed date) is treated as absent, never raised.
    """
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²".isdigit() is True: ASCII digits only
        # Leading zeros are allowed (RFC 9110: 1*DIGIT): "0000000005" is 5 s.
        digits = value.lstrip("0")
        return float(digits or 0) if len(digits) < 10 else _LONGEST_RETRY_AFTER
    from email.utils import parsedate_to_datetime  # HTTP-dates are rare; keep it off import

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())
