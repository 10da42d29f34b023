"""What the fake just did, as it happens: a code sent, a check answered, a request refused, a
webhook delivered. ``ding fake`` prints one line for each; anything may subscribe.

The state, the server and the webhook dispatcher emit to one `ActivityFeed` per fake. A
subscriber runs on the thread that emitted (the fake's loop, inside the state's lock), so it
must be quick and must not call back into the fake; one that raises is logged and skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from ._thread_safe import Subscribers
from ._webhook_faults import WebhookDelivery

__all__ = ["Activity", "ActivityFeed", "Subscriber"]

_log = logging.getLogger("ding.testing")

Kind = Literal["send", "retry", "check", "feedback", "refused", "webhook"]


@dataclass(frozen=True)
class Activity:
    """One thing the fake did. Which fields are set depends on `kind`:

    * ``send``, ``retry``: `phone_number`, `authentication_uuid`, `status` (what the API
      answered: ``pending``, ``rate_limited``, ... / ``approved``, ``denied``, ...), `code`
      and `attempt` when a message went out (attempt 1 is the first send), `remaining_retry`;
    * ``check``: `phone_number`, `authentication_uuid`, `code` (the one tried), `status`;
    * ``feedback``: `phone_number`, `status`;
    * ``refused``: `method`, `path`, `http_status`, `status` (the API's error code);
    * ``webhook``: `delivery`.
    """

    kind: Kind
    at: datetime
    phone_number: str | None = None
    authentication_uuid: str | None = None
    code: str | None = None
    status: str | None = None
    attempt: int | None = None
    remaining_retry: int | None = None
    method: str | None = None
    path: str | None = None
    http_status: int | None = None
    delivery: WebhookDelivery | None = None


Subscriber = Callable[[Activity], None]


class ActivityFeed(Subscribers[Activity]):
    """The subscribers of one fake; thread-safe."""

    def emit(self, activity: Activity) -> None:
        for subscriber in self.current():
            try:
                subscriber(activity)
            except Exception:  # a subscriber's bug must not change what the fake answers
                _log.exception("an activity subscriber of the fake raised; skipped")
