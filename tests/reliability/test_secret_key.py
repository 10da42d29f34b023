"""The API key travels only in the x-api-key header (DESIGN §3 Security): never in an
exception (text, repr, chained causes, traceback, pickle), a request line or body, or a
redirect to another origin; a key or header with CR/LF is refused before any I/O.
"""

from __future__ import annotations

from typing import Any

import pytest

import ding
from ding.models import errors

from .._loopback import free_port
from ._actions import api_error, hang, reply
from ._leaks import leaks, texts_of_exception
from ._ops import (
    API_KEY,
    FAST,
    OPS,
    OPS_BY_NAME,
    STYLES,
    Op,
    run_op,
)
from ._servers import ScriptServer

CHECK = OPS_BY_NAME["check"]


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
