"""Secrets and transport security (DESIGN §3 Security and Observability).

The API key must travel only in the x-api-key header: never in an exception (text, repr,
chained causes, traceback, pickle), a repr, or a log line; phone numbers and OTP codes are
masked in logs. A key with CR/LF is refused up front; plain http to a non-loopback host warns;
TLS verification is on by default (a self-signed server is refused) and a CA can be trusted
through the ``ssl`` option.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import ssl
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

import ding
from ding.models import components, errors
from ding.models._fields import validate_request

from .._loopback import free_port
from ._actions import api_error, hang, reply
from ._ops import (
    API_KEY,
    AUTH_UUID,
    CODE,
    CUSTOMER_UUID,
    FAST,
    OPS,
    OPS_BY_NAME,
    PHONE,
    STYLES,
    Op,
    run_op,
)
from ._servers import ScriptServer

ROOT = Path(__file__).resolve().parents[2]
CHECK = OPS_BY_NAME["check"]
# Pieces of the key: a leak that truncates or re-encodes it should still be caught.
KEY_PIECES = (API_KEY, "SECRETKEY", API_KEY[-12:])
PHONE_DIGITS = PHONE.lstrip("+")  # 14155550123
PHONE_PIECES = (PHONE, PHONE_DIGITS, PHONE_DIGITS[2:9])


def leaks(text: str, pieces: tuple[str, ...] = KEY_PIECES) -> list[str]:
    return [piece for piece in pieces if piece in text]


def texts_of_exception(exc: BaseException) -> Iterator[str]:
    """Every way an exception reaches a log or an error tracker."""
    yield "".join(traceback.format_exception(exc))
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        yield repr(current.args)
        yield repr({k: v for k, v in vars(current).items() if k != "raw_response"})
        current = current.__cause__ or current.__context__
    if isinstance(exc, errors.DingError):
        yield repr(pickle.dumps(exc))


# --- the key in exceptions --------------------------------------------------------------------


def failure_cases(server: ScriptServer) -> dict[str, tuple[str, dict[str, Any], dict[str, Any]]]:
    """name -> (server_url, client options, call options); server actions are set by the test."""
    return {
        "refused": (f"http://127.0.0.1:{free_port()}/v1", FAST, {}),
        "401": (server.url, FAST, {}),
        "html-502": (server.url, FAST, {}),
        "malformed-200": (server.url, FAST, {}),
        "rate-limited": (server.url, FAST, {}),
        "timeout": (server.url, {**FAST, "timeout": 0.15, "max_retries": 0}, {}),
        "bad-option": (server.url, FAST, {"timeout": -1}),
        "unknown-option": (server.url, FAST, {"api_key": API_KEY}),
    }


ACTIONS = {
    "401": api_error(401, "account_invalid"),
    "html-502": reply(502, "<html>Bad Gateway</html>", content_type="text/html"),
    "malformed-200": reply(200, b"{not json"),
    "rate-limited": api_error(429, Retry_After="3600"),
    "timeout": hang(),
}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    "case",
    [
        "refused",
        "401",
        "html-502",
        "malformed-200",
        "rate-limited",
        "timeout",
        "bad-option",
        "unknown-option",
    ],
)
def test_key_never_in_exceptions(server: ScriptServer, style: str, case: str) -> None:
    if case in ACTIONS:
        server.always(ACTIONS[case])
    url, client_options, call_options = failure_cases(server)[case]
    try:
        out = run_op(style, CHECK, url, client_options, call_options)
        err: BaseException | None = out.error
    except TypeError as exc:  # an unknown keyword may be a TypeError: still must not leak
        err = exc
    assert err is not None
    for text in texts_of_exception(err):
        assert not leaks(text), f"{case}: key in {text[:300]!r}"


def test_key_validation_errors_do_not_echo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DING_API_KEY", raising=False)
    for cls in (ding.Ding, ding.AsyncDing):
        with pytest.raises(errors.ValidationError) as info:
            cls(api_key=42, server_url="http://127.0.0.1:1/v1")  # type: ignore[arg-type]
        assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("missing", ["", None])
def test_a_missing_key_fails_the_call_before_any_io(
    missing: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10 item 3: apps build clients at import time, in CI without secrets: building
    works; the call fails with an SDKError naming api_key and DING_API_KEY, sending nothing."""
    monkeypatch.delenv("DING_API_KEY", raising=False)
    with ScriptServer() as srv:
        out = run_op("sync", CHECK, srv.url, api_key=missing)
        assert isinstance(out.error, errors.SDKError), repr(out.error)
        assert isinstance(out.error, errors.ValidationError)
        assert out.error.field == "api_key" and "DING_API_KEY" in str(out.error)
        assert (out.error.status_code, out.error.code) == (401, "account_invalid")
        assert srv.requests == []
        # Set later (settings loaded after the client was built): the next call uses it.
        monkeypatch.setenv("DING_API_KEY", API_KEY)
        assert run_op("sync", CHECK, srv.url, api_key=missing).error is None
        assert [r.headers.get("x-api-key") for r in srv.requests] == [API_KEY]


