"""The pytest plugin's fixtures, exercised in a separate pytest run (pytester).

Plugin autoloading is switched off in the inner run and the plugin named explicitly, so
the test means the same whether or not ding's `pytest11` entry point is installed.
"""

from __future__ import annotations

import threading

import pytest

pytest_plugins = ["pytester"]

PLUGINS = ("-p", "ding.testing.pytest_plugin", "-p", "pytest_asyncio.plugin")


def run_inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return pytester.runpytest_inprocess("-W", "error", "-p", "no:cacheprovider", *PLUGINS)


FAKE_FIXTURE_TESTS = """
import json
import time
import urllib.request
from datetime import datetime, timezone

import pytest

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
SEEN = {}


def send(url, customer_uuid, timeout=5):
    body = json.dumps({"customer_uuid": customer_uuid, "phone_number": "+14155550100"})
    request = urllib.request.Request(
        url + "/authentication",
        data=body.encode(),
        headers={"x-api-key": "k", "Content-Type": "application/json"},
    )
    with OPENER.open(request, timeout=timeout) as response:
        return json.load(response)


def test_fake_ding_is_running(fake_ding, ding_customer_uuid):
    assert fake_ding.url.startswith("http://127.0.0.1:")
    sent = send(fake_ding.url, ding_customer_uuid)
    assert fake_ding.code_for(sent["authentication_uuid"])
    SEEN["url"] = fake_ding.url


def test_a_test_that_leaves_everything_dirty(fake_ding, ding_customer_uuid):
    send(fake_ding.url, ding_customer_uuid)
    fake_ding.clock.advance(3600)
    fake_ding.clock.unfreeze()
    fake_ding.set_lookup_result("+14155550100", carrier="Leaked")
    fake_ding.fail_next(5)
    fake_ding.webhooks.fail_next(3)
    fake_ding.webhooks.duplicate_next(2)
    # A delivery that keeps failing (nothing listens there) and would redeliver for seconds.
    fake_ding.webhooks.clear_faults()
    fake_ding.clear_faults()
    body = {"customer_uuid": ding_customer_uuid, "phone_number": "+14155550199",
            "callback_url": "http://127.0.0.1:9/nobody"}
    request = urllib.request.Request(fake_ding.url + "/authentication",
        data=json.dumps(body).encode(),
        headers={"x-api-key": "k", "Content-Type": "application/json"})
    OPENER.open(request, timeout=5).read()
    assert fake_ding.webhooks.pending == 2
    fake_ding.fail_next(5)
    fake_ding.webhooks.fail_next(3)
    # An answer held back past the end of the test: handled then, it would create an
    # authentication in the next test.
    fake_ding.delay_next(1, 0.5)
    with pytest.raises(OSError):
        send(fake_ding.url, ding_customer_uuid, timeout=0.1)


def test_each_test_gets_a_fresh_fake(fake_ding):
    assert fake_ding.url == SEEN["url"], "one fake serves the session"
    assert fake_ding.requests == []
    assert fake_ding.authentications() == []
    assert fake_ding.pending_faults == 0
    assert fake_ding.webhooks.pending == 0
    assert fake_ding.webhooks.pending_faults == 0
    assert fake_ding.webhook_deliveries == []
    assert not fake_ding.clock.ticking
    now = datetime.now(timezone.utc)
    assert abs((fake_ding.clock.now() - now).total_seconds()) < 2
    assert fake_ding.clock.now().microsecond == 0
    time.sleep(0.8)  # past the held answer and the first redeliveries of the last test
    assert fake_ding.requests == []
    assert fake_ding.authentications() == []
    assert fake_ding.webhook_deliveries == []


def test_the_lookup_override_and_the_faults_are_gone(fake_ding, ding_customer_uuid):
    request = urllib.request.Request(fake_ding.url + "/lookup/%2B14155550100",
        headers={"x-api-key": "k", "customer-uuid": ding_customer_uuid})
    with OPENER.open(request, timeout=5) as response:
        assert json.load(response).get("carrier") != "Leaked"
    assert fake_ding.requests_to("lookup")[0].fault is None


@pytest.mark.fake_ding(code_length=4, max_retries=1)
def test_marker_configures_the_fake(fake_ding, ding_customer_uuid):
    assert fake_ding.url != SEEN["url"], "a marked test gets a fake of its own"
    assert fake_ding.settings.code_length == 4
    send(fake_ding.url, ding_customer_uuid)
    assert len(fake_ding.last_code("+14155550100")) == 4


@pytest.mark.asyncio
async def test_fake_ding_in_an_async_test(fake_ding, ding_customer_uuid):
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(
            fake_ding.url + "/lookup/%2B14155550100",
            headers={"x-api-key": "k", "customer-uuid": ding_customer_uuid},
        ) as response:
            assert response.status == 200


def test_ding_customer_uuid_is_fixed(ding_customer_uuid):
    assert ding_customer_uuid == "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
"""


