"""Issue 10 item 11: tests written against the official client mock ours the same way."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from unittest import mock

import pytest

import ding
from ding.models import components, operations
from ding.testing import FakeDing

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
PHONE = "+14155550123"
OK = operations.CheckResponse("application/json", 200, None, components.CreateCheckResponse())


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeDing]:
    with FakeDing.running() as running:
        yield running


@pytest.fixture
def client(fake: FakeDing) -> Iterator[ding.Ding]:
    with ding.Ding("k", server_url=fake.url) as s:
        yield s


def test_signatures_have_no_self_and_spell_out_the_options(client: ding.Ding) -> None:
    for method in (client.otp.check, ding.AsyncDing("k").otp.check):
        params = inspect.signature(method).parameters
        assert next(iter(params)) == "request"
        assert params["timeout"].kind is inspect.Parameter.KEYWORD_ONLY
        assert not any(p.kind is p.VAR_KEYWORD for p in params.values())
    lookup = inspect.signature(client.lookup.lookup)
    assert list(lookup.parameters)[:3] == ["phone_number", "customer_uuid", "type_"]


def test_patch_object_autospec_checks_calls(client: ding.Ding) -> None:
    request = components.CreateCheckRequest(CUSTOMER, "a", "1")
    with mock.patch.object(client.otp, "check", autospec=True, return_value=OK) as check:
        assert client.otp.check(request=request) is OK
        client.otp.check(request, timeout=3)
        check.assert_any_call(request=request)
        with pytest.raises(TypeError):
            client.otp.check(requets=request)  # a typo the real call would refuse too
        with pytest.raises(TypeError):
            client.otp.check(request, request)


@pytest.mark.parametrize(
    "target", ["ding.otp.Otp.check", "ding.Otp.check", "ding._sync_client.Otp.check"]
)
def test_a_class_patch_wins_even_after_real_calls(client: ding.Ding, target: str) -> None:
    """The sync methods used to cache a bound function on each resource, which shadowed a
    patch of the class for any client that had already called the method."""
    sent = client.otp.create_authentication(components.CreateAuthenticationRequest(CUSTOMER, PHONE))
    auth = sent.create_authentication_response.authentication_uuid
    real = client.otp.check(components.CreateCheckRequest(CUSTOMER, auth, "000000"))
    assert real.status_code == 200
    assert "check" not in vars(client.otp)
    with mock.patch(target, return_value=OK) as patched:
        assert client.otp.check(request=None) is OK
        patched.assert_called_once()
    assert client.otp.check is not patched


def test_patching_lookup_by_its_official_path(client: ding.Ding) -> None:
    client.lookup.lookup(PHONE, CUSTOMER)
    with mock.patch("ding.lookup.Lookup.lookup", autospec=True) as lookup:
        lookup.return_value = "patched"
        assert client.lookup.lookup(PHONE, CUSTOMER) == "patched"
        assert lookup.call_args.args[1:] == (PHONE, CUSTOMER)


def test_create_autospec_of_both_clients() -> None:
    for cls in (ding.Ding, ding.AsyncDing):
        mocked = mock.create_autospec(cls)
        mocked("k", None, None, None, None, None, timeout=3)
        mocked.assert_called_once()
        with pytest.raises(TypeError):
            mocked("k", 0, "url", {}, None, None, "one too many")


def test_async_methods_autospec_as_coroutines() -> None:
    client = ding.AsyncDing("k")
    with mock.patch.object(client.otp, "check", autospec=True, return_value=OK):
        pending = client.otp.check(request=None)
        assert inspect.isawaitable(pending)
        assert asyncio.run(pending) is OK


def test_sync_methods_are_not_coroutine_functions(client: ding.Ding) -> None:
    """So mock.create_autospec gives a plain (not an async) mock for them."""
    assert not inspect.iscoroutinefunction(client.otp.check)
    with mock.patch.object(client.otp, "check", autospec=True, return_value=OK):
        assert client.otp.check(request=None) is OK  # a value, not a coroutine


_MOCK_FIRST = """
import asyncio, inspect, json, sys
from types import SimpleNamespace

import aiohttp
from aioresponses import aioresponses

import ding  # the client itself (and its request path) loads on first use, inside the mock

URL = "https://api.example/v1/lookup/%%2B14155550123"


class Response(aiohttp.ClientResponse):  # aioresponses 0.7.9 predates aiohttp 3.14
    def __init__(self, method, url, **kwargs):
        if "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters:
            kwargs.setdefault("stream_writer", SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


def seen(m):
    return [
        (str(url), call.kwargs["headers"].get("x-api-key"))
        for (_, url), calls in m.requests.items()
        for call in calls
    ]


async def run_async():
    with aioresponses() as m:
        m.get(URL, payload={"phone_number": "+14155550123"}, response_class=Response)
        async with ding.AsyncDing("the-key", server_url="https://api.example/v1") as client:
            await client.lookup.lookup("+14155550123", "%(customer)s")
        return seen(m)


def run_sync():
    with aioresponses() as m:
        m.get(URL, payload={"phone_number": "+14155550123"}, response_class=Response)
        with ding.Ding("the-key", server_url="https://api.example/v1") as client:
            client.lookup.lookup("+14155550123", "%(customer)s")
        return seen(m)


print(json.dumps(asyncio.run(run_async()) if sys.argv[1] == "async" else run_sync()))
"""


@pytest.mark.parametrize("style", ["async", "sync"])
def test_a_mock_started_before_the_client_loaded_sees_the_real_url_and_key(style: str) -> None:
    """ding loads its request path on first use, often inside a test whose aioresponses mock
    is already active: the mock is the wire all the same, matched on the real URL and
    handed the key (issue 20 item 2)."""
    import json
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-c", _MOCK_FIRST % {"customer": CUSTOMER}, style],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert json.loads(completed.stdout) == [
        ["https://api.example/v1/lookup/%2B14155550123", "the-key"]
    ]
