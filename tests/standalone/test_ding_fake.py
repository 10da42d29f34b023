"""``ding fake`` as a developer runs it: a real process, driven by this client (sync and async),
by the official client from its own virtual environment and by plain HTTP; the code read from
``/_fake/code``; the lines it prints; SIGINT and SIGTERM ending it cleanly (issue 19)."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import ding
from ding.models import components
from ding.testing import WebhookReceiver

from .conftest import FakeProcess, start_fake

PHONE = "+14155550100"
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch_json(url: str) -> tuple[int, Any]:
    try:
        with _OPENER.open(url, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def code_from_the_fake(fake: FakeProcess, phone: str = PHONE) -> dict[str, str]:
    status, body = fetch_json(f"{fake.base}/_fake/code?phone_number=%2B{phone[1:]}")
    assert status == 200, body
    answer: dict[str, str] = body
    return answer


@pytest.mark.timeout(120)
def test_it_prints_the_exports_and_serves_the_sync_client(ding_fake: FakeProcess) -> None:
    assert ding_fake.exports["DING_SERVER_URL"].startswith("http://127.0.0.1:")
    assert ding_fake.exports["DING_SERVER_URL"].endswith("/v1")
    assert ding_fake.exports["DING_API_KEY"] == "fake-key"
    customer = ding_fake.exports["DING_CUSTOMER_UUID"]
    with ding.Ding(
        api_key=ding_fake.exports["DING_API_KEY"], server_url=ding_fake.exports["DING_SERVER_URL"]
    ) as client:
        sent = client.otp.create_authentication(
            request=components.CreateAuthenticationRequest(
                customer_uuid=customer, phone_number=PHONE
            )
        ).create_authentication_response
        assert sent is not None and sent.authentication_uuid is not None
        code = code_from_the_fake(ding_fake)
        assert code["authentication_uuid"] == sent.authentication_uuid
        line = ding_fake.wait_for_line("sent", PHONE)
        assert f"code {code['code']}" in line and sent.authentication_uuid in line
        checked = client.otp.check(
            request=components.CreateCheckRequest(
                customer_uuid=customer,
                authentication_uuid=sent.authentication_uuid,
                check_code=code["code"],
            )
        ).create_check_response
        assert checked is not None and checked.status == "valid"
    assert "-> valid" in ding_fake.wait_for_line("check", PHONE)


@pytest.mark.timeout(120)
def test_the_async_client_reads_the_environment_it_printed(ding_fake: FakeProcess) -> None:
    script = """
        import asyncio, json, os, urllib.request
        import ding

        async def main():
            async with ding.AsyncDing() as client:   # DING_API_KEY, DING_SERVER_URL
                customer = os.environ["DING_CUSTOMER_UUID"]
                sent = await client.otp.create_authentication(
                    {"customer_uuid": customer, "phone_number": "+14155550123"})
                auth = sent.create_authentication_response.authentication_uuid
                base = os.environ["DING_SERVER_URL"].removesuffix("/v1")
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                url = base + "/_fake/code?phone_number=%2B14155550123"
                code = json.load(opener.open(url, timeout=10))["code"]
                checked = await client.otp.check({"customer_uuid": customer,
                    "authentication_uuid": auth, "check_code": code})
                print(checked.create_check_response.status)

        asyncio.run(main())
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=ding_fake.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "valid"


