"""What a failed attempt means: whether the server may have acted on it, and the error that
names its real cause (the proxy, the event loop, the connection), for the transport.

Pure functions of the aiohttp or asyncio exception and of what the transport knows about
the attempt (its session and proxy); no I/O.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import aiohttp
from yarl import URL

from ._retry import Outcome
from .models import errors


def _proxy_name(proxy: URL | None) -> str:
    """The proxy as ``scheme://host:port``: never its credentials."""
    if proxy is None:
        return "the proxy"
    return f"the proxy {proxy.scheme}://{proxy.host}:{proxy.port}"


def _bound_to_another_loop(session: Any) -> bool:
    """Whether ``session`` belongs to an event loop other than the running one. aiohttp only
    says so through a RuntimeError about a timeout "inside a task", and has no public way to
    ask: its session keeps its loop in the private ``_loop`` (the ``loop`` property is
    deprecated and warns). Read on the failure path only; a missing attribute means "cannot
    tell". tests/unit/test_library_internals.py fails loudly if that changes."""
    loop = getattr(session, "_loop", None)
    return loop is not None and loop is not asyncio.get_running_loop()


def proxy_refused(
    operation: str,
    proxy: URL | None,
    status: int,
    reason: str | None,
    headers: Mapping[str, str] | None,
    attempts: int,
) -> errors.ProxyError:
    """The error for a proxy that answered ``status`` instead of passing the request on."""
    text = f"{operation}: {_proxy_name(proxy)} answered {status} {reason or ''}".rstrip()
    if status == 407:
        text += " (it wants credentials, or refused those in the proxy URL)"
    text += "; the API never saw the request"
    return errors.ProxyError(text, status, "", None, headers=headers, attempts=attempts)


def attempt_failed(
    exc: BaseException,
    *,
    operation: str,
    attempts: int,
    session: Any,
    proxy: URL | None,
    deadline_passed: bool,
) -> tuple[Outcome, errors.DingError]:
    """The retry outcome of an attempt that raised ``exc``, and the error to raise for it
    (``exc`` chained as its ``__cause__``)."""
    outcome, error_type, reason = _classify(exc, session, proxy)
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        # The proxy answered CONNECT with something other than 200: the tunnel never
        # opened. A 4xx is its configuration (credentials, an address that is no proxy).
        error: errors.DingError = proxy_refused(
            operation, proxy, exc.status, exc.message, exc.headers, attempts
        )
        outcome = Outcome.FINAL if 400 <= exc.status < 500 else Outcome.SAFE
    else:
        if deadline_passed:
            error_type, reason = errors.APITimeoutError, "deadline exceeded"
        error = error_type(f"{operation}: {reason} ({type(exc).__name__})", attempts=attempts)
    error.__cause__ = exc
    return outcome, error


def _classify(
    exc: BaseException, session: Any, proxy: URL | None
) -> tuple[Outcome, type[errors.DingError], str]:
    if isinstance(exc, RuntimeError):
        if _bound_to_another_loop(session):
            return (
                Outcome.FINAL,
                errors.APIConnectionError,
                "the aiohttp session belongs to another event loop than the one making "
                "this call (aiohttp sessions work in the loop they were made in): create "
                "it in this loop, or let ding make one per loop (session_factory=)",
            )
        # E.g. the resolver's executor refused at interpreter shutdown ("cannot schedule new
        # futures after interpreter shutdown"): retrying cannot help.
        return Outcome.FINAL, errors.APIConnectionError, f"the request could not be made: {exc}"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return Outcome.FINAL, errors.APIConnectionError, "TLS certificate verification failed"
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return Outcome.SAFE, errors.APITimeoutError, "timed out connecting"
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return Outcome.SAFE, errors.APIConnectionError, f"could not connect to {_proxy_name(proxy)}"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return Outcome.SAFE, errors.APIConnectionError, "could not connect"
    if isinstance(exc, asyncio.TimeoutError):
        # The request may have reached the server: it might have acted on it already.
        return Outcome.AMBIGUOUS, errors.APITimeoutError, "timed out waiting for the response"
    return Outcome.AMBIGUOUS, errors.APIConnectionError, "connection failed after sending"
