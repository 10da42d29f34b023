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
    ("outcome", "sends_message", "opt_in", "retried"),
    [
        (Outcome.SAFE, True, False, True),
        (Outcome.SAFE, False, False, True),
        (Outcome.AMBIGUOUS, True, False, False),
        (Outcome.AMBIGUOUS, True, True, True),
        (Outcome.AMBIGUOUS, False, False, True),
        (Outcome.FINAL, True, True, False),
        (Outcome.FINAL, False, False, False),
    ],
)
def test_table(outcome: Outcome, sends_message: bool, opt_in: bool, retried: bool) -> None:
    policy = RetryPolicy(retry_ambiguous=opt_in)
    assert policy.allows(outcome, sends_message=sends_message, retries_done=0) is retried


def test_max_retries_bounds_attempts() -> None:
    policy = RetryPolicy(max_retries=2)
    assert policy.allows(Outcome.SAFE, sends_message=False, retries_done=1)
    assert not policy.allows(Outcome.SAFE, sends_message=False, retries_done=2)
    assert RetryPolicy(max_retries=None).allows(Outcome.SAFE, sends_message=False, retries_done=99)


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
