"""The ``ding`` command line, through a real subprocess against the fake."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import ding
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
        "status=approved",
        "status=valid",
        "status=already_validated",
        "events (",
        "uuid=",
        "country_code=US",
        "webhooks delivered to http://127.0.0.1:",
        "redelivered, same id",
    ]:
        assert any(expected in line for line in lines), (expected, done.stdout)
    assert done.stderr == ""


def test_demo_json_prints_one_object_per_step() -> None:
    done = run("demo", "--json")
    assert done.returncode == 0, done.stderr
    steps = [json.loads(line) for line in done.stdout.splitlines()]
    assert [s["step"] for s in steps] == list(range(1, 11))
    results = {s["step"]: s["result"] for s in steps}
    # A retry that succeeds: approved, a new code, which then checks valid.
    assert results[3]["status"] == "approved"
    assert results[3]["remaining_retry"] == 2
    assert results[4]["status"] == "invalid", "the first code died with the retry"
    assert results[5]["status"] == "valid"
    assert results[6]["status"] == "already_validated"
    auth_uuid = results[1]["authentication_uuid"]
    deliveries = results[10]
    assert sorted(
        (d["event_type"], d["attempt_number"]) for d in deliveries if d["attempt"] == 1
    ) == [
        ("attempt", 1),
        ("attempt", 2),
        ("authentication", None),
    ]
    refused = [d for d in deliveries if d["status"] != 200]
    assert [(d["event_type"], d["attempt"], d["status"]) for d in refused] == [
        ("authentication", 1, 500)
    ]
    redelivered = [d for d in deliveries if d["attempt"] == 2]
    assert [d["event_id"] for d in redelivered] == [refused[0]["event_id"]]
    assert redelivered[0]["status"] == 200
    assert all(isinstance(d["event_id"], str) for d in deliveries)
    assert auth_uuid


def test_building_the_parser_loads_no_command_body() -> None:
    """``ding --help`` imports every command module (it lists them all): each must load what
    its command needs (the client, aiohttp, the fake, the webhook parser, asyncio) only when
    it runs."""
    code = (
        "import sys, runpy\n"
        "sys.argv = ['ding', '--help']\n"
        "try:\n    runpy.run_module('ding', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "assert 'ding.cli._demo' in sys.modules and 'ding.cli._webhooks' in sys.modules\n"
        "heavy = [m for m in ('ding.testing', 'ding.webhooks', 'aiohttp', 'cattrs', 'asyncio',"
        " 'ssl', 'ding._sync_client', 'ding.cli._error_messages') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_python_m_ding_cli_runs_the_command_line_too() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ding.cli", "--version"], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"ding {ding.__version__}")


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
        (("send",), "ding send: error: the following arguments are required: phone_number"),
        (("webhooks",), "ding webhooks listen"),
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


def test_unreachable_server_names_the_host_and_the_reason() -> None:
    env = {
        "DING_API_KEY": "k",
        "DING_CUSTOMER_UUID": CUSTOMER,
        "DING_SERVER_URL": "http://127.0.0.1:9/v1",
    }
    done = run("lookup", "+14155550123", "--timeout", "1", env=env)
    assert done.returncode == 1
    assert done.stderr.startswith("ding lookup: cannot reach 127.0.0.1:9: connection refused")
    assert "DING_SERVER_URL" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
