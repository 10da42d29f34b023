"""DESIGN §1: the official client's documented usage runs unchanged (plus ``server_url``),
sync and async, for all six operations, against the fake."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import ding
from ding.models import components, errors, operations
from ding.testing import FakeDing

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"


def _flow_sync(s: ding.Ding, fake: FakeDing) -> dict[str, Any]:
    res = s.otp.create_authentication(
        request=components.CreateAuthenticationRequest(
            customer_uuid=CUSTOMER,
            phone_number="+1234567890",
        )
    )
    auth = res.create_authentication_response.authentication_uuid
    checked = s.otp.check(
        request=components.CreateCheckRequest(
            customer_uuid=CUSTOMER, authentication_uuid=auth, check_code=fake.code_for(auth)
        )
    ).create_check_response
    fed = s.otp.feedback(
        request=components.FeedbackRequest(
            customer_uuid=CUSTOMER,
            phone_number="+1234567890",
            status=components.FeedbackRequestStatus.ONBOARDED,
        )
    ).feedback_response
    retried = s.otp.retry(
        request=components.RetryAuthenticationRequest(
            customer_uuid=CUSTOMER, authentication_uuid=auth
        )
    ).retry_authentication_response
    status = s.otp.get_authentication_status(auth_uuid=auth).authentication_status_response
    looked = s.lookup.lookup(
        phone_number="+1234567890", customer_uuid=CUSTOMER, type_=None
    ).lookup_response
    return {
        "res": res,
        "check": checked,
        "feedback": fed,
        "retry": retried,
        "status": status,
        "lookup": looked,
    }


async def _flow_async(client: ding.AsyncDing, fake: FakeDing) -> dict[str, Any]:
    res = await client.otp.create_authentication(
        request=components.CreateAuthenticationRequest(
            customer_uuid=CUSTOMER, phone_number="+1234567890"
        )
    )
    auth = res.create_authentication_response.authentication_uuid
    checked = (
        await client.otp.check(
            request=components.CreateCheckRequest(
                customer_uuid=CUSTOMER, authentication_uuid=auth, check_code=fake.code_for(auth)
            )
        )
    ).create_check_response
    fed = (
        await client.otp.feedback(
            request=components.FeedbackRequest(
                customer_uuid=CUSTOMER,
                phone_number="+1234567890",
                status=components.FeedbackRequestStatus.ONBOARDED,
            )
        )
    ).feedback_response
    retried = (
        await client.otp.retry(
            request=components.RetryAuthenticationRequest(
                customer_uuid=CUSTOMER, authentication_uuid=auth
            )
        )
    ).retry_authentication_response
    status = (
        await client.otp.get_authentication_status(auth_uuid=auth)
    ).authentication_status_response
    looked = (
        await client.lookup.lookup(phone_number="+1234567890", customer_uuid=CUSTOMER, type_=None)
    ).lookup_response
    return {
        "res": res,
        "check": checked,
        "feedback": fed,
        "retry": retried,
        "status": status,
        "lookup": looked,
    }


def _assert_flow(out: dict[str, Any]) -> None:
    res = out["res"]
    assert isinstance(res, operations.CreateAuthenticationResponse)
    assert res.status_code == 200
    assert res.content_type.startswith("application/json")
    assert res.raw_response.status == 200
    assert res.attempts == 1
    assert (
        res.create_authentication_response.status
        is components.CreateAuthenticationResponseStatus.PENDING
    )
    assert out["check"].status is components.CheckStatus.VALID
    assert out["feedback"].uuid
    assert out["retry"].status is components.RetryAuthenticationResponseStatus.ALREADY_VALIDATED
    status = out["status"]
    assert status.phone_number == "+1234567890"
    assert [type(e) for e in status.events][:1] == [components.Attempt]
    assert any(isinstance(e, components.Check) and e.status == "valid" for e in status.events)
    assert out["lookup"].phone_number == "+1234567890"


def test_documented_usage_sync(fake: FakeDing) -> None:
    s = ding.Ding(api_key="YOUR_API_KEY", server_url=fake.url)
    try:
        _assert_flow(_flow_sync(s, fake))
    finally:
        s.close()


def test_documented_usage_async(fake: FakeDing) -> None:
    async def main() -> dict[str, Any]:
        async with ding.AsyncDing(api_key="YOUR_API_KEY", server_url=fake.url) as client:
            return await _flow_async(client, fake)

    _assert_flow(asyncio.run(main()))


def test_the_api_error_object_and_sdk_error_are_catchable_as_documented(fake: FakeDing) -> None:
    with ding.Ding(api_key="YOUR_API_KEY", server_url=fake.url) as s:
        try:
            s.otp.check(
                request=components.CreateCheckRequest(
                    customer_uuid=CUSTOMER,
                    authentication_uuid="3c8b3a46-881e-4cdd-93a6-f7f238bf020a",
                    check_code="123456",
                )
            )
        except errors.ErrorResponse as e:
            assert e.code == errors.Code.INVALID_AUTH_UUID
            assert e.message
            assert e.status_code == 400
        else:
            pytest.fail("expected ErrorResponse")
        fake.fail_next(1, status=500, body="upstream exploded", content_type="text/plain")
        try:
            s.otp.create_authentication(
                request=components.CreateAuthenticationRequest(
                    customer_uuid=CUSTOMER, phone_number="+1234567890"
                )
            )
        except errors.ErrorResponse:
            pytest.fail("a 500 without the API error object is not ErrorResponse")
        except errors.SDKError as e:
            assert (e.status_code, e.raw_response.status) == (500, 500)
            assert e.body == "upstream exploded"
            assert e.attempts == 1
        else:
            pytest.fail("expected SDKError for the 500")
    assert len(fake.requests_to("/authentication")) == 1  # the 500 was not retried: it sends SMS


@pytest.mark.asyncio
async def test_a_client_made_at_import_time_survives_several_loops(fake: FakeDing) -> None:
    client = ding.AsyncDing(api_key="k", server_url=fake.url)

    async def one() -> int:
        res = await client.lookup.lookup("+1234567890", CUSTOMER)
        return res.status_code

    # The pytest-asyncio loop, then two more loops of their own, then back here.
    assert await one() == 200
    for _ in range(2):
        assert await asyncio.to_thread(asyncio.run, one()) == 200
    assert await one() == 200
    await client.close()


def test_user_supplied_session_is_used_and_left_open(fake: FakeDing) -> None:
    import aiohttp

    async def main() -> bool:
        async with aiohttp.ClientSession() as session:
            async with ding.AsyncDing(api_key="k", server_url=fake.url, session=session) as client:
                await client.lookup.lookup("+1234567890", CUSTOMER)
            return session.closed

    assert asyncio.run(main()) is False


def test_dict_requests_are_accepted(fake: FakeDing) -> None:
    with ding.Ding(api_key="k", server_url=fake.url) as s:
        res = s.otp.create_authentication(
            {"customer_uuid": CUSTOMER, "phone_number": "+1234567890"}
        )
    assert res.create_authentication_response.status == "pending"


def test_aiohttp_trace_configs_and_middlewares_are_reachable(fake: FakeDing) -> None:
    import aiohttp

    seen: list[str] = []

    async def on_start(
        _session: object, _ctx: object, params: aiohttp.TraceRequestStartParams
    ) -> None:
        seen.append(f"trace {params.method} {params.url.raw_path}")

    async def middleware(
        request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        request.headers["x-traced"] = "1"
        seen.append("middleware")
        return await handler(request)

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    with ding.Ding(
        api_key="k", server_url=fake.url, trace_configs=[trace], middlewares=(middleware,)
    ) as s:
        s.lookup.lookup("+1234567890", CUSTOMER)
    # Instrumentation sees the URL template (issue 17: no phone number in any trace); the
    # wire carries the number.
    assert seen == ["trace GET /v1/lookup/{phone_number}", "middleware"]
    assert fake.requests[-1].headers["x-traced"] == "1"
    assert fake.requests[-1].raw_path == "/v1/lookup/%2B1234567890"


@pytest.mark.parametrize("key", ["fixed-key", "callable"])
@pytest.mark.parametrize("style", ["sync", "async"])
def test_headers_reach_the_wire(fake: FakeDing, key: str, style: str) -> None:
    api_key: Any = (lambda: "rotating-key") if key == "callable" else key
    expected_key = "rotating-key" if key == "callable" else key
    options: dict[str, Any] = {"headers": {"x-client": "c"}, "user_agent": "my-app/1.0"}
    call: dict[str, Any] = {"headers": {"x-call": "1"}}

    if style == "sync":
        with ding.Ding(api_key, server_url=fake.url, **options) as s:
            s.lookup.lookup("+1234567890", CUSTOMER)
            s.lookup.lookup("+1234567890", CUSTOMER, **call)
    else:

        async def main() -> None:
            async with ding.AsyncDing(api_key, server_url=fake.url, **options) as client:
                await client.lookup.lookup("+1234567890", CUSTOMER)
                await client.lookup.lookup("+1234567890", CUSTOMER, **call)

        asyncio.run(main())
    plain, with_extra = fake.requests[-2:]
    for seen in (plain, with_extra):
        assert seen.headers.getall("x-api-key") == [expected_key]
        assert seen.headers["x-client"] == "c"
        assert seen.headers["user-agent"] == "my-app/1.0"
        assert seen.headers["customer-uuid"] == CUSTOMER
        assert seen.headers["accept"] == "application/json"
    assert "x-call" not in plain.headers
    assert with_extra.headers["x-call"] == "1"


def test_json_bodies_carry_their_content_type(fake: FakeDing) -> None:
    with ding.Ding(api_key="k", server_url=fake.url) as s:
        s.otp.create_authentication({"customer_uuid": CUSTOMER, "phone_number": "+1234567890"})
    sent = fake.requests[-1]
    assert sent.headers["content-type"] == "application/json"
    assert sent.json == {"customer_uuid": CUSTOMER, "phone_number": "+1234567890"}
