"""Through the public clients, with aioresponses for the network: every client and call option
reaches the request (timeouts, headers, the key read per call, the lookup's header and
query, the deadline)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

import ding
from ding.models import errors
from ding.utils import BackoffStrategy, RetryConfig

from ..conftest import AUTH_UUID, BASE_URL, CUSTOMER_UUID, MOCKED_RESPONSE_CLASS, PHONE
from ._mocked_api import AUTH_OK, CREATE, calls, register

# --- options reach the request ----------------------------------------------------------------


@pytest.mark.parametrize("style", ["async", "sync"])
def test_client_and_call_options_reach_the_request(mocked: aioresponses, style: str) -> None:
    register(mocked, "POST", "/authentication", payload=AUTH_OK)
    client_opts: dict[str, Any] = {
        "timeout": 7.0,
        "connect_timeout": 2.0,
        "headers": {"x-client": "1"},
        "user_agent": "ua/1",
    }
    call_opts: dict[str, Any] = {"timeout": 3.0, "connect_timeout": 1.0, "headers": {"x-call": "2"}}

    async def run(client: ding.AsyncDing) -> None:
        await client.otp.create_authentication(request=CREATE)
        await client.otp.create_authentication(request=CREATE, **call_opts)
        await client.otp.create_authentication(request=CREATE, timeout_ms=1500)

    if style == "async":

        async def main() -> None:
            async with ding.AsyncDing(
                api_key="key-1", server_url=BASE_URL, **client_opts
            ) as client:
                await run(client)

        asyncio.run(main())
    else:
        with ding.Ding(api_key="key-1", server_url=BASE_URL, **client_opts) as sync:
            sync.otp.create_authentication(request=CREATE)
            sync.otp.create_authentication(request=CREATE, **call_opts)
            sync.otp.create_authentication(request=CREATE, timeout_ms=1500)
    first, second, third = (dict(r.kwargs) for r in calls(mocked, "POST", "/authentication"))
    assert first["timeout"].total == 7.0
    assert first["timeout"].connect == 2.0
    assert first["headers"]["x-client"] == "1"
    assert first["headers"]["user-agent"] == "ua/1"
    assert first["headers"]["x-api-key"] == "key-1"
    assert second["timeout"].total == 3.0
    assert second["timeout"].connect == 1.0
    assert second["headers"]["x-call"] == "2"
    assert second["headers"]["x-client"] == "1"
    assert third["timeout"].total == 1.5


@pytest.mark.asyncio
async def test_callable_key_is_read_per_call(mocked: aioresponses) -> None:
    register(mocked, "GET", f"/authentication/{AUTH_UUID}", payload={})
    keys = iter(["k1", "k2"])
    async with ding.AsyncDing(api_key=lambda: next(keys), server_url=BASE_URL) as client:
        await client.otp.get_authentication_status(auth_uuid=AUTH_UUID)
        await client.otp.get_authentication_status(auth_uuid=AUTH_UUID, headers={"x-id": "2"})
    sent = [
        r.kwargs["headers"]["x-api-key"]
        for r in calls(mocked, "GET", f"/authentication/{AUTH_UUID}")
    ]
    assert sent == ["k1", "k2"]


@pytest.mark.asyncio
@pytest.mark.parametrize("spelling", ["x-api-key", "X-Api-Key", "X-API-KEY"])
async def test_a_second_key_header_is_refused(mocked: aioresponses, spelling: str) -> None:
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL) as client:
        with pytest.raises(errors.ValidationError, match="x-api-key"):
            await client.otp.get_authentication_status(
                auth_uuid=AUTH_UUID, headers={spelling: "forged"}
            )
    with pytest.raises(errors.ValidationError, match="x-api-key"):
        ding.AsyncDing(api_key="k", server_url=BASE_URL, headers={spelling: "forged"})
    assert not mocked.requests


@pytest.mark.asyncio
async def test_lookup_sends_customer_uuid_header_and_repeated_type(
    mocked: aioresponses, client: ding.AsyncDing
) -> None:
    mocked.get(
        BASE_URL + "/lookup/%2B1234567890?type=cnam",
        response_class=MOCKED_RESPONSE_CLASS,
        payload={"line_type": "Mobile", "caller_name": "ACME"},
    )
    res = await client.lookup.lookup(PHONE, CUSTOMER_UUID, type_=[ding.operations.Type.CNAM])
    assert res.lookup_response is not None
    assert res.lookup_response.caller_name == "ACME"
    sent = mocked.requests[("GET", URL(BASE_URL + "/lookup/%2B1234567890?type=cnam"))][0].kwargs
    assert sent["headers"]["customer-uuid"] == CUSTOMER_UUID


@pytest.mark.asyncio
async def test_a_lookup_sends_the_calls_own_headers_beside_its_customer_uuid(
    mocked: aioresponses, client: ding.AsyncDing
) -> None:
    """The lookup adds a header of its own: the headers the call was given are not dropped
    for it, nor the other way round."""
    url = BASE_URL + "/lookup/%2B1234567890"
    mocked.get(url, response_class=MOCKED_RESPONSE_CLASS, payload={"line_type": "Mobile"})
    await client.lookup.lookup(PHONE, CUSTOMER_UUID, headers={"x-request-id": "r-1"})
    sent = mocked.requests[("GET", URL(url))][0].kwargs["headers"]
    assert (sent["x-request-id"], sent["customer-uuid"]) == ("r-1", CUSTOMER_UUID)


@pytest.mark.asyncio
async def test_deadline_bounds_the_whole_call(mocked: aioresponses) -> None:
    register(mocked, "GET", f"/authentication/{AUTH_UUID}", status=503, body="{}")
    slow = RetryConfig("backoff", BackoffStrategy(400, 400, 1, 60000), True)
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL, retry_config=slow) as client:
        started = asyncio.get_running_loop().time()
        with pytest.raises(errors.SDKError):
            await client.otp.get_authentication_status(auth_uuid=AUTH_UUID, deadline=0.5)
        elapsed = asyncio.get_running_loop().time() - started
    assert elapsed < 2.0  # stops at the 0.5 s deadline, not at the 60 s max_elapsed_time
    sent = calls(mocked, "GET", f"/authentication/{AUTH_UUID}")
    assert len(sent) >= 1
    # Each attempt's own timeout shrinks to what is left of the deadline.
    assert all(call.kwargs["timeout"].total <= 0.5 for call in sent)
    assert sent[-1].kwargs["timeout"].total < sent[0].kwargs["timeout"].total or len(sent) == 1
