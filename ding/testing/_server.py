"""The HTTP face of the fake: aiohttp routes, the API-key check, logging and fault injection.

Everything that decides *what* to answer lives in `_state` (logic) and `_validation`
(input rules); this module only moves bytes between HTTP and those. Requests under the API's
prefix (``/v1``) are the API's: logged, open to injected faults, keyed. Anything else is the
fake's own (the inbox page, ``/_fake/...``): none of that.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiohttp import web
from multidict import CIMultiDictProxy, MultiDict, MultiDictProxy

from ._activity import Activity
from ._endpoints import API_PREFIX, ENDPOINTS, Endpoint
from ._errors import ApiError, error_body
from ._faults import FaultQueue
from ._listener import Listener
from ._log import RecordedRequest, RequestLog
from ._settings import Settings
from ._state import OtpState
from ._validation import validate

__all__ = ["LOOPBACK", "FakeServer", "is_loopback"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

LOOPBACK = "127.0.0.1"
# What a client on this machine dials for a server bound to every interface.
_DIAL = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}
# Bounds how long closing waits for a handler; delayed ones are woken at shutdown anyway.
_SHUTDOWN_TIMEOUT = 2.0


def _json_response(status: int, body: Any) -> web.Response:
    return web.json_response(body, status=status)


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach a server bound to `host`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name other than localhost
        return False


class FakeServer:
    """Serves one `OtpState` on a port of the running event loop (by default an ephemeral
    loopback one), with the fake's own pages (`own_routes`) beside the API."""

    def __init__(
        self,
        settings: Settings,
        state: OtpState,
        log: RequestLog,
        faults: FaultQueue,
        *,
        host: str = LOOPBACK,
        port: int = 0,
        own_routes: Sequence[web.RouteDef] = (),
    ) -> None:
        self._settings = settings
        self._state = state
        self._log = log
        self._faults = faults
        self.host = host.strip("[]")
        self._wanted_port = port
        self._own_routes = own_routes
        self._listener: Listener | None = None
        # Set when closing or resetting: ends every delay fault at once.
        self._abandoned = asyncio.Event()
        self.port: int | None = None

    @property
    def bound_port(self) -> int:
        if self.port is None:
            raise RuntimeError("the fake is not running: use `async with` or FakeDing.running()")
        return self.port

    @property
    def base_url(self) -> str:
        """``http://host:port`` as a client on this machine dials it."""
        host = _DIAL.get(self.host, self.host)
        return f"http://{f'[{host}]' if ':' in host else host}:{self.bound_port}"

    async def start(self) -> int:
        if self._listener is not None:
            raise RuntimeError("the fake is already running")
        app = web.Application(middlewares=[self._intercept])
        for endpoint in ENDPOINTS:
            app.router.add_route(
                endpoint.method,
                endpoint.route,
                self._handler_for(endpoint),
                name=endpoint.operation_id,
            )
        app.router.add_routes(self._own_routes)
        listener = await Listener.start(
            app, self.host, self._wanted_port, shutdown_timeout=_SHUTDOWN_TIMEOUT
        )
        self._abandoned = asyncio.Event()
        self._listener = listener
        self.port = listener.port
        return self.port

    def abandon_delays(self) -> None:
        """On the loop: end every delay fault now (their connections close unanswered)."""
        abandoned, self._abandoned = self._abandoned, asyncio.Event()
        abandoned.set()

    async def close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is None:
            return
        # Delayed handlers wake once no client can reconnect, and close their connections.
        await listener.close(before_cleanup=self.abandon_delays)
        self.port = None

    # -- per request -----------------------------------------------------------------

    @web.middleware
    async def _intercept(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Log an API request, then let an injected fault or the real handling answer it."""
        path = request.path
        if path != API_PREFIX and not path.startswith(API_PREFIX + "/"):
            return await _own_page(request, handler)
        body = await request.read()
        operation = request.match_info.route.name
        fault = self._faults.take(operation, request.path)
        self._log.append(
            RecordedRequest(
                method=request.method,
                path=request.path,
                raw_path=request.rel_url.raw_path,
                query=MultiDictProxy(MultiDict(request.query)),
                headers=CIMultiDictProxy(request.headers.copy()),
                body=body,
                operation=operation,
                fault=None if fault is None else fault.kind,
                received_at=self._state.clock.now(),
            )
        )

        async def answer() -> web.StreamResponse:
            return await self._answer(request, handler)

        if fault is not None:
            return await fault.respond(request, answer, self._abandoned)
        return await answer()

    async def _answer(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            self._authenticate(request)
            return await handler(request)
        except ApiError as error:
            self._refused(request, error.status, error.code)
            return _json_response(error.status, error.body())
        except web.HTTPException as exc:
            # Unknown paths and methods: keep the status, but speak the API's error format.
            if exc.status < 400:
                raise
            self._refused(request, exc.status, "bad_request")
            response = _json_response(exc.status, error_body("bad_request", exc.reason))
            if "Allow" in exc.headers:
                response.headers["Allow"] = exc.headers["Allow"]
            return response

    def _refused(self, request: web.Request, status: int, code: str) -> None:
        self._state.activity.emit(
            Activity(
                "refused",
                self._state.clock.now(),
                method=request.method,
                path=request.path,
                http_status=status,
                status=code,
            )
        )

    def _authenticate(self, request: web.Request) -> None:
        key = request.headers.get("x-api-key", "").strip()
        if not key:
            raise ApiError("account_invalid", "missing API key (x-api-key header)", status=401)
        accepted = self._settings.api_keys
        if accepted is not None and key not in accepted:
            raise ApiError("account_invalid", "invalid API key", status=401)

    def _handler_for(self, endpoint: Endpoint) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            values = await _collect_inputs(endpoint, request)
            validate(values, endpoint.fields)
            return _json_response(200, endpoint.action(self._state, values))

        return handle


async def _own_page(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The fake's own pages answer for themselves; anything else outside the API is a 404 that
    says where the API is."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        message = f"{request.path} is not a page of the fake; the API is under {API_PREFIX}/"
        return _json_response(exc.status, {"code": "not_found", "message": message})


async def _collect_inputs(endpoint: Endpoint, request: web.Request) -> dict[str, Any]:
    """Gather an endpoint's inputs from wherever the spec puts them, under their field names."""
    values: dict[str, Any] = await _json_object(request) if endpoint.takes_body else {}
    for name, field in endpoint.fields.items():
        wire_name = endpoint.wire_name(name)
        if field.source == "path":
            values[name] = request.match_info[wire_name]
        elif field.source == "header" and wire_name in request.headers:
            values[name] = request.headers[wire_name]
        elif field.source == "query" and wire_name in request.query:
            values[name] = request.query.getall(wire_name)
    return values


async def _json_object(request: web.Request) -> dict[str, Any]:
    content_type = request.content_type
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise ApiError("bad_request", "the body must be JSON (Content-Type: application/json)")
    try:
        parsed = json.loads(await request.read())
    except ValueError:  # also UnicodeDecodeError
        raise ApiError("bad_request", "the body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise ApiError("bad_request", "the body must be a JSON object")
    return parsed