@pytest.mark.parametrize(
    "key", [API_KEY + "\r\nX-Injected: 1", API_KEY + "\n", "\r" + API_KEY, API_KEY + "\x00"]
)
@pytest.mark.parametrize("cls", [ding.Ding, ding.AsyncDing], ids=["Ding", "AsyncDing"])
def test_key_with_crlf_is_refused_at_construction(key: str, cls: Any) -> None:
    with pytest.raises(errors.ValidationError) as info:
        cls(api_key=key, server_url="http://127.0.0.1:1/v1")
    for text in texts_of_exception(info.value):
        assert not leaks(text)


def test_key_with_crlf_from_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DING_API_KEY", API_KEY + "\r\nX-Injected: 1")
    for cls in (ding.Ding, ding.AsyncDing):
        with pytest.raises(errors.ValidationError) as info:
            cls(server_url="http://127.0.0.1:1/v1")
        assert not any(leaks(t) for t in texts_of_exception(info.value))


@pytest.mark.parametrize("style", STYLES)
def test_callable_key_with_crlf_is_refused_before_io(server: ScriptServer, style: str) -> None:
    out = run_op(style, CHECK, server.url, FAST, api_key=lambda: API_KEY + "\r\nX-Injected: 1")
    assert isinstance(out.error, errors.ValidationError)
    assert out.error.attempts == 0 and server.requests == []
    assert not any(leaks(t) for t in texts_of_exception(out.error))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    "headers", [{"X-Note": "a\r\nX-Injected: 1"}, {"X-Bad\r\nX-Injected": "1"}, {"X": "\n"}]
)
def test_headers_with_crlf_are_refused(server: ScriptServer, style: str, headers: Any) -> None:
    out = run_op(style, CHECK, server.url, FAST, {"headers": headers})
    assert isinstance(out.error, errors.ValidationError)
    assert server.requests == []
    with pytest.raises(errors.ValidationError):
        ding.AsyncDing(api_key=API_KEY, server_url=server.url, headers=headers)


# --- where the key travels ------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", OPS, ids=str)
def test_key_only_in_the_x_api_key_header(server: ScriptServer, style: str, op: Op) -> None:
    out = run_op(style, op, server.url, FAST)
    assert out.error is None, repr(out.error)
    (seen,) = server.requests
    assert [v for n, v in seen.header_lines if n.lower() == "x-api-key"] == [API_KEY]
    assert not leaks(seen.raw_path) and not leaks(seen.body.decode())
    others = [(n, v) for n, v in seen.header_lines if n.lower() != "x-api-key"]
    assert not leaks(repr(others))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("spelling", ["x-api-key", "X-Api-Key", "X-API-KEY"])
