"""``RetryConfig`` and ``BackoffStrategy``, at the official client's import path
``ding.utils.retries``. Both are mutable and hashable by identity, as the official ones are.
"""

from __future__ import annotations

import dataclasses

# Both: mutable, compared and hashed by identity (eq=False) as the official classes are, and
# slotted, so that a misspelt attribute is an error rather than a setting silently ignored.


@dataclasses.dataclass(eq=False, slots=True)
class BackoffStrategy:
    """Exponential backoff, as the official client takes it: all times in milliseconds."""

    initial_interval: int
    """First wait before a retry."""
    max_interval: int
    """Longest single wait."""
    exponent: float
    """Growth factor of the wait from one retry to the next."""
    max_elapsed_time: int
    """Start no retry once this much time has passed since the first attempt (the call's
    ``deadline``, 30 s by default, still bounds the whole call)."""


@dataclasses.dataclass(eq=False, slots=True)
class RetryConfig:
    """``RetryConfig("backoff", BackoffStrategy(...), retry_connection_errors)``, or
    ``RetryConfig("none", ...)`` to turn retries off.

    ding still decides *what* is safe to retry (never a second SMS the caller did not ask
    for); this only tunes *how* it waits and for how long. ``max_elapsed_time`` stops
    retrying after that long, within the call's ``deadline`` (which it never extends).
    """

    strategy: str
    """``"backoff"`` to retry with the ``backoff`` settings, ``"none"`` to turn retries off."""
    backoff: BackoffStrategy | None = None
    """How long to wait between attempts, and for how long to keep trying."""
    retry_connection_errors: bool = True
    """Retry when the connection could not be established (DNS, refused, TLS handshake)."""
