"""The fake's OTP rules, driven directly through its pure state (no sockets)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from ding.testing import FakeClock, MagicNumbers
from ding.testing._errors import ApiError
from ding.testing._settings import Settings
from ding.testing._state import OtpState

from .conftest import CUSTOMER, OTHER_CUSTOMER, PHONE, START


def make_state(clock: FakeClock, **settings: Any) -> OtpState:
    return OtpState(Settings(**settings), clock, seed=1)


@pytest.fixture
def state(clock: FakeClock) -> OtpState:
    return make_state(clock)


def send(state: OtpState, phone: str = PHONE, **fields: Any) -> dict[str, Any]:
    return state.create_authentication({"customer_uuid": CUSTOMER, "phone_number": phone, **fields})


def check(state: OtpState, auth_uuid: str, code: str, customer: str = CUSTOMER) -> str:
    answer = state.check(
        {"customer_uuid": customer, "authentication_uuid": auth_uuid, "check_code": code}
    )
    assert answer["authentication_uuid"] == auth_uuid.lower()
    status: str = answer["status"]
    return status


def retry(state: OtpState, auth_uuid: str, customer: str = CUSTOMER) -> dict[str, Any]:
    return state.retry({"customer_uuid": customer, "authentication_uuid": auth_uuid})


def wrong(code: str) -> str:
    return "".join(str((int(d) + 1) % 10) for d in code)


def ts(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- sending ----------------------------------------------------------------------------


def test_send_creates_a_pending_authentication_with_a_readable_code(state: OtpState) -> None:
    answer = send(state)
    assert answer["status"] == "pending"
    assert answer["created_at"] == ts(START)
    assert answer["expires_at"] == ts(START + timedelta(minutes=10))
    code = state.code_for(answer["authentication_uuid"])
    assert code.isdigit()
    assert len(code) == 6
    assert state.last_code(PHONE) == code
    assert state.authentication(answer["authentication_uuid"]).status == "pending"


def test_code_length_and_ttl_are_tunable(clock: FakeClock) -> None:
    state = make_state(clock, code_length=4, auth_ttl=timedelta(seconds=90))
    answer = send(state)
    assert len(state.code_for(answer["authentication_uuid"])) == 4
    assert answer["expires_at"] == ts(START + timedelta(seconds=90))


def test_same_seed_replays_the_same_codes_and_uuids(clock: FakeClock) -> None:
    first, second = make_state(clock), make_state(clock)
    a, b = send(first), send(second)
    assert a == b
    assert first.code_for(a["authentication_uuid"]) == second.code_for(b["authentication_uuid"])


def test_reset_forgets_everything(state: OtpState) -> None:
    auth_uuid = send(state)["authentication_uuid"]
    state.reset()
    with pytest.raises(KeyError):
        state.code_for(auth_uuid)
    with pytest.raises(KeyError):
        state.last_code(PHONE)
    assert state.authentications() == []


def test_one_number_is_rate_limited_within_the_window(clock: FakeClock) -> None:
    state = make_state(clock, send_rate_limit=2, send_rate_window=timedelta(minutes=1))
    assert send(state)["status"] == "pending"
    assert send(state)["status"] == "pending"
    limited = send(state)
    assert limited["status"] == "rate_limited"
    with pytest.raises(KeyError):
        state.code_for(limited["authentication_uuid"])
    assert send(state, "+14155550199")["status"] == "pending"  # other numbers are not affected
    clock.advance(60)
    assert send(state)["status"] == "pending"  # the window slid past the first sends


def test_rate_limit_can_be_disabled(clock: FakeClock) -> None:
    state = make_state(clock, send_rate_limit=None)
    assert {send(state)["status"] for _ in range(20)} == {"pending"}


@pytest.mark.parametrize(
    ("number", "status", "code"),
    [
        (MagicNumbers.INVALID_LINE, 400, "invalid_line"),
        (MagicNumbers.BLOCKED_NUMBER, 400, "blocked_number"),
        (MagicNumbers.UNSUPPORTED_REGION, 400, "unsupported_region"),
        (MagicNumbers.NEGATIVE_BALANCE, 400, "negative_balance"),
        (MagicNumbers.SERVER_ERROR, 500, "internal_server_error"),
    ],
)
def test_magic_numbers_that_refuse_to_send(
    state: OtpState, number: str, status: int, code: str
) -> None:
    with pytest.raises(ApiError) as caught:
        send(state, number)
    assert (caught.value.status, caught.value.code) == (status, code)
    assert state.authentications() == []


def test_spam_detected_sends_nothing(state: OtpState) -> None:
    auth_uuid = send(state, MagicNumbers.SPAM_DETECTED)["authentication_uuid"]
    assert state.authentication(auth_uuid).status == "spam_detected"
    assert check(state, auth_uuid, "123456") == "without_attempt"
    assert retry(state, auth_uuid)["status"] == "no_attempt"


def test_rate_limited_magic_number(state: OtpState) -> None:
    auth_uuid = send(state, MagicNumbers.RATE_LIMITED)["authentication_uuid"]
    assert check(state, auth_uuid, "123456") == "rate_limited"
    assert retry(state, auth_uuid)["status"] == "rate_limited"


def test_app_realm_needs_an_android_device_type(state: OtpState) -> None:
    with pytest.raises(ApiError, match="app_realm_require_device_type"):
        send(state, app_realm="hash")
    with pytest.raises(ApiError, match="unsupported_app_realm_device_type"):
        send(state, app_realm="hash", device_type="IOS")
    assert send(state, app_realm="hash", device_type="ANDROID")["status"] == "pending"


def test_sender_ids_can_be_restricted(clock: FakeClock) -> None:
    state = make_state(clock, allowed_sender_ids=frozenset({"Acme"}))
    assert send(state, sender_id="Acme")["status"] == "pending"
    with pytest.raises(ApiError, match="unauthorized_sender_id"):
        send(state, sender_id="Evil")


def test_customer_uuids_can_be_restricted(clock: FakeClock) -> None:
    state = make_state(clock, customer_uuids=frozenset({CUSTOMER}))
    send(state)
    with pytest.raises(ApiError, match="account_invalid"):
        state.create_authentication({"customer_uuid": OTHER_CUSTOMER, "phone_number": PHONE})


# -- checking ---------------------------------------------------------------------------


def test_check_right_then_again(state: OtpState) -> None:
    auth_uuid = send(state)["authentication_uuid"]
    code = state.code_for(auth_uuid)
    assert check(state, auth_uuid, wrong(code)) == "invalid"
    assert check(state, auth_uuid, code) == "valid"
    assert check(state, auth_uuid, code) == "already_validated"
    assert state.authentication(auth_uuid).status == "validated"


def test_check_after_expiry(state: OtpState, clock: FakeClock) -> None:
    auth_uuid = send(state)["authentication_uuid"]
    code = state.code_for(auth_uuid)
    clock.advance(timedelta(minutes=10) - timedelta(milliseconds=1))
    assert state.authentication(auth_uuid).status == "pending"
    clock.advance(timedelta(milliseconds=1))
    assert check(state, auth_uuid, code) == "expired_auth"
    assert state.authentication(auth_uuid).status == "expired"


def test_too_many_wrong_codes_lock_the_authentication(clock: FakeClock) -> None:
    state = make_state(clock, max_check_attempts=3)
    auth_uuid = send(state)["authentication_uuid"]
    code = state.code_for(auth_uuid)
    assert [check(state, auth_uuid, wrong(code)) for _ in range(3)] == ["invalid"] * 3
    assert check(state, auth_uuid, code) == "rate_limited"  # even the right code
    assert state.authentication(auth_uuid).status == "locked"
    assert retry(state, auth_uuid)["status"] == "rate_limited"  # a new code does not unlock


def test_unknown_or_foreign_authentication_is_invalid_auth_uuid(state: OtpState) -> None:
    auth_uuid = send(state)["authentication_uuid"]
    with pytest.raises(ApiError, match="invalid_auth_uuid") as caught:
        check(state, "8f1196d5-806e-4b71-9b24-5f96ec052808", "123456")
    assert caught.value.status == 400
    with pytest.raises(ApiError, match="invalid_auth_uuid"):
        check(state, auth_uuid, "123456", customer=OTHER_CUSTOMER)
    with pytest.raises(ApiError, match="invalid_auth_uuid"):
        retry(state, auth_uuid, customer=OTHER_CUSTOMER)


def test_uuids_are_case_insensitive(state: OtpState) -> None:
    auth_uuid = send(state)["authentication_uuid"]
    code = state.code_for(auth_uuid.upper())
    assert check(state, auth_uuid.upper(), code, customer=CUSTOMER.upper()) == "valid"


# -- retrying ---------------------------------------------------------------------------


def test_retry_counts_down_and_honours_next_retry_at(state: OtpState, clock: FakeClock) -> None:
    auth_uuid = send(state)["authentication_uuid"]
    first_code = state.code_for(auth_uuid)

    early = retry(state, auth_uuid)
    assert early == {
        "authentication_uuid": auth_uuid,
        "status": "denied",
        "created_at": ts(START),
        "remaining_retry": 3,
        "next_retry_at": ts(START + timedelta(seconds=30)),
    }

    clock.advance(30)
    approved = retry(state, auth_uuid)
    assert approved["status"] == "approved"
    assert approved["remaining_retry"] == 2
    assert approved["next_retry_at"] == ts(START + timedelta(seconds=60))
    new_code = state.code_for(auth_uuid)
    assert new_code != first_code
    assert state.last_code(PHONE) == new_code

    assert retry(state, auth_uuid)["status"] == "denied"  # the interval starts again
    assert check(state, auth_uuid, first_code) == "invalid"  # only the latest code counts
    assert check(state, auth_uuid, new_code) == "valid"
    assert retry(state, auth_uuid)["status"] == "already_validated"


def test_retry_after_the_last_one_is_denied(clock: FakeClock) -> None:
    state = make_state(clock, max_retries=2, retry_interval=timedelta(0))
    auth_uuid = send(state)["authentication_uuid"]
    assert [retry(state, auth_uuid)["remaining_retry"] for _ in range(2)] == [1, 0]
    last = retry(state, auth_uuid)
    assert last["status"] == "denied"
    assert last["remaining_retry"] == 0
    assert "next_retry_at" not in last  # there is no next retry
    assert state.authentication(auth_uuid).attempts == 3


def test_retry_after_expiry(state: OtpState, clock: FakeClock) -> None:
    auth_uuid = send(state)["authentication_uuid"]
    clock.advance(timedelta(minutes=10))
    assert retry(state, auth_uuid)["status"] == "expired_auth"


# -- feedback ---------------------------------------------------------------------------


def feedback(state: OtpState, status: str, phone: str = PHONE) -> dict[str, Any]:
    return state.feedback({"customer_uuid": CUSTOMER, "phone_number": phone, "status": status})


def test_feedback_is_stored_once_per_status(state: OtpState) -> None:
    send(state)
    assert set(feedback(state, "onboarded")) == {"uuid"}
    assert state.feedback_for(PHONE) == "onboarded"
    with pytest.raises(ApiError, match="duplicated_feedback_status"):
        feedback(state, "onboarded")
    feedback(state, "not_onboarded")  # a different status replaces it
    assert state.feedback_for(PHONE) == "not_onboarded"
    send(state)  # a new authentication takes feedback afresh
    feedback(state, "not_onboarded")


def test_feedback_needs_an_authentication_of_that_customer(state: OtpState) -> None:
    with pytest.raises(ApiError, match="no_associated_auth_found"):
        feedback(state, "onboarded")
    send(state)
    with pytest.raises(ApiError, match="no_associated_auth_found"):
        state.feedback(
            {"customer_uuid": OTHER_CUSTOMER, "phone_number": PHONE, "status": "onboarded"}
        )


# -- status -----------------------------------------------------------------------------


def test_status_reports_request_signals_and_the_events_that_happened(
    state: OtpState, clock: FakeClock
) -> None:
    auth_uuid = send(
        state,
        ip="192.0.2.1",
        device_type="ANDROID",
        app_realm="hash",
        is_returning_user=True,
        template_id="tpl",
        correlation_id="corr",
        sender_id="Acme",
        locale="fr-FR",
    )["authentication_uuid"]
    first_code = state.code_for(auth_uuid)
    clock.advance(30)
    retry(state, auth_uuid)
    check(state, auth_uuid, state.code_for(auth_uuid))

    status = state.authentication_status({"auth_uuid": auth_uuid})
    assert status["uuid"] == auth_uuid
    assert status["phone_number"] == PHONE
    assert status["created_at"] == ts(START)
    assert status["template_id"] == "tpl"
    assert status["correlation_id"] == "corr"
    assert status["signals"] == {
        "ip": "192.0.2.1",
        "device_type": "ANDROID",
        "app_realm": "hash",
        "is_returning_user": True,
    }
    kinds = [event["type"] for event in status["events"]]
    assert kinds == ["attempt", "delivery_status", "balance_update"] * 2 + ["check"]
    attempt, delivery, balance = status["events"][:3]
    assert attempt["attempt_number"] == 1
    assert attempt["status"] == "delivered"
    assert attempt["sender_id"] == "Acme"
    assert first_code in attempt["content"]
    assert delivery["attempt_id"] == attempt["id"]
    assert delivery["status"] == "delivered"
    assert balance["amount"] == -0.01
    assert balance["balance_update_type"] == "attempt"
    assert status["events"][3]["created_at"] == ts(START + timedelta(seconds=30))
    assert status["events"][-1]["status"] == "valid"


def test_status_of_a_failing_delivery(state: OtpState) -> None:
    auth_uuid = send(state, MagicNumbers.DELIVERY_FAILS)["authentication_uuid"]
    events = state.authentication_status({"auth_uuid": auth_uuid})["events"]
    assert events[0]["status"] == "failed"
    assert events[1]["status"] == "undeliverable"
    assert check(state, auth_uuid, state.code_for(auth_uuid)) == "valid"


def test_status_of_an_unknown_authentication_is_404(state: OtpState) -> None:
    with pytest.raises(ApiError) as caught:
        state.authentication_status({"auth_uuid": "8f1196d5-806e-4b71-9b24-5f96ec052808"})
    assert (caught.value.status, caught.value.code) == (404, "invalid_auth_uuid")


# -- lookup -----------------------------------------------------------------------------


def lookup(state: OtpState, phone: str, *types: str) -> dict[str, Any]:
    request: dict[str, Any] = {"customer_uuid": CUSTOMER, "phone_number": phone}
    if types:
        request["type"] = list(types)
    return state.lookup(request)


def test_lookup_answers_the_number_and_its_fake_world_flags(state: OtpState) -> None:
    answer = lookup(state, PHONE)
    assert answer["phone_number"] == PHONE
    assert answer["number_ported"] is False
    assert answer["temporary_phone_number"] is False
    assert "caller_name" not in answer
    assert lookup(state, MagicNumbers.PORTED)["number_ported"] is True
    assert lookup(state, MagicNumbers.TEMPORARY)["temporary_phone_number"] is True


def test_lookup_cnam_and_overrides(clock: FakeClock) -> None:
    state = make_state(clock, caller_name="JANE DOE")
    assert lookup(state, PHONE, "cnam")["caller_name"] == "JANE DOE"
    state.set_lookup_result(PHONE, {"carrier": "Acme Mobile", "mcc": "310", "mnc": "410"})
    answer = lookup(state, PHONE)
    assert (answer["carrier"], answer["mcc"], answer["mnc"]) == ("Acme Mobile", "310", "410")
