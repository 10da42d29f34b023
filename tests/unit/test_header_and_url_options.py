"""Options that end up in a header or the request line are refused at construction.

CR, LF or NUL in `user_agent` or a default header would split or forge a header (aiohttp
would only notice at send time, with a raw ValueError). A malformed `server_url` is refused
at construction (and per call), never accepted for a later raw ValueError or a bad Host.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import ding
from ding.models import errors

from ..conftest import CUSTOMER_UUID, PHONE

GOOD_URL = "http://127.0.0.1:9/v1"
BREAKERS = ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\0b"]
BAD_URLS = [
    "http://",
    "https://",
    "http://[::1/v1",
    "http://exa mple.com/v1",
    "ht!tp://x/v1",
    "http://example.com/v1\r\nX-Injected: 1",
    "http://example.com:99999/v1",
    "http://example.com:port/v1",
    "http://:8080/v1",
    "http://example.com/v1?key=1",
    "http://example.com/v1#frag",
    "http://{region}.example.com/v1",  # a url_params placeholder left unfilled
    "http://exa\tmple.com/v1",
]


def build(style: str, **options: Any) -> Any:
    cls = ding.Ding if style == "sync" else ding.AsyncDing
    return cls(api_key="k", **options)


@pytest.mark.parametrize("style", ["sync", "async"])
@pytest.mark.parametrize("value", BREAKERS)
def test_user_agent_that_would_break_a_header_is_refused(style: str, value: str) -> None:
    with pytest.raises(errors.ValidationError) as info:
        build(style, server_url=GOOD_URL, user_agent=value)
    assert info.value.field == "user_agent"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("style", ["sync", "async"])
@pytest.mark.parametrize("value", BREAKERS)
def test_default_header_values_and_names_that_would_break_a_header_are_refused(
    style: str, value: str
) -> None:
    for headers in ({"x-app": value}, {value: "v"}):
        with pytest.raises(errors.ValidationError) as info:
            build(style, server_url=GOOD_URL, headers=headers)
        assert info.value.field == "headers"


@pytest.mark.parametrize("style", ["sync", "async"])
@pytest.mark.parametrize("url", BAD_URLS)
def test_malformed_server_url_is_refused_at_construction(style: str, url: str) -> None:
    with pytest.raises(errors.ValidationError) as info:
        build(style, server_url=url)
    assert info.value.field == "server_url"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("url", BAD_URLS)
def test_malformed_server_url_from_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("DING_SERVER_URL", url)
    with pytest.raises(errors.ValidationError):
        ding.AsyncDing(api_key="k")


@pytest.mark.parametrize("url", BAD_URLS)
def test_malformed_per_call_server_url_is_refused_before_any_io(url: str) -> None:
    with ding.Ding(api_key="k", server_url=GOOD_URL) as client:
        with pytest.raises(errors.ValidationError) as info:
            client.lookup.lookup(PHONE, CUSTOMER_UUID, server_url=url)
        assert info.value.field == "server_url"

    async def main() -> None:
        async with ding.AsyncDing(api_key="k", server_url=GOOD_URL) as client:
            await client.lookup.lookup(PHONE, CUSTOMER_UUID, server_url=url)

    with pytest.raises(errors.ValidationError):
        asyncio.run(main())


@pytest.mark.parametrize(
    "url",
    [
        "https://api.ding.live/v1",
        "https://api.ding.live/v1/",
        "http://127.0.0.1:8080",
        "http://[::1]:8080/v1",
        "http://localhost/v1",
        "https://user@example.com/v1",
        "https://bücher.example/v1",  # an internationalised name: aiohttp encodes it
    ],
)
def test_well_formed_server_urls_are_accepted(url: str, recwarn: pytest.WarningsRecorder) -> None:
    client = ding.AsyncDing(api_key="k", server_url=url)
    assert client.server_url == url.rstrip("/")


def test_url_params_fill_the_placeholders_before_the_check() -> None:
    client = ding.AsyncDing(
        api_key="k", server_url="https://{region}.example.com/v1", url_params={"region": "eu"}
    )
    assert client.server_url == "https://eu.example.com/v1"
    with pytest.raises(errors.ValidationError):
        ding.AsyncDing(
            api_key="k", server_url="https://{region}.example.com/v1", url_params={"region": "e u"}
        )


def test_retry_after_cap_none_needs_a_deadline() -> None:
    """Some limit must end every call: no deadline and no cap could wait for days."""
    with pytest.raises(errors.ValidationError) as info:
        ding.AsyncDing(api_key="k", server_url=GOOD_URL, deadline=None, retry_after_cap=None)
    assert info.value.field == "retry_after_cap"
    ding.AsyncDing(api_key="k", server_url=GOOD_URL, deadline=60, retry_after_cap=None)
    ding.AsyncDing(api_key="k", server_url=GOOD_URL, deadline=None, retry_after_cap=120)
