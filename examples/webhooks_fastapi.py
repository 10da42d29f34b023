"""Receive Ding's webhook events in FastAPI: check the token, parse, dedupe, answer 200 at
once, and process the event in a background task.

    pip install . fastapi uvicorn  # in a checkout of ding (see Install)
    export DING_API_KEY=... DING_WEBHOOK_TOKEN=...     # the token: CallbackToken.generate()
    uvicorn examples.webhooks_fastapi:app

    # when sending a code, ask for the events:
    callback_url = CallbackToken(os.environ["DING_WEBHOOK_TOKEN"]).url(
        "https://example.com/webhooks/ding")

Ding does not sign its webhooks, so: the token in the URL turns strangers away, the id
makes a redelivery harmless, and the worker believes an event only once the API confirms
it. The body is read raw (not as a pydantic model) so that ``parse_event`` judges it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from fastapi import FastAPI, Request, Response

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


@dataclass
class Webhooks:
    token: CallbackToken
    seen: RecentEventIds = field(default_factory=lambda: RecentEventIds(max_size=100_000))
    queue: asyncio.Queue[WebhookEvent] = field(
        default_factory=lambda: asyncio.Queue(maxsize=10_000)
    )
    processed: list[WebhookEvent] = field(default_factory=list)


async def process(event: WebhookEvent, client: ding.AsyncDing, hooks: Webhooks) -> None:
    """Your business logic. Believe the event only once the API agrees with it."""
    if isinstance(event, UnknownEvent):
        log.info("ignoring a %s event", event.type)
        return
    confirmation = await confirm_event(event, client)
    if not confirmation:
        log.warning("unconfirmed event %s: %s", event.id, "; ".join(confirmation.reasons))
        return
    hooks.processed.append(event)  # e.g. record the cost, mark the message delivered


async def work(hooks: Webhooks, client: ding.AsyncDing) -> None:
    while True:
        event = await hooks.queue.get()
        try:
            await process(event, client, hooks)
        except Exception:
            # Already acknowledged: a real app hands events to a durable queue (a table,
            # Celery, RQ) so a failure here can be retried.
            log.exception("processing event %s failed", event.id)
        finally:
            hooks.queue.task_done()


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # DING_API_KEY and DING_SERVER_URL are read here; one client for the app's lifetime.
    hooks = Webhooks(CallbackToken(os.environ["DING_WEBHOOK_TOKEN"]))
    async with ding.AsyncDing(timeout=5, deadline=10) as client:
        app.state.webhooks = hooks
        task = asyncio.create_task(work(hooks, client))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


app = FastAPI(lifespan=lifespan)


@app.post(PATH)
async def receive(request: Request) -> Response:
    hooks: Webhooks = request.app.state.webhooks
    if not hooks.token.verify(request.query_params.get("token")):
        return Response(status_code=403)
    try:
        event = parse_event(await request.body(), request.headers)
    except WebhookError as exc:
        return Response(str(exc), status_code=400)
    if not hooks.seen.add(event.id):
        return Response("duplicate")  # taken already: acknowledge it again
    try:
        hooks.queue.put_nowait(event)
    except asyncio.QueueFull:
        hooks.seen.discard(event.id)  # not taken after all: let the redelivery in
        return Response(status_code=503)
    return Response("ok")
