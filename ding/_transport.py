"""The one request path: build -> send with aiohttp -> retry policy -> map errors -> decode.

Knows no concrete operation; every endpoint goes through :meth:`Transport.send`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, TypeVar

import aiohttp
from aiohttp.payload import BytesPayload
from yarl import URL

from ._call_settings import CallSettings, resolve
from ._endpoints import Endpoint
from ._logging import logger
from ._proxy import ProxySettings
from ._raw_response import RawResponse
from ._reading import read_body, whole_fits
from ._redaction import WIRE, Wire, check_api_key, forget_frames, hide_url, route
from ._retry import Outcome, classify_status, parse_retry_after
from ._session import SessionOwner
from ._telemetry import CallTrace, Telemetry
from ._wire import PreparedRequest, build_request, decode_response, error_for_status
from .models import errors

Envelope = TypeVar("Envelope")

ApiKey = str | Callable[[], str]

# A retry is started only if at least this much of the overall deadline remains after the
# wait: a shorter attempt would time out before its request is even sent.
_SHORTEST_USEFUL_ATTEMPT = 0.05
# aiohttp rounds a timeout of 5 s or more up to a whole second of the loop's clock (up to 1 s
# late); no threshold it can reach keeps every deadline within a few milliseconds.
_NEVER_ROUND_UP = math.inf


class Transport:
    """Sends prepared requests for any endpoint, with retries, timeouts and error mapping.

    ``headers_on_session`` says the sessions carry ``headers`` as their default headers
    (ding built them): then a call sends only its own extra headers, which spares aiohttp a
    header merge per request. Those sessions complete a request with the key and the real
    URL when it is sent (``_redaction``); a session of yours gets a client middleware that
    does the same.
    """

    def __init__(
        self,
        *,
        settings: CallSettings,
        api_key: ApiKey,
        headers: Mapping[str, str],
        sessions: SessionOwner,
        headers_on_session: bool = False,
        proxies: ProxySettings | None = None,
        clock: Callable[[], float] = time.monotonic,
        telemetry: Telemetry | None = None,
    ) -> None:
        self.settings = settings
        self._api_key = api_key
        self._sessions = sessions
        self._clock = clock
        self._telemetry = Telemetry() if telemetry is None else telemetry
        self._static_headers: dict[str, str] = dict(headers)
        self._headers_on_session = headers_on_session
        # With a fixed key the wire of a parameter-less call is the same every time.
        self._fixed_wire: Wire | None = None
        if not callable(api_key):
            self._fixed_wire = Wire(check_api_key(api_key), None)
        # The proxy of the server URL is chosen once; a per-call server_url chooses again.
        self._proxies = proxies
        self._proxy = proxies.for_url(settings.base_url) if proxies is not None else None

    def __repr__(self) -> str:
        return f"<Transport {self.settings.base_url}>"

    def _headers(self, settings: CallSettings) -> dict[str, str] | None:
        """The headers a call gives aiohttp, the key not among them (see ``_redaction``)."""
        extra = settings.extra_headers
        if self._headers_on_session:
            return dict(extra) if extra else None
        return {**self._static_headers, **extra}

    def _wire(self, request: PreparedRequest) -> Wire:
        """The key (read now if it is a callable) and, with path parameters or a query,
        the real URL: what the request is completed with when it is sent."""
        fixed = self._fixed_wire
        url = None if request.fixed_url else URL(request.url, encoded=True)
        if fixed is not None:
            return fixed if url is None else Wire(fixed.key, url)
        key = self._api_key() if callable(self._api_key) else self._api_key
        return Wire(check_api_key(key), url)

    def send(
        self,
        endpoint: Endpoint[Envelope],
        options: Mapping[str, Any],
        *,
        body: Any = None,
        path_params: Mapping[str, str] | None = None,
        query: Sequence[tuple[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> Coroutine[Any, Any, Envelope]:
        """Validate and build the request now (raising before any I/O), then return the
        coroutine that sends it. A plain function: one coroutine layer less per call."""
        settings = resolve(self.settings, options) if options else self.settings
        request_headers = self._headers(settings)
        if headers:
            request_headers = {**request_headers, **headers} if request_headers else dict(headers)
        request = build_request(
            endpoint,
            base_url=settings.base_url,
            headers=request_headers,
            body=body,
            path_params=path_params,
            query=query,
        )
        # The key is read (a callable's too) before any I/O: its errors are the call's.
        wire = self._fixed_wire
        if wire is None or not request.fixed_url:
            wire = self._wire(request)
        return self._send_with_retries(endpoint, request, settings, wire)

    async def _send_with_retries(
        self,
        endpoint: Endpoint[Envelope],
        request: PreparedRequest,
        settings: CallSettings,
        wire: Wire,
    ) -> Envelope:
        policy = settings.retry
        proxy = self._proxy
        if self._proxies is not None and settings.base_url is not self.settings.base_url:
            proxy = self._proxies.for_url(settings.base_url)
        session = self._sessions.current()
        if session is None:  # this loop's first call (or its session was closed)
            session = await self._sessions.get()
        url, headers, handover, middlewares = route(
            session,
            real_url=request.url,
            template=_template_url(request.template),
            headers=request.headers,
            wire=wire,
            own_session=self._headers_on_session,
        )
        del wire  # (the key: kept only where the request is completed)
        now = started = self._clock()
        deadline_at = math.inf if settings.deadline is None else now + settings.deadline
        trace = self._telemetry.start(endpoint.name, request.method, request.template)
        attempt = 0
        error: errors.DingError | None = None
        body: bytes | None = None
        response: aiohttp.ClientResponse | None = None
        try:
            while True:
                attempt += 1
                total = settings.timeout
                # Positive: the deadline is checked again after every pause (below), so an
                # attempt never gets a non-positive total, which aiohttp takes as "no timeout".
                remaining = deadline_at - now
                if total is None or remaining < total:
                    # The attempt may not outlive the deadline of the whole call.
                    timeout = _timeout(remaining, settings.connect_timeout)
                else:
                    timeout = _reused_timeout(total, settings.connect_timeout)
                retry_after: float | None = None
                # A payload is consumed by sending, so each attempt gets its own.
                data = (
                    None
                    if request.body is None
                    else BytesPayload(request.body, content_type=request.content_type)
                )
                attempt_headers = headers
                if trace is not None:
                    propagation = trace.attempt_started(attempt)
                    if propagation:
                        attempt_headers = {**headers, **propagation} if headers else propagation
                token = WIRE.set(handover) if handover is not None else None
                try:
                    # Redirects are not followed: aiohttp would carry x-api-key to another origin
                    # and a 307/308 would POST (send an SMS) a second time.
                    async with session.request(
                        request.method,
                        url,
                        data=data,
                        headers=attempt_headers,
                        timeout=timeout,
                        allow_redirects=False,
                        proxy=proxy,
                        middlewares=middlewares,  # None: the session's own
                    ) as response:
                        if whole_fits(response, settings.max_response_size):
                            body = await response.read()
                        else:
                            body = await read_body(
                                response,
                                settings.max_response_size,
                                endpoint.operation_id,
                                attempt,
                            )
                    raw = RawResponse(response, body, request.body, self._clock() - now)
                except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError) as exc:
                    if not request.fixed_url:  # the URL holds a path parameter or a query
                        hide_url(exc, request.url, request.template)
                    if session.closed:  # close() ran meanwhile; aiohttp says "Session is closed"
                        raise _closed(endpoint, attempt) from exc
                    now = self._clock()
                    # Imported by a failure only: a process whose calls succeed never loads
                    # it (0.4M instructions of a fresh process's import, measured).
                    from ._failures import attempt_failed

                    outcome, error = attempt_failed(
                        exc,
                        operation=endpoint.operation_id,
                        attempts=attempt,
                        session=session,
                        proxy=proxy,
                        deadline_passed=deadline_at - now <= 0,
                    )
                    if outcome is Outcome.SAFE and not policy.retry_connection_errors:
                        outcome = Outcome.FINAL
                    status = None
                else:
                    status = response.status
                    if 200 <= status < 300:
                        if trace is not None:
                            trace.attempt_ended(status, None)
                        envelope = decode_response(
                            endpoint,
                            status=status,
                            content_type=response.headers.get("Content-Type", ""),
                            body=body,
                            raw=raw,
                            attempts=attempt,
                        )
                        if trace is not None:
                            trace.ended(None)
                        return envelope
                    outcome = classify_status(status)
                    if status == 407 and proxy is not None:
                        # Only a proxy answers 407: a configuration error, raised at once.
                        outcome = Outcome.FINAL
                        from ._failures import proxy_refused  # (see attempt_failed)

                        error = proxy_refused(
                            endpoint.operation_id,
                            proxy,
                            status,
                            response.reason,
                            response.headers,
                            attempt,
                        )
                    else:
                        if status in (429, 503):
                            retry_after = parse_retry_after(response.headers.get("Retry-After"))
                        error = error_for_status(
                            status=status,
                            body=body,
                            headers=response.headers,
                            raw=raw,
                            attempts=attempt,
                            retry_after=retry_after,
                        )
                    now = self._clock()
                finally:
                    if token is not None:
                        WIRE.reset(token)
                if trace is not None:
                    trace.attempt_ended(status, error)
                if outcome is Outcome.FINAL:
                    raise error
                retries_done = attempt - 1
                if not policy.allows(
                    outcome, idempotent=endpoint.idempotent, retries_done=retries_done
                ):
                    why = "not retried" if attempt == 1 else "retries spent"
                    if outcome is Outcome.AMBIGUOUS and policy.allows(
                        outcome, idempotent=True, retries_done=retries_done
                    ):
                        # Only the request's effect stood in the way: say so, and how to opt in.
                        error.not_retried = (
                            "the server may have acted on it (retry_ambiguous=True retries it)"
                        )
                        why = "not retried: the server may have acted on it"
                    raise self._give_up(trace, request, endpoint, started, status, error, why)
                wait = retry_after if retry_after is not None else policy.backoff(attempt - 1)
                if retry_after is not None and retry_after > policy.retry_after_cap:
                    # It carries retry_after; sleeping that long would look like a hang.
                    why = "Retry-After beyond the cap"
                    raise self._give_up(trace, request, endpoint, started, status, error, why)
                if policy.max_elapsed is not None and now + wait - started > policy.max_elapsed:
                    # The official RetryConfig's max_elapsed_time: no retry starts after it.
                    why = "max_elapsed_time reached"
                    raise self._give_up(trace, request, endpoint, started, status, error, why)
                if now + wait + _SHORTEST_USEFUL_ATTEMPT >= deadline_at:
                    # Too little of the deadline would be left for the request to even reach
                    # the server: report the failure we have rather than a pointless timeout.
                    raise self._give_up(
                        trace, request, endpoint, started, status, error, "deadline"
                    )
                if trace is None and logger.isEnabledFor(logging.INFO):
                    trace = self._telemetry.late(
                        endpoint.name, request.method, request.template, attempt, started
                    )
                if trace is not None:
                    trace.retrying(wait, status, error)
                await self._sessions.pause(session, wait)
                if session.closed:
                    raise _closed(endpoint, attempt) from error
                # Re-read the clock after the pause: a loop stalled by someone's CPU-bound
                # callback wakes late, and the deadline is hard.
                now = self._clock()
                if deadline_at - now < _SHORTEST_USEFUL_ATTEMPT:
                    raise self._give_up(
                        trace, request, endpoint, started, status, error, "deadline"
                    )
        except errors.DingError as raised:
            # Error trackers send the variables of a traceback's frames: the finished frames
            # below this one (aiohttp's, the decoder's) lose theirs, and this one drops what
            # it read (the answer of a lookup holds the number) and the proxy's credentials.
            body = response = proxy = None
            if trace is not None:
                trace.ended(raised)
            forget_frames(raised)
            raise
        except BaseException as stopped:  # cancelled: the spans end, the context is restored
            if trace is not None:
                trace.ended(stopped)
            raise
        finally:
            # A raised error's traceback holds this frame, and this frame would hold the error
            # (and its cause): a cycle that keeps the transport, and through it the client's
            # sessions, alive until the cyclic GC runs. A dropped client must be freed by
            # reference counting alone.
            error = None

    def _give_up(
        self,
        trace: CallTrace | None,
        request: PreparedRequest,
        endpoint: Endpoint[Any],
        started: float,
        status: int | None,
        error: errors.DingError,
        why: str,
    ) -> errors.DingError:
        """``error``, after telling the listeners (the logger at INFO) that a transient
        failure is final."""
        if trace is None and logger.isEnabledFor(logging.INFO):
            trace = self._telemetry.late(
                endpoint.name, request.method, request.template, error.attempts, started
            )
        if trace is not None:
            trace.gave_up(why, status, error)
        return error


# Parsing a URL and building an aiohttp timeout are a few percent of a call: each is done
# once per value (the values seldom vary: a per-call server URL or timeout is rare), and the
# caches stay small.
@functools.lru_cache(maxsize=64)
def _template_url(template: str) -> URL:
    """The URL given to aiohttp: the template, braces kept as they are (encoded=True), so
    instrumentation records ``.../lookup/{phone_number}``; it is never sent."""
    return URL(template, encoded=True)


def _timeout(total: float | None, connect: float | None) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=total, connect=connect, ceil_threshold=_NEVER_ROUND_UP)


_reused_timeout = functools.lru_cache(maxsize=64)(_timeout)


def _closed(endpoint: Endpoint[Any], attempts: int) -> errors.ClientClosedError:
    return errors.ClientClosedError(
        f"{endpoint.operation_id}: the client was closed during the call", attempts=attempts
    )
