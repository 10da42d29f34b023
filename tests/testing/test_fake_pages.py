"""The fake's own pages beside the API: the inbox at ``/`` and ``/_fake/code``; they take no key,
stay out of the request log and never consume an injected fault. And the activity feed that
``ding fake`` prints from."""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp
import pytest

from ding.testing import FakeDing
from ding.testing._activity import Activity
from ding.testing._endpoints import ENDPOINTS
from ding.testing._inbox import CODE_PATH

from .conftest import CUSTOMER, PHONE, RawApi

OTHER = "+14155550177"


async def get(fake: FakeDing, path: str, **params: str) -> tuple[int, str, str]:
    root = fake.inbox_url.rstrip("/")
    async with (
        aiohttp.ClientSession() as session,
        session.get(root + path, params=params) as response,
    ):
        return response.status, response.content_type, await response.text()


async def code_of(fake: FakeDing, phone: str) -> tuple[int, Any]:
    status, content_type, text = await get(fake, CODE_PATH, phone_number=phone)
    assert content_type == "application/json"
    return status, json.loads(text)


def test_no_api_path_can_collide_with_the_fakes_pages() -> None:
    for endpoint in ENDPOINTS:
        assert endpoint.route.startswith("/v1/")
    assert not CODE_PATH.startswith("/v1")


@pytest.mark.asyncio
async def test_the_code_endpoint_answers_the_latest_code_of_a_number(
    fake: FakeDing, api: RawApi
) -> None:
    first = await api.send()
    second = await api.send()
    await api.send(OTHER)
    status, body = await code_of(fake, PHONE)
    assert status == 200
    assert body == {
        "code": fake.code_for(second["authentication_uuid"]),
        "authentication_uuid": second["authentication_uuid"],
    }
    assert body["authentication_uuid"] != first["authentication_uuid"]
    fake.clock.advance(fake.settings.retry_interval)
    await api.retry(second["authentication_uuid"])
    assert (await code_of(fake, PHONE))[1]["code"] == fake.last_code(PHONE)


@pytest.mark.asyncio
async def test_a_plus_left_unencoded_in_the_query_still_means_plus(
    fake: FakeDing, api: RawApi
) -> None:
    await api.send()
    root = fake.inbox_url.rstrip("/")
    async with aiohttp.ClientSession() as session:
        # As curl sends it when the "+" is typed as is: the query string decodes it as a space.
        url = f"{root}{CODE_PATH}?phone_number={PHONE}"
        async with session.get(url) as response:
            assert response.status == 200
            assert (await response.json())["code"] == fake.last_code(PHONE)


@pytest.mark.asyncio
async def test_the_code_endpoint_refuses_clearly(fake: FakeDing, api: RawApi) -> None:
    status, body = await code_of(fake, PHONE)
    assert (status, body["code"]) == (404, "not_found")
    assert PHONE in body["message"]
    status, body = await code_of(fake, "0612345678")
    assert (status, body["code"]) == (400, "invalid_phone_number")
    status, _, text = await get(fake, CODE_PATH)
    assert status == 400 and "phone_number" in json.loads(text)["message"]
    # A number whose latest authentication sent no code.
    await api.send("+12025550101")  # MagicNumbers.SPAM_DETECTED
    status, body = await code_of(fake, "+12025550101")
    assert status == 404 and "spam_detected" in body["message"]


@pytest.mark.asyncio
async def test_the_pages_take_no_key_are_not_logged_and_leave_faults_alone(
    fake: FakeDing, api: RawApi
) -> None:
    await api.send()
    fake.fail_next(1, 503)
    before = len(fake.requests)
    for path in ("/", CODE_PATH + "?phone_number=%2B14155550100", "/favicon.ico"):
        async with (
            aiohttp.ClientSession() as session,  # no x-api-key
            session.get(fake.inbox_url.rstrip("/") + path) as response,
        ):
            assert response.status in (200, 404), path
            if response.status == 404:
                body = await response.json()
                assert body["code"] == "not_found" and "/v1/" in body["message"]
    assert len(fake.requests) == before
    assert fake.pending_faults == 1


