"""The OTP world of the fake: authentications, codes, checks, retries, feedback, lookups.

Pure logic with no I/O: every operation takes the already validated request as a mapping
and returns the JSON object to answer with, or raises `ApiError`. Time comes from the
injected clock, randomness from a seedable generator, so the whole module can be unit
tested without sockets and replays identically for a given seed. A lock makes it safe to
inspect from a test thread while the server thread serves requests.
"""

from __future__ import annotations

import random
import string
import threading
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._clock import FakeClock, format_timestamp
from ._errors import ApiError
from ._magic import MagicNumbers
from ._numbers import number_metadata
from ._settings import Settings
from ._webhook_events import webhook_event

__all__ = ["SIGNAL_FIELDS", "AuthenticationInfo", "JsonObject", "OtpState", "Outbox"]

JsonObject = dict[str, Any]
# Takes each webhook event (callback_url, JSON object) to deliver; must not block.
Outbox = Callable[[str, JsonObject], None]

# Request fields of a create call that the status endpoint reports back under `signals`.
SIGNAL_FIELDS = (
    "ip",
    "device_id",
    "device_type",
    "app_version",
    "app_realm",
    "os_version",
    "device_model",
    "is_returning_user",
)

# Numbers whose sending is refused outright: (status, code, message).
_REFUSED_NUMBERS: dict[str, tuple[int, str, str]] = {
    MagicNumbers.INVALID_LINE: (400, "invalid_line", "this line cannot receive messages"),
    MagicNumbers.BLOCKED_NUMBER: (400, "blocked_number", "this phone number is blocked"),
    MagicNumbers.UNSUPPORTED_REGION: (400, "unsupported_region", "this region is not supported"),
    MagicNumbers.NEGATIVE_BALANCE: (400, "negative_balance", "the account balance is negative"),
    MagicNumbers.SERVER_ERROR: (500, "internal_server_error", "internal server error"),
}


@dataclass
class _Authentication:
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
    events: list[JsonObject] = field(default_factory=list)


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


