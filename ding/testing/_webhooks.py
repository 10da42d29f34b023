"""`FakeWebhooks` (``fake.webhooks``): what the fake delivered to ``callback_url``s, waiting for
it, and faults to inject on the deliveries."""

from __future__ import annotations

from ._webhook_delivery import WebhookDispatcher
from ._webhook_faults import DeliveryLog, SendFault, WebhookDelivery, WebhookFaults

__all__ = ["FakeWebhooks"]

_DEFAULT_WAIT = 10.0


class FakeWebhooks:
    """The webhook side of a `FakeDing`, as ``fake.webhooks``.

    When a ``create_authentication`` request carries a ``callback_url``, the fake POSTs the
    ``authentication`` event, then an ``attempt`` event for every message it sends (the
    first code and each approved retry), each with a unique ``id``. A non-2xx answer or a
    connection failure is redelivered with the same ``id`` on the ``webhook_retry_schedule``.
    Every method is thread-safe.

    Faults: *send* faults (`fail_next`, `delay_next`) act on the next sends, first
    deliveries and redeliveries alike; *event* faults (`duplicate_next`, `reorder_next`)
    act on the next events when first sent. ``event_type`` (``"authentication"`` or
    ``"attempt"``) limits a fault to one type.
    """

    def __init__(self, dispatcher: WebhookDispatcher, log: DeliveryLog, faults: WebhookFaults):
        self._dispatcher = dispatcher
        self._log = log
        self._faults = faults

    @property
    def deliveries(self) -> list[WebhookDelivery]:
        """Every send so far (or since `reset`), oldest first."""
        return self._log.all()

    def deliveries_for(self, authentication_uuid: str) -> list[WebhookDelivery]:
        """The sends of one authentication's events."""
        wanted = authentication_uuid.lower()
        return [d for d in self._log.all() if str(d.event.get("auth_uuid")).lower() == wanted]

    @property
    def pending(self) -> int:
        """Events not yet acknowledged, given up on or abandoned (queued, in flight, or
        waiting to be redelivered)."""
        return self._dispatcher.pending

    def wait(self, timeout: float = _DEFAULT_WAIT) -> list[WebhookDelivery]:
        """Block until no delivery is pending; returns `deliveries`.

        For the fake served from its thread (``FakeDing.running()``, the ``fake_ding``
        fixture). Raises ``TimeoutError`` if deliveries are still pending after `timeout`
        seconds (e.g. a receiver that keeps failing, with a long retry schedule).
        """
        self._dispatcher.wait(timeout)
        return self.deliveries

    async def wait_async(self, timeout: float = _DEFAULT_WAIT) -> list[WebhookDelivery]:
        """`wait` for async code, including a fake running on the test's own loop."""
        await self._dispatcher.wait_async(timeout)
        return self.deliveries

    # -- faults -------------------------------------------------------------------------

    def fail_next(
        self, n: int = 1, *, reached: bool = False, event_type: str | None = None
    ) -> None:
        """Make the next `n` sends fail, so their events are redelivered (same ``id``).

        By default the request never reaches the receiver (as if the connection failed).
        With ``reached=True`` the receiver gets it and answers, but its answer is lost:
        the receiver sees the same event again, the way a real duplicate happens.
        """
        self._faults.add_send_fault(SendFault("fail", reached=reached), n, event_type)

    def delay_next(
        self, n: int = 1, seconds: float = 1.0, *, event_type: str | None = None
    ) -> None:
        """Hold the next `n` sends back for `seconds` (real time); events behind a delayed
        one go ahead of it."""
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        self._faults.add_send_fault(SendFault("delay", seconds=seconds), n, event_type)

    def duplicate_next(self, n: int = 1, *, event_type: str | None = None) -> None:
        """Send each of the next `n` events twice (same ``id``), whatever the receiver answers."""
        self._faults.add_duplicate(n, event_type)

    def reorder_next(self, n: int = 2, *, hold: float = 1.0, event_type: str | None = None) -> None:
        """Hold the next `n` events back and send them newest first (the ``attempt`` before
        the ``authentication``). If fewer than `n` come within `hold` seconds, those held
        go out anyway, newest first."""
        self._faults.add_reorder(n, hold, event_type)

    @property
    def pending_faults(self) -> int:
        """How many sends (or reorder batches) the queued faults will still affect."""
        return self._faults.pending()

    def clear_faults(self) -> None:
        self._faults.clear()

    def __repr__(self) -> str:
        return f"<FakeWebhooks deliveries={len(self._log.all())} pending={self.pending}>"
