"""The sync facade's hand-off to its private loop (LoopThread.run), in isolation."""

from __future__ import annotations

import asyncio
import gc
import inspect
import threading

import pytest

from ding._loop_thread import LoopThread
from ding.models.errors import APITimeoutError, ClientClosedError


def test_results_and_the_call_s_own_exceptions_come_back() -> None:
    runner = LoopThread()
    error = ValueError("raised on the loop")

    async def fail() -> None:
        raise error

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    try:
        assert runner.run(answer(), 5.0) == 42
        with pytest.raises(ValueError, match="raised on the loop") as info:
            runner.run(fail(), 5.0)
        assert info.value is error
    finally:
        runner.stop()


def test_a_wait_that_runs_out_cancels_the_task_on_the_loop() -> None:
    runner = LoopThread()
    cancelled = threading.Event()

    async def forever() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    try:
        with pytest.raises(APITimeoutError, match=r"did not finish within 0\.2s"):
            runner.run(forever(), 0.2)
        assert cancelled.wait(5.0), "the abandoned call kept running on the loop"
        assert runner.run(asyncio.sleep(0, "still usable"), 5.0) == "still usable"
    finally:
        runner.stop()


def test_stop_ends_a_waiting_call_with_client_closed_error() -> None:
    runner = LoopThread()
    started = threading.Event()

    async def forever() -> None:
        started.set()
        await asyncio.sleep(3600)

    outcome: list[BaseException] = []

    def caller() -> None:
        try:
            runner.run(forever(), 30.0)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=caller)
    thread.start()
    assert started.wait(5.0)
    runner.stop()
    thread.join(5.0)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], ClientClosedError)
    coro = asyncio.sleep(0)
    with pytest.raises(ClientClosedError):
        runner.run(coro, 1.0)


# --- the caller's wait returns every _WAIT_SLICE seconds (a pending Ctrl-C gets through) ----


class _ScriptedLock:
    """A lock released at ``release_at`` on its own clock, which each wait advances."""

    def __init__(self, release_at: float | None) -> None:
        self.now = 0.0
        self.release_at = release_at
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def acquire(self, blocking: bool, timeout: float) -> bool:
        assert blocking and timeout > 0
        self.waits.append(timeout)
        if self.release_at is not None and self.now + timeout >= self.release_at:
            self.now = self.release_at
            return True
        self.now += timeout
        return False


@pytest.mark.parametrize(
    ("release_at", "timeout", "finished", "waits"),
    [
        (0.1, 5.0, True, 1),  # the usual call: one acquire
        (1.2, None, True, 3),  # no bound: slices until released
        (None, 2.0, False, 4),  # never released: gives up at the bound
        (None, 0.2, False, 1),  # a bound under one slice: one wait of that bound
    ],
)
def test_the_wait_is_sliced_and_keeps_its_bound(
    monkeypatch: pytest.MonkeyPatch,
    release_at: float | None,
    timeout: float | None,
    finished: bool,
    waits: int,
) -> None:
    from ding import _handoff

    lock = _ScriptedLock(release_at)
    monkeypatch.setattr(_handoff, "time", lock)  # wait() reads time.monotonic()
    assert _handoff.wait(lock, timeout) is finished
    assert len(lock.waits) == waits
    assert max(lock.waits) <= _handoff._WAIT_SLICE
    if not finished:
        assert lock.now == pytest.approx(timeout)


# Closing a client while other threads make their first calls (tests/reliability's
# test_close_racing_the_first_calls_never_hangs, under load) left two reports in the user's
# logs: a coroutine "never awaited" (handed to a loop that closed before running it) and a
# "Task exception was never retrieved" (a call whose caller had already been told it ended).


def test_a_call_handed_to_a_loop_that_closes_before_starting_it_is_refused() -> None:
    from ding._handoff import Call
    from ding._loop_thread import _new_loop

    async def op() -> int:
        return 1

    loop = _new_loop()
    coro = op()
    call = Call(coro, loop.inbox)  # handed over; its start never runs: the loop stops first
    loop.call_soon(loop.stop)
    LoopThread._serve(loop)
    assert loop.is_closed()
    assert call.done.acquire(False), "the caller was not woken"
    assert call.task is None
    assert inspect.getcoroutinestate(coro) == inspect.CORO_CLOSED


def test_a_call_handed_over_while_the_loop_shuts_down_is_refused() -> None:
    from ding._handoff import Call, Inbox

    async def op() -> int:
        return 1

    loop = asyncio.new_event_loop()
    inbox = Inbox()
    inbox.closing = True  # what LoopThread's loop says from its teardown on
    try:
        coro = op()
        call = Call(coro, inbox)
        loop.call_soon(call.start)
        loop.run_until_complete(asyncio.sleep(0))
        assert call.done.acquire(False), "the caller was not woken"
        assert call.task is None
        assert inspect.getcoroutinestate(coro) == inspect.CORO_CLOSED
    finally:
        loop.close()


@pytest.mark.parametrize("when", ["abandoned-after-it-failed", "failed-when-abandoned"])
def test_an_abandoned_call_s_failure_is_not_reported_as_never_retrieved(
    when: str, caplog: pytest.LogCaptureFixture
) -> None:
    from ding._handoff import Call, Inbox

    async def fails() -> None:
        try:
            if when == "failed-when-abandoned":
                await asyncio.sleep(3600)
        except asyncio.CancelledError:  # the caller's cancel: the call ends with an error
            pass
        raise ClientClosedError("the client was closed during the call")

    loop = asyncio.new_event_loop()
    try:
        call = Call(fails(), Inbox())
        loop.call_soon(call.start)
        loop.run_until_complete(asyncio.sleep(0.01))
        loop.call_soon(call.abandon)
        loop.run_until_complete(asyncio.sleep(0.01))
        assert call.task is not None and call.task.done() and not call.task.cancelled()
        del call
        gc.collect()
    finally:
        loop.close()
    assert "never retrieved" not in caplog.text
