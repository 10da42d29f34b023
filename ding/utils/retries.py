"""``RetryConfig`` and ``BackoffStrategy``, at the official client's import path
``ding.utils.retries``. Both are mutable and hashable by identity, as the official ones are.

Plain slotted classes: ``import ding`` defines them, and attrs would generate their code on
every start for nothing.
"""

from __future__ import annotations


class BackoffStrategy:
    """Exponential backoff, as the official client takes it: all times in milliseconds."""

    __slots__ = ("exponent", "initial_interval", "max_elapsed_time", "max_interval")

    initial_interval: int
    """First wait before a retry."""
    max_interval: int
    """Longest single wait."""
    exponent: float
    """Growth factor of the wait from one retry to the next."""
    max_elapsed_time: int
    """Start no retry once this much time has passed since the first attempt (the call's
    ``deadline``, 30 s by default, still bounds the whole call)."""

    def __init__(
        self, initial_interval: int, max_interval: int, exponent: float, max_elapsed_time: int
    ) -> None:
        self.initial_interval = initial_interval
        self.max_interval = max_interval
        self.exponent = exponent
        self.max_elapsed_time = max_elapsed_time

    def __repr__(self) -> str:
        return (
            f"BackoffStrategy(initial_interval={self.initial_interval!r}, "
            f"max_interval={self.max_interval!r}, exponent={self.exponent!r}, "
            f"max_elapsed_time={self.max_elapsed_time!r})"
        )


class RetryConfig:
    """``RetryConfig("backoff", BackoffStrategy(...), retry_connection_errors)``, or
    ``RetryConfig("none", ...)`` to turn retries off.

    ding still decides *what* is safe to retry (never a second SMS the caller did not ask
    for); this only tunes *how* it waits and for how long. ``max_elapsed_time`` stops
    retrying after that long, within the call's ``deadline`` (which it never extends).
    """

    __slots__ = ("backoff", "retry_connection_errors", "strategy")

    strategy: str
    """``"backoff"`` to retry with the ``backoff`` settings, ``"none"`` to turn retries off."""
    backoff: BackoffStrategy | None
    """How long to wait between attempts, and for how long to keep trying."""
    retry_connection_errors: bool
    """Retry when the connection could not be established (DNS, refused, TLS handshake)."""

    def __init__(
        self,
        strategy: str,
        backoff: BackoffStrategy | None = None,
        retry_connection_errors: bool = True,
    ) -> None:
        self.strategy = strategy
        self.backoff = backoff
        self.retry_connection_errors = retry_connection_errors

    def __repr__(self) -> str:
        return (
            f"RetryConfig(strategy={self.strategy!r}, backoff={self.backoff!r}, "
            f"retry_connection_errors={self.retry_connection_errors!r})"
        )
