"""`FakeDing`: the public face of the fake, tying clock, state, log, faults and server together."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar

from attrs import fields

from ._authentication import AuthenticationInfo
from ._clock import FakeClock
from ._endpoints import API_PREFIX
from ._fault_injection import FaultInjection
from ._faults import FaultQueue
from ._inbox import fake_routes
from ._log import RecordedRequest, RequestLog
from ._server import LOOPBACK, FakeServer
from ._serving import Served, call_on_loop
from ._settings import LOOPBACK_HOSTS, Settings, WebhookSettings
from ._state import OtpState
from ._webhook_delivery import WebhookDispatcher
from ._webhook_faults import DeliveryLog, WebhookDelivery, WebhookFaults
from ._webhooks import FakeWebhooks

__all__ = ["FakeDing"]

# Bounds how long `reset` from another thread waits for the fake's loop to abandon its work.
_RESET_WAIT = 5.0

P = ParamSpec("P")
R = TypeVar("R")


def _takes_init_arguments(
    init: Callable[Concatenate[Any, P], None],
) -> Callable[[Callable[..., R]], Callable[Concatenate[Any, P], R]]:
    """Give a forwarding classmethod the exact signature of `__init__` for type checkers."""

    def decorate(function: Callable[..., R]) -> Callable[Concatenate[Any, P], R]:
        return function

    return decorate


class FakeDing(Served, FaultInjection):
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
        host: str = LOOPBACK,
        port: int = 0,
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
        :param host: the address to listen on (default: loopback only).
        :param port: the port to listen on (default 0: a free one the system picks).
        """
        given = locals()  # each setting is the option of the same name
        self.settings: Settings = Settings(**{f.name: given[f.name] for f in fields(Settings)})
        self.clock: FakeClock = clock if clock is not None else FakeClock()
        self._state = OtpState(self.settings, self.clock, seed)
        self._log = RequestLog()
        self._faults = FaultQueue()
        self._deliveries, webhook_faults = DeliveryLog(), WebhookFaults()
        self._server = FakeServer(
            self.settings,
            self._state,
            self._log,
            self._faults,
            host=host,
            port=port,
            own_routes=fake_routes(self._state, self._deliveries, lambda: self.url),
        )
        self._webhooks = WebhookDispatcher(
            WebhookSettings.build(
                webhook_retry_schedule, webhook_timeout, webhook_real_time, webhook_hosts
            ),
            self.clock,
            self._deliveries,
            webhook_faults,
            self._state.activity,
        )
        self._state.outbox = self._webhooks.enqueue
        self._loop: asyncio.AbstractEventLoop | None = None  # where it serves, while it does
        self.webhooks: FakeWebhooks = FakeWebhooks(self._webhooks, self._deliveries, webhook_faults)
        """Webhook deliveries, waiting for them, and their fault injection."""

    # -- lifecycle -------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port it listens on."""
        return self._server.bound_port

    @property
    def url(self) -> str:
        """The `server_url` for a client: ``http://127.0.0.1:<port>/v1``."""
        return self._server.base_url + API_PREFIX

    @property
    def inbox_url(self) -> str:
        """The inbox page (every authentication with its current code), ``fake.url``'s root."""
        return self._server.base_url + "/"

    async def start(self) -> None:
        """Start serving (and delivering webhooks) on the running event loop."""
        await self._webhooks.start()
        try:
            await self._server.start()
        except BaseException:
            await self._webhooks.close()
            raise
        self._loop = asyncio.get_running_loop()

    async def close(self) -> None:
        """Stop serving: pending delayed answers and webhook deliveries are abandoned,
        connections closed."""
        self._loop = None
        try:
            await self._webhooks.close()
        finally:
            await self._server.close()

    def _is_running(self) -> bool:
        return self._server.port is not None

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

    def _abandon_work(self) -> None:
        self._server.abandon_delays()
        self._webhooks.abandon()

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
        state; abandon the work under way (webhook deliveries, answers held by `delay_next`).
        The clock and settings stay."""
        call_on_loop(self._loop, self._abandon_work, timeout=_RESET_WAIT)
        self._log.clear()
        self._faults.clear()
        self._state.reset()
        self.webhooks.clear_faults()
        self._deliveries.clear()
