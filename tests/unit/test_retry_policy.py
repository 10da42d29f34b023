"""The retry decision table of DESIGN §3, the backoff and ``Retry-After`` parsing, as pure
logic: the one authoritative table of what each outcome class allows. The layers above add
what this cannot see: test_transport_retries.py (the table row by row for every operation,
through the client), test_retry_limits.py (each limit where it alone decides), and
reliability/test_fault_matrix.py (the same outcomes produced by a real socket)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

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


def test_the_defaults_are_the_documented_ones() -> None:
    """docs/retries-and-timeouts.md: 2 retries, a wait up to min(8 s, 0.25 s x 2**n), a
    Retry-After honoured up to 60 s, connection failures retried, ambiguous POSTs not."""
    policy = RetryPolicy()
    assert (policy.max_retries, policy.initial_interval, policy.max_interval) == (2, 0.25, 8.0)
    assert (policy.exponent, policy.retry_after_cap, policy.max_elapsed) == (2.0, 60.0, None)
    assert policy.retry_connection_errors is True and policy.retry_ambiguous is False
    assert RetryPolicy(max_elapsed=4.5).max_elapsed == 4.5


@pytest.mark.parametrize(
    ("initial", "cap", "exponent", "ceilings"),
    [
        (0.5, 3.0, 2.0, [(0, 0.5), (1, 1.0), (2, 2.0), (3, 3.0), (10, 3.0)]),
        # The cap is 16x the start: four doublings (log base 2, not e) reach it.
        (0.5, 8.0, 2.0, [(3, 4.0), (4, 8.0), (50, 8.0)]),
        (0.1, 100.0, 10.0, [(1, 1.0), (2, 10.0), (3, 100.0), (9, 100.0)]),
    ],
)
def test_backoff_is_full_jitter_under_an_exponential_ceiling(
    initial: float, cap: float, exponent: float, ceilings: list[tuple[int, float]]
) -> None:
    policy = RetryPolicy(initial_interval=initial, max_interval=cap, exponent=exponent)
    for retries_done, ceiling in ceilings:
        waits = [policy.backoff(retries_done) for _ in range(400)]
        assert all(0.0 <= w <= ceiling for w in waits)
        # The jitter covers the whole range up to the ceiling (0.9 ** 400: never by chance).
        assert max(waits) > ceiling * 0.9, (retries_done, ceiling, max(waits))


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
    assert parse_retry_after("1" + "0" * 400) == 10.0**9
    assert parse_retry_after("9999999999") == 10.0**9  # ten digits: 317 years, clamped
    assert parse_retry_after("999999999") == 999999999.0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("0000000005", 5.0), ("0" * 400 + "7", 7.0), ("0", 0.0), ("000", 0.0), (" 12 ", 12.0)],
)
def test_retry_after_with_leading_zeros_is_its_number(value: str, seconds: float) -> None:
    """RFC 9110's delta-seconds is 1*DIGIT: leading zeros do not make a wait longer."""
    assert parse_retry_after(value) == seconds


NOW = datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("Mon, 01 Jan 2024 12:00:30 GMT", 30.0),
        # RFC 5322: -0000 is UTC whose source zone is unknown; email.utils gives it naive.
        ("Mon, 01 Jan 2024 12:00:30 -0000", 30.0),
        ("Mon, 01 Jan 2024 12:00:30 +0000", 30.0),
        ("Mon, 01 Jan 2024 13:00:30 +0100", 30.0),
        ("Mon, 01 Jan 2024 07:00:30 -0500", 30.0),
        ("Mon, 01 Jan 2024 11:59:00 -0000", 0.0),  # in the past: no wait
    ],
)
def test_retry_after_http_dates_in_every_zone_form(value: str, seconds: float) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


def test_retry_after_http_date_is_measured_from_the_current_utc_time() -> None:
    soon = datetime.now(timezone.utc) + timedelta(seconds=120)
    for text in (
        format_datetime(soon, usegmt=True),
        format_datetime(soon).replace("+0000", "-0000"),
    ):
        wait = parse_retry_after(text)
        assert wait is not None and 60 < wait <= 120, (text, wait)


@given(
    delta=st.integers(-(10**6), 10**8),
    zone=st.sampled_from(["GMT", "-0000", "+0000", "+0130", "-1200", "+1400"]),
)
@example(delta=1, zone="-0000")
@example(delta=0, zone="GMT")
def test_retry_after_http_dates_give_their_exact_wait(delta: int, zone: str) -> None:
    """Whatever the zone form, the wait is the seconds from now to the date, never negative."""
    offset = (
        timedelta(0)
        if zone in ("GMT", "-0000")
        else timedelta(hours=int(zone[1:3]), minutes=int(zone[3:])) * (1 if zone[0] == "+" else -1)
    )
    when = (NOW + timedelta(seconds=delta)).astimezone(timezone(offset))
    text = when.strftime("%a, %d %b %Y %H:%M:%S ") + zone
    assert parse_retry_after(text, now=NOW) == max(0.0, float(delta))


@pytest.mark.parametrize("exponent", [2.0, 10.0, 1.0001, 1.0])
def test_backoff_never_overflows_after_thousands_of_retries(exponent: float) -> None:
    policy = RetryPolicy(initial_interval=0.001, max_interval=0.001 * 4, exponent=exponent)
    for retries_done in (0, 308, 309, 1023, 1024, 1025, 5000, 10**9):
        assert 0.0 <= policy.backoff(retries_done) <= 0.004
    # The cap is reached, not stuck below it (the jitter covers the whole range).
    if exponent > 1.001:
        assert max(policy.backoff(2000) for _ in range(500)) > 0.003
