"""Receive Ding's webhook events in aiohttp.web: check the token, parse, dedupe, answer 200
at once, and process the event in a background task.

    pip install .  # in a checkout of ding (see Install)
    export DING_API_KEY=... DING_WEBHOOK_TOKEN=...     # the token: CallbackToken.generate()
    python examples/webhooks_aiohttp.py                 # listens on :8080

    # when sending a code, ask for the events:
    callback_url = CallbackToken(os.environ["DING_WEBHOOK_TOKEN"]).url(
        "https://example.com/webhooks/ding")

Ding does not sign its webhooks, so: the token in the URL turns strangers away, the id
makes a redelivery harmless, and the worker believes an event only once the API confirms
it. Ding redelivers anything not answered 200 for two weeks: answer fast, work later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator

from aiohttp import web

import ding
from ding.webhooks import (
    CallbackToken,
    RecentEventIds,
    UnknownEvent,
    WebhookError,
    WebhookEvent,
    confirm_event,
    parse_event,
)

log = logging.getLogger("webhooks")
PATH = "/webhooks/ding"

TOKEN = web.AppKey("token", CallbackToken)
SEEN = web.AppKey("seen", RecentEventIds)
QUEUE = web.AppKey("queue", asyncio.Queue)
PROCESSED = web.AppKey("processed", list)


async def receive(request: web.Request) -> web.Response:
    app = request.app
    if not app[TOKEN].verify(request.query.get("token")):
        return web.Response(status=403)
    try:
        event = parse_event(await request.read(), request.headers)
    except WebhookError as exc:
        return web.Response(status=400, text=str(exc))
    if not app[SEEN].add(event.id):
        return web.Response(text="duplicate")  # taken already: acknowledge it again
    try:
        app[QUEUE].put_nowait(event)
    except asyncio.QueueFull:
        app[SEEN].discard(event.id)  # not taken after all: let the redelivery in
        return web.Response(status=503)
    return web.Response(text="ok")


async def process(event: WebhookEvent, client: ding.AsyncDing, app: web.Application) -> None:
    """Your business logic. Believe the event only once the API agrees with it."""
    if isinstance(event, UnknownEvent):
        log.info("ignoring a %s event", event.type)
        return
    confirmation = await confirm_event(event, client)
    if not confirmation:
        log.warning("unconfirmed event %s: %s", event.id, "; ".join(confirmation.reasons))
        return
    app[PROCESSED].append(event)  # e.g. record the cost, mark the message delivered


async def work(app: web.Application, client: ding.AsyncDing) -> None:
    queue = app[QUEUE]
    while True:
        event = await queue.get()
        try:
            await process(event, client, app)
        except Exception:
            # Already acknowledged: a real app hands events to a durable queue (a table,
            # Celery, RQ) so a failure here can be retried.
            log.exception("processing event %s failed", event.id)
        finally:
            queue.task_done()


async def worker(app: web.Application) -> AsyncIterator[None]:
    # DING_API_KEY and DING_SERVER_URL are read here; one client for the app's lifetime.
    async with ding.AsyncDing(timeout=5, deadline=10) as client:
        task = asyncio.create_task(work(app, client))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def create_app(token: CallbackToken | None = None) -> web.Application:
    app = web.Application()
    app[TOKEN] = token or CallbackToken(os.environ["DING_WEBHOOK_TOKEN"])
    app[SEEN] = RecentEventIds(max_size=100_000)
    app[QUEUE] = asyncio.Queue(maxsize=10_000)
    app[PROCESSED] = []
    app.router.add_post(PATH, receive)
    app.cleanup_ctx.append(worker)
    return app


if __name__ == "__main__":
    web.run_app(create_app(), port=8080)
