"""The fake's tunables (the API's rules, and its webhook deliveries), checked once so the logic
can trust them."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta

from ._clock import to_timedelta
from ._validation import is_uuid

__all__ = ["LOOPBACK_HOSTS", "Settings", "WebhookSettings"]


@dataclass(frozen=True)
class Settings:
    """See `FakeDing.__init__` for what each setting means."""

    api_keys: frozenset[str] | None = None
    customer_uuids: frozenset[str] | None = None
    code_length: int = 6
    auth_ttl: timedelta = timedelta(minutes=10)
    max_check_attempts: int = 5
    max_retries: int = 3
    retry_interval: timedelta = timedelta(seconds=30)
    send_rate_limit: int | None = 5
    send_rate_window: timedelta = timedelta(minutes=10)
    allowed_sender_ids: frozenset[str] | None = None
    caller_name: str = "DING TEST USER"
    attempt_price: float = 0.01

    @classmethod
    def build(
        cls,
        *,
        api_keys: Collection[str] | None,
        customer_uuids: Collection[str] | None,
        code_length: int,
        auth_ttl: float | timedelta,
        max_check_attempts: int,
        max_retries: int,
        retry_interval: float | timedelta,
        send_rate_limit: int | None,
        send_rate_window: float | timedelta,
        allowed_sender_ids: Collection[str] | None,
        caller_name: str,
        attempt_price: float,
    ) -> Settings:
        settings = cls(
            api_keys=_frozen(api_keys),
            # Compared case-insensitively, like every uuid the fake receives.
            customer_uuids=_frozen(customer_uuids, normalize=str.lower),
            code_length=code_length,
            auth_ttl=to_timedelta(auth_ttl),
            max_check_attempts=max_check_attempts,
            max_retries=max_retries,
            retry_interval=to_timedelta(retry_interval),
            send_rate_limit=send_rate_limit,
            send_rate_window=to_timedelta(send_rate_window),
            allowed_sender_ids=_frozen(allowed_sender_ids),
            caller_name=caller_name,
            attempt_price=attempt_price,
        )
        settings._check()
        return settings

    def _check(self) -> None:
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


def _frozen(
    values: Collection[str] | None, normalize: Callable[[str], str] = str
) -> frozenset[str] | None:
    if isinstance(values, str):
        # A lone string is a collection of characters: almost certainly a mistake.
        raise TypeError("pass a collection of strings, not a single string")
    return None if values is None else frozenset(normalize(v) for v in values)


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
