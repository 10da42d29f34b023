"""examples/flask_app.py through Flask's test client: one sync Ding shared by many threads."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask

import ding
from ding.testing import FakeDing, MagicNumbers

from .conftest import API_KEY, load_example

PHONE = "+14155550100"


@pytest.fixture
def app_module(ding_env: dict[str, str]) -> Any:
    return load_example("flask_app.py")


@pytest.fixture
def client(ding_env: dict[str, str]) -> Iterator[ding.Ding]:
    with ding.Ding() as shared:
        yield shared


@pytest.fixture
def app(app_module: Any, client: ding.Ding) -> Flask:
    flask_app: Flask = app_module.create_app(client)
    return flask_app


def signup(app: Flask, fake: FakeDing, phone: str) -> tuple[int, Any]:
    http = app.test_client()
    sent = http.post("/send", json={"phone_number": phone})
    assert sent.status_code == 200, sent.get_data(as_text=True)
    auth_uuid = sent.get_json()["authentication_uuid"]
    verified = http.post(
        "/verify", json={"authentication_uuid": auth_uuid, "code": fake.code_for(auth_uuid)}
    )
    return verified.status_code, verified.get_json()


def test_signup_flow(app: Flask, fake: FakeDing) -> None:
    http = app.test_client()
    auth_uuid = http.post("/send", json={"phone_number": PHONE}).get_json()["authentication_uuid"]
    wrong = http.post("/verify", json={"authentication_uuid": auth_uuid, "code": "x"})
    assert (wrong.status_code, wrong.get_json()) == (400, {"verified": False, "status": "invalid"})
    ok = http.post(
        "/verify", json={"authentication_uuid": auth_uuid, "code": fake.code_for(auth_uuid)}
    )
    assert (ok.status_code, ok.get_json()) == (200, {"verified": True})
    again = http.post(
        "/verify", json={"authentication_uuid": auth_uuid, "code": fake.code_for(auth_uuid)}
    )
    assert again.get_json() == {"verified": False, "status": "already_validated"}


def test_one_client_serves_many_threads(app: Flask, fake: FakeDing) -> None:
    phones = [f"+1415555{n:04d}" for n in range(16)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda phone: signup(app, fake, phone), phones))
    assert results == [(200, {"verified": True})] * len(phones)
    assert sorted(r.json["phone_number"] for r in fake.requests_to("create_authentication")) == (
        sorted(phones)
    )


@pytest.mark.parametrize(
    ("phone", "status", "body"),
    [
        ("0612345678", 422, {"error": "Invalid phone_number."}),
        (
            MagicNumbers.UNSUPPORTED_REGION,
            400,
            {"error": "We cannot send codes to this country yet."},
        ),
        (MagicNumbers.RATE_LIMITED, 429, {"error": "Too many codes sent to this number."}),
        (MagicNumbers.SPAM_DETECTED, 403, {"error": "We could not send a code to this number."}),
        (MagicNumbers.SERVER_ERROR, 502, {"error": "Verification failed."}),
    ],
)
def test_send_maps_outcomes(app: Flask, phone: str, status: int, body: Any) -> None:
    res = app.test_client().post("/send", json={"phone_number": phone})
    assert (res.status_code, res.get_json()) == (status, body)


def test_rate_limit_and_outage(app: Flask, fake: FakeDing) -> None:
    http = app.test_client()
    fake.fail_next(1, 429, retry_after=90)
    limited = http.post("/send", json={"phone_number": PHONE})
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "90")
    fake.drop_next(1)
    down = http.post("/send", json={"phone_number": PHONE})
    assert (down.status_code, down.get_json()) == (
        503,
        {"error": "Verification is unavailable, try again."},
    )


def test_create_app_builds_its_client_from_the_environment(app_module: Any, fake: FakeDing) -> None:
    app = app_module.create_app()
    assert isinstance(app.extensions["ding"], ding.Ding)
    assert signup(app, fake, PHONE) == (200, {"verified": True})
    assert fake.requests[0].headers["x-api-key"] == "example-test-key"
    del app
    gc.collect()  # the app's Ding shuts its loop and session down when collected, silently


def test_a_client_reachable_only_through_its_resource_stays_open(fake: FakeDing) -> None:
    """CLIENT BUG (found with this example): ``otp = ding.Ding().otp`` -- or the one-liner
    ``ding.Ding().otp.check(...)`` -- fails with ClientClosedError: the sync resources do
    not keep their ``Ding`` alive, so its finalizer closes the loop as soon as the last
    reference to the ``Ding`` itself goes. (``AsyncDing(...).otp...`` works.)
    """
    otp = ding.Ding(api_key=API_KEY, server_url=fake.url).otp
    gc.collect()
    res = otp.create_authentication(
        {"customer_uuid": "c9f826e0-deca-41ec-871f-ecd6e8efeb46", "phone_number": PHONE}
    )
    assert res.status_code == 200
    check = ding.Ding(api_key=API_KEY, server_url=fake.url).otp.check
    gc.collect()
    assert res.create_authentication_response is not None
    auth_uuid = str(res.create_authentication_response.authentication_uuid)
    checked = check(
        {
            "customer_uuid": "c9f826e0-deca-41ec-871f-ecd6e8efeb46",
            "authentication_uuid": auth_uuid,
            "check_code": fake.code_for(auth_uuid),
        }
    ).create_check_response
    assert checked is not None
    assert checked.status == "valid"