@pytest.mark.parametrize("where", ["call", "client"])
def test_extra_headers_cannot_replace_or_duplicate_the_key(
    server: ScriptServer, style: str, spelling: str, where: str
) -> None:
    """The key has one source, ``api_key``: an extra header of any casing that would replace
    or duplicate it is refused before any I/O (never silently dropped or sent twice)."""
    extra = {"headers": {spelling: "attacker-key", "X-Trace": "1"}}
    client, call = (FAST, extra) if where == "call" else ({**FAST, **extra}, {})
    out = run_op(style, CHECK, server.url, client, call)
    assert isinstance(out.error, errors.ValidationError), repr(out.error)
    assert "x-api-key" in str(out.error)
    assert "attacker-key" not in str(out.error)
    assert server.requests == []


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_another_origin_never_carries_the_key(
    server: ScriptServer, style: str, status: int
) -> None:
    """The API never redirects; a redirect (a hijacked DNS name, a misconfigured proxy) must
    not hand the key -- or a second SMS request -- to another host."""
    with ScriptServer() as elsewhere:
        server.always(
            reply(status, b"", {"Location": elsewhere.url + "/authentication"}, content_type=None)
        )
        out = run_op(style, OPS_BY_NAME["create_authentication"], server.url, FAST)
        carried = [r for r in elsewhere.requests if leaks(repr(r.header_lines))]
        assert not carried, f"redirect carried the key to {elsewhere.url}"
        assert elsewhere.requests == [], "followed a redirect to another origin"
    assert isinstance(out.error, errors.SDKError), repr(out.error)
    assert out.error.status_code == status


# --- reprs ------------------------------------------------------------------------------------


def public_reprs(obj: Any, depth: int = 3, seen: set[int] | None = None) -> Iterator[str]:
    """repr of `obj` and of its public attributes, recursively (what debuggers/loggers show).

    `raw_response` (aiohttp's own object) is covered by its own test below.
    """
    seen = set() if seen is None else seen
    if id(obj) in seen or depth < 0:
        return
    seen.add(id(obj))
    yield repr(obj)
    yield str(obj)
    for name in dir(obj):
        if name.startswith("_") or name == "raw_response":
            continue
        try:
            value = getattr(obj, name)
        except Exception:
            continue
        if callable(value) and not isinstance(value, type):
            yield repr(value)
            continue
        if isinstance(value, (str, int, float, bool, type(None))):
            yield f"{name}={value!r}"
            continue
        yield from public_reprs(value, depth - 1, seen)


@pytest.mark.parametrize("key_kind", ["str", "callable"])
def test_key_never_in_reprs(server: ScriptServer, key_kind: str) -> None:
    key: Any = API_KEY if key_kind == "str" else (lambda: API_KEY)

    async def async_part() -> list[str]:
        async with ding.AsyncDing(api_key=key, server_url=server.url, **FAST) as client:
            envs = [await op.invoke(client) for op in OPS]
            return [
                t for obj in (client, client.otp, client.lookup, *envs) for t in public_reprs(obj)
            ]

    texts = asyncio.run(async_part())
    with ding.Ding(api_key=key, server_url=server.url, **FAST) as client:
        envs = [op.invoke(client) for op in OPS]
        texts += [
            t for obj in (client, client.otp, client.lookup, *envs) for t in public_reprs(obj)
        ]
    assert texts
    for text in texts:
        assert not leaks(text), text[:300]


@pytest.mark.parametrize("style", STYLES)
def test_key_not_in_the_raw_response_reprs(server: ScriptServer, style: str) -> None:
    """envelope.raw_response / error.raw_response are public; their request_info is what
    aiohttp sent -- headers included. Printing it (a debugger, an error tracker's locals, a
    log of the response) must not print the key."""
    out = run_op(style, CHECK, server.url, FAST)
    server.always(api_error(400, "bad_request"))
    failed = run_op(style, CHECK, server.url, FAST)
    assert out.error is None and isinstance(failed.error, errors.ErrorResponse)
    for raw in (out.value.raw_response, failed.error.raw_response):
        texts = [repr(raw), str(raw), repr(raw.request_info), str(raw.request_info.headers)]
        for text in texts:
            assert not leaks(text), text[:400]


