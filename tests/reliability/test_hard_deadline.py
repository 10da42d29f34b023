"""The deadline is hard: it fires within 0.1 s of what the caller asked, whatever happens.

aiohttp rounds a timeout of 5 s or more up to a whole second of the loop's clock, so these
tests start each call just after a whole second, where the rounding would cost the most
(~0.95 s). A loop stalled by someone's CPU-bound callback must not turn the next attempt
into one without any timeout (aiohttp takes a non-positive `total` as "none"). And a retry
is only started if at least 50 ms of the deadline would be left for it.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from typing import Any

import pytest

import ding
from ding.models import errors

from ._actions import hang, reply
from ._ops import API_KEY, CUSTOMER_UUID
from ._servers import ScriptServer, SilentListener

PRECISION = 0.1
_BUSY = {"code": "internal_server_error", "message": "busy"}


def lookup(client: Any, **options: Any) -> Any:
    return client.lookup.lookup("+14155550123", CUSTOMER_UUID, **options)


def just_after_a_whole_second(clock: Any = time.monotonic) -> None:
    time.sleep(math.ceil(clock()) - clock() + 0.01)


LIMITS = [
    pytest.param({"deadline": 1.0, "timeout": 30}, 1.0, id="deadline-1s"),
    pytest.param({"deadline": 5.05, "timeout": 30}, 5.05, id="deadline-5.05s"),
    pytest.param({"deadline": 5.5, "timeout": 30}, 5.5, id="deadline-5.5s"),
    pytest.param({"deadline": None, "timeout": 5.5}, 5.5, id="attempt-timeout-5.5s"),
]


@pytest.mark.parametrize(("options", "limit"), LIMITS)
def test_async_limit_fires_on_time_against_a_silent_server(
    options: dict[str, Any], limit: float
) -> None:
    with SilentListener() as silent:

        async def main() -> float:
            client = ding.AsyncDing(
                api_key=API_KEY, server_url=silent.url, max_retries=0, **options
            )
            loop = asyncio.get_running_loop()
            await asyncio.sleep(math.ceil(loop.time()) - loop.time() + 0.01)
            started = loop.time()
            with pytest.raises(errors.APITimeoutError):
                await asyncio.wait_for(lookup(client), limit + 5)
            took = loop.time() - started
            await client.close()
            return took

        took = asyncio.run(main())
    assert limit - 0.01 <= took <= limit + PRECISION, took


@pytest.mark.parametrize(
    ("options", "limit"), [p for p in LIMITS if p.id in ("deadline-5.05s", "attempt-timeout-5.5s")]
)
def test_sync_limit_fires_on_time_against_a_silent_server(
    options: dict[str, Any], limit: float
) -> None:
    with (
        SilentListener() as silent,
        ding.Ding(api_key=API_KEY, server_url=silent.url, max_retries=0, **options) as client,
    ):
        just_after_a_whole_second()  # the private loop's clock is time.monotonic()
        started = time.monotonic()
        with pytest.raises(errors.APITimeoutError):
            lookup(client)
        took = time.monotonic() - started
    assert limit - 0.01 <= took <= limit + PRECISION, took


# A 503 asking for a 1 s pause, then silence. The loop is stalled (a blocking callback)
# from 0.3 s to 2.1 s, so the pause ends 0.1 s *after* the 2 s deadline: the call must end
# then with the failure it has, not start an attempt without any timeout.
STALL_AT, STALL_FOR, DEADLINE = 0.3, 1.8, 2.0


def _script_503_then_silence(server: ScriptServer) -> None:
    server.script(reply(503, _BUSY, {"Retry-After": "1"}))
    server.always(hang())


def test_async_deadline_holds_when_the_loop_wakes_late_from_a_pause(server: ScriptServer) -> None:
    _script_503_then_silence(server)

    async def main() -> tuple[BaseException | None, float]:
        client = ding.AsyncDing(api_key=API_KEY, server_url=server.url, deadline=DEADLINE)
        loop = asyncio.get_running_loop()
        started = loop.time()
        call = asyncio.ensure_future(lookup(client))
        while server.count() < 1:  # noqa: ASYNC110 -- the server counts in its thread
            await asyncio.sleep(0.005)
        await asyncio.sleep(STALL_AT - (loop.time() - started))
        time.sleep(STALL_FOR)  # noqa: ASYNC251 -- an app's CPU-bound callback holds the loop
        try:
            await asyncio.wait_for(call, 8)
        except BaseException as exc:
            outcome: BaseException | None = exc
        else:
            outcome = None
        took = loop.time() - started
        await client.close()
        return outcome, took

    outcome, took = asyncio.run(main())
    assert isinstance(outcome, errors.SDKError) and outcome.status_code == 503, outcome
    assert took < STALL_AT + STALL_FOR + 0.5
    assert server.count() == 1


def test_sync_deadline_holds_when_the_private_loop_wakes_late(server: ScriptServer) -> None:
    _script_503_then_silence(server)
    with ding.Ding(api_key=API_KEY, server_url=server.url, deadline=DEADLINE) as client:
        outcome: list[BaseException | None] = []
        started = time.monotonic()

        def caller() -> None:
            try:
                lookup(client)
            except BaseException as exc:
                outcome.append(exc)
            else:
                outcome.append(None)

        thread = threading.Thread(target=caller, daemon=True)
        thread.start()
        assert server.wait_until(lambda: server.count() >= 1)
        time.sleep(max(0.0, STALL_AT - (time.monotonic() - started)))
        client._runner.loop.call_soon_threadsafe(time.sleep, STALL_FOR)
        thread.join(8)
        took = time.monotonic() - started
        assert not thread.is_alive(), "the call outlived its deadline by far"
    # The transport's own answer (the 503 it had), not the facade's last-resort bound.
    assert isinstance(outcome[0], errors.SDKError) and outcome[0].status_code == 503, outcome
    assert took < STALL_AT + STALL_FOR + 0.5
    assert server.count() == 1


@pytest.mark.parametrize("style", ["sync", "async"])
def test_no_retry_with_under_50ms_of_the_deadline_left(server: ScriptServer, style: str) -> None:
    """A 503 asking for 1 s with 1.04 s of deadline: 40 ms would be left, so no retry.

    With 1.3 s there is room, and the retry happens: the rule is not "never retry".
    """
    server.always(reply(503, _BUSY, {"Retry-After": "1"}))

    def call(deadline: float) -> tuple[BaseException, float]:
        started = time.monotonic()
        if style == "sync":
            with (
                ding.Ding(api_key=API_KEY, server_url=server.url, max_retries=1) as client,
                pytest.raises(errors.SDKError) as info,
            ):
                lookup(client, deadline=deadline)
        else:

            async def main() -> None:
                async with ding.AsyncDing(
                    api_key=API_KEY, server_url=server.url, max_retries=1
                ) as client:
                    await lookup(client, deadline=deadline)

            with pytest.raises(errors.SDKError) as info:
                asyncio.run(main())
        return info.value, time.monotonic() - started

    error, took = call(1.04)
    assert (error.attempts, server.count()) == (1, 1)
    assert took < 0.5  # reported at once, not after a pointless 1 s wait
    server.clear()
    error, took = call(1.3)
    assert (error.attempts, server.count()) == (2, 2)