def test_fake_ding_fixture_and_marker(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_inner=FAKE_FIXTURE_TESTS)
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=7)
    # The session's fake closes with the session.
    assert not [t for t in threading.enumerate() if t.name.startswith("FakeDing-")]


def test_the_marker_takes_keywords_only(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(
        test_inner="""
import pytest

@pytest.mark.fake_ding(4)
def test_positional(fake_ding):
    pass
"""
    )
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*keyword arguments only*"])


CLIENT_FIXTURE_TESTS = """
import pytest

from ding.models import components

PHONE = "+14155550100"


def test_sync_client(ding_client, fake_ding, ding_customer_uuid):
    res = ding_client.otp.create_authentication(
        request=components.CreateAuthenticationRequest(
            customer_uuid=ding_customer_uuid, phone_number=PHONE
        )
    )
    auth_uuid = res.create_authentication_response.authentication_uuid
    check = ding_client.otp.check(
        request=components.CreateCheckRequest(
            customer_uuid=ding_customer_uuid,
            authentication_uuid=auth_uuid,
            check_code=fake_ding.code_for(auth_uuid),
        )
    )
    assert check.create_check_response.status == "valid"
    assert fake_ding.requests_to("check")[0].headers["x-api-key"] == "test-key"


@pytest.mark.asyncio
async def test_async_client(async_ding_client, fake_ding, ding_customer_uuid):
    res = await async_ding_client.otp.create_authentication(
        request=components.CreateAuthenticationRequest(
            customer_uuid=ding_customer_uuid, phone_number=PHONE
        )
    )
    auth_uuid = res.create_authentication_response.authentication_uuid
    assert fake_ding.code_for(auth_uuid) == fake_ding.last_code(PHONE)
"""


def test_client_fixtures(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(test_inner=CLIENT_FIXTURE_TESTS)
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=2)


WEBHOOK_FIXTURE_TESTS = """
import threading

import pytest

from ding.webhooks import AttemptEvent, AuthenticationEvent, RecentEventIds

PHONE = "+14155550100"


class MyHandler:
    '''A user's webhook handler, under test: dedupes, then records what it took.'''

    def __init__(self):
        self.seen = RecentEventIds()
        self.taken = []

    def __call__(self, event):
        if self.seen.add(event.id):
            self.taken.append(event)


def test_events_reach_the_receiver_parsed(ding_client, fake_ding, webhook_receiver,
                                          ding_customer_uuid):
    assert webhook_receiver.url.startswith("http://127.0.0.1:")
    handler = MyHandler()
    webhook_receiver.handler = handler
    webhook_receiver.fail_next(1)
    res = ding_client.otp.create_authentication(
        {"customer_uuid": ding_customer_uuid, "phone_number": PHONE,
         "callback_url": webhook_receiver.url}
    )
    auth_uuid = res.create_authentication_response.authentication_uuid
    events = webhook_receiver.wait_for(3)
    assert {type(e) for e in events} == {AuthenticationEvent, AttemptEvent}
    assert all(e.auth_uuid == auth_uuid for e in events)
    assert len(webhook_receiver.unique_events) == 2
    assert sorted(type(e).__name__ for e in handler.taken) == ["AttemptEvent",
                                                                "AuthenticationEvent"]


@pytest.mark.asyncio
async def test_in_an_async_test(async_ding_client, fake_ding, webhook_receiver,
                                ding_customer_uuid):
    await async_ding_client.otp.create_authentication(
        {"customer_uuid": ding_customer_uuid, "phone_number": PHONE,
         "callback_url": webhook_receiver.url}
    )
    events = await webhook_receiver.wait_for_async(2)
    assert [e.type for e in events] == ["authentication", "attempt"]


def test_each_test_gets_a_fresh_receiver(webhook_receiver):
    assert webhook_receiver.events == []


def test_no_receiver_thread_outlives_its_test():
    assert not [t for t in threading.enumerate() if t.name.startswith("WebhookReceiver-")]
"""


def test_webhook_receiver_fixture(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_inner=WEBHOOK_FIXTURE_TESTS)
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=4)
