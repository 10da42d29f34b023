"""The ``ding`` command line, through a real subprocess against the fake."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ding.testing import FakeDing

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DING_")}
    return subprocess.run(
        [sys.executable, "-m", "ding", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**base, **(env or {})},
    )


@pytest.fixture
def env(fake: FakeDing) -> dict[str, str]:
    return {"DING_API_KEY": "k", "DING_CUSTOMER_UUID": CUSTOMER, "DING_SERVER_URL": fake.url}


def test_demo_walks_the_whole_flow_without_an_account() -> None:
    done = run("demo")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for expected in [
        "status=pending",
        "status=invalid",
        "status=valid",
        "status=already_validated",
        "events (",
        "uuid=",
        "country_code=US",
    ]:
        assert any(expected in line for line in lines), (expected, done.stdout)
    assert done.stderr == ""


def test_demo_json_prints_one_object_per_step() -> None:
    done = run("demo", "--json")
    assert done.returncode == 0, done.stderr
    steps = [json.loads(line) for line in done.stdout.splitlines()]
    assert [s["step"] for s in steps] == list(range(1, 9))
    assert steps[2]["result"]["status"] == "valid"


def test_send_check_status_feedback_lookup(fake: FakeDing, env: dict[str, str]) -> None:
    sent = run("send", "+14155550123", "--json", env=env)
    assert sent.returncode == 0, sent.stderr
    auth = json.loads(sent.stdout)["authentication_uuid"]
    checked = run("check", auth, fake.code_for(auth), env=env)
    assert checked.returncode == 0
    assert "status: valid" in checked.stdout
    status = run("status", auth, "--json", env=env)
    assert json.loads(status.stdout)["events"]
    retried = run("retry", auth, env=env)
    assert retried.returncode == 0
    assert "already_validated" in retried.stdout
    fed = run("feedback", "+14155550123", "onboarded", env=env)
    assert fed.returncode == 0
    assert "uuid:" in fed.stdout
    looked = run("lookup", "+14155550123", "--cnam", "--json", env=env)
    assert json.loads(looked.stdout)["caller_name"]


def test_api_error_exits_1_with_one_line(env: dict[str, str]) -> None:
    done = run("check", "3c8b3a46-881e-4cdd-93a6-f7f238bf020a", "123456", env=env)
    assert done.returncode == 1
    assert "invalid_auth_uuid" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("send", "0612345678"), "phone_number"),
        (("frobnicate",), "invalid choice"),
        ((), "required"),
        (("check", "not-a-uuid", "1"), "authentication_uuid"),
    ],
)
def test_bad_usage_exits_2(env: dict[str, str], args: tuple[str, ...], needle: str) -> None:
    done = run(*args, env=env)
    assert done.returncode == 2
    assert needle in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_key_exits_2(fake: FakeDing) -> None:
    done = run(
        "lookup", "+14155550123", env={"DING_CUSTOMER_UUID": CUSTOMER, "DING_SERVER_URL": fake.url}
    )
    assert done.returncode == 2
    assert "DING_API_KEY" in done.stderr


def test_unreachable_server_exits_1() -> None:
    env = {
        "DING_API_KEY": "k",
        "DING_CUSTOMER_UUID": CUSTOMER,
        "DING_SERVER_URL": "http://127.0.0.1:9/v1",
    }
    done = run("lookup", "+14155550123", "--timeout", "1", env=env)
    assert done.returncode == 1
    assert "APIConnectionError" in done.stderr
