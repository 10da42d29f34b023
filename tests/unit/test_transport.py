"""The transport through the public clients, with aioresponses standing in for the network:
error mapping, the retry table row by row, and every option reaching the request."""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aioresponses import aioresponses
from yarl import URL

import ding
from ding.models import components as c
from ding.models import errors
from ding.utils import BackoffStrategy, RetryConfig

from ..conftest import AUTH_UUID, BASE_URL, CUSTOMER_UUID, MOCKED_RESPONSE_CLASS, PHONE

FAST = {
    "retry_config": RetryConfig("backoff", BackoffStrategy(1, 2, 1.5, 5000), True),
    "max_retries": 2,
}
CREATE = c.CreateAuthenticationRequest(customer_uuid=CUSTOMER_UUID, phone_number=PHONE)
AUTH_OK = {"authentication_uuid": AUTH_UUID, "status": "pending"}


@pytest.fixture
def mocked() -> Iterator[aioresponses]:
    with aioresponses() as m:
        yield m


@pytest_asyncio.fixture
async def client() -> AsyncIterator[ding.AsyncDing]:
    async with ding.AsyncDing(api_key="secret-key", server_url=BASE_URL, **FAST) as client:
        yield client


def calls(m: aioresponses, method: str, path: str) -> list[Any]:
    return m.requests.get((method, URL(BASE_URL + path)), [])


# Every operation, as (name, how to call it, method, path, payload field).
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
SENDS_MESSAGE = {"create_authentication", "retry"}


def register(m: aioresponses, method: str, path: str, repeat: bool = True, **kwargs: Any) -> None:
    m.add(BASE_URL + path, method, repeat=repeat, response_class=MOCKED_RESPONSE_CLASS, **kwargs)


# --- error mapping -------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_400_with_api_error_body(mocked: aioresponses, client: ding.AsyncDing) -> None:
    register(
        mocked,
        "POST",
        "/authentication",
        status=400,
        payload={"code": "invalid_phone_number", "message": "bad", "doc_url": "https://d"},
    )
    with pytest.raises(errors.ErrorResponse) as info:
        await client.otp.create_authentication(request=CREATE)
    assert info.value.code is errors.Code.INVALID_PHONE_NUMBER
    assert info.value.status_code == 400
    assert info.value.attempts == 1
    assert info.value.raw_response is not None


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [401, 404])
async def test_401_and_404(mocked: aioresponses, client: ding.AsyncDing, status: int) -> None:
    register(
        mocked,
        "GET",
        f"/authentication/{AUTH_UUID}",
        status=status,
        payload={"code": "account_invalid", "message": "no"},
    )
    with pytest.raises(errors.ErrorResponse) as info:
        await client.otp.get_authentication_status(auth_uuid=AUTH_UUID)
    assert info.value.status_code == status
    assert len(calls(mocked, "GET", f"/authentication/{AUTH_UUID}")) == 1  # 4xx: never retried


@pytest.mark.asyncio
async def test_429_with_retry_after_is_retried_then_raised(mocked: aioresponses) -> None:
    register(mocked, "POST", "/check", status=429, headers={"Retry-After": "0"}, body="slow")
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL, max_retries=2) as client:
        with pytest.raises(errors.RateLimitError) as info:
            await client.otp.check(
                request={
                    "customer_uuid": CUSTOMER_UUID,
                    "authentication_uuid": AUTH_UUID,
                    "check_code": "1",
                }
            )
    assert info.value.retry_after == 0.0
    assert info.value.attempts == 3
    assert len(calls(mocked, "POST", "/check")) == 3


@pytest.mark.asyncio
async def test_retry_after_beyond_the_cap_raises_at_once(mocked: aioresponses) -> None:
    register(mocked, "POST", "/check", status=429, headers={"Retry-After": "3600"})
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL, retry_after_cap=5) as client:
        with pytest.raises(errors.RateLimitError) as info:
            await asyncio.wait_for(
                client.otp.check(
                    request={
                        "customer_uuid": CUSTOMER_UUID,
                        "authentication_uuid": AUTH_UUID,
                        "check_code": "1",
                    }
                ),
                timeout=2,
            )
    assert info.value.retry_after == 3600
    assert len(calls(mocked, "POST", "/check")) == 1


@pytest.mark.asyncio
async def test_500_raises_sdk_error(mocked: aioresponses, client: ding.AsyncDing) -> None:
    register(mocked, "GET", f"/authentication/{AUTH_UUID}", status=500, body="boom")
    with pytest.raises(errors.SDKError) as info:
        await client.otp.get_authentication_status(auth_uuid=AUTH_UUID)
    assert info.value.status_code == 500
    assert info.value.body == "boom"
    assert info.value.attempts == 3  # status reads are retried


