"""What instrumentation sees of a request, and what the wire carries.

aiohttp hands each request to the session's trace configs -- OpenTelemetry's and Sentry's
aiohttp integrations install theirs on every session -- before it builds the request object:
they record the URL and the headers given to ``session.request``. So ding gives it the URL
*template* (``/v1/lookup/{phone_number}``: the number or the authentication uuid is never
in it) and no ``x-api-key``; the real path and the key are put in when the request is sent,
after the connection is made, by ding's request class (the sessions ding builds) or by a
client middleware (a session of yours). The bytes on the wire, ``raw_response.url`` and
``request_info`` are unchanged.

A mock that replaces aiohttp's ``ClientSession._request`` (aioresponses) is the wire as far
as a test is concerned, and exports nothing: it is handed the real URL and the key, whether
it started before or after ding was imported.

The frames of an error's traceback keep their local variables, and error trackers send them
(Sentry does by default): :func:`forget_frames` clears those of ding's and aiohttp's frames
that have finished, so no request body, phone number or code rides along.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping
from typing import Any

import aiohttp
from yarl import URL

from .models import errors

__all__ = [
    "WIRE",
    "RedactingRequest",
    "RedactingResponse",
    "Secret",
    "Wire",
    "check_api_key",
    "forget_frames",
    "hide_url",
    "route",
]

_KEY_HEADER = "x-api-key"


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


class Wire:
    """What a request carries that instrumentation must not see: the key and the real URL
    (``None``: the URL given to aiohttp is the real one). Its repr shows neither."""

    __slots__ = ("key", "url")

    def __init__(self, key: str, url: URL | None) -> None:
        self.key = key
        self.url = url

    def __repr__(self) -> str:
        return "<Wire>"


WIRE: contextvars.ContextVar[Wire | None] = contextvars.ContextVar("ding_wire", default=None)
"""What the request this task is sending is completed with: ``token = WIRE.set(wire)``
before ``session.request``, ``WIRE.reset(token)`` once it is sent."""


def _apply(request: aiohttp.ClientRequest, wire: Wire) -> None:
    url = wire.url
    if url is not None:
        # Same origin as the template, so the connection, Host header and proxy chosen for
        # the template hold; the response and request_info are built from these.
        request.url = request.original_url = url
    request.headers[_KEY_HEADER] = wire.key


class RedactingRequest(aiohttp.ClientRequest):
    """aiohttp's request, completed when it is sent: the connection is made by then (so a
    connect timeout names the template), the trace configs have recorded the template.

    ``request_class=`` is public, but what a request class may override is not documented:
    ``send(conn)``, which aiohttp calls once the connection is made and whose coroutine it
    awaits for the response, is an internal. tests/unit/test_library_internals.py fails
    loudly if aiohttp stops calling it that way."""

    def send(self, conn: Any) -> Coroutine[Any, Any, aiohttp.ClientResponse]:
        # A plain function returning aiohttp's coroutine: no coroutine layer of its own (and
        # _apply inlined: this runs on every request).
        wire = WIRE.get()
        if wire is not None:
            if wire.url is not None:
                self.url = self.original_url = wire.url
            self.headers[_KEY_HEADER] = wire.key
        return super().send(conn)


class RedactingResponse(aiohttp.ClientResponse):
    """aiohttp's response without the URL in its repr (error trackers print the reprs of a
    frame's variables; the URL may hold a phone number)."""

    def __repr__(self) -> str:
        return f"<ClientResponse [{self.status} {self.reason}]>"


async def _complete(
    request: aiohttp.ClientRequest,
    handler: Callable[[aiohttp.ClientRequest], Awaitable[aiohttp.ClientResponse]],
) -> aiohttp.ClientResponse:
    """The client middleware that does :class:`RedactingRequest`'s work on a session of
    yours (it runs after the trace configs, before the connection is made)."""
    wire = WIRE.get()
    if wire is not None:
        _apply(request, wire)
    return await handler(request)


def session_middlewares(session: aiohttp.ClientSession) -> tuple[Any, ...] | None:
    """The per-request ``middlewares=`` that complete ding's requests on a session of yours
    (aiohttp's per-request list replaces the session's, so the session's come first), or
    None if this aiohttp does not say what the session's are: then the request is sent as
    given, the real URL and the key included.

    aiohttp has no public way to read a session's middlewares: it keeps them in the private
    ``_middlewares``. tests/unit/test_library_internals.py fails loudly if that changes."""
    own = getattr(session, "_middlewares", None)
    if own is None:
        return None
    return (*own, _complete)


