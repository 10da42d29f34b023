"""Faults injected on the fake's webhook deliveries, and the record of every delivery.

Two kinds of rule: *send* faults act on the next sends (a first delivery or a redelivery):
``fail`` and ``delay``; *event* faults act on the next events when they are first sent:
``duplicate`` and ``reorder``. A rule may be limited to one event type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._thread_safe import CountedQueue, Records

__all__ = ["DeliveryLog", "SendFault", "WebhookDelivery", "WebhookFaults"]

EVENT_TYPES = ("authentication", "attempt")


@dataclass(frozen=True)
class WebhookDelivery:
    """One POST of a webhook event (or one that could not be made), for assertions.

    `attempt` counts the sends of this event: 1 for the first delivery, 2 for the first
    redelivery (or a duplicate), ... `status` is the receiver's HTTP status, None when no
    answer came (then `error` says why: connection refused, timeout, an injected failure, a
    host the fake does not deliver to). `fault` names the injected fault that shaped this
    send, if any. `acknowledged` is True when the receiver answered 2xx and the fake took it
    as the acknowledgement (a ``fail`` fault with ``reached=True`` discards it).
    """

    url: str
    event: dict[str, Any]
    attempt: int
    status: int | None
    error: str | None
    fault: str | None
    sent_at: datetime
    acknowledged: bool

    @property
    def event_id(self) -> str:
        return str(self.event["id"])

    @property
    def event_type(self) -> str:
        return str(self.event["type"])


class DeliveryLog(Records[WebhookDelivery]):
    """Thread-safe append-only list of `WebhookDelivery`."""


@dataclass(frozen=True)
class SendFault:
    """What to do to one send: fail it (before or after the receiver got it) or delay it."""

    kind: str  # "fail" or "delay"
    reached: bool = False  # fail: the receiver gets the request, its answer is lost
    seconds: float = 0.0  # delay: real seconds before sending


@dataclass(frozen=True)
class _Rule:
    kind: str
    event_type: str | None
    fault: SendFault | None = None
    hold: float = 0.0  # reorder: longest wait for the rest of the batch
    batch: int = 0  # reorder: events per batch


class WebhookFaults:
    """The queued delivery faults, consumed first-in first-out; thread-safe."""

    def __init__(self) -> None:
        self._rules: CountedQueue[_Rule] = CountedQueue()

    def add_send_fault(self, fault: SendFault, n: int, event_type: str | None) -> None:
        self._add(_Rule(fault.kind, _checked(event_type), fault=fault), n)

    def add_duplicate(self, n: int, event_type: str | None) -> None:
        self._add(_Rule("duplicate", _checked(event_type)), n)

    def add_reorder(self, n: int, hold: float, event_type: str | None) -> None:
        if n < 2:
            raise ValueError("reordering needs at least 2 events")
        if hold <= 0:
            raise ValueError("hold must be positive")
        self._add(_Rule("reorder", _checked(event_type), hold=hold, batch=n), 1)

    def _add(self, rule: _Rule, n: int) -> None:
        if n < 1:
            raise ValueError("the number of deliveries to affect must be at least 1")
        self._rules.add(rule, n)

    def take_send_fault(self, event_type: str) -> SendFault | None:
        rule = self._take(("fail", "delay"), event_type)
        return None if rule is None else rule.fault

    def take_duplicate(self, event_type: str) -> bool:
        return self._take(("duplicate",), event_type) is not None

    def take_reorder(self, event_type: str) -> tuple[int, float, str | None] | None:
        """A reorder batch starting with this event, if one is queued: (size, hold, the
        event type the batch collects)."""
        rule = self._take(("reorder",), event_type)
        return None if rule is None else (rule.batch, rule.hold, rule.event_type)

    def _take(self, kinds: tuple[str, ...], event_type: str) -> _Rule | None:
        return self._rules.take(
            lambda rule: rule.kind in kinds and rule.event_type in (None, event_type)
        )

    def pending(self) -> int:
        return self._rules.pending()

    def clear(self) -> None:
        self._rules.clear()


def _checked(event_type: str | None) -> str | None:
    if event_type is not None and event_type not in EVENT_TYPES:
        raise ValueError(f"event_type must be one of {EVENT_TYPES} or None, got {event_type!r}")
    return event_type
