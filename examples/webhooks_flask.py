"""Receive Ding's webhook events in Flask: check the token, parse, dedupe, answer 200 at
once, and process the event on a worker thread.

    pip install . flask  # in a checkout of ding (see Install)
    export DING_API_KEY=... DING_WEBHOOK_TOKEN=...     # the token: CallbackToken.generate()
    flask --app examples.webhooks_flask run

    # when sending a code, ask for the events:
    callback_url = CallbackToken(os.environ["DING_WEBHOOK_TOKEN"]).url(
        "https://example.com/webhooks/ding")

Ding does not sign its webhooks, so: the token in the URL turns strangers away, the id
makes a redelivery harmless, and the worker believes an event only once the API confirms
it. ``RecentEventIds`` is per process: with several workers (gunicorn), back the
``EventIdStore`` protocol with Redis or your database instead.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from typing import Any

from flask import Flask, request

import ding
from ding.webhooks import (
    CallbackToken,
    RecentEventIds,
    UnknownEvent,
    WebhookError,
    WebhookEvent,
    confirm_event_sync,
    parse_event,
)

log = logging.getLogger("webhooks")
PATH = "/webhooks/ding"
_STOP = object()


class Webhooks:
    """What the endpoint shares with its worker thread."""

    def __init__(self, token: CallbackToken, client: ding.Ding) -> None:
        self.token = token
        self.client = client
        self.seen = RecentEventIds(max_size=100_000)
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=10_000)
        self.processed: list[WebhookEvent] = []
        self.worker = threading.Thread(target=self.work, name="ding-webhooks", daemon=True)
        self.worker.start()

    def process(self, event: WebhookEvent) -> None:
        """Your business logic. Believe the event only once the API agrees with it."""
        if isinstance(event, UnknownEvent):
            log.info("ignoring a %s event", event.type)
            return
        confirmation = confirm_event_sync(event, self.client)
        if not confirmation:
            log.warning("unconfirmed event %s: %s", event.id, "; ".join(confirmation.reasons))
            return
        self.processed.append(event)  # e.g. record the cost, mark the message delivered

    def work(self) -> None:
        while (event := self.queue.get()) is not _STOP:
            try:
                self.process(event)
            except Exception:
                # Already acknowledged: a real app hands events to a durable queue (a
                # table, Celery, RQ) so a failure here can be retried.
                log.exception("processing event %s failed", event.id)
            finally:
                self.queue.task_done()

    def stop(self) -> None:
        self.queue.put(_STOP)
        self.worker.join(10)


def create_app(client: ding.Ding | None = None, token: CallbackToken | None = None) -> Flask:
    app = Flask(__name__)
    # DING_API_KEY and DING_SERVER_URL are read here; ding.Ding is safe to share by threads.
    hooks = Webhooks(
        token or CallbackToken(os.environ["DING_WEBHOOK_TOKEN"]),
        client or ding.Ding(timeout=5, deadline=10),
    )
    app.extensions["ding_webhooks"] = hooks

    @app.post(PATH)
    def receive() -> Any:
        if not hooks.token.verify(request.args.get("token")):
            return "", 403
        try:
            event = parse_event(request.get_data(), request.headers)
        except WebhookError as exc:
            return str(exc), 400
        if not hooks.seen.add(event.id):
            return "duplicate", 200  # taken already: acknowledge it again
        try:
            hooks.queue.put_nowait(event)
        except queue.Full:
            hooks.seen.discard(event.id)  # not taken after all: let the redelivery in
            return "", 503
        return "ok", 200

    return app


if __name__ == "__main__":
    create_app().run(threaded=True)
