"""The sync facade's hand-off to its private loop (LoopThread.run), in isolation."""

from __future__ import annotations

import asyncio
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
