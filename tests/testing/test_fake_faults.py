"""Fault injection: every kind, counting, path filters, ordering, and that state stays put."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import aiohttp
import pytest

from ding.testing import FakeDing
from ding.testing._faults import Drop, FaultQueue

from .conftest import CUSTOMER, PHONE, RawApi

SEND = {"customer_uuid": CUSTOMER, "phone_number": PHONE}


async def post_send(api: RawApi) -> aiohttp.ClientResponse:
    """Start a create call and hand back the response before its body is read."""
    return await api.session.post(
        api.url + "/authentication", json=SEND, headers={"x-api-key": "k"}
    )


@pytest.mark.asyncio
async def test_fail_next_answers_the_error_object_and_changes_nothing(
    api: RawApi, fake: FakeDing
) -> None:
    fake.fail_next()
    reply = await api.post("/authentication", SEND)
    assert reply.status == 500
    assert reply.json["code"] == "internal_server_error"
    assert "Retry-After" not in reply.headers
    assert fake.authentications() == []
    assert [r.fault for r in fake.requests] == ["fail"]
    assert fake.requests[0].json == SEND  # still logged in full
    assert (await api.post("/authentication", SEND)).status == 200  # consumed


@pytest.mark.asyncio
async def test_fail_next_counts_and_sets_retry_after(api: RawApi, fake: FakeDing) -> None:
    fake.fail_next(2, 503, retry_after=7)
    assert fake.pending_faults == 2
    replies = [await api.post("/authentication", SEND) for _ in range(3)]
    assert [r.status for r in replies] == [503, 503, 200]
    assert [r.headers.get("Retry-After") for r in replies] == ["7", "7", None]
    assert fake.pending_faults == 0


@pytest.mark.parametrize(
    ("retry_after", "header"),
    [
        (0, "0"),
        (2.0, "2"),
        (1.5, "1.5"),
        ("Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:00 GMT"),
        (datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc), "Wed, 02 Jan 2030 03:04:05 GMT"),
    ],
)
@pytest.mark.asyncio
async def test_retry_after_forms(
    api: RawApi, fake: FakeDing, retry_after: float | str | datetime, header: str
) -> None:
    fake.fail_next(1, 429, retry_after=retry_after)
    reply = await api.post("/authentication", SEND)
    assert reply.status == 429
    assert reply.json["code"] == "bad_request"
    assert reply.headers["Retry-After"] == header
    if not header.isdigit() and "." not in header:
        assert parsedate_to_datetime(header).tzinfo is not None


def test_retry_after_datetime_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeDing().fail_next(retry_after=datetime(2030, 1, 1))


@pytest.mark.asyncio
async def test_fail_next_with_custom_bodies(api: RawApi, fake: FakeDing) -> None:
    fake.fail_next(1, 400, body={"code": "whatever", "extra": [1]}, headers={"X-Req": "9"})
    fake.fail_next(1, 503, body="upstream down")
    fake.fail_next(1, 500, body=b"<b>oops</b>", content_type="text/html")
    mapping, text, raw = [await api.post("/authentication", SEND) for _ in range(3)]
    assert mapping.json == {"code": "whatever", "extra": [1]}
    assert mapping.headers["X-Req"] == "9"
    assert mapping.headers["Content-Type"].startswith("application/json")
    assert (text.status, text.body) == (503, b"upstream down")
    assert text.headers["Content-Type"].startswith("text/plain")
    assert (raw.body, raw.headers["Content-Type"]) == (b"<b>oops</b>", "text/html")


@pytest.mark.asyncio
async def test_faults_answer_before_the_api_key_is_checked(api: RawApi, fake: FakeDing) -> None:
    # A proxy in front of the API fails regardless of the request's credentials.
    api.api_key = None
    fake.fail_next(1, 502)
    assert (await api.post("/authentication", SEND)).status == 502
    assert (await api.post("/authentication", SEND)).status == 401


@pytest.mark.asyncio
async def test_path_filters_and_first_in_first_out(api: RawApi, fake: FakeDing) -> None:
    fake.fail_next(1, 503, path="check")
    fake.fail_next(1, 502)
    fake.fail_next(1, 504, path="/v1/authentication")
    # The unfiltered 502 is the first fault that matches a send; the 504 the next one.
    assert (await api.post("/authentication", SEND)).status == 502
    assert (await api.post("/authentication", SEND)).status == 504
    auth_uuid = (await api.send())["authentication_uuid"]
    check = {"customer_uuid": CUSTOMER, "authentication_uuid": auth_uuid, "check_code": "1"}
    assert (await api.post("/check", check)).status == 503
    assert (await api.post("/check", check)).status == 200
    assert [r.fault for r in fake.requests] == ["fail", "fail", None, "fail", None]


def test_fault_arguments_are_checked_when_injected() -> None:
    fake = FakeDing()
    with pytest.raises(ValueError, match="at least 1"):
        fake.fail_next(0)
    with pytest.raises(ValueError, match="unknown operation"):
        fake.fail_next(path="chek")
    with pytest.raises(ValueError, match="negative"):
        fake.delay_next(1, -1)
    with pytest.raises(ValueError, match="size"):
        fake.large_body_next(1, 3)
    fake.drop_next(2)
    fake.malformed_json_next()
    assert fake.pending_faults == 3
    fake.clear_faults()
    assert fake.pending_faults == 0


# -- connection-level faults ------------------------------------------------------------


@pytest.mark.asyncio
async def test_delay_never_answering_in_time(fresh_api: RawApi, fake: FakeDing) -> None:
    fake.delay_next()  # an hour
    started = time.monotonic()
    with pytest.raises(asyncio.TimeoutError):
        async with fresh_api.session.post(
            fresh_api.url + "/authentication",
            json=SEND,
            headers={"x-api-key": "k"},
            timeout=aiohttp.ClientTimeout(total=0.2),
        ):
            pass
    assert time.monotonic() - started < 2
    assert fake.authentications() == []  # handled only after the delay, which never ends
    assert [r.fault for r in fake.requests] == ["delay"]


@pytest.mark.asyncio
async def test_delay_then_answer(fresh_api: RawApi, fake: FakeDing) -> None:
    fake.delay_next(1, 0.1)
    started = time.monotonic()
    reply = await fresh_api.post("/authentication", SEND)
    assert time.monotonic() - started >= 0.1
    assert reply.status == 200
    assert len(fake.authentications()) == 1


@pytest.mark.asyncio
async def test_delay_after_handling_sends_the_code_anyway(
    fresh_api: RawApi, fake: FakeDing
) -> None:
    fake.delay_next(1, 3600, handle_first=True)
    with pytest.raises(asyncio.TimeoutError):
        async with fresh_api.session.post(
            fresh_api.url + "/authentication",
            json=SEND,
            headers={"x-api-key": "k"},
            timeout=aiohttp.ClientTimeout(total=0.2),
        ):
            pass
    assert fake.last_code(PHONE)  # the client timed out, yet the user got a code


@pytest.mark.asyncio
async def test_closing_with_a_request_stuck_in_a_delay_is_prompt_and_clean() -> None:
    fake = FakeDing()
    async with fake, aiohttp.ClientSession() as session:
        fake.delay_next()
        pending = asyncio.ensure_future(
            session.post(fake.url + "/authentication", json=SEND, headers={"x-api-key": "k"})
        )
        for _ in range(200):
            if fake.requests:
                break
            await asyncio.sleep(0.01)
        started = time.monotonic()
        await fake.close()
        assert time.monotonic() - started < 1
        with pytest.raises(aiohttp.ClientError):
            await pending
    assert fake.authentications() == []


@pytest.mark.parametrize("reset", [False, True])
@pytest.mark.asyncio
async def test_drop_closes_without_answering(
    fresh_api: RawApi, fake: FakeDing, reset: bool
) -> None:
    fake.drop_next(reset=reset)
    with pytest.raises(aiohttp.ClientError) as caught:
        await fresh_api.post("/authentication", SEND)
    if not reset:
        assert isinstance(caught.value, aiohttp.ServerDisconnectedError)
    assert fake.authentications() == []
    assert [r.fault for r in fake.requests] == ["drop"]
    assert (await fresh_api.post("/authentication", SEND)).status == 200


@pytest.mark.asyncio
async def test_close_mid_body(fresh_api: RawApi, fake: FakeDing) -> None:
    fake.close_mid_body_next()
    response = await post_send(fresh_api)
    async with response:
        assert response.status == 200
        assert response.content_type == "application/json"
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()
    assert fake.authentications() == []


@pytest.mark.asyncio
async def test_malformed_json(api: RawApi, fake: FakeDing) -> None:
    fake.malformed_json_next()
    reply = await api.post("/authentication", SEND)
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.body)
    assert fake.authentications() == []


@pytest.mark.asyncio
async def test_truncated_json_is_a_complete_response_with_half_a_document(
    api: RawApi, fake: FakeDing
) -> None:
    fake.truncated_json_next()
    reply = await api.post("/authentication", SEND)
    assert reply.status == 200
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert reply.body.startswith(b'{"authentication_uuid": ')
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.body)


@pytest.mark.asyncio
async def test_non_json(api: RawApi, fake: FakeDing) -> None:
    fake.non_json_next()
    fake.non_json_next(status=200, body="OK", content_type="text/plain")
    proxy, plain = [await api.post("/authentication", SEND) for _ in range(2)]
    assert proxy.status == 502
    assert proxy.headers["Content-Type"].startswith("text/html")
    assert b"502 Bad Gateway" in proxy.body
    assert (plain.status, plain.body, plain.headers["Content-Type"]) == (200, b"OK", "text/plain")
    assert fake.authentications() == []


@pytest.mark.asyncio
async def test_large_body(api: RawApi, fake: FakeDing) -> None:
    fake.large_body_next(1, 2_000_000)
    reply = await api.post("/authentication", SEND)
    assert reply.status == 200
    assert len(reply.body) == 2_000_000
    assert set(reply.json) == {"padding"}


@pytest.mark.asyncio
async def test_respond_next_sends_anything(api: RawApi, fake: FakeDing) -> None:
    canned = {"authentication_uuid": "x", "status": "brand_new_status", "surprise": {"a": 1}}
    fake.respond_next(2, 200, canned, {"X-Test": "yes"}, path="create_authentication")
    fake.respond_next(1, 201)
    first, second, third = [await api.post("/authentication", SEND) for _ in range(3)]
    assert first.json == second.json == canned
    assert first.headers["X-Test"] == "yes"
    assert (third.status, third.json) == (201, {})
    assert fake.authentications() == []


@pytest.mark.asyncio
async def test_faults_work_on_get_endpoints(fresh_api: RawApi, fake: FakeDing) -> None:
    fake.fail_next(1, 503, path="/lookup/{phone_number}")
    lookup = await fresh_api.request(
        "GET", "/lookup/%2B14155550100", headers={"customer-uuid": CUSTOMER}
    )
    assert lookup.status == 503
    assert fake.requests[-1].operation == "lookup"


@pytest.mark.asyncio
async def test_a_delay_is_measured_in_real_time_not_fake_time(api: RawApi, fake: FakeDing) -> None:
    # The fake clock governs the API's rules; network behaviour stays in real seconds.
    fake.delay_next(1, 0.05)
    fake.clock.advance(timedelta(hours=1))
    assert (await api.post("/authentication", SEND)).status == 200


def test_the_fault_queue_without_sockets() -> None:
    queue = FaultQueue()
    only_checks, anything = Drop(), Drop(reset=True)
    queue.add(only_checks, 2, "check")
    queue.add(anything, 1, None)
    assert queue.take("retry", "/v1/retry") is anything  # skips the filtered rule
    assert queue.take("retry", "/v1/retry") is None
    assert queue.take("check", "/v1/check") is only_checks
    assert queue.pending() == 1
    assert queue.take("check", "/v1/check") is only_checks
    assert queue.pending() == 0
