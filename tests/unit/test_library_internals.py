"""Every internal of asyncio, aiohttp and cattrs that ding relies on for want of a public way,
each behind one function of ding's (issue 20 item 2): if a new release changes one, the test
of it fails and says what ding would lose. Those of requests and OpenTelemetry are tested
where those libraries are installed (tests/compat, tests/observability).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aioresponses import aioresponses
from yarl import URL

from ding._failures import _bound_to_another_loop
from ding._loop_thread import _swap_running_loop
from ding._redaction import WIRE, RedactingRequest, Wire, network_mocked, session_middlewares
from ding._session import no_silent_resend
from ding.models._converter import converter_hook


def _changed(what: str, loses: str) -> str:
    return f"{what} changed in this release: ding loses {loses}; see the function's docstring"


@pytest.mark.asyncio
async def test_asyncio_running_loop_can_be_swapped() -> None:
    loop = asyncio.get_running_loop()
    previous = _swap_running_loop(None)
    try:
        with pytest.raises(RuntimeError):
            asyncio.get_running_loop()
    finally:
        _swap_running_loop(previous)
    assert previous is loop, _changed(
        "asyncio._get_running_loop / _set_running_loop",
        "the facade's loop hiding from other greenlets under gevent and eventlet",
    )
    assert asyncio.get_running_loop() is loop


@contextlib.asynccontextmanager
async def _origin(handler: Any) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.mark.asyncio
async def test_aiohttp_calls_the_request_class_send_once_connected() -> None:
    seen: list[tuple[str, str | None]] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append((request.path_qs, request.headers.get("x-api-key")))
        return web.json_response({})

    async with (
        _origin(handler) as url,
        aiohttp.ClientSession(request_class=RedactingRequest) as session,
    ):
        token = WIRE.set(Wire("the-key", URL(f"{url}/v1/lookup/%2B1555", encoded=True)))
        try:
            async with session.get(URL(f"{url}/v1/lookup/{{phone_number}}", encoded=True)) as r:
                await r.read()
        finally:
            WIRE.reset(token)
    assert seen == [("/v1/lookup/%2B1555", "the-key")], _changed(
        "aiohttp.ClientRequest.send (what a request class overrides)",
        "the key and the real URL put in after instrumentation saw the template",
    )


@pytest.mark.asyncio
async def test_aiohttp_resends_only_while_its_session_allows_it() -> None:
    """aiohttp resends a GET, unasked, when the pooled connection it reused drops; ding turns
    that off (its own policy counts every attempt)."""
    requests = 0

    async def handler(request: web.Request) -> web.StreamResponse:
        nonlocal requests
        requests += 1
        if requests % 2 == 0:  # the second request of a connection: drop it, unanswered
            assert request.transport is not None
            request.transport.close()
            raise asyncio.CancelledError
        return web.json_response({})

    async def two_gets(session: aiohttp.ClientSession, url: str) -> None:
        for _ in range(2):
            async with session.get(url) as response:
                await response.read()

    async with _origin(handler) as url:
        async with aiohttp.ClientSession() as session:
            await two_gets(session, url)  # aiohttp's default: the dropped one is resent
        assert requests == 3, _changed(
            "aiohttp's resend of a GET on a dropped pooled connection", "nothing (it is gone)"
        )
        requests = 0
        async with aiohttp.ClientSession() as session:
            no_silent_resend(session)
            with pytest.raises(aiohttp.ServerDisconnectedError):
                await two_gets(session, url)
        assert requests == 2, _changed(
            "aiohttp.ClientSession._retry_connection",
            "attempt counts that match what the server saw (max_retries, .attempts)",
        )


@pytest.mark.asyncio
async def test_aiohttp_sessions_say_their_middlewares_and_loop() -> None:
    async def middleware(request: Any, handler: Any) -> Any:
        return await handler(request)

    async with aiohttp.ClientSession(middlewares=(middleware,)) as session:
        found = session_middlewares(session)
        assert found is not None and found[0] is middleware, _changed(
            "aiohttp.ClientSession._middlewares",
            "templated URLs and a key hidden from instrumentation on a session of yours",
        )
        assert not _bound_to_another_loop(session)

        async def from_another_loop() -> bool:
            return _bound_to_another_loop(session)

        assert await asyncio.to_thread(asyncio.run, from_another_loop()), _changed(
            "aiohttp.ClientSession._loop", "naming a session made in another event loop"
        )


def test_an_aioresponses_mock_is_recognised_while_it_is_active() -> None:
    assert not network_mocked()
    with aioresponses():
        assert network_mocked(), _changed(
            "aiohttp.ClientSession._request (what aioresponses replaces)",
            "users' aioresponses mocks matching the real URL and seeing the key",
        )
    assert not network_mocked()


def test_the_converter_hooks_are_looked_up() -> None:
    assert converter_hook("structure", int)(3, int) == 3, _changed(
        "cattrs' hook lookup (get_structure_hook, or _structure_func.dispatch before 24.1)",
        "the models' hooks looked up once instead of on every call",
    )
    assert converter_hook("unstructure", int)(3) == 3