@pytest.mark.asyncio
async def test_the_inbox_lists_authentications_newest_first_with_everything(
    fake: FakeDing, api: RawApi
) -> None:
    older = await api.send(OTHER)
    newer = await api.send()
    auth = newer["authentication_uuid"]
    assert await api.check(auth, "000000") == "invalid"
    fake.clock.advance(fake.settings.retry_interval)
    await api.retry(auth)
    status, content_type, page = await get(fake, "/")
    assert (status, content_type) == (200, "text/html")
    assert page.index(auth) < page.index(older["authentication_uuid"]), "newest first"
    assert f'data-code="{fake.code_for(auth)}"' in page
    assert PHONE in page and OTHER in page
    assert "000000" in page and "invalid" in page  # the check and its outcome
    assert "2 sent, 2 retries left" in page
    assert 'http-equiv="refresh"' in page
    assert 'name="viewport"' in page
    assert fake.url in page


@pytest.mark.asyncio
async def test_the_inbox_escapes_what_callers_wrote(fake: FakeDing, api: RawApi) -> None:
    # A host outside webhook_hosts: recorded at once as not delivered, URL and all.
    hostile = 'http://example.invalid/"><script>alert(1)</script>'
    await api.send(callback_url=hostile)
    await fake.webhooks.wait_async()
    assert fake.webhook_deliveries
    _, _, page = await get(fake, "/")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert re.search(r"<script\b", page) is None


@pytest.mark.asyncio
async def test_the_activity_feed_reports_codes_checks_refusals_and_webhooks(
    fake: FakeDing, api: RawApi
) -> None:
    seen: list[Activity] = []
    stop = fake._state.activity.subscribe(seen.append)
    # A host outside webhook_hosts: each event is recorded at once as not delivered.
    sent = await api.send(callback_url="http://example.invalid/hook")
    auth = sent["authentication_uuid"]
    first = fake.code_for(auth)
    assert await api.check(auth, "0" * 7) == "invalid"
    fake.clock.advance(fake.settings.retry_interval)
    assert (await api.retry(auth))["status"] == "approved"
    await api.post(
        "/authentication/feedback",
        {"customer_uuid": CUSTOMER, "phone_number": PHONE, "status": "onboarded"},
    )
    reply = await api.post("/authentication", {"customer_uuid": CUSTOMER, "phone_number": "x"})
    assert reply.status == 400
    await fake.webhooks.wait_async()
    stop()
    await api.send()

    send, check, retry, feedback, refused = [a for a in seen if a.kind != "webhook"]
    assert (send.kind, send.phone_number, send.authentication_uuid) == ("send", PHONE, auth)
    assert (send.code, send.attempt, send.status) == (first, 1, "pending")
    assert (check.kind, check.code, check.status) == ("check", "0" * 7, "invalid")
    assert (retry.kind, retry.status, retry.attempt) == ("retry", "approved", 2)
    assert retry.code == fake.code_for(auth) != first
    assert retry.remaining_retry == fake.settings.max_retries - 1
    assert (feedback.kind, feedback.status) == ("feedback", "onboarded")
    assert (refused.kind, refused.method, refused.path) == ("refused", "POST", "/v1/authentication")
    assert (refused.http_status, refused.status) == (400, "invalid_phone_number")
    deliveries = [a.delivery for a in seen if a.delivery is not None]
    assert [d.event_type for d in deliveries] == ["authentication", "attempt", "attempt"]
    assert all("not delivered" in str(d.error) for d in deliveries)


@pytest.mark.asyncio
async def test_a_subscriber_that_raises_changes_nothing(
    fake: FakeDing, api: RawApi, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(activity: Activity) -> None:
        raise RuntimeError("subscriber bug")

    fake._state.activity.subscribe(broken)
    assert (await api.send())["status"] == "pending"
    assert "subscriber" in caplog.text
