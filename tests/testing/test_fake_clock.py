"""The controllable clock."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import aiohttp
import pytest

from ding.testing import FakeClock, FakeDing
from ding.testing._clock import format_timestamp

from .conftest import CUSTOMER, PHONE, START


def test_default_clock_is_frozen_at_the_current_whole_second() -> None:
    before = datetime.now(timezone.utc).replace(microsecond=0)
    clock = FakeClock()
    assert not clock.ticking
    assert clock.now().microsecond == 0
    assert before <= clock.now() <= datetime.now(timezone.utc)
    first = clock.now()
    time.sleep(0.01)
    assert clock.now() == first


def test_advance_and_set(clock: FakeClock) -> None:
    assert clock.now() == START
    assert clock.advance(90) == START + timedelta(seconds=90)
    assert clock.advance(timedelta(minutes=-1)) == START + timedelta(seconds=30)
    clock.set(datetime(2025, 6, 1, 12, tzinfo=timezone(timedelta(hours=2))))
    assert clock.now() == datetime(2025, 6, 1, 10, tzinfo=timezone.utc)
    assert clock.now().tzinfo == timezone.utc


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeClock(datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeClock().set(datetime(2024, 1, 1))


def test_a_real_clock_ticks_and_can_still_be_moved() -> None:
    clock = FakeClock.real()
    assert clock.ticking
    assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(seconds=1)
    first = clock.now()
    time.sleep(0.02)
    assert clock.now() - first >= timedelta(seconds=0.02)
    jumped = clock.advance(3600)
    assert clock.now() >= jumped >= first + timedelta(hours=1)
    clock.freeze()
    frozen = clock.now()
    time.sleep(0.01)
    assert clock.now() == frozen
    assert not clock.ticking
    clock.unfreeze()
    time.sleep(0.01)
    assert clock.now() > frozen


def test_advancing_from_many_threads_loses_nothing(clock: FakeClock) -> None:
    def advance() -> None:
        for _ in range(200):
            clock.advance(1)

    threads = [threading.Thread(target=advance) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert clock.now() == START + timedelta(seconds=800)


def test_timestamps_are_rfc3339_utc_with_z() -> None:
    moment = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone(timedelta(hours=-5)))
    assert format_timestamp(moment) == "2024-05-06T12:08:09.123Z"
    assert "frozen" in repr(FakeClock(START))


@pytest.mark.asyncio
async def test_the_fake_reads_its_clock_per_request(clock: FakeClock) -> None:
    async with FakeDing(clock=clock) as fake, aiohttp.ClientSession() as session:
        assert fake.clock is clock
        clock.set(datetime(2030, 1, 1, tzinfo=timezone.utc))
        async with session.post(
            fake.url + "/authentication",
            json={"customer_uuid": CUSTOMER, "phone_number": PHONE},
            headers={"x-api-key": "k"},
        ) as response:
            body = await response.json()
        assert body["created_at"] == "2030-01-01T00:00:00.000Z"
        assert body["expires_at"] == "2030-01-01T00:10:00.000Z"
        assert fake.requests[0].received_at == datetime(2030, 1, 1, tzinfo=timezone.utc)