@pytest.mark.asyncio
async def test_html_502_from_a_proxy(mocked: aioresponses, client: ding.AsyncDing) -> None:
    register(
        mocked,
        "POST",
        "/authentication",
        status=502,
        body="<html>Bad Gateway</html>",
        content_type="text/html",
    )
    with pytest.raises(errors.SDKError) as info:
        await client.otp.create_authentication(request=CREATE)
    assert type(info.value) is errors.SDKError
    assert "Bad Gateway" in info.value.body


@pytest.mark.asyncio
async def test_200_with_malformed_json(mocked: aioresponses, client: ding.AsyncDing) -> None:
    register(
        mocked, "POST", "/authentication", status=200, body="{oops", content_type="application/json"
    )
    with pytest.raises(errors.ResponseValidationError) as info:
        await client.otp.create_authentication(request=CREATE)
    assert isinstance(info.value, errors.SDKError)
    assert info.value.status_code == 200


# --- the retry table, row by row, for every operation ----------------------------------------


def _failure(kind: str) -> dict[str, Any]:
    return {
        "refused": {
            "exception": aiohttp.ClientConnectorError(
                aiohttp.client_reqrep.ConnectionKey("h", 1, False, True, None, None, None),
                OSError(111, "refused"),
            )
        },
        "429": {"status": 429, "body": "{}"},
        "503": {"status": 503, "body": "{}"},
        "408": {"status": 408, "body": "{}"},
        "500": {"status": 500, "body": "{}"},
        "502": {"status": 502, "body": "{}"},
        "504": {"status": 504, "body": "{}"},
        "read timeout": {"exception": asyncio.TimeoutError()},
        "disconnect": {"exception": aiohttp.ServerDisconnectedError()},
        "400": {"status": 400, "body": "{}"},
        "403": {"status": 403, "body": "{}"},
    }[kind]


ALWAYS_RETRIED = ["refused", "429", "503"]
AMBIGUOUS = ["408", "500", "502", "504", "read timeout", "disconnect"]
NEVER = ["400", "403"]


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
    retried = kind in ALWAYS_RETRIED or (kind in AMBIGUOUS and name not in SENDS_MESSAGE)
    if retried:
        envelope = await call(client)
        assert envelope.attempts == 2
        assert len(calls(mocked, method, path)) == 2
    else:
        with pytest.raises(errors.DingError) as info:
            await call(client)
        assert info.value.attempts == 1
        assert len(calls(mocked, method, path)) == 1, "sent again without being asked to"


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", AMBIGUOUS)
@pytest.mark.parametrize("where", ["client", "call"])
async def test_message_sends_retry_ambiguous_failures_only_when_opted_in(
    mocked: aioresponses, kind: str, where: str
) -> None:
    register(mocked, "POST", "/authentication", repeat=False, **_failure(kind))
    register(mocked, "POST", "/authentication", payload=AUTH_OK)
    client_opts: dict[str, Any] = {"retry_ambiguous": True} if where == "client" else {}
    call_opts: dict[str, Any] = {"retry_ambiguous": True} if where == "call" else {}
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL, **FAST, **client_opts) as client:
        envelope = await client.otp.create_authentication(request=CREATE, **call_opts)
    assert envelope.attempts == 2


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


# --- options reach the request ----------------------------------------------------------------


def _kwargs(m: aioresponses, method: str, path: str) -> dict[str, Any]:
    return dict(calls(m, method, path)[-1].kwargs)


