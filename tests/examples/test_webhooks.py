"""The webhook receivers in ``examples/`` (aiohttp.web, FastAPI, Flask, Django), each served on
a loopback port by its usual server and fed by ``FakeDing``'s real deliveries: a lost
acknowledgement makes a duplicate that must be taken once, strangers are turned away, and
events the API does not confirm are not processed."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

import ding
from ding.testing import FakeDing
from ding.webhooks import AttemptEvent, AuthenticationEvent, CallbackToken

from .conftest import CUSTOMER_UUID, load_example

PHONE = "+14155550100"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Served:
    base_url: str
    processed: Callable[[], list[Any]]


# -- each framework served the way it is deployed ------------------------------------------


@contextmanager
def serve_aiohttp(module: ModuleType, token: CallbackToken) -> Iterator[Served]:
    from aiohttp import web

    app = module.create_app(token)
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def run() -> None:
        runner = web.AppRunner(app, shutdown_timeout=1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        state["port"] = runner.addresses[0][1]
        state["stop"] = stop = asyncio.Event()
        state["loop"] = asyncio.get_running_loop()
        ready.set()
        await stop.wait()
        await runner.cleanup()

    thread = threading.Thread(target=asyncio.run, args=(run(),), daemon=True)
    thread.start()
    assert ready.wait(30)
    try:
        yield Served(f"http://127.0.0.1:{state['port']}", lambda: list(app[module.PROCESSED]))
    finally:
        state["loop"].call_soon_threadsafe(state["stop"].set)
        thread.join(30)


@contextmanager
def serve_fastapi(module: ModuleType, token: CallbackToken) -> Iterator[Served]:
    import uvicorn

    config = uvicorn.Config(module.app, host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield Served(f"http://127.0.0.1:{port}", lambda: list(module.app.state.webhooks.processed))
    finally:
        server.should_exit = True
        thread.join(30)


@contextmanager
def serve_wsgi(app: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(30)


@contextmanager
def serve_flask(module: ModuleType, token: CallbackToken) -> Iterator[Served]:
    with ding.Ding() as client:
        app = module.create_app(client, token)
        hooks = app.extensions["ding_webhooks"]
        try:
            with serve_wsgi(app) as base_url:
                yield Served(base_url, lambda: list(hooks.processed))
        finally:
            hooks.stop()


@contextmanager
def serve_django(module: ModuleType, token: CallbackToken) -> Iterator[Served]:
    from django.core.wsgi import get_wsgi_application

    hooks = module.WEBHOOKS
    try:
        with serve_wsgi(get_wsgi_application()) as base_url:
            yield Served(base_url, lambda: list(hooks.processed))
    finally:
        hooks.stop()
        hooks.processed.clear()


SERVERS: dict[str, tuple[str, Callable[..., Any]]] = {
    "aiohttp": ("webhooks_aiohttp.py", serve_aiohttp),
    "fastapi": ("webhooks_fastapi.py", serve_fastapi),
    "flask": ("webhooks_flask.py", serve_flask),
    "django": ("webhooks_django.py", serve_django),
}
_MODULES: dict[str, ModuleType] = {}


@pytest.fixture(params=sorted(SERVERS))
def served(
    request: pytest.FixtureRequest, ding_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Served, CallbackToken]]:
    token = CallbackToken()
    monkeypatch.setenv("DING_WEBHOOK_TOKEN", token.secret)
    filename, serve = SERVERS[request.param]
    # Django configures process-wide settings and caches its URLconf: import it once.
    module = _MODULES.get(filename)
    if module is None or filename != "webhooks_django.py":
        module = _MODULES[filename] = load_example(filename)
    if filename == "webhooks_django.py":
        module.WEBHOOKS._token = token
    with serve(module, token) as server:
        yield server, token


def post(url: str, body: bytes, content_type: str = "application/json") -> int:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with OPENER.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


# -- the tests --------------------------------------------------------------------------------


def test_events_are_taken_once_despite_a_lost_acknowledgement(
    served: tuple[Served, CallbackToken], fake: FakeDing
) -> None:
    server, token = served
    callback_url = token.url(server.base_url + "/webhooks/ding")
    # The receiver gets the authentication event and answers 200, but the answer is "lost":
    # the fake redelivers the same event, which the receiver must not process twice.
    fake.webhooks.fail_next(1, reached=True, event_type="authentication")
    with ding.Ding() as client:
        res = client.otp.create_authentication(
            {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "callback_url": callback_url}
        )
        assert res.create_authentication_response is not None
        auth_uuid = res.create_authentication_response.authentication_uuid
        fake.clock.advance(fake.settings.retry_interval)
        retried = client.otp.retry(
            {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": auth_uuid}
        )
        assert retried.retry_authentication_response is not None
        assert retried.retry_authentication_response.status == "approved"
    deliveries = fake.webhooks.wait(30)

    auth_sends = [d for d in deliveries if d.event_type == "authentication"]
    assert [(d.attempt, d.status, d.fault) for d in auth_sends] == [
        (1, 200, "fail"),
        (2, 200, None),
    ], "the receiver acknowledged both sends"
    assert all(d.status == 200 for d in deliveries)

    wait_until(lambda: len(server.processed()) >= 3, "three events processed")
    time.sleep(0.2)  # a second processing of the duplicate would show up by now
    processed = server.processed()
    assert len(processed) == 3
    assert len({event.id for event in processed}) == 3
    assert sorted(type(e).__name__ for e in processed) == [
        "AttemptEvent",
        "AttemptEvent",
        "AuthenticationEvent",
    ]
    assert all(event.auth_uuid == auth_uuid for event in processed)
    attempts = sorted(e.attempt_number for e in processed if isinstance(e, AttemptEvent))
    assert attempts == [1, 2]
    assert any(isinstance(e, AuthenticationEvent) for e in processed)


def test_strangers_and_forgeries_are_turned_away(
    served: tuple[Served, CallbackToken], fake: FakeDing, caplog: pytest.LogCaptureFixture
) -> None:
    server, token = served
    endpoint = server.base_url + "/webhooks/ding"
    forged_id = str(uuid.uuid4())
    forged = json.dumps(
        {
            "id": forged_id,
            "type": "authentication",
            "auth_uuid": str(uuid.uuid4()),  # no such authentication
            "recipient_phone_number": PHONE,
            "time": "2024-01-01T00:00:00+0000",
        }
    ).encode()
    unknown = json.dumps({"id": str(uuid.uuid4()), "type": "future_kind"}).encode()

    assert post(endpoint, forged) == 403, "no token"
    assert post(endpoint + "?token=" + "x" * 43, forged) == 403, "wrong token"
    assert post(CallbackToken().url(endpoint), forged) == 403, "someone else's token"
    right = token.url(endpoint)
    assert post(right, b"{not json") == 400
    assert post(right, b'{"type": "authentication"}') == 400, "no id"
    assert post(right, forged, content_type="text/html") == 400

    with caplog.at_level(logging.INFO, logger="webhooks"):
        assert post(right, unknown) == 200, "an unknown type is acknowledged"
        assert post(right, forged) == 200, "acknowledged, then refused by confirmation"
        assert post(right, forged) == 200, "and a duplicate is acknowledged again"
        wait_until(
            lambda: any(f"unconfirmed event {forged_id}" in r.getMessage() for r in caplog.records),
            "the forged event to be refused",
        )
    assert server.processed() == []
    assert [r.getMessage() for r in caplog.records].count(
        f"unconfirmed event {forged_id}: the API does not know this authentication"
    ) == 1
    assert any("ignoring a future_kind event" in r.getMessage() for r in caplog.records)
    assert fake.webhook_deliveries == []
