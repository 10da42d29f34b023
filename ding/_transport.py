"""The one request path: build -> send with aiohttp -> retry policy -> map errors -> decode.

Knows no concrete operation; every endpoint goes through :meth:`Transport.send`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, TypeVar

import aiohttp
from aiohttp.payload import BytesPayload
from yarl import URL

from ._endpoints import Endpoint
from ._failures import attempt_failed, proxy_refused
from ._logging import logger, mask_path
from ._options import CallSettings, resolve
from ._proxy import ProxySettings
from ._raw_response import RawResponse
from ._reading import read_body, whole_fits
from ._retry import Outcome, classify_status, parse_retry_after
from ._session import SessionOwner
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


class Secret(str):
    """A header value that is sent as is but shows as ``'***'`` in any repr, so debuggers
    and error trackers that print ``raw_response.request_info`` never show the key."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"


def check_api_key(key: object) -> Secret:
    """The key as a header value; refuses what could split or forge a header."""
    if not isinstance(key, str) or not key:
        raise errors.ValidationError("api_key", "a non-empty string", got=type(key).__name__)
    if any(ch in key for ch in "\r\n\0"):
        # Never echo the key itself: it is a credential.
        raise errors.ValidationError("api_key", "a key without CR, LF or NUL characters")
    return key if isinstance(key, Secret) else Secret(key)


