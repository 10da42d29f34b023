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
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Literal

from ._activity import Activity, ActivityFeed
from ._authentication import Authentication, AuthenticationInfo
from ._clock import FakeClock, format_timestamp
from ._errors import ApiError
from ._magic import MagicNumbers
from ._numbers import number_metadata
from ._send_rules import SendRateLimit, refuse_to_send
from ._settings import Settings
from ._status_events import check_event, message_events
from ._webhook_events import webhook_event

__all__ = ["SIGNAL_FIELDS", "InboxEntry", "JsonObject", "OtpState", "Outbox"]

JsonObject = dict[str, Any]
# Takes each webhook event (callback_url, JSON object) to deliver; must not block.
Outbox = Callable[[str, JsonObject], None]

# One authentication as the inbox page shows it: its snapshot and its checks (the status
# endpoint's ``check`` events: code, status, created_at), oldest check first.
InboxEntry = tuple[AuthenticationInfo, list[JsonObject]]

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


class OtpState:
    """All authentications of the fake and the rules that move them."""

    def __init__(self, settings: Settings, clock: FakeClock, seed: int | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self._seed = seed
        self._lock = threading.RLock()
        self.outbox: Outbox | None = None
        self.activity = ActivityFeed()
        self.reset()

    def reset(self) -> None:
        """Forget every authentication, code, feedback, rate-limit window and lookup override."""
        with self._lock:
            # Reseeding makes a reset fake replay the same codes and uuids as a new one.
            self._rng = random.Random(self._seed)
            self._by_uuid: dict[str, Authentication] = {}
            # The authentication feedback applies to: the latest one per customer and number.
            self._latest: dict[tuple[str, str], Authentication] = {}
            self._latest_by_number: dict[str, Authentication] = {}
            self._rate_limit = SendRateLimit(self.settings)
            self._lookup_overrides: dict[str, JsonObject] = {}

    # -- operations (one per endpoint) -------------------------------------------------

    def create_authentication(self, request: Mapping[str, Any]) -> JsonObject:
        with self._lock:
            now = self.clock.now()
            customer_uuid = self._customer(request["customer_uuid"])
            phone_number: str = request["phone_number"]
            refuse_to_send(request, self.settings)
            auth = Authentication(
                uuid=self._new_uuid(),
                customer_uuid=customer_uuid,
                phone_number=phone_number,
                outcome=self._rate_limit.outcome(phone_number, now),
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
                self._rate_limit.record(phone_number, now)
                self._send_code(auth, now)
                auth.next_retry_at = self._next_retry(auth, now)
            self._emit("send", auth, now, auth.outcome, sent=auth.outcome == "pending")
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
            auth.events.append(check_event(self._new_uuid(), code, status, now))
            self.activity.emit(
                Activity(
                    "check",
                    now,
                    phone_number=auth.phone_number,
                    authentication_uuid=auth.uuid,
                    code=code,
                    status=status,
                )
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
            self._emit("retry", auth, now, status, sent=status == "approved")
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
            self.activity.emit(
                Activity(
                    "feedback",
                    self.clock.now(),
                    phone_number=phone_number,
                    authentication_uuid=auth.uuid,
                    status=auth.feedback,
                )
            )
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

    def latest(self, phone_number: str) -> AuthenticationInfo | None:
        """The latest authentication of a number, if any."""
        with self._lock:
            auth = self._latest_by_number.get(phone_number)
            return None if auth is None else self._info(auth)

    def inbox(self, limit: int) -> list[InboxEntry]:
        """The latest `limit` authentications, newest first, each with its checks."""
        with self._lock:
            latest = list(self._by_uuid.values())[-limit:]
            return [
                (self._info(auth), [e for e in auth.events if e["type"] == "check"])
                for auth in reversed(latest)
            ]

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

    def _owned_authentication(self, request: Mapping[str, Any]) -> Authentication:
        customer_uuid = self._customer(request["customer_uuid"])
        auth = self._by_uuid.get(request["authentication_uuid"].lower())
        # Another customer's authentication is as unknown as one that never existed.
        if auth is None or auth.customer_uuid != customer_uuid:
            raise ApiError("invalid_auth_uuid", "authentication not found")
        return auth

    def _check_status(self, auth: Authentication, code: str, now: datetime) -> str:
        closed = auth.closed_status(now, self.settings.max_check_attempts)
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

    def _retry_status(self, auth: Authentication, now: datetime) -> str:
        closed = auth.closed_status(now, self.settings.max_check_attempts)
        if closed is not None:
            return closed
        if auth.code is None:
            return "no_attempt"
        if auth.remaining_retry <= 0:
            return "denied"
        if auth.next_retry_at is not None and now < auth.next_retry_at:
            return "denied"
        return "approved"

    def _next_retry(self, auth: Authentication, now: datetime) -> datetime | None:
        return now + self.settings.retry_interval if auth.remaining_retry > 0 else None

    def _send_code(self, auth: Authentication, now: datetime) -> None:
        auth.code = self._new_code(previous=auth.code)
        auth.attempts += 1
        delivered = auth.phone_number != MagicNumbers.DELIVERY_FAILS
        attempt, *reports = message_events(
            self._new_uuid(),
            auth.attempts,
            auth.code,
            delivered,
            auth.request.get("sender_id"),
            self.settings.attempt_price,
            now,
        )
        auth.events.append(attempt)
        self._notify(auth, now, attempt=attempt["status"])
        auth.events.extend(reports)

    def _notify(self, auth: Authentication, now: datetime, attempt: str | None = None) -> None:
        """Hand the webhook event of a creation (or, given its status, of an `attempt`) to
        the outbox, when the request asked for webhooks."""
        url = auth.request.get("callback_url")
        if url is not None and self.outbox is not None:
            price = self.settings.attempt_price
            self.outbox(url, webhook_event(self._new_uuid(), auth, price, now, attempt))

    def _emit(
        self,
        kind: Literal["send", "retry"],
        auth: Authentication,
        now: datetime,
        status: str,
        sent: bool,
    ) -> None:
        self.activity.emit(
            Activity(
                kind,
                now,
                phone_number=auth.phone_number,
                authentication_uuid=auth.uuid,
                code=auth.code if sent else None,
                status=status,
                attempt=auth.attempts if sent else None,
                remaining_retry=auth.remaining_retry,
            )
        )

    def _new_code(self, previous: str | None) -> str:
        while True:
            code = "".join(self._rng.choices(string.digits, k=self.settings.code_length))
            # A resend that happened to repeat the old code would hide "old code is dead" bugs.
            if code != previous:
                return code

    def _new_uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def _info(self, auth: Authentication) -> AuthenticationInfo:
        return auth.info(self.clock.now(), self.settings.max_check_attempts)
