"""The authoritative retry table of DESIGN §3: every outcome, row by row, for every operation,
through the public client, with aioresponses for the network (fast: no socket, no wait). A
POST (send, retry, check, feedback) retries an ambiguous failure only when asked to, and the
error raised is exactly the one the answer maps to.

Other layers add what this one cannot see: tests/unit/test_retry_policy.py the pure decision,
tests/unit/test_retry_limits.py each limit on retrying, tests/reliability/test_fault_matrix.py
the same outcomes produced by a real socket in both calling styles, and
tests/reliability/test_fakeding.py what the API did (how many SMS went out)."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses

import ding
from ding.models import components as c
from ding.models import errors
from ding.utils import BackoffStrategy, RetryConfig

from ..conftest import AUTH_UUID, BASE_URL, CUSTOMER_UUID, PHONE
from ._mocked_api import AUTH_OK, CREATE, FAST, calls, register

# Every operation, as (name, how to call it, method, path).
OPERATIONS = [
    (
        "create_authentication",
        lambda cl: cl.otp.create_authentication(request=CREATE),
        "POST",
        "/authentication",
    ),
    (
        "check",
        lambda cl: cl.otp.check(
            request=c.CreateCheckRequest(
                customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID, check_code="1"
            )
        ),
        "POST",
        "/check",
    ),
    (
        "feedback",
        lambda cl: cl.otp.feedback(
            request=c.FeedbackRequest(
                customer_uuid=CUSTOMER_UUID,
                phone_number=PHONE,
                status=c.FeedbackRequestStatus.ONBOARDED,
            )
        ),
        "POST",
        "/authentication/feedback",
    ),
    (
        "retry",
        lambda cl: cl.otp.retry(
            request=c.RetryAuthenticationRequest(
                customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID
            )
        ),
        "POST",
        "/retry",
    ),
    (
        "get_authentication_status",
        lambda cl: cl.otp.get_authentication_status(auth_uuid=AUTH_UUID),
        "GET",
        f"/authentication/{AUTH_UUID}",
    ),
    (
        "lookup",
        lambda cl: cl.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER_UUID),
        "GET",
        "/lookup/%2B1234567890",
    ),
]
# The server may have acted on these: a second one texts again, spends a second check
# attempt or stores a feedback twice.
POSTS = {"create_authentication", "check", "feedback", "retry"}


# --- the retry table, row by row, for every operation ----------------------------------------


_REFUSED = aiohttp.ClientConnectorError(
    aiohttp.client_reqrep.ConnectionKey("h", 1, False, True, None, None, None),
    OSError(111, "refused"),
)
_API_ERROR = {"code": "bad_request", "message": "m"}

# kind -> (how the attempt fails, the exact error it raises when not retried)
FAILURES: dict[str, tuple[dict[str, Any], type[errors.DingError]]] = {
    "refused": ({"exception": _REFUSED}, errors.APIConnectionError),
    "429": ({"status": 429, "payload": _API_ERROR}, errors.RateLimitError),
    "503": ({"status": 503, "payload": _API_ERROR}, errors.ErrorResponse),
    "408": ({"status": 408, "body": "{}"}, errors.SDKError),
    "500": ({"status": 500, "payload": _API_ERROR}, errors.ErrorResponse),
    "502": ({"status": 502, "body": "<html>Bad Gateway</html>"}, errors.SDKError),
    "504": ({"status": 504, "body": "{}"}, errors.SDKError),
    "read timeout": ({"exception": asyncio.TimeoutError()}, errors.APITimeoutError),
    "disconnect": ({"exception": aiohttp.ServerDisconnectedError()}, errors.APIConnectionError),
    "400": ({"status": 400, "payload": _API_ERROR}, errors.ErrorResponse),
    "401": ({"status": 401, "payload": _API_ERROR}, errors.ErrorResponse),
    "403": ({"status": 403, "body": "{}"}, errors.SDKError),
    "404": ({"status": 404, "payload": _API_ERROR}, errors.ErrorResponse),
    "409": ({"status": 409, "payload": _API_ERROR}, errors.ErrorResponse),
    "422": ({"status": 422, "body": "unprocessable"}, errors.SDKError),
}


def _failure(kind: str) -> dict[str, Any]:
    return FAILURES[kind][0]


ALWAYS_RETRIED = ["refused", "429", "503"]
AMBIGUOUS = ["408", "500", "502", "504", "read timeout", "disconnect"]
NEVER = ["400", "401", "403", "404", "409", "422"]


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ALWAYS_RETRIED + AMBIGUOUS + NEVER)
@pytest.mark.parametrize(
    ("name", "call", "method", "path"), OPERATIONS, ids=[o[0] for o in OPERATIONS]
)
async def test_retry_table(
    mocked: aioresponses,
    client: ding.AsyncDing,
    kind: str,
    name: str,
    call: Any,
    method: str,
    path: str,
) -> None:
    register(mocked, method, path, repeat=False, **_failure(kind))
    register(mocked, method, path, payload=AUTH_OK)
    retried = kind in ALWAYS_RETRIED or (kind in AMBIGUOUS and name not in POSTS)
    if retried:
        envelope = await call(client)
        assert envelope.attempts == 2 and envelope.status_code == 200
        assert len(calls(mocked, method, path)) == 2
    else:
        with pytest.raises(errors.DingError) as info:
            await call(client)
        assert type(info.value) is FAILURES[kind][1], repr(info.value)
        assert info.value.attempts == 1
        assert len(calls(mocked, method, path)) == 1, "sent again without being asked to"
        if kind in AMBIGUOUS:  # the error says why it was not retried, and how to opt in
            assert info.value.not_retried is not None
            first_line = str(info.value).splitlines()[0]
            assert first_line.endswith(
                "; not retried: the server may have acted on it (retry_ambiguous=True retries it)"
            )
        else:
            assert info.value.not_retried is None


POST_OPERATIONS = [o for o in OPERATIONS if o[0] in POSTS]


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", AMBIGUOUS)
@pytest.mark.parametrize("where", ["client", "call"])
@pytest.mark.parametrize(
    ("name", "call", "method", "path"), POST_OPERATIONS, ids=[o[0] for o in POST_OPERATIONS]
)
async def test_posts_retry_ambiguous_failures_only_when_opted_in(
    mocked: aioresponses, kind: str, where: str, name: str, call: Any, method: str, path: str
) -> None:
    register(mocked, method, path, repeat=False, **_failure(kind))
    register(mocked, method, path, payload=AUTH_OK)
    client_opts: dict[str, Any] = {"retry_ambiguous": True} if where == "client" else {}
    call_opts: dict[str, Any] = {"retry_ambiguous": True} if where == "call" else {}
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL, **FAST, **client_opts) as client:
        envelope = await call(_WithCallOptions(client, call_opts))
    assert envelope.attempts == 2


class _WithCallOptions:
    """A client whose operations all get ``options`` as call options."""

    def __init__(self, client: Any, options: dict[str, Any]) -> None:
        self._client, self._options = client, options

    def __getattr__(self, resource: str) -> Any:
        target = getattr(self._client, resource)
        options = self._options

        class Resource:
            def __getattr__(self, name: str) -> Any:
                method = getattr(target, name)
                return lambda *args, **kwargs: method(*args, **kwargs, **options)

        return Resource()


@pytest.mark.asyncio
async def test_max_retries_zero_is_not_reported_as_a_post_s_ambiguity(
    mocked: aioresponses, client: ding.AsyncDing
) -> None:
    """The note names what stopped the retry: with no retries allowed, it is not the POST."""
    register(mocked, "POST", "/check", status=500, body="{}")
    check = next(o[1] for o in OPERATIONS if o[0] == "check")
    with pytest.raises(errors.SDKError) as info:
        await check(_WithCallOptions(client, {"max_retries": 0}))
    assert info.value.not_retried is None and "not retried" not in str(info.value)


@pytest.mark.asyncio
async def test_read_timeout_is_a_timeout_error_and_sends_once(
    mocked: aioresponses, client: ding.AsyncDing
) -> None:
    register(mocked, "POST", "/authentication", exception=asyncio.TimeoutError())
    with pytest.raises(errors.APITimeoutError) as info:
        await client.otp.create_authentication(request=CREATE)
    assert isinstance(info.value.__cause__, asyncio.TimeoutError)
    assert isinstance(info.value, TimeoutError)
    assert len(calls(mocked, "POST", "/authentication")) == 1


@pytest.mark.asyncio
async def test_connection_errors_can_be_excluded_by_retry_config(mocked: aioresponses) -> None:
    register(mocked, "POST", "/check", **_failure("refused"))
    config = RetryConfig("backoff", BackoffStrategy(1, 2, 1.5, 5000), False)
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL, retry_config=config) as client:
        with pytest.raises(errors.APIConnectionError):
            await client.otp.check(
                request={
                    "customer_uuid": CUSTOMER_UUID,
                    "authentication_uuid": AUTH_UUID,
                    "check_code": "1",
                }
            )
    assert len(calls(mocked, "POST", "/check")) == 1


STATUS_PATH = f"/authentication/{AUTH_UUID}"


def _listening(events: list[tuple[str, ding.CallEvent]]) -> ding.Hooks:
    def keep(name: str) -> Any:
        return lambda event: events.append((name, event))

    return ding.Hooks(
        on_attempt_end=keep("end"), on_retry=keep("retry"), on_give_up=keep("give up")
    )


@pytest.mark.asyncio
async def test_hooks_name_the_failure_of_an_attempt_that_got_no_answer(
    mocked: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    """An attempt without a status is described by its error (the exception behind it), at
    its end and in the retry it leads to, whatever the log level."""
    caplog.set_level(logging.WARNING, logger="ding")
    register(mocked, "GET", STATUS_PATH, repeat=False, **_failure("refused"))
    register(mocked, "GET", STATUS_PATH, payload={"uuid": AUTH_UUID, "status": "pending"})
    events: list[tuple[str, ding.CallEvent]] = []
    async with ding.AsyncDing(
        api_key="k", server_url=BASE_URL, hooks=_listening(events), **FAST
    ) as client:
        await client.otp.get_authentication_status(AUTH_UUID)
    refused = type(FAILURES["refused"][0]["exception"]).__name__
    assert [(name, e.attempt, e.status, e.error_type, e.reason) for name, e in events] == [
        ("end", 1, None, refused, None),
        ("retry", 1, None, refused, refused),
        ("end", 2, 200, None, None),
    ]


@pytest.mark.asyncio
async def test_backoff_starts_at_the_initial_interval_and_grows_by_the_exponent(
    mocked: aioresponses, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The n-th retry waits up to initial_interval * exponent ** (n - 1): full jitter, here
    pinned to its ceiling so that the waits are exact."""
    monkeypatch.setattr(random, "uniform", lambda low, high: high)
    register(mocked, "GET", STATUS_PATH, repeat=False, status=503, body="busy")
    register(mocked, "GET", STATUS_PATH, repeat=False, status=503, body="busy")
    register(mocked, "GET", STATUS_PATH, payload={"uuid": AUTH_UUID, "status": "pending"})
    config = RetryConfig("backoff", BackoffStrategy(1, 1_000, 10, 60_000), True)  # ms
    events: list[tuple[str, ding.CallEvent]] = []
    async with ding.AsyncDing(
        api_key="k",
        server_url=BASE_URL,
        retry_config=config,
        max_retries=2,
        hooks=_listening(events),
    ) as client:
        await client.otp.get_authentication_status(AUTH_UUID)
    waits = [e.wait for name, e in events if name == "retry"]
    assert waits == pytest.approx([0.001, 0.01])