class Transport:
    """Sends prepared requests for any endpoint, with retries, timeouts and error mapping.

    ``key_on_session`` says the sessions carry ``headers`` and the key as their default
    headers (ding built them and the key is a fixed string): then a call sends only its own
    extra headers, which spares aiohttp a header merge per request.
    """

    def __init__(
        self,
        *,
        settings: CallSettings,
        api_key: ApiKey,
        headers: Mapping[str, str],
        sessions: SessionOwner,
        key_on_session: bool = False,
        proxies: ProxySettings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._api_key = api_key
        self._sessions = sessions
        self._clock = clock
        self._static_headers: dict[str, str] = dict(headers)
        self._key_on_session = key_on_session and not callable(api_key)
        # With a fixed key the headers of a call are computed once, not per request.
        self._fixed_headers: dict[str, str] | None = None
        if not callable(api_key):
            self._fixed_headers = {**self._static_headers, "x-api-key": check_api_key(api_key)}
        # Parsed URLs of parameter-less paths, and aiohttp timeouts, reused across calls.
        self._urls: dict[str, URL] = {}
        self._timeouts: dict[tuple[float | None, float | None], aiohttp.ClientTimeout] = {}
        # The proxy of the server URL is chosen once; a per-call server_url chooses again.
        self._proxies = proxies
        self._proxy = proxies.for_url(settings.base_url) if proxies is not None else None

    def __repr__(self) -> str:
        return f"<Transport {self.settings.base_url}>"

    def _headers(self, settings: CallSettings) -> dict[str, str] | None:
        extra = settings.extra_headers
        fixed = self._fixed_headers
        if fixed is not None:
            if not extra:
                return None if self._key_on_session else fixed
            # The key goes last: an extra header can never replace or drop it.
            base = {} if self._key_on_session else self._static_headers
            return {**base, **extra, "x-api-key": fixed["x-api-key"]}
        key = self._api_key() if callable(self._api_key) else self._api_key
        return {**self._static_headers, **extra, "x-api-key": check_api_key(key)}

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
        return self._send_with_retries(endpoint, request, settings)

    def _url(self, request: PreparedRequest, cacheable: bool) -> URL:
        if not cacheable:
            return URL(request.url, encoded=True)
        url = self._urls.get(request.url)
        if url is None:
            url = self._urls[request.url] = URL(request.url, encoded=True)
        return url

    def _timeout(self, total: float | None, connect: float | None) -> aiohttp.ClientTimeout:
        key = (total, connect)
        timeout = self._timeouts.get(key)
        if timeout is None:
            timeout = aiohttp.ClientTimeout(
                total=total, connect=connect, ceil_threshold=_NEVER_ROUND_UP
            )
            if len(self._timeouts) < 64:  # per-call values vary; keep the cache small
                self._timeouts[key] = timeout
        return timeout

    async def _send_with_retries(
        self, endpoint: Endpoint[Envelope], request: PreparedRequest, settings: CallSettings
    ) -> Envelope:
        policy = settings.retry
        timeouts = settings.timeouts
        url = self._url(request, cacheable=request.fixed_url)
        proxy = self._proxy
        if self._proxies is not None and settings.base_url is not self.settings.base_url:
            proxy = self._proxies.for_url(settings.base_url)
        session = self._sessions.current()
        if session is None:  # this loop's first call (or its session was closed)
            session = await self._sessions.get()
        now = started = self._clock()
        deadline_at = math.inf if timeouts.deadline is None else now + timeouts.deadline
        log_each = logger.isEnabledFor(logging.DEBUG)
        attempt = 0
        error: errors.DingError | None = None
        try:
            while True:
                attempt += 1
                total = timeouts.attempt
                # Positive: the deadline is checked again after every pause (below), so an
                # attempt never gets a non-positive total, which aiohttp takes as "no timeout".
                remaining = deadline_at - now
                if total is None or remaining < total:
                    # The attempt may not outlive the deadline of the whole call.
                    timeout = aiohttp.ClientTimeout(
                        total=remaining, connect=timeouts.connect, ceil_threshold=_NEVER_ROUND_UP
                    )
                else:
                    timeout = self._timeout(total, timeouts.connect)
                retry_after: float | None = None
                # A payload is consumed by sending, so each attempt gets its own.
                data = (
                    None
                    if request.body is None
                    else BytesPayload(request.body, content_type=request.content_type)
                )
                try:
                    # Redirects are not followed: aiohttp would carry x-api-key to another origin
                    # and a 307/308 would POST (send an SMS) a second time.
                    async with session.request(
                        request.method,
                        url,
                        data=data,
                        headers=request.headers,
                        timeout=timeout,
                        allow_redirects=False,
                        proxy=proxy,
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
                    if session.closed:  # close() ran meanwhile; aiohttp says "Session is closed"
                        raise _closed(endpoint, attempt) from exc
                    now = self._clock()
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
                    if log_each:
                        self._log(request, status, attempt, now)
                    if 200 <= status < 300:
                        return decode_response(
                            endpoint,
                            status=status,
                            content_type=response.headers.get("Content-Type", ""),
                            body=body,
                            raw=raw,
                            attempts=attempt,
                        )
                    outcome = classify_status(status)
                    if status == 407 and proxy is not None:
                        # Only a proxy answers 407: a configuration error, raised at once.
                        outcome = Outcome.FINAL
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
                if outcome is Outcome.FINAL:
                    raise error
                retries_done = attempt - 1
                if not policy.allows(
                    outcome, idempotent=endpoint.idempotent, retries_done=retries_done
                ):
                    if outcome is Outcome.AMBIGUOUS and policy.allows(
                        outcome, idempotent=True, retries_done=retries_done
                    ):
                        # Only the request's effect stood in the way: say so, and how to opt in.
                        error.not_retried = (
                            "the server may have acted on it (retry_ambiguous=True retries it)"
                        )
                    raise _give_up(
                        request, error, "not retried" if attempt == 1 else "retries spent"
                    )
                wait = retry_after if retry_after is not None else policy.backoff(attempt - 1)
                if retry_after is not None and retry_after > policy.retry_after_cap:
                    # It carries retry_after; sleeping that long would look like a hang.
                    raise _give_up(request, error, "Retry-After beyond the cap")
                if policy.max_elapsed is not None and now + wait - started > policy.max_elapsed:
                    # The official RetryConfig's max_elapsed_time: no retry starts after it.
                    raise _give_up(request, error, "max_elapsed_time reached")
                if now + wait + _SHORTEST_USEFUL_ATTEMPT >= deadline_at:
                    # Too little of the deadline would be left for the request to even reach
                    # the server: report the failure we have rather than a pointless timeout.
                    raise _give_up(request, error, "deadline")
                if logger.isEnabledFor(logging.INFO):
                    logger.info(
                        "%s %s retrying after %s in %.3fs (attempt %d)",
                        request.method,
                        mask_path(request.path),
                        status or type(error.__cause__).__name__,
                        wait,
                        attempt,
                    )
                await self._sessions.pause(session, wait)
                if session.closed:
                    raise _closed(endpoint, attempt) from error
                # Re-read the clock after the pause: a loop stalled by someone's CPU-bound
                # callback wakes late, and the deadline is hard.
                now = self._clock()
                if deadline_at - now < _SHORTEST_USEFUL_ATTEMPT:
                    raise _give_up(request, error, "deadline")  # the pause ended late
        finally:
            # A raised error's traceback holds this frame, and this frame would hold the error
            # (and its cause): a cycle that keeps the transport, and through it the client's
            # sessions, alive until the cyclic GC runs. A dropped client must be freed by
            # reference counting alone.
            error = None

    def _log(self, request: PreparedRequest, status: int, attempt: int, started: float) -> None:
        logger.debug(
            "%s %s -> %d (attempt %d, %.1f ms)",
            request.method,
            mask_path(request.path),
            status,
            attempt,
            (self._clock() - started) * 1000,
        )


def _closed(endpoint: Endpoint[Any], attempts: int) -> errors.ClientClosedError:
    return errors.ClientClosedError(
        f"{endpoint.operation_id}: the client was closed during the call", attempts=attempts
    )


def _give_up(request: PreparedRequest, error: errors.DingError, why: str) -> errors.DingError:
    """``error``, after telling the operator (at INFO) that a transient failure is final."""
    if logger.isEnabledFor(logging.INFO):
        cause = getattr(error, "status_code", None) or type(error.__cause__).__name__
        logger.info(
            "%s %s failed with %s after %d attempt(s), giving up (%s)",
            request.method,
            mask_path(request.path),
            cause,
            error.attempts,
            why,
        )
    return error
