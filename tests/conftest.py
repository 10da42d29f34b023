"""Shared fixtures: canned identifiers, the aioresponses response class, and a private CA with
an https origin on loopback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .reliability._servers import ScriptServer

CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
AUTH_UUID = "8f1196d5-806e-4b71-9b24-5f96ec052808"
PHONE = "+1234567890"
BASE_URL = "http://127.0.0.1:9/v1"  # never contacted: aioresponses intercepts


@pytest.fixture(autouse=True)
def _clean_ding_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests must not pick up a developer's real key, server or proxy from the environment."""
    for name in ("DING_API_KEY", "DING_SERVER_URL", "DING_LOG", "DING_CUSTOMER_UUID"):
        monkeypatch.delenv(name, raising=False)
    # Clients honour proxies from the environment (as requests does): a developer's proxy
    # must not capture the tests' loopback traffic.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    assert "DING_API_KEY" not in os.environ


def _mocked_response_class() -> type:
    import inspect
    from types import SimpleNamespace

    import aiohttp

    params = inspect.signature(aiohttp.ClientResponse.__init__).parameters
    if "stream_writer" not in params:
        return aiohttp.ClientResponse

    class _Response(aiohttp.ClientResponse):
        # aioresponses 0.7.9 predates aiohttp 3.14's required ``stream_writer`` argument;
        # a response that was "already sent" only reads its ``output_size``.
        def __init__(self, method: str, url: object, **kwargs: object) -> None:
            kwargs.setdefault("stream_writer", SimpleNamespace(output_size=0))
            super().__init__(method, url, **kwargs)  # type: ignore[arg-type]

    return _Response


MOCKED_RESPONSE_CLASS = _mocked_response_class()


@pytest.fixture(scope="session")
def ca() -> Any:
    """A private certificate authority (trustme, a test-only dependency)."""
    import trustme

    return trustme.CA()


@pytest.fixture
def tls_server(ca: Any) -> Iterator[ScriptServer]:
    """An https origin on 127.0.0.1 with a certificate from the test CA."""
    import ssl

    from .reliability._servers import ScriptServer

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    with ScriptServer(ssl_context=context) as server:
        yield server