# --- logs ---------------------------------------------------------------------------------------


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.levelname} {record.getMessage()}")
        if record.exc_info and record.exc_info[1] is not None:
            self.lines.extend(texts_of_exception(record.exc_info[1]))


@pytest.fixture
def debug_logs() -> Iterator[Capture]:
    """Everything logged at DEBUG, by ding and by anything under it (aiohttp, asyncio)."""
    handler = Capture()
    root, ding_logger = logging.getLogger(), logging.getLogger("ding")
    levels = (root.level, ding_logger.level)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    ding_logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        ding_logger.setLevel(levels[1])


@pytest.mark.parametrize("style", STYLES)
def test_debug_logs_hide_key_phone_and_code(
    server: ScriptServer, debug_logs: Capture, style: str
) -> None:
    # Every operation, plus retries (a 503 then 200, a refused port) and failures.
    server.script(api_error(503, Retry_After="0"))
    for op in OPS:
        out = run_op(style, op, server.url, FAST)
        assert out.error is None, repr(out.error)
    server.always(api_error(401, "account_invalid"))
    for op in OPS:
        run_op(style, op, server.url, FAST)
    run_op(style, CHECK, f"http://127.0.0.1:{free_port()}/v1", FAST)
    text = "\n".join(debug_logs.lines)
    ding_lines = [line for line in debug_logs.lines if line.startswith("ding ")]
    assert len(ding_lines) >= 12, "ding logged nothing at DEBUG"
    assert any("lookup" in line for line in ding_lines)
    assert not leaks(text)
    assert not leaks(text, PHONE_PIECES), [line for line in ding_lines if leaks(line, PHONE_PIECES)]
    assert CODE not in text


def test_ding_log_env_debug_in_a_fresh_process(server: ScriptServer) -> None:
    """DING_LOG=debug: lines on stderr with method, path, status, attempt -- and no secrets."""
    code = f"""
import ding
from ding.models import components
c = ding.Ding(api_key={API_KEY!r}, server_url={server.url!r}, max_retries=1)
c.otp.create_authentication(request=components.CreateAuthenticationRequest(
    customer_uuid={CUSTOMER_UUID!r}, phone_number={PHONE!r}))
c.otp.check(request=components.CreateCheckRequest(
    customer_uuid={CUSTOMER_UUID!r}, authentication_uuid={AUTH_UUID!r}, check_code={CODE!r}))
c.lookup.lookup({PHONE!r}, {CUSTOMER_UUID!r})
c.close()
"""
    server.script(api_error(503, Retry_After="0"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DING_LOG": "debug"}
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert any("POST" in line and "/authentication" in line and "503" in line for line in lines)
    assert any("GET" in line and "/lookup/" in line and "200" in line for line in lines), lines
    assert not leaks(proc.stderr)
    assert not leaks(proc.stderr, PHONE_PIECES), proc.stderr
    assert CODE not in proc.stderr


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone_number", "+1415555012345678"),
        ("phone_number", 14155550123),
        ("phone_number", "14155550123"),
        ("check_code", 987654),
    ],
)
def test_validation_errors_do_not_echo_phone_or_code(field: str, value: Any) -> None:
    """The SDK's own rule (_fields): personal data and credentials are not echoed back."""
    data: dict[str, Any] = {"customer_uuid": CUSTOMER_UUID}
    if field == "phone_number":
        model: Any = components.CreateAuthenticationRequest
    else:
        model = components.CreateCheckRequest
        data["authentication_uuid"] = AUTH_UUID
    data[field] = value
    request = model(**data)  # building never refuses a value; the call does
    with pytest.raises(errors.ValidationError) as info:
        validate_request(request)
    text = "\n".join(texts_of_exception(info.value))
    assert str(value).lstrip("+")[:9] not in text, text