@pytest.mark.parametrize("style", ["async", "sync"])
def test_client_and_call_options_reach_the_request(mocked: aioresponses, style: str) -> None:
    register(mocked, "POST", "/authentication", payload=AUTH_OK)
    client_opts: dict[str, Any] = {
        "timeout": 7.0,
        "connect_timeout": 2.0,
        "headers": {"x-client": "1"},
        "user_agent": "ua/1",
    }
    call_opts: dict[str, Any] = {"timeout": 3.0, "connect_timeout": 1.0, "headers": {"x-call": "2"}}

    async def run(client: ding.AsyncDing) -> None:
        await client.otp.create_authentication(request=CREATE)
        await client.otp.create_authentication(request=CREATE, **call_opts)
        await client.otp.create_authentication(request=CREATE, timeout_ms=1500)

    if style == "async":

        async def main() -> None:
            async with ding.AsyncDing(
                api_key="key-1", server_url=BASE_URL, **client_opts
            ) as client:
                await run(client)

        asyncio.run(main())
    else:
        with ding.Ding(api_key="key-1", server_url=BASE_URL, **client_opts) as sync:
            sync.otp.create_authentication(request=CREATE)
            sync.otp.create_authentication(request=CREATE, **call_opts)
            sync.otp.create_authentication(request=CREATE, timeout_ms=1500)
    first, second, third = (dict(r.kwargs) for r in calls(mocked, "POST", "/authentication"))
    assert first["timeout"].total == 7.0
    assert first["timeout"].connect == 2.0
    assert first["headers"]["x-client"] == "1"
    assert first["headers"]["user-agent"] == "ua/1"
    assert first["headers"]["x-api-key"] == "key-1"
    assert second["timeout"].total == 3.0
    assert second["timeout"].connect == 1.0
    assert second["headers"]["x-call"] == "2"
    assert second["headers"]["x-client"] == "1"
    assert third["timeout"].total == 1.5


@pytest.mark.asyncio
async def test_callable_key_is_read_per_call(mocked: aioresponses) -> None:
    register(mocked, "GET", f"/authentication/{AUTH_UUID}", payload={})
    keys = iter(["k1", "k2"])
    async with ding.AsyncDing(api_key=lambda: next(keys), server_url=BASE_URL) as client:
        await client.otp.get_authentication_status(auth_uuid=AUTH_UUID)
        await client.otp.get_authentication_status(auth_uuid=AUTH_UUID, headers={"x-id": "2"})
    sent = [
        r.kwargs["headers"]["x-api-key"]
        for r in calls(mocked, "GET", f"/authentication/{AUTH_UUID}")
    ]
    assert sent == ["k1", "k2"]


@pytest.mark.asyncio
@pytest.mark.parametrize("spelling", ["x-api-key", "X-Api-Key", "X-API-KEY"])
async def test_a_second_key_header_is_refused(mocked: aioresponses, spelling: str) -> None:
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL) as client:
        with pytest.raises(errors.ValidationError, match="x-api-key"):
            await client.otp.get_authentication_status(
                auth_uuid=AUTH_UUID, headers={spelling: "forged"}
            )
    with pytest.raises(errors.ValidationError, match="x-api-key"):
        ding.AsyncDing(api_key="k", server_url=BASE_URL, headers={spelling: "forged"})
    assert not mocked.requests


@pytest.mark.asyncio
async def test_lookup_sends_customer_uuid_header_and_repeated_type(
    mocked: aioresponses, client: ding.AsyncDing
) -> None:
    mocked.get(
        BASE_URL + "/lookup/%2B1234567890?type=cnam",
        response_class=MOCKED_RESPONSE_CLASS,
        payload={"line_type": "Mobile", "caller_name": "ACME"},
    )
    res = await client.lookup.lookup(PHONE, CUSTOMER_UUID, type_=[ding.operations.Type.CNAM])
    assert res.lookup_response is not None
    assert res.lookup_response.caller_name == "ACME"
    sent = mocked.requests[("GET", URL(BASE_URL + "/lookup/%2B1234567890?type=cnam"))][0].kwargs
    assert sent["headers"]["customer-uuid"] == CUSTOMER_UUID


@pytest.mark.asyncio
async def test_deadline_bounds_the_whole_call(mocked: aioresponses) -> None:
    register(mocked, "GET", f"/authentication/{AUTH_UUID}", status=503, body="{}")
    slow = RetryConfig("backoff", BackoffStrategy(400, 400, 1, 60000), True)
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL, retry_config=slow) as client:
        started = asyncio.get_running_loop().time()
        with pytest.raises(errors.SDKError):
            await client.otp.get_authentication_status(auth_uuid=AUTH_UUID, deadline=0.5)
        elapsed = asyncio.get_running_loop().time() - started
    assert elapsed < 2.0  # stops at the 0.5 s deadline, not at the 60 s max_elapsed_time
    sent = calls(mocked, "GET", f"/authentication/{AUTH_UUID}")
    assert len(sent) >= 1
    # Each attempt's own timeout shrinks to what is left of the deadline.
    assert all(call.kwargs["timeout"].total <= 0.5 for call in sent)
    assert sent[-1].kwargs["timeout"].total < sent[0].kwargs["timeout"].total or len(sent) == 1


