"""One authentication as the fake keeps it, and the snapshot of it that tests inspect."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["Authentication", "AuthenticationInfo"]


@dataclass(frozen=True)
class AuthenticationInfo:
    """A snapshot of one authentication as the fake sees it, for assertions.

    `status` is one of `pending`, `validated`, `expired`, `locked` (too many wrong codes),
    `rate_limited` and `spam_detected`.
    """

    uuid: str
    customer_uuid: str
    phone_number: str
    status: str
    code: str | None
    created_at: datetime
    expires_at: datetime
    attempts: int
    remaining_retry: int
    next_retry_at: datetime | None
    failed_checks: int
    feedback: str | None


@dataclass
class Authentication:
    """The state's record of one authentication; changed only under the state's lock."""

    uuid: str
    customer_uuid: str
    phone_number: str
    outcome: str  # what sending answered: pending, rate_limited or spam_detected
    created_at: datetime
    expires_at: datetime
    request: Mapping[str, Any]
    remaining_retry: int
    code: str | None = None
    attempts: int = 0
    next_retry_at: datetime | None = None
    failed_checks: int = 0
    validated: bool = False
    feedback: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    def closed_status(self, now: datetime, max_check_attempts: int) -> str | None:
        """Why the authentication takes no more checks or retries, if it does not."""
        if self.validated:
            return "already_validated"
        if now >= self.expires_at:
            return "expired_auth"
        # A new code must not reset a brute-force lockout.
        if self.outcome == "rate_limited" or self.failed_checks >= max_check_attempts:
            return "rate_limited"
        return None

    def info(self, now: datetime, max_check_attempts: int) -> AuthenticationInfo:
        return AuthenticationInfo(
            uuid=self.uuid,
            customer_uuid=self.customer_uuid,
            phone_number=self.phone_number,
            status=self._summary(now, max_check_attempts),
            code=self.code,
            created_at=self.created_at,
            expires_at=self.expires_at,
            attempts=self.attempts,
            remaining_retry=self.remaining_retry,
            next_retry_at=self.next_retry_at,
            failed_checks=self.failed_checks,
            feedback=self.feedback,
        )

    def _summary(self, now: datetime, max_check_attempts: int) -> str:
        if self.validated:
            return "validated"
        if self.outcome != "pending":
            return self.outcome
        if now >= self.expires_at:
            return "expired"
        if self.failed_checks >= max_check_attempts:
            return "locked"
        return "pending"
