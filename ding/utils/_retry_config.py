from __future__ import annotations

import attrs


@attrs.define
class BackoffStrategy:
    """Exponential backoff, as the official client takes it: all times in milliseconds."""

    initial_interval: int
    """First wait before a retry."""
    max_interval: int
    """Longest single wait."""
    exponent: float
    """Growth factor of the wait from one retry to the next."""
    max_elapsed_time: int
    """Give up retrying once this much time has passed since the first attempt."""


@attrs.define
class RetryConfig:
    """``RetryConfig("backoff", BackoffStrategy(...), retry_connection_errors)``, or
    ``RetryConfig("none", ...)`` to turn retries off.

    ding still decides *what* is safe to retry (DESIGN: never a second SMS the caller did not
    ask for); this only tunes *how* it waits and for how long.
    """

    strategy: str
    backoff: BackoffStrategy | None = None
    retry_connection_errors: bool = True