class OtpState:
    """All authentications of the fake and the rules that move them."""

    def __init__(self, settings: Settings, clock: FakeClock, seed: int | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self._seed = seed
        self._lock = threading.RLock()
        self.outbox: Outbox | None = None
        self.reset()

    def reset(self) -> None:
        """Forget every authentication, code, feedback, rate-limit window and lookup override."""
        with self._lock:
            # Reseeding makes a reset fake replay the same codes and uuids as a new one.
            self._rng = random.Random(self._seed)
            self._by_uuid: dict[str, _Authentication] = {}
            # The authentication feedback applies to: the latest one per customer and number.
            self._latest: dict[tuple[str, str], _Authentication] = {}
            self._latest_by_number: dict[str, _Authentication] = {}
            self._sends: dict[str, deque[datetime]] = {}
            self._lookup_overrides: dict[str, JsonObject] = {}

    # -- operations (one per endpoint) -------------------------------------------------

    def create_authentication(self, request: Mapping[str, Any]) -> JsonObject:
        with self._lock:
            now = self.clock.now()
            customer_uuid = self._customer(request["customer_uuid"])
            phone_number: str = request["phone_number"]
            self._refuse_to_send(request)
            auth = _Authentication(
                uuid=self._new_uuid(),
                customer_uuid=customer_uuid,
                phone_number=phone_number,
                outcome=self._send_outcome(phone_number, now),
                created_at=now,
                expires_at=now + self.settings.auth_ttl,
                request=dict(request),
                remaining_retry=self.settings.max_retries,
            )
            self._by_uuid[auth.uuid] = auth
            self._latest[(customer_uuid, phone_number)] = auth
            self._latest_by_number[phone_number] = auth
            self._notify(auth, now)
            if auth.outcome == "pending":
                self._sends.setdefault(phone_number, deque()).append(now)
                self._send_code(auth, now)
                auth.next_retry_at = self._next_retry(auth, now)
            return {
                "authentication_uuid": auth.uuid,
                "status": auth.outcome,
                "created_at": format_timestamp(auth.created_at),
                "expires_at": format_timestamp(auth.expires_at),
            }

    def check(self, request: Mapping[str, Any]) -> JsonObject:
        with self._lock:
            now = self.clock.now()
            auth = self._owned_authentication(request)
            code: str = request["check_code"]
            status = self._check_status(auth, code, now)
            auth.events.append(
                {
                    "type": "check",
                    "id": self._new_uuid(),
                    "code": code,
                    "status": status,
                    "created_at": format_timestamp(now),
                }
            )
            return {"authentication_uuid": auth.uuid, "status": status}

    def retry(self, request: Mapping[str, Any]) -> JsonObject:
        with self._lock:
            now = self.clock.now()
            auth = self._owned_authentication(request)
            status = self._retry_status(auth, now)
            if status == "approved":
                auth.remaining_retry -= 1
                self._send_code(auth, now)
                auth.next_retry_at = self._next_retry(auth, now)
            answer: JsonObject = {
                "authentication_uuid": auth.uuid,
                "status": status,
                "created_at": format_timestamp(now),
                "remaining_retry": auth.remaining_retry,
            }
            if auth.next_retry_at is not None:
                answer["next_retry_at"] = format_timestamp(auth.next_retry_at)
            return answer

    def feedback(self, request: Mapping[str, Any]) -> JsonObject:
        with self._lock:
            customer_uuid = self._customer(request["customer_uuid"])
            phone_number: str = request["phone_number"]
            auth = self._latest.get((customer_uuid, phone_number))
            if auth is None:
                raise ApiError(
                    "no_associated_auth_found",
                    f"no authentication was found for {phone_number}",
                )
            if auth.feedback == request["status"]:
                raise ApiError(
                    "duplicated_feedback_status",
                    f"feedback {request['status']!r} was already sent for this authentication",
                )
            auth.feedback = request["status"]
            return {"uuid": self._new_uuid()}

    def authentication_status(self, request: Mapping[str, Any]) -> JsonObject:
        with self._lock:
            auth = self._by_uuid.get(request["auth_uuid"].lower())
            if auth is None:
                raise ApiError("invalid_auth_uuid", "authentication not found", status=404)
            answer: JsonObject = {
                "uuid": auth.uuid,
                "phone_number": auth.phone_number,
                "created_at": format_timestamp(auth.created_at),
                "signals": {k: auth.request[k] for k in SIGNAL_FIELDS if k in auth.request},
                "events": [dict(event) for event in auth.events],
            }
            for name in ("template_id", "correlation_id"):
                if name in auth.request:
                    answer[name] = auth.request[name]
            return answer

    def lookup(self, request: Mapping[str, Any]) -> JsonObject:
        phone_number: str = request["phone_number"]
        # Outside the lock: the first call may import phonenumbers, which takes a while.
        metadata = number_metadata(phone_number)
        with self._lock:
            self._customer(request["customer_uuid"])
            answer: JsonObject = {
                "phone_number": phone_number,
                **metadata,
                "number_ported": phone_number == MagicNumbers.PORTED,
                "temporary_phone_number": phone_number == MagicNumbers.TEMPORARY,
            }
            if "cnam" in request.get("type", ()):
                answer["caller_name"] = self.settings.caller_name
            answer.update(self._lookup_overrides.get(phone_number, {}))
            return answer

    # -- inspection and control for tests --------------------------------------------

    def code_for(self, authentication_uuid: str) -> str:
        with self._lock:
            auth = self._by_uuid.get(authentication_uuid.lower())
            if auth is None:
                raise KeyError(f"no authentication {authentication_uuid}")
            if auth.code is None:
                raise KeyError(f"{authentication_uuid} sent no code ({auth.outcome})")
            return auth.code

    def last_code(self, phone_number: str) -> str:
        with self._lock:
            auth = self._latest_by_number.get(phone_number)
            if auth is None or auth.code is None:
                raise KeyError(f"no code was sent to {phone_number}")
            return auth.code

    def feedback_for(self, phone_number: str) -> str | None:
        with self._lock:
            auth = self._latest_by_number.get(phone_number)
            return None if auth is None else auth.feedback

    def authentication(self, authentication_uuid: str) -> AuthenticationInfo:
        with self._lock:
            auth = self._by_uuid.get(authentication_uuid.lower())
            if auth is None:
                raise KeyError(f"no authentication {authentication_uuid}")
            return self._info(auth)

    def authentications(self) -> list[AuthenticationInfo]:
        with self._lock:
            return [self._info(auth) for auth in self._by_uuid.values()]

    def set_lookup_result(self, phone_number: str, fields: Mapping[str, Any]) -> None:
        with self._lock:
            self._lookup_overrides.setdefault(phone_number, {}).update(fields)

    # -- rules -----------------------------------------------------------------------

    def _customer(self, customer_uuid: str) -> str:
        customer_uuid = customer_uuid.lower()
        allowed = self.settings.customer_uuids
        if allowed is not None and customer_uuid not in allowed:
            raise ApiError("account_invalid", "unknown customer_uuid")
        return customer_uuid

    def _owned_authentication(self, request: Mapping[str, Any]) -> _Authentication:
        customer_uuid = self._customer(request["customer_uuid"])
        auth = self._by_uuid.get(request["authentication_uuid"].lower())
        # Another customer's authentication is as unknown as one that never existed.
        if auth is None or auth.customer_uuid != customer_uuid:
            raise ApiError("invalid_auth_uuid", "authentication not found")
        return auth

    def _refuse_to_send(self, request: Mapping[str, Any]) -> None:
        allowed_senders = self.settings.allowed_sender_ids
        sender_id = request.get("sender_id")
        if (
            sender_id is not None
            and allowed_senders is not None
            and sender_id not in allowed_senders
        ):
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

    def _send_outcome(self, phone_number: str, now: datetime) -> str:
        if phone_number == MagicNumbers.SPAM_DETECTED:
            return "spam_detected"
        if phone_number == MagicNumbers.RATE_LIMITED:
            return "rate_limited"
        limit = self.settings.send_rate_limit
        sends = self._sends.get(phone_number)
        if limit is None or sends is None:
            return "pending"
        # Only codes actually sent count, so a refused caller is not locked out for good.
        while sends and sends[0] <= now - self.settings.send_rate_window:
            sends.popleft()
        return "rate_limited" if len(sends) >= limit else "pending"

    def _closed_status(self, auth: _Authentication, now: datetime) -> str | None:
        """Why an authentication takes no more checks or retries, if it does not."""
        if auth.validated:
            return "already_validated"
        if now >= auth.expires_at:
            return "expired_auth"
        # A new code must not reset a brute-force lockout.
        if auth.outcome == "rate_limited" or auth.failed_checks >= self.settings.max_check_attempts:
            return "rate_limited"
        return None

    def _check_status(self, auth: _Authentication, code: str, now: datetime) -> str:
        closed = self._closed_status(auth, now)
        if closed is not None:
            return closed
        if auth.code is None:
            return "without_attempt"
        # Only the latest code counts: a retry replaces the previous one.
        if code == auth.code:
            auth.validated = True
            return "valid"
        auth.failed_checks += 1
        return "invalid"

    def _retry_status(self, auth: _Authentication, now: datetime) -> str:
        closed = self._closed_status(auth, now)
        if closed is not None:
            return closed
        if auth.code is None:
            return "no_attempt"
        if auth.remaining_retry <= 0:
            return "denied"
        if auth.next_retry_at is not None and now < auth.next_retry_at:
            return "denied"
        return "approved"

    def _next_retry(self, auth: _Authentication, now: datetime) -> datetime | None:
        return now + self.settings.retry_interval if auth.remaining_retry > 0 else None

    def _send_code(self, auth: _Authentication, now: datetime) -> None:
        auth.code = self._new_code(previous=auth.code)
        auth.attempts += 1
        attempt_id = self._new_uuid()
        delivered = auth.phone_number != MagicNumbers.DELIVERY_FAILS
        timestamp = format_timestamp(now)
        attempt: JsonObject = {
            "type": "attempt",
            "id": attempt_id,
            "content": f"Your verification code is {auth.code}",
            "capability": "text",
            "attempt_number": auth.attempts,
            "status": "delivered" if delivered else "failed",
            "created_at": timestamp,
        }
        if "sender_id" in auth.request:
            attempt["sender_id"] = auth.request["sender_id"]
        auth.events.append(attempt)
        self._notify(auth, now, attempt=attempt["status"])
        auth.events.append(
            {
                "type": "delivery_status",
                "attempt_id": attempt_id,
                "attempt_number": auth.attempts,
                "status": "delivered" if delivered else "undeliverable",
                "originated_at": timestamp,
                "created_at": timestamp,
            }
        )
        auth.events.append(
            {
                "type": "balance_update",
                "amount": -self.settings.attempt_price,
                "balance_update_type": "attempt",
                "created_at": timestamp,
            }
        )

    def _notify(self, auth: _Authentication, now: datetime, attempt: str | None = None) -> None:
        """Hand the webhook event of a creation (or, given its status, of an `attempt`) to
        the outbox, when the request asked for webhooks."""
        url = auth.request.get("callback_url")
        if url is not None and self.outbox is not None:
            price = self.settings.attempt_price
            self.outbox(url, webhook_event(self._new_uuid(), auth, price, now, attempt))

    def _new_code(self, previous: str | None) -> str:
        while True:
            code = "".join(self._rng.choices(string.digits, k=self.settings.code_length))
            # A resend that happened to repeat the old code would hide "old code is dead" bugs.
            if code != previous:
                return code

    def _new_uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def _info(self, auth: _Authentication) -> AuthenticationInfo:
        return AuthenticationInfo(
            uuid=auth.uuid,
            customer_uuid=auth.customer_uuid,
            phone_number=auth.phone_number,
            status=self._summary(auth),
            code=auth.code,
            created_at=auth.created_at,
            expires_at=auth.expires_at,
            attempts=auth.attempts,
            remaining_retry=auth.remaining_retry,
            next_retry_at=auth.next_retry_at,
            failed_checks=auth.failed_checks,
            feedback=auth.feedback,
        )

    def _summary(self, auth: _Authentication) -> str:
        if auth.validated:
            return "validated"
        if auth.outcome != "pending":
            return auth.outcome
        if self.clock.now() >= auth.expires_at:
            return "expired"
        if auth.failed_checks >= self.settings.max_check_attempts:
            return "locked"
        return "pending"
