"""The command line's words for what went wrong.

Every message names the command the user typed (``ding send``, never the API's
``create-authentication``) and says what to do next: when to try again after a rate limit,
which host could not be reached and why.
"""

from __future__ import annotations

import errno
import os
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from urllib.parse import urlsplit

import aiohttp

from ..models import errors

__all__ = ["describe_error"]

# What a command may have done when its answer was lost (a POST is never retried blind):
# the user must learn it before acting again, or a second try answers `already_validated`
# or `duplicated_feedback_status`, or texts the phone twice.
_MAY_HAVE_ACTED = {
    "send": "the code may have been sent anyway: wait for it before asking for another",
    "retry": "the code may have been sent anyway: wait for it before asking for another",
    "check": "the check may have counted: `ding status` tells whether the code was accepted",
    "feedback": "the feedback may have been recorded: do not send it again",
}


def _when(seconds: float) -> str:
    at = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    span = f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"
    return f"in {span} (at {at:%H:%M:%S} UTC)"


def _host(server_url: str) -> str:
    try:
        return urlsplit(server_url).netloc or server_url
    except ValueError:
        return server_url


def _network_reason(cause: BaseException | None) -> str:
    """Why a connection failed, in words: 'connection refused', 'DNS lookup failed: ...'."""
    if isinstance(cause, aiohttp.ClientConnectorCertificateError):
        return f"TLS certificate verification failed ({cause.certificate_error})"
    if isinstance(cause, aiohttp.ClientConnectorError):
        os_error = cause.os_error
        number = os_error.errno
        if isinstance(number, int) and number > 0 and number in errno.errorcode:
            return os.strerror(number).lower()
        if "DNS" in type(cause).__name__ or number in (-2, -3, -5):
            return f"DNS lookup failed ({os_error.strerror or os_error})"
        return str(os_error.strerror or os_error)
    if isinstance(cause, aiohttp.ServerDisconnectedError):
        return "the server closed the connection without answering"
    if isinstance(cause, (aiohttp.ClientOSError, OSError)) and cause.strerror:
        return cause.strerror.lower()
    if cause is not None:
        return type(cause).__name__
    return "unknown reason"


def _without_operation(exc: errors.DingError) -> str:
    """The error's own words without the API's operation id (``create-authentication: ``):
    the line already starts with the command the user typed."""
    message = " ".join(exc.message.split())
    head, sep, rest = message.partition(": ")
    return rest if sep and " " not in head else message


def _attempts(exc: errors.DingError) -> str:
    return "" if exc.attempts <= 1 else f" after {exc.attempts} attempts"


def describe_error(exc: errors.DingError, command: str, server_url: str) -> tuple[str, int]:
    """The one-line message for ``exc`` raised by ``ding <command>``, and the exit status."""
    name = f"ding {command}"
    if isinstance(exc, errors.ValidationError):
        return f"{name}: {exc}; nothing was sent", 2
    if isinstance(exc, errors.RateLimitError):
        wait = exc.retry_after
        when = "later (Ding did not say when)" if wait is None else _when(wait)
        limited = f"rate limited by Ding (HTTP {exc.status_code}){_attempts(exc)}"
        return f"{name}: {limited}: try again {when}", 1
    if isinstance(exc, errors.ProxyError):
        # Before the connection errors: the proxy answered; the network is fine.
        return f"{name}: {_without_operation(exc)}. Check HTTPS_PROXY / HTTP_PROXY", 1
    if isinstance(exc, errors.ResponseTooLargeError):
        # No Ding answer comes near the limit: the server is more likely not Ding's API.
        what = _without_operation(exc).partition("; not read")[0]
        return (
            f"{name}: {what}; not read. Is {_host(server_url)} Ding's API? "
            "Check DING_SERVER_URL (or --server-url)",
            1,
        )
    if isinstance(exc, errors.APITimeoutError):
        advice = _MAY_HAVE_ACTED.get(command, "try again, or allow more time with --timeout")
        return f"{name}: no answer from {_host(server_url)} in time{_attempts(exc)}; {advice}", 1
    if isinstance(exc, errors.APIConnectionError):
        reason = _network_reason(exc.__cause__)
        return (
            f"{name}: cannot reach {_host(server_url)}: {reason}{_attempts(exc)}. "
            "Check DING_SERVER_URL (or --server-url) and your network",
            1,
        )
    if isinstance(exc, errors.ResponseValidationError):
        return f"{name}: Ding answered something unexpected: {exc.message}", 1
    if isinstance(exc, errors.SDKError):
        return _http_error(exc, name, command), 1
    return f"{name}: {' '.join(str(exc).split())}", 1


def _http_error(exc: errors.SDKError, name: str, command: str) -> str:
    status = exc.status_code
    try:
        phrase = f" {HTTPStatus(status).phrase}"
    except ValueError:
        phrase = ""
    if isinstance(exc, errors.ErrorResponse):
        code = getattr(exc.code, "value", exc.code) or "error"
        detail = f": {code}"
        if exc.message:
            detail += f": {' '.join(exc.message.split())}"
        if exc.doc_url:
            detail += f" (see {exc.doc_url})"
    else:
        # A proxy's HTML page says nothing a terminal should show; a short text might.
        body = exc.body.strip()
        first = body.splitlines()[0][:120] if body and not body.startswith("<") else ""
        detail = f": {first}" if first else ""
    if status < 500:
        return f"{name}: Ding refused it (HTTP {status}{phrase}){detail}"
    advice = _MAY_HAVE_ACTED.get(command, "try again later")
    return f"{name}: Ding failed (HTTP {status}{phrase}){_attempts(exc)}{detail}; {advice}"
