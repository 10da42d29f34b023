"""Transport security (DESIGN §3 Security): plain http to a non-loopback host warns, TLS
verification is on by default (a self-signed server is refused) and a CA can be trusted
through the ``ssl`` option.
"""

from __future__ import annotations

import ssl
import warnings
from typing import Any

import aiohttp
import pytest

import ding
from ding.models import errors

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
