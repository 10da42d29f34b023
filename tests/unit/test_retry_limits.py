"""Each limit on retries, tested where it alone decides: the Retry-After cap with no deadline,
``max_elapsed_time`` (which counts the wait it would start), the call's deadline (which a
wait may not outlive), and the documented defaults, in both calling styles.

In every case the other limits are loose enough to let the retry happen: if the limit under
test were ignored, the client would sleep the whole ``Retry-After`` (10 to 30 s) and send a
second request. The calls are bounded by ``asyncio.wait_for`` / a thread join of
``BOUND`` seconds, so such a client fails the test instead of hanging it; a correct one
gives up at once, after one request, with the server's answer.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses

import ding
from ding.models import errors
from ding.utils import BackoffStrategy, RetryConfig

from ..conftest import AUTH_UUID, BASE_URL
from ._mocked_api import calls, register

PATH = f"/authentication/{AUTH_UUID}"
BOUND = 8.0
"""Seconds a call that gives up at once may take on a busy machine (a wrong one sleeps 10+)."""


def _status(style: str, client_options: dict[str, Any]) -> Any:
    """One get_authentication_status (a GET: retried after any transient failure), run in
    ``style`` with ``client_options``; returns the envelope or the DingError it raised."""

    async def call_async() -> Any:
        async with ding.AsyncDing(api_key="k", server_url=BASE_URL, **client_options) as client:
            return await asyncio.wait_for(client.otp.get_authentication_status(AUTH_UUID), BOUND)

    def call_sync() -> Any:
        with ding.Ding(api_key="k", server_url=BASE_URL, **client_options) as client:
            return client.otp.get_authentication_status(AUTH_UUID)

    try:
        if style == "async":
            return asyncio.run(call_async())
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(call_sync).result(timeout=BOUND)
    except errors.DingError as exc:
        return exc


def _rate_limited(mocked: aioresponses, retry_after: str, then_ok: bool = True) -> None:
    register(mocked, "GET", PATH, repeat=False, status=429, headers={"Retry-After": retry_after})
    if then_ok:
        register(mocked, "GET", PATH, payload={"uuid": AUTH_UUID, "status": "pending"})


# (limit, client options, Retry-After, the reason the give-up is logged with): only `limit`
# stands between the 429 and a retry.
ALONE = [
    (
        "retry_after_cap",
        {"retry_after_cap": 5, "deadline": None, "max_retries": 2},
        "10",
        "Retry-After beyond the cap",
    ),
    (
        "default retry_after_cap (60 s)",
        {"deadline": None, "max_retries": 2},
        "61",
        "Retry-After beyond the cap",
    ),
    (
        "max_elapsed_time",
        {
            "retry_config": RetryConfig("backoff", BackoffStrategy(1, 2, 1.5, 5_000), True),
            "deadline": None,
            "retry_after_cap": 600,
        },
        "10",
        "max_elapsed_time reached",
    ),
    ("deadline", {"deadline": 2, "retry_after_cap": 600, "max_retries": 2}, "30", "deadline"),
]


@pytest.mark.parametrize("style", ["async", "sync"])
@pytest.mark.parametrize(
    ("limit", "options", "retry_after", "why"), ALONE, ids=[a[0] for a in ALONE]
)
def test_a_limit_alone_stops_the_retry_before_the_wait(
    mocked: aioresponses,
    caplog: pytest.LogCaptureFixture,
    style: str,
    limit: str,
    options: dict[str, Any],
    retry_after: str,
    why: str,
) -> None:
    caplog.set_level(logging.INFO, logger="ding")
    _rate_limited(mocked, retry_after)
    error = _status(style, options)
    assert type(error) is errors.RateLimitError, f"{limit}: {error!r}"
    assert error.retry_after == float(retry_after)  # what to tell the user: when to come back
    assert error.attempts == 1 and len(calls(mocked, "GET", PATH)) == 1
    assert error.status_code == 429
    # The operator is told which limit decided.
    assert [r.getMessage() for r in caplog.records if r.name == "ding"] == [
        "otp.get_authentication_status: GET /v1/authentication/{auth_uuid} failed with 429 "
        f"after 1 attempt(s), giving up ({why})"
    ]


def test_a_retry_after_equal_to_the_cap_is_honoured(mocked: aioresponses) -> None:
    _rate_limited(mocked, "1")
    envelope = _status("async", {"retry_after_cap": 1})
    assert not isinstance(envelope, errors.DingError), repr(envelope)
    assert envelope.attempts == 2


@pytest.mark.parametrize("style", ["async", "sync"])
def test_max_elapsed_time_counts_the_retries_already_made(mocked: aioresponses, style: str) -> None:
    """Retry-After 1 s, max_elapsed_time 1.9 s: the first wait fits (0 + 1 <= 1.9), the second
    would end past it (about 1 + 1 > 1.9), so exactly two attempts, whatever the load."""
    register(mocked, "GET", PATH, status=503, headers={"Retry-After": "1"}, body="busy")
    config = RetryConfig("backoff", BackoffStrategy(1, 2, 1.5, 1_900), True)
    error = _status(style, {"retry_config": config, "deadline": None})
    assert type(error) is errors.RateLimitError, repr(error)
    assert error.attempts == 2 and len(calls(mocked, "GET", PATH)) == 2


@pytest.mark.parametrize("style", ["async", "sync"])
def test_connection_errors_are_retried_by_default(mocked: aioresponses, style: str) -> None:
    """The documented default retries a connection that could not be made (max_retries 2)."""
    key = aiohttp.client_reqrep.ConnectionKey("h", 1, False, True, None, None, None)
    register(mocked, "GET", PATH, exception=aiohttp.ClientConnectorError(key, OSError(111, "")))
    error = _status(style, {"deadline": 5})
    assert type(error) is errors.APIConnectionError, repr(error)
    assert error.attempts == 3 and len(calls(mocked, "GET", PATH)) == 3


@pytest.mark.asyncio
async def test_a_pause_that_wakes_past_the_deadline_gives_up_with_the_answer_it_has(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    """The deadline is checked again after a pause: a loop held by a CPU-bound callback of
    the application wakes late, and the call then reports the failure it has instead of
    starting an attempt with no time left (here the clock jumps 60 s during the 0.05 s
    pause, as such a loop sees it)."""
    caplog.set_level(logging.INFO, logger="ding")
    _rate_limited(mocked, "0.05")
    jumped = 0.0
    events: list[tuple[str, ding.CallEvent]] = []
    hooks = ding.Hooks(
        on_retry=lambda event: events.append(("retry", event)),
        on_give_up=lambda event: events.append(("give up", event)),
    )
    async with ding.AsyncDing(
        api_key="k",
        server_url=BASE_URL,
        deadline=30,
        retry_after_cap=600,
        max_retries=2,
        hooks=hooks,
    ) as client:
        transport = client._transport
        clock = transport._clock
        transport._clock = lambda: clock() + jumped
        pause = transport._sessions.pause

        async def late(session: aiohttp.ClientSession, seconds: float) -> None:
            nonlocal jumped
            await pause(session, seconds)
            jumped = 60.0

        transport._sessions.pause = late  # type: ignore[method-assign]
        with pytest.raises(errors.DingError) as raised:
            await asyncio.wait_for(client.otp.get_authentication_status(AUTH_UUID), BOUND)
    error = raised.value
    assert type(error) is errors.RateLimitError, repr(error)
    assert error.attempts == 1 and len(calls(mocked, "GET", PATH)) == 1
    records = [r for r in caplog.records if r.name == "ding"]
    assert [r.getMessage() for r in records][-1] == (
        "otp.get_authentication_status: GET /v1/authentication/{auth_uuid} failed with 429 "
        "after 1 attempt(s), giving up (deadline)"
    )
    gave_up = records[-1]
    assert (gave_up.operation, gave_up.status, gave_up.reason) == (  # type: ignore[attr-defined]
        "otp.get_authentication_status",
        429,
        "deadline",
    )
    assert 0 <= gave_up.elapsed < BOUND  # type: ignore[attr-defined]  # the real time it took
    # The application's hooks hear the same: one retry, then the give-up and why.
    assert [(name, event.status, event.reason) for name, event in events] == [
        ("retry", 429, "HTTP 429"),
        ("give up", 429, "deadline"),
    ]


@pytest.mark.parametrize(
    ("limit", "options", "retry_after", "why"), ALONE, ids=[a[0] for a in ALONE]
)
def test_the_give_up_hook_is_told_which_limit_decided_with_the_log_quiet(
    mocked: aioresponses,
    caplog: pytest.LogCaptureFixture,
    limit: str,
    options: dict[str, Any],
    retry_after: str,
    why: str,
) -> None:
    """Hooks do not depend on the log level: with the ``ding`` logger at WARNING (no INFO
    record to make), ``on_give_up`` still hears the give-up and the limit that decided."""
    caplog.set_level(logging.WARNING, logger="ding")
    _rate_limited(mocked, retry_after)
    events: list[tuple[str, ding.CallEvent]] = []
    hooks = ding.Hooks(
        on_retry=lambda event: events.append(("retry", event)),
        on_give_up=lambda event: events.append(("give up", event)),
    )
    error = _status("async", {**options, "hooks": hooks})
    assert type(error) is errors.RateLimitError, f"{limit}: {error!r}"
    assert [(name, e.attempt, e.status, e.reason) for name, e in events] == [
        ("give up", 1, 429, why)
    ]
