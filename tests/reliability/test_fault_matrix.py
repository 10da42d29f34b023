"""DESIGN §3's retry table with real failures on a real socket, in both calling styles.

The authoritative table, every outcome for every operation, is tests/unit/test_transport_
retries.py (aioresponses stands in for the network there; the pure classification is in
tests/unit/test_retry_policy.py). What this layer adds is what only a real connection shows:
that a read timeout, a disconnect after sending, a reset, a body cut short, a refused or
unreachable port, a failed DNS lookup or TLS handshake are each classified as the table says
when aiohttp raises them for real, and what the server actually received, counted on its
side. A POST (check) and a GET (the status read) tell the three outcome classes apart; one
status per class stands for the rest, whose classification does not depend on the socket.
Every row runs with MAX_RETRIES retries, so "retried" means exactly MAX_RETRIES + 1 requests.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import aiohttp.abc
import pytest

from ding.models import errors

from .._loopback import free_port
from ._actions import Action, api_error, drop, hang, mid_body, raw, reply, reset
from ._ops import FAST, MAX_RETRIES, OPS_BY_NAME, STYLES, Op, run_op
from ._servers import ScriptServer, SilentListener

# A read-timeout attempt must end fast, yet a healthy loopback answer must fit easily.
SHORT_TIMEOUT = 0.15


@dataclass(frozen=True)
class Row:
    id: str
    action: Callable[[], Action]
    retried_for_posts: bool
    retried_for_gets: bool
    error: type[errors.DingError]
    options: tuple[tuple[str, Any], ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.retried_for_gets and not self.retried_for_posts


ROWS = (
    # 429 and 503: the server refused before acting -> retried for all. Exact types: a 503
    # without Retry-After is the API's error (ErrorResponse), with one a RateLimitError.
    Row("429", lambda: api_error(429, "bad_request"), True, True, errors.RateLimitError),
    Row("503", lambda: api_error(503), True, True, errors.ErrorResponse),
    Row(
        "503-retry-after-0",
        lambda: api_error(503, Retry_After="0"),
        True,
        True,
        errors.RateLimitError,
    ),
    # Ambiguous: the server may have acted (an SMS on its way, a check attempt spent, a
    # feedback stored) -> not retried for POSTs.
    Row("500", lambda: api_error(500), False, True, errors.ErrorResponse),
    Row("read-timeout", hang, False, True, errors.APITimeoutError, (("timeout", SHORT_TIMEOUT),)),
    Row("disconnect-after-send", drop, False, True, errors.APIConnectionError),
    Row("reset-after-send", reset, False, True, errors.APIConnectionError),
    Row("close-mid-body", mid_body, False, True, errors.APIConnectionError),
    # Any other 4xx: the request is wrong; retrying cannot help.
    Row("400", lambda: api_error(400, "bad_request"), False, False, errors.ErrorResponse),
    Row(
        "422",
        lambda: reply(422, "unprocessable", content_type="text/plain"),
        False,
        False,
        errors.SDKError,
    ),
)
AMBIGUOUS_ROWS = tuple(row for row in ROWS if row.ambiguous)


# One POST and one GET: the outcome classes differ only by whether the request is idempotent.
MATRIX_OPS = (OPS_BY_NAME["check"], OPS_BY_NAME["get_authentication_status"])
CHECK = OPS_BY_NAME["check"]
CREATE = OPS_BY_NAME["create_authentication"]


def expected_requests(row: Row, op: Op) -> int:
    retried = row.retried_for_gets if op.idempotent else row.retried_for_posts
    return MAX_RETRIES + 1 if retried else 1


def options_for(row: Row, **more: Any) -> dict[str, Any]:
    return {**FAST, **dict(row.options), **more}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", MATRIX_OPS, ids=str)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_persistent_fault(server: ScriptServer, row: Row, op: Op, style: str) -> None:
    """Every attempt fails the same way: count what reached the server, check what was raised."""
    server.always(row.action())
    out = run_op(style, op, server.url, options_for(row))
    assert out.error is not None, f"expected {row.error.__name__}, got {out.value!r}"
    assert type(out.error) is row.error, repr(out.error)
    seen = server.count(op.path_suffix)
    assert seen == expected_requests(row, op), f"server saw {seen} requests"
    assert out.error.attempts == seen
    assert len(server.requests) == seen  # nothing went anywhere else


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", MATRIX_OPS, ids=str)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_transient_fault(server: ScriptServer, row: Row, op: Op, style: str) -> None:
    """One failure, then a healthy server: retried rows succeed on attempt 2, others raise."""
    server.script(row.action())
    out = run_op(style, op, server.url, options_for(row))
    retried = expected_requests(row, op) > 1
    if retried:
        assert out.error is None, repr(out.error)
        assert out.value.attempts == 2
        assert getattr(out.value, op.payload_field) is not None
        assert server.count(op.path_suffix) == 2
    else:
        assert type(out.error) is row.error, repr(out.error)
        assert out.error.attempts == 1
        assert server.count(op.path_suffix) == 1


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("row", AMBIGUOUS_ROWS, ids=lambda r: r.id)
@pytest.mark.parametrize("where", ["per-call", "per-client"])
def test_ambiguous_opt_in(server: ScriptServer, row: Row, style: str, where: str) -> None:
    """retry_ambiguous=True (on the call or the client) makes a POST retry (every POST, through
    the client: tests/unit/test_transport_retries.py)."""
    op = CHECK
    server.always(row.action())
    client = options_for(row)
    call: dict[str, Any] = {}
    (call if where == "per-call" else client)["retry_ambiguous"] = True
    out = run_op(style, op, server.url, client, call)
    assert type(out.error) is row.error, repr(out.error)
    assert server.count(op.path_suffix) == MAX_RETRIES + 1
    assert out.error.attempts == MAX_RETRIES + 1


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("row", AMBIGUOUS_ROWS, ids=lambda r: r.id)
def test_ambiguous_per_call_opt_out_overrides_client(
    server: ScriptServer, row: Row, style: str
) -> None:
    """A client that opted in can still opt out for one call (the per-call value wins)."""
    op = CHECK
    server.always(row.action())
    out = run_op(
        style, op, server.url, options_for(row, retry_ambiguous=True), {"retry_ambiguous": False}
    )
    assert type(out.error) is row.error
    assert server.count(op.path_suffix) == 1


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("row", AMBIGUOUS_ROWS, ids=lambda r: r.id)
def test_default_client_never_double_sends(server: ScriptServer, row: Row, style: str) -> None:
    """No retry options at all (the shipped defaults): still exactly one request."""
    op = CREATE
    server.always(row.action())
    out = run_op(style, op, server.url, dict(row.options))
    assert type(out.error) is row.error
    assert server.count(op.path_suffix) == 1
    assert out.error.attempts == 1


# --- connection never established: retried for every operation -----------------------------
# Shown with a POST, the operation a misclassification would hurt (an ambiguous or final
# outcome is not retried for it); the unit table shows it for every operation.


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", [CHECK], ids=str)
def test_connection_refused_is_retried(op: Op, style: str) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    out = run_op(style, op, url, FAST)
    assert isinstance(out.error, errors.APIConnectionError), repr(out.error)
    assert not isinstance(out.error, errors.APITimeoutError)
    assert out.error.attempts == MAX_RETRIES + 1
    assert out.error.__cause__ is not None  # the aiohttp error is chained


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", [CHECK], ids=str)
def test_connection_refused_then_up(op: Op, style: str) -> None:
    """Refused first, then a server comes up on that port: the retry gets through."""
    port = free_port()
    late = ScriptServer(port=port)

    async def on_request_exception(*_: Any) -> None:
        # Runs on the client's loop after the refused attempt; binding is quick and sync.
        if not late.started:
            late.start()

    trace = aiohttp.TraceConfig()
    trace.on_request_exception.append(on_request_exception)
    try:
        out = run_op(style, op, f"http://127.0.0.1:{port}/v1", {**FAST, "trace_configs": [trace]})
        assert out.error is None, repr(out.error)
        assert out.value.attempts == 2
        assert late.count(op.path_suffix) == 1
    finally:
        late.close()


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", [CHECK], ids=str)
def test_dns_failure_is_retried(op: Op, style: str) -> None:
    lookups: list[str] = []

    class NoSuchHost(aiohttp.abc.AbstractResolver):
        # A resolver that fails at once: real DNS in CI can take seconds to say "no".
        async def resolve(self, host: str, port: int = 0, family: int = 0) -> Any:
            lookups.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

        async def close(self) -> None:
            return None

    def session() -> aiohttp.ClientSession:
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=NoSuchHost()))

    # https: a plain-http URL to a remote host would (rightly) warn first.
    url = "https://no-such-host.invalid/v1"
    out = run_op(style, op, url, {**FAST, "session_factory": session})
    assert isinstance(out.error, errors.APIConnectionError), repr(out.error)
    assert out.error.attempts == MAX_RETRIES + 1 == len(lookups)
    assert isinstance(out.error.__cause__, aiohttp.ClientConnectorDNSError)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", [CHECK], ids=str)
def test_tls_handshake_failure_is_retried(op: Op, style: str) -> None:
    """The server answers the ClientHello with plain HTTP: no request could have been read."""
    greeting = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    with SilentListener(greeting) as listener:
        out = run_op(style, op, listener.tls_url, FAST)
        accepted = len(listener.accepted)
    assert isinstance(out.error, errors.APIConnectionError), repr(out.error)
    assert out.error.attempts == MAX_RETRIES + 1 == accepted


@pytest.fixture
def unaccepting_port() -> Iterator[int]:
    """A port whose accept queue is full: SYNs go unanswered, so connecting times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    # Fill the accept queue (Linux admits backlog + 1); later SYNs are dropped.
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", [CHECK], ids=str)
def test_connect_timeout_is_retried(unaccepting_port: int, op: Op, style: str) -> None:
    url = f"http://127.0.0.1:{unaccepting_port}/v1"
    out = run_op(style, op, url, {**FAST, "connect_timeout": 0.05, "timeout": 2})
    assert isinstance(out.error, errors.APITimeoutError), repr(out.error)
    assert out.error.attempts == MAX_RETRIES + 1
    assert out.elapsed < 2.0


@pytest.mark.parametrize("style", STYLES)
def test_a_2xx_without_a_content_type_is_a_response_validation_error(
    server: ScriptServer, style: str
) -> None:
    body = b'{"authentication_uuid": "x", "status": "valid"}'
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    server.always(raw(head + body, keep_alive=True))
    out = run_op(style, CHECK, server.url, FAST)
    assert type(out.error) is errors.ResponseValidationError, repr(out.error)
    assert "unexpected content-type ''" in str(out.error)
