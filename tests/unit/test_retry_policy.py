"""The retry decision table of DESIGN §3, as pure logic."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from ding._retry import Outcome, RetryPolicy, classify_status, parse_retry_after


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (429, Outcome.SAFE),
        (503, Outcome.SAFE),
        (408, Outcome.AMBIGUOUS),
        (500, Outcome.AMBIGUOUS),
        (502, Outcome.AMBIGUOUS),
        (504, Outcome.AMBIGUOUS),
        (400, Outcome.FINAL),
        (401, Outcome.FINAL),
        (404, Outcome.FINAL),
        (422, Outcome.FINAL),
    ],
)
def test_status_classes(status: int, outcome: Outcome) -> None:
    assert classify_status(status) is outcome


@pytest.mark.parametrize(
    ("outcome", "idempotent", "opt_in", "retried"),
    [
        (Outcome.SAFE, False, False, True),
        (Outcome.SAFE, True, False, True),
        (Outcome.AMBIGUOUS, False, False, False),
        (Outcome.AMBIGUOUS, False, True, True),
        (Outcome.AMBIGUOUS, True, False, True),
        (Outcome.FINAL, False, True, False),
        (Outcome.FINAL, True, False, False),
    ],
)
def test_table(outcome: Outcome, idempotent: bool, opt_in: bool, retried: bool) -> None:
    policy = RetryPolicy(retry_ambiguous=opt_in)
    assert policy.allows(outcome, idempotent=idempotent, retries_done=0) is retried


def test_max_retries_bounds_attempts() -> None:
    policy = RetryPolicy(max_retries=2)
    assert policy.allows(Outcome.SAFE, idempotent=True, retries_done=1)
    assert not policy.allows(Outcome.SAFE, idempotent=True, retries_done=2)
    assert RetryPolicy(max_retries=None).allows(Outcome.SAFE, idempotent=True, retries_done=99)


def test_backoff_is_full_jitter_under_an_exponential_ceiling() -> None:
    policy = RetryPolicy(initial_interval=0.5, max_interval=3.0, exponent=2.0)
    for retries_done, ceiling in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 3.0), (10, 3.0)]:
        waits = [policy.backoff(retries_done) for _ in range(200)]
        assert all(0.0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling * 0.5  # jitter spreads over the whole range


def test_retry_after_seconds_and_http_date() -> None:
    now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert parse_retry_after("120") == 120.0
    assert (
        parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now)
        == 30.0
    )
    assert (
        parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now=now) == 0.0
    )
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    "junk",
    [
        "²",  # str.isdigit() is True for it, float() refuses it
        "٣",  # an Arabic-Indic 3: float() would take it
        "-1",
        "1.5",
        "1e400",
        "nan",
        "inf",
        "",
        "   ",
        "Wed, 21 Oct 2015 99999999999999999999:28:00 GMT",  # OverflowError inside the parser
        "Wed, 99 Oct 2015 07:28:00 GMT",
        "Mon, 01 Jan 10000 00:00:00 GMT",
        "Wed, 21 Oct 2015",
    ],
)
def test_retry_after_junk_is_absent_never_an_exception(junk: str) -> None:
    assert parse_retry_after(junk) is None


def test_retry_after_of_absurd_length_is_clamped_not_overflowed() -> None:
    value = parse_retry_after("1" + "0" * 400)
    assert value is not None and value >= 10**9 and value < float("inf")


@pytest.mark.parametrize("exponent", [2.0, 10.0, 1.0001, 1.0])
def test_backoff_never_overflows_after_thousands_of_retries(exponent: float) -> None:
    policy = RetryPolicy(initial_interval=0.001, max_interval=0.001 * 4, exponent=exponent)
    for retries_done in (0, 308, 309, 1023, 1024, 1025, 5000, 10**9):
        assert 0.0 <= policy.backoff(retries_done) <= 0.004
    # The cap is reached, not stuck below it (the jitter covers the whole range).
    if exponent > 1.001:
        assert max(policy.backoff(2000) for _ in range(500)) > 0.003