@pytest.mark.timeout(900)
def test_the_official_client_works_against_it(
    ding_fake: FakeProcess, official_python: Path
) -> None:
    script = """
        import json, os, sys, urllib.request
        import ding                                  # the official ding-api-client
        from ding.models import components

        assert "site-packages" in ding.__file__, ding.__file__
        s = ding.Ding(api_key=os.environ["DING_API_KEY"],
                      server_url=os.environ["DING_SERVER_URL"])
        customer = os.environ["DING_CUSTOMER_UUID"]
        res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(
            customer_uuid=customer, phone_number="+14155550150"))
        auth = res.create_authentication_response.authentication_uuid
        base = os.environ["DING_SERVER_URL"].removesuffix("/v1")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        code = json.load(opener.open(base + "/_fake/code?phone_number=%2B14155550150",
                                     timeout=10))["code"]
        checked = s.otp.check(request=components.CreateCheckRequest(
            customer_uuid=customer, authentication_uuid=auth, check_code=code))
        retried = s.otp.retry(request=components.RetryAuthenticationRequest(
            customer_uuid=customer, authentication_uuid=auth))
        status = s.otp.get_authentication_status(auth_uuid=auth)
        print(checked.create_check_response.status.value,
              retried.retry_authentication_response.status.value,
              len(status.authentication_status_response.events))
    """
    env = {k: v for k, v in ding_fake.env.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [str(official_python), "-c", textwrap.dedent(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=official_python.parent,  # not this repository: its `ding` must not shadow theirs
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["valid", "already_validated", "4"]
    assert "-> valid" in ding_fake.wait_for_line("check", "+14155550150")


@pytest.mark.timeout(120)
def test_plain_http_and_the_code_endpoints_answers(ding_fake: FakeProcess) -> None:
    body = json.dumps(
        {"customer_uuid": ding_fake.exports["DING_CUSTOMER_UUID"], "phone_number": "+33612345678"}
    ).encode()
    request = urllib.request.Request(
        ding_fake.exports["DING_SERVER_URL"] + "/authentication",
        data=body,
        headers={"x-api-key": "any-key", "Content-Type": "application/json"},
    )
    with _OPENER.open(request, timeout=10) as response:
        auth = json.load(response)["authentication_uuid"]
    assert code_from_the_fake(ding_fake, "+33612345678")["authentication_uuid"] == auth
    assert fetch_json(f"{ding_fake.base}/_fake/code?phone_number=%2B33600000000")[0] == 404
    assert fetch_json(f"{ding_fake.base}/_fake/code?phone_number=33600000000")[0] == 400
    refused = urllib.request.Request(
        ding_fake.exports["DING_SERVER_URL"] + "/authentication",
        data=json.dumps({"customer_uuid": "nope", "phone_number": PHONE}).encode(),
        headers={"x-api-key": "k", "Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        _OPENER.open(refused, timeout=10)
    caught.value.close()
    assert "400 bad_request" in ding_fake.wait_for_line("refused", "POST /v1/authentication")


@pytest.mark.timeout(120)
def test_webhook_deliveries_are_printed_and_sigterm_stops_it_mid_delivery() -> None:
    fake = start_fake("--port", "0", "--webhook-retry-schedule", "30")
    with WebhookReceiver.running() as receiver:
        receiver.fail_next(1)  # the first delivery is refused: its redelivery is 30 s away
        with ding.Ding(api_key="k", server_url=fake.exports["DING_SERVER_URL"]) as client:
            client.otp.create_authentication(
                {
                    "customer_uuid": fake.exports["DING_CUSTOMER_UUID"],
                    "phone_number": PHONE,
                    "callback_url": receiver.url,
                }
            )
        refused = fake.wait_for_line("webhook", "authentication", receiver.url)
        assert "500" in refused and "send 1, not acknowledged" in refused
        assert "200" in fake.wait_for_line("webhook", "attempt #1", receiver.url)
        status = fake.stop(signal.SIGTERM)  # a redelivery pending: abandoned cleanly
    stderr = "".join(fake.stderr)
    assert status == 0, stderr
    assert "Traceback" not in stderr and "Unclosed" not in stderr, stderr


@pytest.mark.timeout(120)
def test_sigint_while_a_delivery_is_in_flight_ends_it_cleanly() -> None:
    fake = start_fake("--port", "0", dev_mode=True)
    reached = threading.Event()

    async def slow(event: object) -> None:
        reached.set()
        await asyncio.sleep(30)  # the fake's POST stays in flight

    with WebhookReceiver.running(slow) as receiver:
        with ding.Ding(api_key="k", server_url=fake.exports["DING_SERVER_URL"]) as client:
            client.otp.create_authentication(
                {
                    "customer_uuid": fake.exports["DING_CUSTOMER_UUID"],
                    "phone_number": PHONE,
                    "callback_url": receiver.url,
                }
            )
        assert reached.wait(10), "the delivery never reached the receiver"
        started = time.monotonic()
        status = fake.stop(signal.SIGINT)
        took = time.monotonic() - started
    stderr = "".join(fake.stderr)
    assert status == 0, stderr
    assert "Traceback" not in stderr and "Unclosed" not in stderr, stderr
    assert stderr.rstrip().endswith("ding fake: stopped"), stderr
    assert took < 10, f"stopping took {took:.1f} s"


@pytest.mark.timeout(60)
def test_a_taken_port_and_bad_options_say_what_to_do() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "ding", "fake", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "--port" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "ding", "fake", "--code-length", "40"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "code_length" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "ding", "fake", "--bogus"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "error: unrecognized arguments: --bogus" in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "ding", "fake", "--help"], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0
    assert "/_fake/code?phone_number=" in done.stdout and "--webhook-host" in done.stdout


@pytest.mark.timeout(60)
def test_listening_beyond_loopback_is_said_loudly() -> None:
    fake = start_fake("--host", "0.0.0.0", "--port", "0")
    try:
        # Reachable from this machine through loopback, as the printed URL says.
        assert fake.exports["DING_SERVER_URL"].startswith("http://127.0.0.1:")
        assert fetch_json(f"{fake.base}/_fake/code?phone_number=%2B14155550100")[0] == 404
    finally:
        assert fake.stop() == 0
    stderr = "".join(fake.stderr)
    assert "WARNING: listening on 0.0.0.0, not on loopback" in stderr


@pytest.mark.timeout(60)
def test_the_fake_clock_and_the_rules_are_flags() -> None:
    fake = start_fake("--port", "0", "--code-length", "4", "--frozen-clock", "--seed", "3")
    try:

        async def send() -> str:
            async with ding.AsyncDing(
                api_key="k", server_url=fake.exports["DING_SERVER_URL"]
            ) as client:
                sent = await client.otp.create_authentication(
                    {"customer_uuid": fake.exports["DING_CUSTOMER_UUID"], "phone_number": PHONE}
                )
                return str(sent.create_authentication_response.created_at)  # type: ignore[union-attr]

        first, second = asyncio.run(send()), asyncio.run(send())
        assert first == second, "a frozen clock stands still"
        assert len(code_from_the_fake(fake)["code"]) == 4
    finally:
        assert fake.stop() == 0
