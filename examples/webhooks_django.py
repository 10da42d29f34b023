"""Receive Ding's webhook events in Django: check the token, parse, dedupe, answer 200 at
once, and process the event on a worker thread.

    pip install . django  # in a checkout of ding (see Install)
    export DING_API_KEY=... DING_WEBHOOK_TOKEN=...     # the token: CallbackToken.generate()
    python examples/webhooks_django.py runserver        # a whole project in one file

In a real project, ``receive`` goes into your app's ``views.py`` and the path into
``urls.py``; the view is exempt from CSRF (Ding cannot send your CSRF token: the token in
the URL plays that part). Ding does not sign its webhooks, so: the token turns strangers
away, the id makes a redelivery harmless, and the worker believes an event only once the
API confirms it. ``RecentEventIds`` is per process: with several workers, back the
``EventIdStore`` protocol with your database (``INSERT ... ON CONFLICT DO NOTHING``).
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from typing import Any

from django.conf import settings

if not settings.configured:  # this file is the whole project
    settings.configure(
        DEBUG=False,
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["*"],
        SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "example-only-not-a-secret"),
        MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
    )

import django
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

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
    """What the view shares with its worker thread, started on the first event."""

    def __init__(self) -> None:
        self.seen = RecentEventIds(max_size=100_000)
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=10_000)
        self.processed: list[WebhookEvent] = []
        self._token: CallbackToken | None = None
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def token(self) -> CallbackToken:
        if self._token is None:
            self._token = CallbackToken(os.environ["DING_WEBHOOK_TOKEN"])
        return self._token

    def start(self) -> None:
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self.work, name="ding-webhooks", daemon=True)
                self._worker.start()

    def process(self, event: WebhookEvent, client: ding.Ding) -> None:
        """Your business logic. Believe the event only once the API agrees with it."""
        if isinstance(event, UnknownEvent):
            log.info("ignoring a %s event", event.type)
            return
        confirmation = confirm_event_sync(event, client)
        if not confirmation:
            log.warning("unconfirmed event %s: %s", event.id, "; ".join(confirmation.reasons))
            return
        self.processed.append(event)  # e.g. record the cost, mark the message delivered

    def work(self) -> None:
        # DING_API_KEY and DING_SERVER_URL are read here.
        with ding.Ding(timeout=5, deadline=10) as client:
            while (event := self.queue.get()) is not _STOP:
                try:
                    self.process(event, client)
                except Exception:
                    # Already acknowledged: a real app hands events to a durable queue
                    # (a table, Celery) so a failure here can be retried.
                    log.exception("processing event %s failed", event.id)
                finally:
                    self.queue.task_done()

    def stop(self) -> None:
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            self.queue.put(_STOP)
            worker.join(10)


WEBHOOKS = Webhooks()


@csrf_exempt
@require_POST
def receive(request: HttpRequest) -> HttpResponse:
    if not WEBHOOKS.token.verify(request.GET.get("token")):
        return HttpResponse(status=403)
    try:
        event = parse_event(request.body, request.headers)
    except WebhookError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    if not WEBHOOKS.seen.add(event.id):
        return HttpResponse("duplicate")  # taken already: acknowledge it again
    WEBHOOKS.start()
    try:
        WEBHOOKS.queue.put_nowait(event)
    except queue.Full:
        WEBHOOKS.seen.discard(event.id)  # not taken after all: let the redelivery in
        return HttpResponse(status=503)
    return HttpResponse("ok")


urlpatterns = [path(PATH.lstrip("/"), receive)]

django.setup()

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
