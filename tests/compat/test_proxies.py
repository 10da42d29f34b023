"""Issue 10 item 6: the network a `requests` user already has, proven with a real proxy.

A forward proxy runs as its own process on loopback (``_forward_proxy.py``): plain http is
forwarded, https goes through ``CONNECT`` to a TLS origin whose certificate comes from a
trustme CA, and the proxy can demand credentials. ``HTTP_PROXY`` / ``HTTPS_PROXY`` /
``NO_PROXY`` (either case, credentials in the URL), ``proxy=`` and ``trust_env=`` are checked
in both calling styles.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import ding
from ding.models import errors
from ding.testing import FakeDing

from .._loopback import free_port
from ..reliability._servers import ScriptServer
from .conftest import ForwardProxy

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
PHONE = "+14155550123"
STYLES = ["sync", "async"]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeDing]:
    with FakeDing.running() as running:
        yield running


def lookup(style: str, server_url: str, **options: Any) -> Any:
    """One lookup on a fresh client of ``style``; the result or the DingError raised."""
    try:
        if style == "sync":
            with ding.Ding("k", server_url=server_url, **options) as client:
                return client.lookup.lookup(PHONE, CUSTOMER)

        async def main() -> Any:
            async with ding.AsyncDing("k", server_url=server_url, **options) as client:
                return await client.lookup.lookup(PHONE, CUSTOMER)

        return asyncio.run(main())
    except errors.DingError as exc:
        return exc


def dead_proxy() -> str:
    return f"http://127.0.0.1:{free_port()}"


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_http_proxy_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
    start_proxy: Callable[..., ForwardProxy],
    fake: FakeDing,
    style: str,
    variable: str,
) -> None:
    proxy = start_proxy()
    monkeypatch.setenv(variable, proxy.url())
    res = lookup(style, fake.url)
    assert not isinstance(res, Exception), res
    assert res.status_code == 200
    assert [(r["method"], r["target"]) for r in proxy.log()] == [
        ("GET", f"{fake.url}/lookup/%2B14155550123")
    ]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "127.0.0.0/8", "*", "localhost,127.0.0.1"])
def test_no_proxy_goes_direct(
    monkeypatch: pytest.MonkeyPatch, fake: FakeDing, style: str, no_proxy: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", dead_proxy())  # fails the call when it is used:
    assert isinstance(lookup(style, fake.url, max_retries=0), errors.APIConnectionError)
    monkeypatch.setenv("no_proxy", no_proxy)
    res = lookup(style, fake.url)
    assert not isinstance(res, Exception), res


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("status", [400, 503])
def test_an_error_of_the_api_through_a_proxy_is_the_api_s(
    monkeypatch: pytest.MonkeyPatch,
    start_proxy: Callable[..., ForwardProxy],
    fake: FakeDing,
    style: str,
    status: int,
) -> None:
    """Only a 407 is the proxy's refusal; any other status came from the API through it."""
    proxy = start_proxy()
    monkeypatch.setenv("HTTP_PROXY", proxy.url())
    fake.fail_next(10, status, path="lookup")
    try:
        error = lookup(style, fake.url, max_retries=0)
    finally:
        fake.reset()
    assert type(error) is errors.ErrorResponse, repr(error)
    assert error.status_code == status and "proxy" not in str(error).lower()


@pytest.mark.parametrize("style", STYLES)
def test_proxy_credentials_in_the_url(
    monkeypatch: pytest.MonkeyPatch,
    start_proxy: Callable[..., ForwardProxy],
    fake: FakeDing,
    style: str,
) -> None:
    proxy = start_proxy(auth="corp user:p@ss:word")
    monkeypatch.setenv("HTTP_PROXY", proxy.url("corp%20user:p%40ss%3Aword"))
    res = lookup(style, fake.url)
    assert not isinstance(res, Exception), res
    assert [r["authorised"] for r in proxy.log()] == [True]

    monkeypatch.setenv("HTTP_PROXY", proxy.url("corp%20user:wrong"))
    refused = lookup(style, fake.url)
    assert isinstance(refused, errors.SDKError) and refused.status_code == 407
    assert "wrong" not in repr(refused) + str(refused)


@pytest.mark.parametrize("style", STYLES)
def test_https_through_connect_with_credentials_and_a_ca_bundle(
    monkeypatch: pytest.MonkeyPatch,
    start_proxy: Callable[..., ForwardProxy],
    tls_server: ScriptServer,
    ca_pem: str,
    style: str,
) -> None:
    """The whole corporate setup: HTTPS_PROXY with credentials, a private CA in
    REQUESTS_CA_BUNDLE, TLS to the origin inside the CONNECT tunnel."""
    proxy = start_proxy(auth="user:secret")
    monkeypatch.setenv("HTTPS_PROXY", proxy.url("user:secret"))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_pem)
    res = lookup(style, tls_server.url)
    assert not isinstance(res, Exception), repr(res)
    assert res.status_code == 200
    assert [(r["method"], r["target"], r["authorised"]) for r in proxy.log()] == [
        ("CONNECT", f"127.0.0.1:{tls_server.port}", True)
    ]
    assert tls_server.count("/lookup/%2B14155550123") == 1


