"""Fault injection on the API: what `FakeDing` answers instead of the API for the next requests.

Each method queues one fault for the next `n` requests (matching `path`, if given); the queue
(`_faults.FaultQueue`) hands them out first in, first out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._faults import (
    PROXY_502_PAGE,
    CloseMidBody,
    Delay,
    Drop,
    Fault,
    FaultQueue,
    RetryAfter,
    canned_json,
    failure,
    large_body,
    malformed_json,
    non_json,
    truncated_json,
)

__all__ = ["FaultInjection"]


class FaultInjection:
    """The fault-injection methods of `FakeDing`; thread-safe."""

    _faults: FaultQueue

    def fail_next(
        self,
        n: int = 1,
        status: int = 500,
        *,
        retry_after: RetryAfter = None,
        body: bytes | str | Mapping[str, Any] | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        path: str | None = None,
    ) -> None:
        """Answer `status` with the API's error object (or `body`) and an optional
        `Retry-After` (seconds, an HTTP-date string, or a datetime)."""
        self._inject(failure(status, retry_after, body, content_type, headers), n, path)

    def delay_next(
        self,
        n: int = 1,
        seconds: float = 3600.0,
        *,
        handle_first: bool = False,
        path: str | None = None,
    ) -> None:
        """Answer `seconds` late (the default hour: a server that never answers in time).

        The request is handled when the delay ends; with `handle_first` it is handled at
        once and only the answer is late (the code was sent though the client timed out).
        """
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        self._inject(Delay(seconds, handle_first), n, path)

    def drop_next(self, n: int = 1, *, reset: bool = False, path: str | None = None) -> None:
        """Close the connection without answering (`reset`: abort it with a TCP RST)."""
        self._inject(Drop(reset), n, path)

    def close_mid_body_next(
        self, n: int = 1, *, status: int = 200, path: str | None = None
    ) -> None:
        """Send the headers and half of the announced body, then close the connection."""
        self._inject(CloseMidBody(status), n, path)

    def malformed_json_next(
        self, n: int = 1, *, status: int = 200, path: str | None = None
    ) -> None:
        """Answer `application/json` with a body that is not JSON."""
        self._inject(malformed_json(status), n, path)

    def truncated_json_next(
        self, n: int = 1, *, status: int = 200, path: str | None = None
    ) -> None:
        """Answer a complete HTTP response whose JSON body stops half-way."""
        self._inject(truncated_json(status), n, path)

    def non_json_next(
        self,
        n: int = 1,
        *,
        status: int = 502,
        body: str | bytes = PROXY_502_PAGE,
        content_type: str = "text/html",
        path: str | None = None,
    ) -> None:
        """Answer something that is not JSON at all (default: a proxy's HTML 502 page)."""
        self._inject(non_json(status, body, content_type), n, path)

    def large_body_next(
        self,
        n: int = 1,
        size: int = 10 * 1024 * 1024,
        *,
        status: int = 200,
        path: str | None = None,
    ) -> None:
        """Answer a valid JSON object of exactly `size` bytes (one huge unknown field)."""
        self._inject(large_body(size, status), n, path)

    def respond_next(
        self,
        n: int = 1,
        status: int = 200,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        *,
        path: str | None = None,
    ) -> None:
        """Answer `json_body` (serialized; None sends ``{}``) with `status` and `headers`,
        e.g. a response with unknown fields or enum values."""
        body = {} if json_body is None else json_body
        self._inject(canned_json("respond", status, body, headers), n, path)

    @property
    def pending_faults(self) -> int:
        """How many requests the queued faults will still affect."""
        return self._faults.pending()

    def clear_faults(self) -> None:
        """Drop every queued fault."""
        self._faults.clear()

    def _inject(self, fault: Fault, n: int, path: str | None) -> None:
        self._faults.add(fault, n, path)
