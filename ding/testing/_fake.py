"""`FakeDing`: the public face of the fake, tying clock, state, log, faults and server together."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, TypeVar

from .._loop_thread import LoopThread
from ._authentication import AuthenticationInfo
from ._clock import FakeClock
from ._endpoints import API_PREFIX
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
from ._log import RecordedRequest, RequestLog
from ._server import HOST, FakeServer
from ._serving import serve_in_thread
from ._settings import Settings
from ._state import OtpState
from ._webhook_delivery import LOOPBACK_HOSTS, WebhookDispatcher, WebhookSettings
from ._webhook_faults import DeliveryLog, WebhookDelivery, WebhookFaults
from ._webhooks import FakeWebhooks

__all__ = ["FakeDing"]

P = ParamSpec("P")
R = TypeVar("R")


def _takes_init_arguments(
    init: Callable[Concatenate[Any, P], None],
) -> Callable[[Callable[..., R]], Callable[Concatenate[Any, P], R]]:
    """Give a forwarding classmethod the exact signature of `__init__` for type checkers."""

    def decorate(function: Callable[..., R]) -> Callable[Concatenate[Any, P], R]:
        return function

    return decorate


class FakeDing:
    """A stateful, in-memory Ding API on an ephemeral loopback port.

    In async code: ``async with FakeDing() as fake:``. In sync code (the server runs on its
    own loop in a daemon thread): ``with FakeDing.running() as fake:``. Hand ``fake.url``
    to a client as ``server_url``. Every inspection and control method is thread-safe.
    """

    def __init__(
        self,
        *,
        api_keys: Collection[str] | None = None,
        customer_uuids: Collection[str] | None = None,
        code_length: int = 6,
        auth_ttl: float | timedelta = 600.0,
        max_check_attempts: int = 5,
        max_retries: int = 3,
        retry_interval: float | timedelta = 30.0,
        send_rate_limit: int | None = 5,
        send_rate_window: float | timedelta = 600.0,
        allowed_sender_ids: Collection[str] | None = None,
        caller_name: str = "DING TEST USER",
        attempt_price: float = 0.01,
        clock: FakeClock | None = None,
        seed: int | None = None,
        webhook_retry_schedule: Sequence[float | timedelta] = (0.5, 1.0, 2.0, 4.0, 8.0),
        webhook_timeout: float = 5.0,
        webhook_real_time: bool = True,
        webhook_hosts: Collection[str] | None = LOOPBACK_HOSTS,
    ) -> None:
        """Configure the fake; durations are seconds or `timedelta`.

        :param api_keys: accepted `x-api-key` values (None: any non-empty key).
        :param customer_uuids: accepted customer uuids (None: any valid uuid); any other
            gets 400 `account_invalid`.
        :param code_length: digits in each OTP code.
        :param auth_ttl: lifetime of an authentication (`expires_at - created_at`).
        :param max_check_attempts: wrong codes allowed before checks answer `rate_limited`.
        :param max_retries: retries per authentication (the first `remaining_retry` is this).
        :param retry_interval: wait between a send and the next allowed retry
            (`next_retry_at`).
        :param send_rate_limit: codes one number may be sent per `send_rate_window` before
            sending answers `rate_limited` (None: no limit).
        :param send_rate_window: the sliding window of `send_rate_limit`.
        :param allowed_sender_ids: accepted `sender_id` values (None: any); any other gets
            `unauthorized_sender_id`.
        :param caller_name: the `caller_name` a lookup with `type=cnam` answers.
        :param attempt_price: the amount of the `balance_update` event of each attempt.
        :param clock: the clock to use (default: a frozen `FakeClock` at the current time).
        :param seed: makes codes and uuids reproducible.
        :param webhook_retry_schedule: the waits before each redelivery of a webhook event
            that was not acknowledged; its length bounds the redeliveries (default: 5, the
            first after half a second).
        :param webhook_timeout: seconds a receiver has to answer a webhook POST.
        :param webhook_real_time: a redelivery is due when its wait has passed in real time or
            on the fake's clock, whichever is first; False: only on the fake's clock.
        :param webhook_hosts: the hosts webhooks are POSTed to (default: loopback only; None:
            any). An event for another host is recorded as not delivered.
        """
        self.settings: Settings = Settings.build(
            api_keys=api_keys,
            customer_uuids=customer_uuids,
            code_length=code_length,
            auth_ttl=auth_ttl,
            max_check_attempts=max_check_attempts,
            max_retries=max_retries,
            retry_interval=retry_interval,
            send_rate_limit=send_rate_limit,
            send_rate_window=send_rate_window,
            allowed_sender_ids=allowed_sender_ids,
            caller_name=caller_name,
            attempt_price=attempt_price,
        )
        self.clock: FakeClock = clock if clock is not None else FakeClock()
        self._state = OtpState(self.settings, self.clock, seed)
        self._log = RequestLog()
        self._faults = FaultQueue()
        self._server = FakeServer(self.settings, self._state, self._log, self._faults)
        self._deliveries, webhook_faults = DeliveryLog(), WebhookFaults()
        self._webhooks = WebhookDispatcher(
            WebhookSettings.build(
                webhook_retry_schedule, webhook_timeout, webhook_real_time, webhook_hosts
            ),
            self.clock,
            self._deliveries,
            webhook_faults,
        )
        self._state.outbox = self._webhooks.enqueue
        self.webhooks: FakeWebhooks = FakeWebhooks(self._webhooks, self._deliveries, webhook_faults)
        """Webhook deliveries, waiting for them, and their fault injection."""
        self._thread: LoopThread | None = None  # the loop thread serving it, if any

    # -- lifecycle -------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server.port is None:
            raise RuntimeError("the fake is not running: use `async with` or FakeDing.running()")
        return self._server.port

    @property
    def url(self) -> str:
        """The `server_url` for a client: ``http://127.0.0.1:<port>/v1``."""
        return f"http://{HOST}:{self.port}{API_PREFIX}"

    async def start(self) -> None:
        """Start serving (and delivering webhooks) on the running event loop."""
        await self._webhooks.start()
        try:
            await self._server.start()
        except BaseException:
            await self._webhooks.close()
            raise

    async def close(self) -> None:
        """Stop serving: pending delayed answers and webhook deliveries are abandoned,
        connections closed."""
        try:
            await self._webhooks.close()
        finally:
            await self._server.close()

    async def __aenter__(self) -> FakeDing:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @contextmanager
    def serving_in_thread(self) -> Iterator[FakeDing]:
        """Serve from a private event loop on a daemon thread for the duration of the block."""
        if self._server.port is not None:
            raise RuntimeError("the fake is already running")
        with serve_in_thread(self.start, self.close, name=f"FakeDing-{id(self):x}") as thread:
            self._thread = thread
            try:
                yield self
            finally:
                self._thread = None

    @classmethod
    @_takes_init_arguments(__init__)
    @contextmanager
    def running(cls, **options: Any) -> Iterator[FakeDing]:
        """``with FakeDing.running(**options) as fake:`` -- a fake served from a daemon thread.

        Takes the same arguments as the constructor. Works in sync tests and, since the
        fake has a loop of its own, beside any event loop (async tests included).
        """
        with cls(**options).serving_in_thread() as fake:
            yield fake

    def __repr__(self) -> str:
        where = self.url if self._server.port is not None else "not running"
        return f"<FakeDing {where}>"

    # -- inspection ------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received since start (or `reset`), oldest first."""
        return self._log.all()

    def requests_to(self, path_or_operation: str) -> list[RecordedRequest]:
        """Requests for one operation (``"check"``, ``"create_authentication"``,
        ``"/lookup/{phone_number}"``) or one concrete path (``"/v1/check"``)."""
        return self._log.matching(path_or_operation)

    def code_for(self, authentication_uuid: str) -> str:
        """The code currently valid for an authentication (KeyError if none was sent)."""
        return self._state.code_for(authentication_uuid)

    def last_code(self, phone_number: str) -> str:
        """The current code of the latest authentication of a number (KeyError if none)."""
        return self._state.last_code(phone_number)

    def feedback_for(self, phone_number: str) -> str | None:
        """The feedback status stored for the latest authentication of a number."""
        return self._state.feedback_for(phone_number)

    def authentication(self, authentication_uuid: str) -> AuthenticationInfo:
        """A snapshot of one authentication (KeyError if unknown)."""
        return self._state.authentication(authentication_uuid)

    def authentications(self) -> list[AuthenticationInfo]:
        """Snapshots of every authentication, oldest first."""
        return self._state.authentications()

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every webhook send so far, oldest first (see `webhooks`)."""
        return self.webhooks.deliveries

    # -- control ---------------------------------------------------------------------

    def set_lookup_result(self, phone_number: str, **fields: Any) -> None:
        """Make lookups of `phone_number` answer these fields (merged over the computed ones)."""
        self._state.set_lookup_result(phone_number, fields)

    def reset(self) -> None:
        """Forget requests, faults, recorded webhook deliveries and their faults, and all API
        state; the clock and settings stay (deliveries already under way go on)."""
        self._log.clear()
        self._faults.clear()
        self._state.reset()
        self.webhooks.clear_faults()
        self._deliveries.clear()

    # -- fault injection: each affects the next `n` requests (matching `path`, if given) --

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