# --- validation happens before any I/O --------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "call",
    [
        lambda cl: cl.otp.create_authentication(
            request={"customer_uuid": "x", "phone_number": PHONE}
        ),
        lambda cl: cl.otp.create_authentication(
            request={"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "phne": 1}
        ),
        lambda cl: cl.otp.create_authentication(request="not a request"),
        lambda cl: cl.otp.get_authentication_status(auth_uuid="../../admin"),
        lambda cl: cl.lookup.lookup(phone_number="12345", customer_uuid=CUSTOMER_UUID),
        lambda cl: cl.lookup.lookup(phone_number=PHONE, customer_uuid="nope"),
        lambda cl: cl.lookup.lookup(phone_number=PHONE, customer_uuid=CUSTOMER_UUID, type_="cnom"),
        lambda cl: cl.otp.check(
            request={
                "customer_uuid": CUSTOMER_UUID,
                "authentication_uuid": AUTH_UUID,
                "check_code": "1",
            },
            timeout=-1,
        ),
        lambda cl: cl.otp.check(
            request={
                "customer_uuid": CUSTOMER_UUID,
                "authentication_uuid": AUTH_UUID,
                "check_code": "1",
            },
            timout=1,
        ),
        lambda cl: cl.otp.check(
            request={
                "customer_uuid": CUSTOMER_UUID,
                "authentication_uuid": AUTH_UUID,
                "check_code": "1",
            },
            headers={"a": "b\r\nc"},
        ),
    ],
)
async def test_bad_input_fails_before_io(
    mocked: aioresponses, client: ding.AsyncDing, call: Any
) -> None:
    with pytest.raises(errors.ValidationError):
        await call(client)
    assert not mocked.requests


def test_constructor_refuses_bad_settings() -> None:
    with pytest.raises(errors.ValidationError, match="api_key"):
        ding.AsyncDing(api_key="abc\r\nX-Evil: 1")
    with pytest.raises(errors.ValidationError, match="server_url"):
        ding.AsyncDing(api_key="k", server_url="ftp://x")
    with pytest.raises(errors.ValidationError, match="server_idx"):
        ding.AsyncDing(api_key="k", server_idx=3)
    with pytest.raises(errors.ValidationError, match="client"):
        ding.AsyncDing(api_key="k", client=object())


def test_environment_supplies_key_and_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DING_API_KEY", "env-key")
    monkeypatch.setenv("DING_SERVER_URL", "http://127.0.0.1:1/v1/")
    client = ding.AsyncDing()
    assert client.server_url == "http://127.0.0.1:1/v1"
    assert ding.AsyncDing(server_idx=0).server_url == "https://api.ding.live/v1"
    templated = ding.AsyncDing(server_url="http://127.0.0.1:{port}/v1", url_params={"port": "8"})
    assert templated.server_url == "http://127.0.0.1:8/v1"


def test_plain_http_to_a_remote_host_warns() -> None:
    with pytest.warns(errors.InsecureTransportWarning):
        ding.AsyncDing(api_key="k", server_url="http://api.example.com/v1")


# --- errors survive pickle and never show the key ----------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        errors.SDKError("m", 500, "body", None, headers={"a": "b"}, retry_after=1.0, attempts=3),
        errors.ErrorResponse(
            errors.Code.BAD_REQUEST, "msg", "https://d", status_code=400, body="{}", attempts=2
        ),
        errors.RateLimitError("slow", 429, "", None, retry_after=30.0, attempts=1),
        errors.ValidationError("phone_number", "an E.164 number", got="int 5"),
        errors.APITimeoutError("t", attempts=2),
        errors.ResponseValidationError("bad json", 200, "{", None),
    ],
)
def test_errors_pickle(error: errors.DingError) -> None:
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error)
    assert str(clone) == str(error)
    assert vars(clone) == vars(error)


@pytest.mark.asyncio
async def test_key_never_in_reprs_or_errors(mocked: aioresponses) -> None:
    register(mocked, "POST", "/authentication", status=500, body="{}")
    async with ding.AsyncDing(api_key="sk-SECRET", server_url=BASE_URL) as client:
        with pytest.raises(errors.SDKError) as info:
            await client.otp.create_authentication(request=CREATE)
        texts = [
            repr(client),
            repr(client.otp),
            repr(client._transport),
            str(info.value),
            repr(info.value),
        ]
    assert not any("sk-SECRET" in t for t in texts)
    with pytest.raises(errors.ValidationError) as bad:
        ding.AsyncDing(api_key="sk-SECRET\n")
    assert "sk-SECRET" not in str(bad.value)
