"""Issue 16 item 8: a failing proxy is named as the cause, with its status, and a proxy's
refusal is a configuration error raised at once, never an "ambiguous send" (the API never
saw the request). Proven with the real forward proxy process of `_forward_proxy.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ding.models import errors

from .._loopback import free_port
from ..reliability._actions import reply
from ..reliability._ops import FAST, MAX_RETRIES, OPS_BY_NAME, STYLES, Op, run_op
from ..reliability._servers import ScriptServer
from .conftest import ForwardProxy

OPS = [OPS_BY_NAME["lookup"], OPS_BY_NAME["create_authentication"]]
OPERATION_IDS = {"lookup": "lookup", "create_authentication": "create-authentication"}
"""The spec's operationId of each: what an error message starts with."""


@pytest.fixture
def origin() -> Iterator[ScriptServer]:
    """A plain-http origin: requests to it go through the proxy in absolute form."""
    with ScriptServer() as server:
        yield server


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", OPS, ids=str)
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_proxy_answering_407_is_named_and_never_retried(
    start_proxy: Callable[..., ForwardProxy],
    origin: ScriptServer,
    style: str,
    op: Op,
    scheme: str,
) -> None:
    """https: the proxy refuses the CONNECT; http: it answers the forwarded request itself.
    A GET would be retried after an ambiguous failure: a 407 is not one."""
    proxy = start_proxy(auth="user:secret")
    url = origin.url if scheme == "http" else f"https://127.0.0.1:{free_port()}/v1"
    out = run_op(style, op, url, {**FAST, "proxy": proxy.url("user:wrong-password")})
    error = out.error
    assert isinstance(error, errors.ProxyError), repr(error)
    assert isinstance(error, errors.APIConnectionError) and isinstance(error, errors.SDKError)
    assert error.status_code == 407 and error.attempts == 1
    assert len(proxy.log()) == 1 and origin.count() == 0
    text = str(error)
    assert text.startswith(f"{OPERATION_IDS[op.name]}: "), text
    assert f"the proxy http://127.0.0.1:{proxy.port} answered 407" in text
    assert "wrong-password" not in text + repr(error)
    if scheme == "http":  # the proxy's own answer to the request: its reason and headers kept
        assert "answered 407 Proxy Authentication Required" in text
        assert error.headers is not None
        assert error.headers["Proxy-Authenticate"] == 'Basic realm="test"'


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", OPS, ids=str)
def test_an_address_that_is_no_proxy_is_named(origin: ScriptServer, style: str, op: Op) -> None:
    """proxy= pointing at an ordinary web server: it answers the CONNECT with a 400."""
    origin.always(reply(400, b"<html>Bad Request</html>", content_type="text/html"))
    proxy = origin.url.removesuffix("/v1")
    out = run_op(style, op, f"https://127.0.0.1:{free_port()}/v1", {**FAST, "proxy": proxy})
    assert isinstance(out.error, errors.ProxyError), repr(out.error)
    assert out.error.status_code == 400 and out.error.attempts == 1 == origin.count()
    assert f"the proxy {proxy} answered 400" in str(out.error)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", OPS, ids=str)
def test_an_unreachable_proxy_is_named_and_retried(style: str, op: Op) -> None:
    """Nothing was sent anywhere: retried like any connection that was never established."""
    proxy = f"http://127.0.0.1:{free_port()}"
    out = run_op(style, op, f"https://127.0.0.1:{free_port()}/v1", {**FAST, "proxy": proxy})
    assert type(out.error) is errors.APIConnectionError, repr(out.error)
    assert f"could not connect to the proxy {proxy}" in str(out.error)
    assert out.error.attempts == MAX_RETRIES + 1