# --- plain http and TLS ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://api.example.com/v1",
        "http://10.0.0.5:8080/v1",
        "http://0.0.0.0:1/v1",
        "http://ding.internal/v1",
        "http://[2001:db8::1]/v1",
    ],
)
@pytest.mark.parametrize("cls", [ding.Ding, ding.AsyncDing], ids=["Ding", "AsyncDing"])
def test_plain_http_to_a_remote_host_warns(url: str, cls: Any) -> None:
    with pytest.warns(errors.InsecureTransportWarning):
        client = cls(api_key=API_KEY, server_url=url)
    if isinstance(client, ding.Ding):
        client.close()


def test_plain_http_from_environment_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DING_SERVER_URL", "http://api.example.com/v1")
    with pytest.warns(errors.InsecureTransportWarning):
        ding.AsyncDing(api_key=API_KEY)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/v1",
        "http://localhost:1/v1",
        "http://[::1]:1/v1",
        "http://127.0.0.2/v1",
        "http://app.localhost/v1",
        "https://api.example.com/v1",
        "https://api.ding.live/v1",
    ],
)
@pytest.mark.parametrize("cls", [ding.Ding, ding.AsyncDing], ids=["Ding", "AsyncDing"])
def test_loopback_and_https_do_not_warn(url: str, cls: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client = cls(api_key=API_KEY, server_url=url)
    if isinstance(client, ding.Ding):
        client.close()


async def _no_network(request: Any, handler: Any) -> Any:
    """A client middleware that stops every request before it connects anywhere."""
    raise aiohttp.ClientConnectionError("this test sends nothing to a non-loopback address")


@pytest.mark.parametrize("style", STYLES)
def test_per_call_plain_http_to_a_remote_host_warns(style: str) -> None:
    """Same risk as at construction: the key would cross the network in clear. The request
    itself is stopped by a middleware, so no packet leaves for the remote address."""
    with pytest.warns(errors.InsecureTransportWarning):
        out = run_op(
            style,
            CHECK,
            "http://127.0.0.1:9/v1",
            {**FAST, "max_retries": 0, "middlewares": (_no_network,)},
            {"server_url": "http://192.0.2.1:9/v1"},
        )
    assert isinstance(out.error, errors.APIConnectionError), repr(out.error)


@pytest.fixture(scope="module")
def ca() -> Any:
    import trustme  # installed by the reliability session

    return trustme.CA()


@pytest.fixture
def tls_server(ca: Any) -> Iterator[ScriptServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    with ScriptServer(ssl_context=context) as srv:
        yield srv


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", OPS, ids=str)
def test_self_signed_server_is_refused_by_default(
    tls_server: ScriptServer, style: str, op: Op
) -> None:
    out = run_op(style, op, tls_server.url, FAST)
    assert isinstance(out.error, errors.APIConnectionError), repr(out.error)
    assert out.error.__cause__ is not None
    assert "certificate" in str(out.error).lower() or "ssl" in repr(out.error.__cause__).lower()
    assert out.error.attempts == 1  # a certificate will not become valid by retrying
    assert tls_server.requests == []  # the request (and the key) never went out


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", OPS, ids=str)
def test_trusting_the_ca_through_ssl_option_connects(
    tls_server: ScriptServer, ca: Any, style: str, op: Op
) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    out = run_op(style, op, tls_server.url, {**FAST, "ssl": context})
    assert out.error is None, repr(out.error)
    assert out.value.attempts == 1
    (seen,) = tls_server.requests
    assert seen.headers["x-api-key"] == API_KEY


@pytest.mark.parametrize("style", STYLES)
def test_certificate_for_another_host_is_refused(ca: Any, style: str) -> None:
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("api.example.org").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    with ScriptServer(ssl_context=server_context) as srv:
        out = run_op(style, CHECK, srv.url, {**FAST, "ssl": client_context})
        assert isinstance(out.error, errors.APIConnectionError), repr(out.error)
        assert srv.requests == []