@pytest.mark.parametrize("style", STYLES)
def test_explicit_proxy_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch,
    start_proxy: Callable[..., ForwardProxy],
    fake: FakeDing,
    style: str,
) -> None:
    proxy = start_proxy()
    monkeypatch.setenv("HTTP_PROXY", dead_proxy())
    assert not isinstance(lookup(style, fake.url, proxy=proxy.url()), Exception)
    assert not isinstance(lookup(style, fake.url, proxy={"http": proxy.url()}), Exception)
    assert len(proxy.log()) == 2


@pytest.mark.parametrize("style", STYLES)
def test_trust_env_false_ignores_environment_proxies(
    monkeypatch: pytest.MonkeyPatch, fake: FakeDing, style: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", dead_proxy())
    assert not isinstance(lookup(style, fake.url, trust_env=False), Exception)
    # ...and without it the dead proxy is used (so the variable really was honoured).
    assert isinstance(lookup(style, fake.url, max_retries=0), errors.APIConnectionError)


def test_a_per_call_server_url_chooses_its_own_proxy(
    monkeypatch: pytest.MonkeyPatch, start_proxy: Callable[..., ForwardProxy], fake: FakeDing
) -> None:
    proxy = start_proxy()
    monkeypatch.setenv("HTTP_PROXY", proxy.url())
    monkeypatch.setenv("NO_PROXY", "localhost")
    direct = fake.url.replace("127.0.0.1", "localhost")
    with ding.Ding("k", server_url=fake.url) as client:
        client.lookup.lookup(PHONE, CUSTOMER)  # proxied
        client.lookup.lookup(PHONE, CUSTOMER, server_url=direct)  # NO_PROXY: direct
        client.lookup.lookup(PHONE, CUSTOMER)  # proxied again
    assert [r["target"].split("/v1")[0] for r in proxy.log()] == [fake.url[:-3]] * 2
    # And the other way round: a client going direct sends one call through the proxy.
    with ding.Ding("k", server_url=direct) as client:
        client.lookup.lookup(PHONE, CUSTOMER)  # NO_PROXY: direct
        client.lookup.lookup(PHONE, CUSTOMER, server_url=fake.url)  # proxied
    assert [r["target"].split("/v1")[0] for r in proxy.log()] == [fake.url[:-3]] * 3


def test_the_environment_is_read_when_the_client_is_built(
    monkeypatch: pytest.MonkeyPatch, fake: FakeDing
) -> None:
    """Once, not per request: a variable set afterwards does not change a built client."""
    with ding.Ding("k", server_url=fake.url, max_retries=0) as client:
        monkeypatch.setenv("HTTP_PROXY", dead_proxy())
        assert client.lookup.lookup(PHONE, CUSTOMER).status_code == 200
        with (
            ding.Ding("k", server_url=fake.url, max_retries=0) as built_after,
            pytest.raises(errors.APIConnectionError),
        ):
            built_after.lookup.lookup(PHONE, CUSTOMER)


@pytest.mark.parametrize(
    "options",
    [
        {"proxy": "socks5://127.0.0.1:1080"},
        {"proxy": {"https": "ftp://x"}},
        {"proxy": 3128},
        {"trust_env": "yes"},
    ],
)
def test_bad_proxy_settings_are_refused_at_construction(options: dict[str, Any]) -> None:
    with pytest.raises(errors.ValidationError) as info:
        ding.Ding("k", server_url="http://127.0.0.1:1/v1", **options)
    assert info.value.field in ("proxy", "trust_env")


def test_an_unusable_environment_proxy_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALL_PROXY", "socks5://user:pw@127.0.0.1:1080")
    with pytest.raises(errors.ValidationError, match="NO_PROXY") as info:
        ding.Ding("k", server_url="http://127.0.0.1:1/v1")
    assert "pw" not in str(info.value)
    assert ding.Ding("k", server_url="http://127.0.0.1:1/v1", trust_env=False)


@pytest.mark.parametrize(
    "options",
    [{"proxy": "http://127.0.0.1:3128"}, {"trust_env": False}, {"ssl": False}],
)
def test_session_options_with_a_session_factory_are_refused(options: dict[str, Any]) -> None:
    """Item 5: they would be dropped (the factory builds the session), so they are refused."""
    with pytest.raises(errors.ValidationError, match="session_factory"):
        ding.Ding("k", session_factory=lambda: None, **options)  # type: ignore[arg-type,return-value]