# Where aiohttp's own method is defined (the path's end: a sourceless install keeps the path
# the module was compiled at).
_AIOHTTP_CLIENT_FILE = os.path.join("aiohttp", "client.py")
_seen_real_request: object = None  # the last ``ClientSession._request`` found to be aiohttp's


def network_mocked() -> bool:
    """Whether a test's mock (aioresponses) stands in for aiohttp's network.

    aioresponses replaces aiohttp's private ``ClientSession._request`` for as long as it is
    active: no public hook says so. aiohttp's own method is recognised by where its code
    lives, so a mock started before ding was first imported is seen as one too (a method
    wrapped by a tracer keeps its code: still aiohttp's). tests/unit/test_library_internals.py
    fails loudly if aiohttp renames the method."""
    global _seen_real_request
    method = aiohttp.ClientSession._request
    if method is _seen_real_request:
        return False
    code = getattr(method, "__code__", None)
    if code is not None and code.co_filename.endswith(_AIOHTTP_CLIENT_FILE):
        _seen_real_request = method
        return False
    return True


def route(
    session: aiohttp.ClientSession,
    *,
    real_url: str,
    template: URL,
    headers: Mapping[str, str] | None,
    wire: Wire,
    own_session: bool,
) -> tuple[URL, Mapping[str, str] | None, Wire | None, tuple[Any, ...] | None]:
    """What each attempt of a call gives aiohttp: the URL, the headers, the wire to hand
    over while it is sent (None: nothing to complete), and the per-request ``middlewares=``
    (a session of yours; None: the session's own)."""
    if network_mocked():
        # A mock (aioresponses) replaced the network: it is the wire, and exports nothing.
        return _as_sent(real_url, headers, wire)
    if own_session:  # ding's session: its request class completes the request
        return template, headers, wire, None
    middlewares = session_middlewares(session)
    if middlewares is None:  # this aiohttp does not say what the session's middlewares are
        return _as_sent(real_url, headers, wire)
    return template, headers, wire, middlewares


def _as_sent(
    real_url: str, headers: Mapping[str, str] | None, wire: Wire
) -> tuple[URL, Mapping[str, str] | None, Wire | None, tuple[Any, ...] | None]:
    return URL(real_url, encoded=True), {**(headers or {}), _KEY_HEADER: wire.key}, None, None


# Whose finished frames lose their variables: ding's own, and aiohttp's (they hold the
# request, the real URL, the response).
_CLEARED_MODULES = ("ding.", "aiohttp.")


def forget_frames(error: BaseException) -> None:
    """Clear the variables of the finished frames of ding and aiohttp in ``error``'s
    traceback and in those of its causes and contexts.

    The frames stay (the traceback still shows every file, line and function); their
    variables -- a request body, a phone number, a code -- go. A frame still running (the
    one handling ``error``, and its callers) cannot be cleared and is left alone: such
    frames keep no personal value in a variable by construction.
    """
    for current in _chain(error):
        tb = current.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if frame.f_globals.get("__name__", "").startswith(_CLEARED_MODULES):
                with contextlib.suppress(RuntimeError):  # still executing: left alone
                    frame.clear()
            tb = tb.tb_next


def _chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and every exception of its chain (causes and contexts), each once."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += (current.__cause__, current.__context__)


def hide_url(error: BaseException, real_url: str, template: str) -> None:
    """Write ``template`` where an exception of ``error``'s chain quotes ``real_url`` (which
    may hold a phone number) in its message.

    aiohttp writes the request's URL into some messages (a connect timeout's); a request
    that a client middleware completed -- on a session of yours -- has its real URL by then,
    and error trackers send the message of every exception in the chain."""
    forms = (real_url, str(URL(real_url, encoded=True)))
    for current in _chain(error):
        args = current.args
        if any(isinstance(arg, str) and (forms[0] in arg or forms[1] in arg) for arg in args):
            current.args = tuple(
                arg.replace(forms[0], template).replace(forms[1], template)
                if isinstance(arg, str)
                else arg
                for arg in args
            )
