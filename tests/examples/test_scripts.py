"""The command-line examples, run in a subprocess with their environment variables set."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from ding.testing import FakeDing

from .conftest import run_example

PHONE = "+14155550100"
QUICKSTARTS = ["quickstart_sync.py", "quickstart_async.py"]


def sent_uuid(stdout: str) -> str:
    match = re.search(r"^authentication_uuid: ([0-9a-f-]{36})$", stdout, re.MULTILINE)
    assert match, stdout
    return match.group(1)


@pytest.mark.parametrize("script", QUICKSTARTS)
def test_quickstart_sends_and_checks_a_code(
    script: str, fake: FakeDing, ding_env: dict[str, str]
) -> None:
    sent = run_example(script, "send", PHONE, env=ding_env)
    assert sent.returncode == 0, sent.stderr
    auth_uuid = sent_uuid(sent.stdout)
    assert sent.lines[1] == "status: pending"
    code = fake.code_for(auth_uuid)
    assert fake.last_code(PHONE) == code

    wrong = "1" * len(code) if code != "1" * len(code) else "2" * len(code)
    rejected = run_example(script, "check", auth_uuid, env={**ding_env, "DING_CODE": wrong})
    assert (rejected.returncode, rejected.lines) == (1, ["status: invalid"])

    accepted = run_example(script, "check", auth_uuid, code, env=ding_env)
    assert (accepted.returncode, accepted.lines) == (0, ["status: valid"])
    assert fake.authentication(auth_uuid).status == "validated"
    assert [r.json for r in fake.requests_to("check")][-1] == {
        "customer_uuid": ding_env["DING_CUSTOMER_UUID"],
        "authentication_uuid": auth_uuid,
        "check_code": code,
    }


@pytest.mark.parametrize("script", QUICKSTARTS)
def test_quickstart_usage(script: str, fake: FakeDing, ding_env: dict[str, str]) -> None:
    run = run_example(script, env=ding_env)
    assert run.returncode == 2
    assert "python examples/" in run.stderr
    assert fake.requests == []


@pytest.mark.parametrize("script", QUICKSTARTS)
def test_quickstart_reports_a_number_that_cannot_get_a_code(
    script: str, fake: FakeDing, ding_env: dict[str, str]
) -> None:
    from ding.testing import MagicNumbers

    run = run_example(script, "send", MagicNumbers.SPAM_DETECTED, env=ding_env)
    assert run.returncode == 1
    assert run.lines[1] == "status: spam_detected"


def test_errors_and_timeouts_happy_path(fake: FakeDing, ding_env: dict[str, str]) -> None:
    run = run_example("errors_and_timeouts.py", PHONE, env=ding_env)
    assert run.returncode == 0, run.stderr
    assert run.lines == [
        "1. a number that is not E.164",
        "refused before sending: phone_number: expected an E.164 phone number such as "
        "'+1234567890', got a 10-character string",
        "2. the real number",
        "sent: status pending after 1 attempt(s)",
        "3. a wrong code",
        "check: status invalid after 1 attempt(s)",
        "4. an authentication that does not exist",
        "check refused: invalid_auth_uuid (HTTP 400)",
    ]
    # The bad number never left the process.
    assert [r.json["phone_number"] for r in fake.requests_to("create_authentication")] == [PHONE]


def test_errors_and_timeouts_rate_limited(fake: FakeDing, ding_env: dict[str, str]) -> None:
    # Retry-After beyond the example's retry_after_cap (30 s): raised at once, not slept on.
    fake.fail_next(1, 429, retry_after=120, path="create_authentication")
    run = run_example("errors_and_timeouts.py", PHONE, env=ding_env)
    assert "rate limited: try again in 120s (1 attempt(s))" in run.lines
    assert "3. a wrong code" not in run.lines


def test_errors_and_timeouts_timeout_is_not_retried(
    fake: FakeDing, ding_env: dict[str, str]
) -> None:
    # The server takes the request and never answers in time: the SMS may have gone out.
    fake.delay_next(1, seconds=3600, handle_first=True, path="create_authentication")
    run = run_example("errors_and_timeouts.py", PHONE, "--timeout", "0.5", env=ding_env)
    assert "timed out after 1 attempt(s); not retried, the SMS may be on its way" in run.lines
    assert len(fake.requests_to("create_authentication")) == 1
    assert len(fake.authentications()) == 1, "the fake did send that one code"


def test_errors_and_timeouts_unexpected_answer(fake: FakeDing, ding_env: dict[str, str]) -> None:
    # A proxy's HTML 502: ambiguous for a call that sends an SMS, so not retried.
    fake.non_json_next(1, status=502, path="create_authentication")
    run = run_example("errors_and_timeouts.py", PHONE, env=ding_env)
    assert "unexpected answer: HTTP 502 after 1 attempt(s)" in run.lines


def test_errors_and_timeouts_check_is_retried(fake: FakeDing, ding_env: dict[str, str]) -> None:
    # A 503 or a 429: the API did not act on the check, so it is retried transparently.
    fake.fail_next(1, 503, path="check")
    fake.fail_next(1, 429, retry_after=0, path="check")
    run = run_example("errors_and_timeouts.py", PHONE, env=ding_env)
    assert "check: status invalid after 3 attempt(s)" in run.lines


def test_errors_and_timeouts_check_is_not_retried_after_a_drop(
    fake: FakeDing, ding_env: dict[str, str]
) -> None:
    # Dropped after sending: the API may have spent one of the user's attempts on it.
    fake.drop_next(1, path="check")
    run = run_example("errors_and_timeouts.py", PHONE, env=ding_env)
    failed = [line for line in run.lines if line.startswith("check failed: APIConnectionError")]
    assert len(failed) == 1 and failed[0].endswith(
        "not retried: the server may have acted on it (retry_ambiguous=True retries it)"
    ), run.lines
    assert len(fake.requests_to("check")) == 2  # the dropped one, then step 4's


def without(env: dict[str, str], name: str) -> dict[str, str]:
    # run_example starts from os.environ, which the ding_env fixture filled: blank it there.
    return {**env, name: ""}


@pytest.mark.parametrize("script", [*QUICKSTARTS, "errors_and_timeouts.py"])
def test_a_missing_customer_uuid_is_a_clear_error(
    script: str, fake: FakeDing, ding_env: dict[str, str]
) -> None:
    args = ("send", PHONE) if script in QUICKSTARTS else (PHONE,)
    run = run_example(script, *args, env=without(ding_env, "DING_CUSTOMER_UUID"))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        "error: set DING_CUSTOMER_UUID (dashboard -> API settings)"
    ]
    assert fake.requests == []


@pytest.mark.parametrize("script", QUICKSTARTS)
def test_a_bad_number_is_a_clear_error(
    script: str, fake: FakeDing, ding_env: dict[str, str]
) -> None:
    run = run_example(script, "send", "0612345678", env=ding_env)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("error: phone_number: expected an E.164 phone number")
    assert "0612345678" not in line
    assert fake.requests == []


@pytest.mark.parametrize("script", QUICKSTARTS)
def test_a_missing_api_key_is_a_clear_error(
    script: str, fake: FakeDing, ding_env: dict[str, str]
) -> None:
    run = run_example(script, "send", PHONE, env=without(ding_env, "DING_API_KEY"))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    (line,) = run.stderr.strip().splitlines()
    assert "api_key" in line


@pytest.mark.parametrize("script", QUICKSTARTS)
def test_an_unreachable_api_is_a_clear_error(script: str, ding_env: dict[str, str]) -> None:
    env = {**ding_env, "DING_SERVER_URL": "http://127.0.0.1:9/v1"}
    run = run_example(script, "send", PHONE, env=env)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("error: APIConnectionError: ")


def test_the_webhook_handler_tests_pass() -> None:
    """examples/test_webhooks_handler.py, run by pytest as its users run it: the fixtures
    come from the plugin ding installs (its pytest11 entry point), no conftest of ours."""
    from .conftest import EXAMPLES

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-W",
            "error",
            "-p",
            "no:cacheprovider",
            str(EXAMPLES / "test_webhooks_handler.py"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=EXAMPLES,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
