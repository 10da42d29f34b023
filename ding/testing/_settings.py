"""The fake's tunables (the API's rules, and its webhook deliveries), checked once so the logic
can trust them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta

import attrs

from ._clock import to_timedelta
from ._validation import is_uuid

__all__ = ["LOOPBACK_HOSTS", "Settings", "WebhookSettings"]


def _frozen(values: Collection[str] | None) -> frozenset[str] | None:
    if isinstance(values, str):
        # A lone string is a collection of characters: almost certainly a mistake.
        raise TypeError("pass a collection of strings, not a single string")
    return None if values is None else frozenset(values)


def _frozen_lower(values: Collection[str] | None) -> frozenset[str] | None:
    # Customer uuids are compared case-insensitively, like every uuid the fake receives.
    found = _frozen(values)
    return None if found is None else frozenset(v.lower() for v in found)


@attrs.frozen
class Settings:
    """See `FakeDing.__init__` for what each setting means; durations are given as seconds
    or a `timedelta` and kept as a `timedelta`."""

    api_keys: frozenset[str] | None = attrs.field(default=None, converter=_frozen)
    customer_uuids: frozenset[str] | None = attrs.field(default=None, converter=_frozen_lower)
    code_length: int = 6
    auth_ttl: timedelta = attrs.field(default=timedelta(minutes=10), converter=to_timedelta)
    max_check_attempts: int = 5
    max_retries: int = 3
    retry_interval: timedelta = attrs.field(default=timedelta(seconds=30), converter=to_timedelta)
    send_rate_limit: int | None = 5
    send_rate_window: timedelta = attrs.field(default=timedelta(minutes=10), converter=to_timedelta)
    allowed_sender_ids: frozenset[str] | None = attrs.field(default=None, converter=_frozen)
    caller_name: str = "DING TEST USER"
    attempt_price: float = 0.01

    def __attrs_post_init__(self) -> None:
        # Fail at construction rather than with a confusing answer in the middle of a test.
        if not 1 <= self.code_length <= 12:
            raise ValueError("code_length must be between 1 and 12")
        if self.auth_ttl <= timedelta(0):
            raise ValueError("auth_ttl must be positive")
        if self.max_check_attempts < 1:
            raise ValueError("max_check_attempts must be at least 1")
        if self.max_retries < 0:
            raise ValueError("max_retries must not be negative")
        if self.retry_interval < timedelta(0):
            raise ValueError("retry_interval must not be negative")
        if self.send_rate_limit is not None and self.send_rate_limit < 1:
            raise ValueError("send_rate_limit must be at least 1 (or None for no limit)")
        if self.send_rate_window <= timedelta(0):
            raise ValueError("send_rate_window must be positive")
        if self.api_keys is not None and not all(self.api_keys):
            raise ValueError("api_keys must not contain an empty key")
        for customer_uuid in self.customer_uuids or ():
            if not is_uuid(customer_uuid):
                raise ValueError(f"customer_uuids: {customer_uuid!r} is not a UUID")


# Where the fake POSTs webhooks unless told otherwise: nothing leaves the machine.
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class WebhookSettings:
    """See `FakeDing.__init__`: ``webhook_*``."""

    retry_schedule: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
    timeout: float = 5.0
    real_time: bool = True
    hosts: frozenset[str] | None = frozenset(LOOPBACK_HOSTS)

    @classmethod
    def build(
        cls,
        retry_schedule: Sequence[float | timedelta],
        timeout: float,
        real_time: bool,
        hosts: Collection[str] | None,
    ) -> WebhookSettings:
        schedule = tuple(to_timedelta(d).total_seconds() for d in retry_schedule)
        if any(delay < 0 for delay in schedule):
            raise ValueError("webhook_retry_schedule: delays must not be negative")
        if not timeout > 0:
            raise ValueError("webhook_timeout must be positive")
        if isinstance(hosts, str):
            raise TypeError("webhook_hosts is a collection of host names, not a single string")
        allowed = None if hosts is None else frozenset(h.lower().strip("[]") for h in hosts)
        return cls(schedule, float(timeout), bool(real_time), allowed)

    @property
    def max_attempts(self) -> int:
        return 1 + len(self.retry_schedule)
