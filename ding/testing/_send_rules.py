"""The rules that decide whether the fake sends a code: the numbers and requests it refuses
outright, and the per-number rate limit that answers ``rate_limited`` instead of sending."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ._errors import ApiError
from ._magic import MagicNumbers
from ._settings import Settings

__all__ = ["SendRateLimit", "refuse_to_send"]

# Numbers whose sending is refused outright: (status, code, message).
_REFUSED_NUMBERS: dict[str, tuple[int, str, str]] = {
    MagicNumbers.INVALID_LINE: (400, "invalid_line", "this line cannot receive messages"),
    MagicNumbers.BLOCKED_NUMBER: (400, "blocked_number", "this phone number is blocked"),
    MagicNumbers.UNSUPPORTED_REGION: (400, "unsupported_region", "this region is not supported"),
    MagicNumbers.NEGATIVE_BALANCE: (400, "negative_balance", "the account balance is negative"),
    MagicNumbers.SERVER_ERROR: (500, "internal_server_error", "internal server error"),
}


def refuse_to_send(request: Mapping[str, Any], settings: Settings) -> None:
    """Raise the `ApiError` the API answers a creation it will not even record."""
    allowed_senders = settings.allowed_sender_ids
    sender_id = request.get("sender_id")
    if sender_id is not None and allowed_senders is not None and sender_id not in allowed_senders:
        raise ApiError("unauthorized_sender_id", f"sender id {sender_id!r} is not allowed")
    if "app_realm" in request:
        # The SMS Retriever hash only means something to Android.
        device_type = request.get("device_type")
        if device_type is None:
            raise ApiError("app_realm_require_device_type", "app_realm requires device_type")
        if device_type != "ANDROID":
            raise ApiError(
                "unsupported_app_realm_device_type",
                f"app_realm is not supported for device_type {device_type}",
            )
    refusal = _REFUSED_NUMBERS.get(request["phone_number"])
    if refusal is not None:
        status, code, message = refusal
        raise ApiError(code, message, status=status)


class SendRateLimit:
    """The codes sent to each number within the sliding window (not thread-safe: the state
    holds its lock around every use)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._sends: dict[str, deque[datetime]] = {}

    def outcome(self, phone_number: str, now: datetime) -> str:
        """What sending to `phone_number` answers now: ``pending``, ``rate_limited`` or
        ``spam_detected``."""
        if phone_number == MagicNumbers.SPAM_DETECTED:
            return "spam_detected"
        if phone_number == MagicNumbers.RATE_LIMITED:
            return "rate_limited"
        limit = self._settings.send_rate_limit
        sends = self._sends.get(phone_number)
        if limit is None or sends is None:
            return "pending"
        # Only codes actually sent count, so a refused caller is not locked out for good.
        while sends and sends[0] <= now - self._settings.send_rate_window:
            sends.popleft()
        return "rate_limited" if len(sends) >= limit else "pending"

    def record(self, phone_number: str, now: datetime) -> None:
        """Count a code sent to `phone_number`."""
        self._sends.setdefault(phone_number, deque()).append(now)
