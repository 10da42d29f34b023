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

    ding still decides *what* is safe to retry (never a second SMS the caller did not ask
    for); this only tunes *how* it waits and for how long.
    """

    strategy: str
    """``"backoff"`` to retry with the ``backoff`` settings, ``"none"`` to turn retries off."""
    backoff: BackoffStrategy | None = None
    """How long to wait between attempts, and for how long to keep trying."""
    retry_connection_errors: bool = True
    """Retry when the connection could not be established (DNS, refused, TLS handshake)."""
