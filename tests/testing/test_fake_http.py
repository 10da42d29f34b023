"""The fake over HTTP: API key, every endpoint, routing, the request log and lifecycle."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import aiohttp
import pytest
from yarl import URL

from ding.testing import FakeClock, FakeDing, MagicNumbers

from .conftest import API_KEY, CUSTOMER, PHONE, START, RawApi

RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def parse_time(value: str) -> datetime:
    assert RFC3339.fullmatch(value), value
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert moment.tzinfo is not None
    return moment


# -- API key ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "   "])
@pytest.mark.asyncio
async def test_a_missing_api_key_is_401_with_the_error_object(
    api: RawApi, fake: FakeDing, key: str | None
) -> None:
    api.api_key = key
    reply = await api.post("/authentication", {"customer_uuid": CUSTOMER, "phone_number": PHONE})
    assert reply.status == 401
    assert reply.json["code"] == "account_invalid"
    assert set(reply.json) == {"code", "message", "doc_url"}
    assert fake.authentications() == []  # refused before anything happened


@pytest.mark.options(api_keys=["right-key"])
@pytest.mark.asyncio
async def test_api_keys_restricts_the_accepted_keys(api: RawApi) -> None:
    reply = await api.post("/authentication", {"customer_uuid": CUSTOMER, "phone_number": PHONE})
    assert (reply.status, reply.json["code"]) == (401, "account_invalid")
    api.api_key = "right-key"
    await api.send()


@pytest.mark.asyncio
async def test_unknown_routes_and_methods_answer_in_the_error_format(api: RawApi) -> None:
    missing = await api.request("GET", "/nowhere")
    assert (missing.status, missing.json["code"]) == (404, "bad_request")
    wrong_method = await api.request("GET", "/check")
    assert wrong_method.status == 405
    assert wrong_method.headers["Allow"] == "POST"
    assert wrong_method.json["code"] == "bad_request"


# -- the OTP flow -----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_send_check_and_status_over_http(api: RawApi, fake: FakeDing) -> None:
    sent = await api.send(device_type="IOS", correlation_id="c-1")
    assert sent["status"] == "pending"
    assert parse_time(sent["created_at"]) == START
    assert parse_time(sent["expires_at"]) == START + timedelta(minutes=10)
    auth_uuid = sent["authentication_uuid"]
    code = fake.code_for(auth_uuid)
    assert fake.last_code(PHONE) == code

    assert await api.check(auth_uuid, "000000" if code != "000000" else "111111") == "invalid"
    assert await api.check(auth_uuid, code) == "valid"
    assert await api.check(auth_uuid, code) == "already_validated"

    status = await api.request("GET", f"/authentication/{auth_uuid}")
    assert status.status == 200
    body = status.json
    assert (body["uuid"], body["phone_number"], body["correlation_id"]) == (auth_uuid, PHONE, "c-1")
    assert body["signals"] == {"device_type": "IOS"}
    assert [e["type"] for e in body["events"]] == [
        "attempt",
        "delivery_status",
        "balance_update",
        "check",
        "check",
        "check",
    ]
    assert [e["status"] for e in body["events"][3:]] == ["invalid", "valid", "already_validated"]
    for event in body["events"]:
        parse_time(event["created_at"])


@pytest.mark.asyncio
async def test_check_of_an_unknown_authentication(api: RawApi) -> None:
    reply = await api.post(
        "/check",
        {
            "customer_uuid": CUSTOMER,
            "authentication_uuid": "8f1196d5-806e-4b71-9b24-5f96ec052808",
            "check_code": "1",
        },
    )
    assert (reply.status, reply.json["code"]) == (400, "invalid_auth_uuid")


@pytest.mark.asyncio
async def test_status_of_an_unknown_authentication_is_404(api: RawApi) -> None:
    reply = await api.request("GET", "/authentication/8f1196d5-806e-4b71-9b24-5f96ec052808")
    assert reply.status == 404
    assert reply.json["code"] == "invalid_auth_uuid"
    assert set(reply.json) == {"code", "message", "doc_url"}


@pytest.mark.options(max_retries=1, retry_interval=20, auth_ttl=60)
@pytest.mark.asyncio
async def test_retry_over_http_with_the_clock(
    api: RawApi, fake: FakeDing, clock: FakeClock
) -> None:
    auth_uuid = (await api.send())["authentication_uuid"]
    first_code = fake.code_for(auth_uuid)
    denied = await api.retry(auth_uuid)
    assert denied["status"] == "denied"
    assert parse_time(denied["next_retry_at"]) == START + timedelta(seconds=20)

    clock.advance(20)
    approved = await api.retry(auth_uuid)
    assert (approved["status"], approved["remaining_retry"]) == ("approved", 0)
    assert parse_time(approved["created_at"]) == START + timedelta(seconds=20)
    assert fake.code_for(auth_uuid) != first_code

    clock.advance(20)
    assert (await api.retry(auth_uuid))["status"] == "denied"  # none left
    clock.advance(20)
    assert (await api.retry(auth_uuid))["status"] == "expired_auth"
    assert await api.check(auth_uuid, fake.code_for(auth_uuid)) == "expired_auth"


@pytest.mark.asyncio
async def test_feedback_over_http(api: RawApi, fake: FakeDing) -> None:
    body = {"customer_uuid": CUSTOMER, "phone_number": PHONE, "status": "onboarded"}
    missing = await api.post("/authentication/feedback", body)
    assert (missing.status, missing.json["code"]) == (400, "no_associated_auth_found")
    await api.send()
    stored = await api.post("/authentication/feedback", body)
    assert stored.status == 200
    assert set(stored.json) == {"uuid"}
    assert fake.feedback_for(PHONE) == "onboarded"
    repeated = await api.post("/authentication/feedback", body)
    assert (repeated.status, repeated.json["code"]) == (400, "duplicated_feedback_status")


@pytest.mark.parametrize(
    ("number", "status"),
    [(MagicNumbers.SPAM_DETECTED, "spam_detected"), (MagicNumbers.RATE_LIMITED, "rate_limited")],
)
@pytest.mark.asyncio
async def test_magic_statuses_over_http(api: RawApi, number: str, status: str) -> None:
    assert (await api.send(number))["status"] == status


@pytest.mark.asyncio
async def test_magic_errors_over_http(api: RawApi) -> None:
    reply = await api.post(
        "/authentication",
        {"customer_uuid": CUSTOMER, "phone_number": MagicNumbers.BLOCKED_NUMBER},
    )
    assert (reply.status, reply.json["code"]) == (400, "blocked_number")
    reply = await api.post(
        "/authentication", {"customer_uuid": CUSTOMER, "phone_number": MagicNumbers.SERVER_ERROR}
    )
    assert (reply.status, reply.json["code"]) == (500, "internal_server_error")


# -- lookup -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/lookup/%2B14155550100", "/lookup/+14155550100"])
@pytest.mark.asyncio
async def test_lookup_takes_the_number_encoded_or_not(api: RawApi, path: str) -> None:
    async with api.session.get(
        URL(api.url + path, encoded=True),
        headers={"x-api-key": API_KEY, "customer-uuid": CUSTOMER},
    ) as response:
        assert response.status == 200
        body = await response.json()
    assert body["phone_number"] == PHONE
    assert body["number_ported"] is False


@pytest.mark.asyncio
async def test_lookup_cnam_via_repeated_type_parameter(api: RawApi, fake: FakeDing) -> None:
    reply = await api.request(
        "GET",
        "/lookup/%2B14155550100",
        headers={"customer-uuid": CUSTOMER},
        params=[("type", "cnam"), ("type", "cnam")],
    )
    assert reply.status == 200
    assert reply.json["caller_name"] == "DING TEST USER"
    assert fake.requests[-1].query.getall("type") == ["cnam", "cnam"]


# -- request log ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_request_log_records_what_was_sent(api: RawApi, fake: FakeDing) -> None:
    await api.send()
    await api.request(
        "GET",
        "/lookup/%2B14155550100",
        headers={"Customer-UUID": CUSTOMER, "X-Extra": "1"},
        params={"type": "cnam"},
    )
    create, lookup = fake.requests
    assert (create.method, create.path, create.raw_path) == (
        "POST",
        "/v1/authentication",
        "/v1/authentication",
    )
    assert create.operation == "create-authentication"
    assert create.fault is None
    assert create.json == {"customer_uuid": CUSTOMER, "phone_number": PHONE}
    assert create.body.startswith(b"{")
    assert create.headers["X-API-KEY"] == API_KEY  # case-insensitive
    assert create.received_at == START

    assert lookup.path == "/v1/lookup/+14155550100"
    assert lookup.raw_path == "/v1/lookup/%2B14155550100"
    assert lookup.query.getall("type") == ["cnam"]
    assert lookup.headers["customer-uuid"] == CUSTOMER
    assert lookup.headers["x-extra"] == "1"
    assert lookup.body == b""
    assert lookup.json is None


@pytest.mark.asyncio
async def test_requests_to_accepts_operations_templates_and_paths(
    api: RawApi, fake: FakeDing
) -> None:
    auth_uuid = (await api.send())["authentication_uuid"]
    await api.check(auth_uuid, "1")
    await api.request("GET", f"/authentication/{auth_uuid}")
    await api.request("GET", "/lookup/%2B14155550100", headers={"customer-uuid": CUSTOMER})

    for selector in ("create-authentication", "create_authentication", "/authentication"):
        assert [r.operation for r in fake.requests_to(selector)] == ["create-authentication"]
    for selector in ("check", "/check", "/v1/check"):
        assert len(fake.requests_to(selector)) == 1
    for selector in (
        "getAuthenticationStatus",
        "get_authentication_status",
        "/authentication/{auth_uuid}",
        f"/v1/authentication/{auth_uuid}",
    ):
        assert len(fake.requests_to(selector)) == 1
    assert len(fake.requests_to("/lookup/{phone_number}")) == 1
    assert len(fake.requests_to("/v1/lookup/+14155550100")) == 1
    assert fake.requests_to("retry") == []
    with pytest.raises(ValueError, match="unknown operation"):
        fake.requests_to("chek")
    with pytest.raises(ValueError, match="unknown path template"):
        fake.requests_to("/lookup/{number}")


@pytest.mark.asyncio
async def test_reset_forgets_requests_faults_and_state(api: RawApi, fake: FakeDing) -> None:
    auth_uuid = (await api.send())["authentication_uuid"]
    fake.fail_next(3)
    fake.reset()
    assert fake.requests == []
    assert fake.pending_faults == 0
    with pytest.raises(KeyError):
        fake.code_for(auth_uuid)
    await api.send()  # no fault left, state fresh


# -- lifecycle --------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_url_is_loopback_under_v1_and_cleared_after_close() -> None:
    fake = FakeDing()
    with pytest.raises(RuntimeError, match="not running"):
        _ = fake.url
    assert repr(fake) == "<FakeDing not running>"
    async with fake:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", fake.url)
        assert fake.port > 0
        async with (
            aiohttp.ClientSession() as session,
            session.get(fake.url + "/nowhere") as response,
        ):
            assert response.status == 401  # the key is checked before routing
        with pytest.raises(RuntimeError, match="already running"):
            await fake.start()
    with pytest.raises(RuntimeError):
        _ = fake.url
    await fake.close()  # closing twice is harmless


@pytest.mark.asyncio
async def test_two_fakes_run_side_by_side() -> None:
    async with FakeDing() as one, FakeDing() as two:
        assert one.url != two.url


def test_invalid_settings_fail_at_construction() -> None:
    with pytest.raises(ValueError, match="code_length"):
        FakeDing(code_length=0)
    with pytest.raises(ValueError, match="auth_ttl"):
        FakeDing(auth_ttl=0)
    with pytest.raises(ValueError, match="customer_uuids"):
        FakeDing(customer_uuids=["nope"])
    with pytest.raises(TypeError, match="single string"):
        FakeDing(api_keys="key")
