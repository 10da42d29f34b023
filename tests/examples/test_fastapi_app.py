"""examples/fastapi_app.py through FastAPI's TestClient, against the fake."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

with warnings.catch_warnings():
    # Starlette >= 1.x wants httpx2 for its TestClient and warns when it finds only httpx;
    # that is the test tool's business, not the example's (nox installs both).
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

import ding
from ding.testing import FakeDing, MagicNumbers

from .conftest import load_example

PHONE = "+14155550100"


@pytest.fixture
def app_module(ding_env: dict[str, str]) -> Any:
    return load_example("fastapi_app.py")


@pytest.fixture
def http(app_module: Any) -> Iterator[TestClient]:
    with TestClient(app_module.app) as client:  # runs the lifespan: one AsyncDing
        yield client


def test_signup_flow(http: TestClient, app_module: Any, fake: FakeDing) -> None:
    shared = app_module.app.state.ding
    assert isinstance(shared, ding.AsyncDing)

    sent = http.post("/send", json={"phone_number": PHONE})
    assert sent.status_code == 200, sent.text
    auth_uuid = sent.json()["authentication_uuid"]
    code = fake.code_for(auth_uuid)

    wrong = http.post(
        "/verify", json={"authentication_uuid": auth_uuid, "code": "x", "phone_number": PHONE}
    )
    assert (wrong.status_code, wrong.json()) == (400, {"verified": False, "status": "invalid"})

    ok = http.post(
        "/verify", json={"authentication_uuid": auth_uuid, "code": code, "phone_number": PHONE}
    )
    assert (ok.status_code, ok.json()) == (200, {"verified": True})
    assert fake.feedback_for(PHONE) == "onboarded"
    assert app_module.app.state.ding is shared, "one client for the app's lifetime"
    # TestClient's peer is "testclient", not an IPv4 address: no ip signal was sent.
    assert "ip" not in fake.requests_to("create_authentication")[0].json


def test_lifespan_reads_the_environment(app_module: Any, fake: FakeDing) -> None:
    with TestClient(app_module.app) as http:
        assert app_module.app.state.ding.server_url == fake.url
        assert http.post("/send", json={"phone_number": PHONE}).status_code == 200
    assert fake.requests[0].headers["x-api-key"] == "example-test-key"


@pytest.mark.parametrize(
    ("phone", "status", "body"),
    [
        ("0612345678", 422, {"error": "Invalid phone_number."}),
        (MagicNumbers.INVALID_LINE, 400, {"error": "This number cannot receive text messages."}),
        (MagicNumbers.BLOCKED_NUMBER, 400, {"error": "This number cannot be used."}),
        (MagicNumbers.RATE_LIMITED, 429, {"error": "Too many codes sent to this number."}),
        (MagicNumbers.SPAM_DETECTED, 403, {"error": "We could not send a code to this number."}),
        (MagicNumbers.NEGATIVE_BALANCE, 502, {"error": "Verification failed."}),
        (MagicNumbers.SERVER_ERROR, 502, {"error": "Verification failed."}),
    ],
)
def test_send_maps_outcomes(http: TestClient, phone: str, status: int, body: Any) -> None:
    res = http.post("/send", json={"phone_number": phone})
    assert (res.status_code, res.json()) == (status, body)


def test_rate_limit_passes_retry_after_on(http: TestClient, fake: FakeDing) -> None:
    fake.fail_next(1, 429, retry_after=120)
    res = http.post("/send", json={"phone_number": PHONE})
    assert res.status_code == 429
    assert res.headers["Retry-After"] == "120"


def test_unreachable_ding_is_a_503(http: TestClient, fake: FakeDing) -> None:
    fake.drop_next(1, path="create_authentication")
    res = http.post("/send", json={"phone_number": PHONE})
    assert (res.status_code, res.json()) == (
        503,
        {"error": "Verification is unavailable, try again."},
    )
    assert len(fake.requests_to("create_authentication")) == 1, "a send is never retried blind"


def test_unknown_authentication(http: TestClient) -> None:
    res = http.post(
        "/verify",
        json={
            "authentication_uuid": "8f1196d5-806e-4b71-9b24-5f96ec052808",
            "code": "123456",
            "phone_number": PHONE,
        },
    )
    assert (res.status_code, res.json()) == (
        400,
        {"error": "Unknown verification: ask for a new code."},
    )


def test_failed_feedback_does_not_fail_the_signup(http: TestClient, fake: FakeDing) -> None:
    auth_uuid = http.post("/send", json={"phone_number": PHONE}).json()["authentication_uuid"]
    fake.fail_next(1, 500, path="feedback")
    res = http.post(
        "/verify",
        json={
            "authentication_uuid": auth_uuid,
            "code": fake.code_for(auth_uuid),
            "phone_number": PHONE,
        },
    )
    assert (res.status_code, res.json()) == (200, {"verified": True})
    assert len(fake.requests_to("feedback")) == 1, "max_retries=0 on the feedback call"
