"""Phone numbers that make the fake act out a scenario.

They sit in the North American 555-01xx block, which is reserved for fictional use: they
are valid E.164 numbers (so client-side validation accepts them) that no subscriber can
ever have.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MagicNumbers"]


class MagicNumbers:
    """Documented scenario numbers; any other valid E.164 number behaves normally."""

    SPAM_DETECTED: Final = "+12025550101"
    """Sending answers 200 with status `spam_detected`; no code is sent, so a check
    answers `without_attempt` and a retry `no_attempt`."""

    RATE_LIMITED: Final = "+12025550102"
    """Sending always answers 200 with status `rate_limited` (no code is sent); checks and
    retries of that authentication answer `rate_limited`."""

    INVALID_LINE: Final = "+12025550103"
    """Sending fails with 400 `invalid_line` (a line that cannot receive messages)."""

    BLOCKED_NUMBER: Final = "+12025550104"
    """Sending fails with 400 `blocked_number`."""

    UNSUPPORTED_REGION: Final = "+12025550105"
    """Sending fails with 400 `unsupported_region`."""

    NEGATIVE_BALANCE: Final = "+12025550106"
    """Sending fails with 400 `negative_balance` (the account cannot pay for it)."""

    SERVER_ERROR: Final = "+12025550107"
    """Sending fails with 500 `internal_server_error`, every time (unlike `fail_next`)."""

    DELIVERY_FAILS: Final = "+12025550108"
    """Sending and retrying succeed (200 `pending` / `approved`, a code exists), but every
    attempt is reported `failed` with delivery status `undeliverable` in the status events."""

    PORTED: Final = "+12025550109"
    """Lookup answers `number_ported: true`."""

    TEMPORARY: Final = "+12025550110"
    """Lookup answers `temporary_phone_number: true` (a disposable number)."""
