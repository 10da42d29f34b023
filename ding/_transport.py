"""The one request path: build -> send with aiohttp -> retry policy -> map errors -> decode.

Knows no concrete operation; every endpoint goes through :meth:`Transport.send`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import aiohttp
from yarl import URL

from ._endpoints import Endpoint
from ._logging import logger, mask_path
from ._options import CallSettings, resolve
from ._retry import Outcome, classify_status, parse_retry_after
from ._session import SessionOwner
from ._wire import PreparedRequest, build_request, decode_response, error_for_status
from .models import errors

Envelope = TypeVar("Envelope")

ApiKey = str | Callable[[], str]


def check_api_key(key: object) -> str:
    """The key as a header value; refuses what could split or forge a header."""
    if not isinstance(key, str) or not key:
        raise errors.ValidationError("api_key", "a non-empty string", got=type(key).__name__)
    if any(ch in key for ch in "\r\n\0"):
        # Never echo the key itself: it is a credential.
        raise errors.ValidationError("api_key", "a key without CR, LF or NUL characters")
    return key


def _classify_exception(exc: BaseException) -> tuple[Outcome, type[errors.DingError], str]:
    """Retry outcome and SDK exception type for an aiohttp/asyncio failure."""
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return Outcome.FINAL, errors.APIConnectionError, "TLS certificate verification failed"
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return Outcome.SAFE, errors.APITimeoutError, "timed out connecting"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return Outcome.SAFE, errors.APIConnectionError, "could not connect"
    if isinstance(exc, asyncio.TimeoutError):
        # The request may have reached the server: it might have sent the SMS already.
        return Outcome.AMBIGUOUS, errors.APITimeoutError, "timed out waiting for the response"
    return Outcome.AMBIGUOUS, errors.APIConnectionError, "connection failed after sending"


class Transport:
    """Sends prepared requests for any endpoint, with retries, timeouts and error mapping."""

    def __init__(
        self,
        *,
        settings: CallSettings,
        api_key: ApiKey,
        headers: Mapping[str, str],
        sessions: SessionOwner,
        sleep: Callable[[float], Any] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._api_key = api_key
        self._sessions = sessions
        self._sleep = sleep
        self._clock = clock
        self._static_headers: dict[str, str] = dict(headers)
        # With a fixed key the headers of a call are computed once, not per request.
        self._fixed_headers: dict[str, str] | None = None
        if not callable(api_key):
            self._fixed_headers = {**self._static_headers, "x-api-key": check_api_key(api_key)}

    def __repr__(self) -> str:
        return f"<Transport {self.settings.base_url}>"

    def _headers(self, settings: CallSettings) -> dict[str, str]:
        if self._fixed_headers is not None and not settings.extra_headers:
            return self._fixed_headers
        key = self._api_key() if callable(self._api_key) else self._api_key
        # The key goes last: an extra header can never replace or drop it.
        return {**self._static_headers, **settings.extra_headers, "x-api-key": check_api_key(key)}

    async def send(
        self,
        endpoint: Endpoint[Envelope],
        options: Mapping[str, Any],
        *,
        body: Any = None,
        path_params: Mapping[str, str] | None = None,
        query: Sequence[tuple[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> Envelope:
        settings = resolve(self.settings, options) if options else self.settings
        request_headers = self._headers(settings)
        if headers:
            request_headers = {**request_headers, **headers}
        request = build_request(
            endpoint,
            base_url=settings.base_url,
            headers=request_headers,
            body=body,
            path_params=path_params,
            query=query,
        )
        return await self._send_with_retries(endpoint, request, settings)

    async def _send_with_retries(
        self, endpoint: Endpoint[Envelope], request: PreparedRequest, settings: CallSettings
    ) -> Envelope:
        policy = settings.retry
        timeouts = settings.timeouts
        started = self._clock()
        deadline_at = math.inf if timeouts.deadline is None else started + timeouts.deadline
        url = URL(request.url, encoded=True)
        session = await self._sessions.get()
        logging_on = logger.isEnabledFor(logging.INFO)
        attempt = 0
        while True:
            attempt += 1
            remaining = deadline_at - self._clock()
            attempt_timeout = timeouts.attempt
            if remaining < math.inf:
                attempt_timeout = (
                    remaining if attempt_timeout is None else min(attempt_timeout, remaining)
                )
            timeout = aiohttp.ClientTimeout(total=attempt_timeout, connect=timeouts.connect)
            retry_after: float | None = None
            attempt_started = self._clock() if logging_on else 0.0
            try:
                async with session.request(
                    request.method,
                    url,
                    data=request.body,
                    headers=request.headers,
                    timeout=timeout,
                ) as response:
                    body = await response.read()
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                outcome, error_type, reason = _classify_exception(exc)
                if outcome is Outcome.SAFE and not policy.retry_connection_errors:
                    outcome = Outcome.FINAL
                if deadline_at - self._clock() <= 0:
                    error_type, reason = errors.APITimeoutError, "deadline exceeded"
                error: errors.DingError = error_type(
                    f"{endpoint.operation_id}: {reason} ({type(exc).__name__})", attempts=attempt
                )
                error.__cause__ = exc
                status = None
            else:
                status = response.status
                if logging_on:
                    self._log(request, status, attempt, attempt_started)
                if 200 <= status < 300:
                    return decode_response(
                        endpoint,
                        status=status,
                        content_type=response.headers.get("Content-Type", ""),
                        body=body,
                        raw=response,
                        attempts=attempt,
                    )
                outcome = classify_status(status)
                if status in (429, 503):
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                error = error_for_status(
                    status=status,
                    body=body,
                    headers=response.headers,
                    raw=response,
                    attempts=attempt,
                    retry_after=retry_after,
                )
            if not policy.allows(
                outcome, sends_message=endpoint.sends_message, retries_done=attempt - 1
            ):
                raise error
            wait = retry_after if retry_after is not None else policy.backoff(attempt - 1)
            if retry_after is not None and retry_after > policy.retry_after_cap:
                raise error  # carries retry_after; sleeping that long would look like a hang
            if self._clock() + wait >= deadline_at:
                raise error
            if logging_on:
                logger.info(
                    "%s %s retrying after %s in %.3fs (attempt %d)",
                    request.method,
                    mask_path(request.path),
                    status or type(error.__cause__).__name__,
                    wait,
                    attempt,
                )
            await self._sleep(wait)

    def _log(self, request: PreparedRequest, status: int, attempt: int, started: float) -> None:
        logger.info(
            "%s %s -> %d (attempt %d, %.1f ms)",
            request.method,
            mask_path(request.path),
            status,
            attempt,
            (self._clock() - started) * 1000,
        )
