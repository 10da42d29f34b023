"""What instrumentation, hooks, logs and error trackers get from a call, against the fake
(issue 17), without any tracing package: an aiohttp ``TraceConfig`` sees what OpenTelemetry's
and Sentry's aiohttp integrations see; the frames of a raised error are what Sentry reads.

- trace configs get the URL template and no ``x-api-key``; the wire gets both, and
  ``raw_response.url`` is the real URL -- with ding's sessions, a ``session_factory``'s and a
  ``session=`` of yours;
- hooks get redacted events in order, and one that raises is logged, not raised;
- each log record names the operation and carries the fields the CLI reads;
- no frame of ding or aiohttp in a raised error's tracebacks holds the number, the code or
  the key in a variable (requests given as dicts; models mask their own reprs).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import traceback
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

import ding
from ding.models import errors
from ding.testing import FakeDing

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
KEY = "sk_live_" + secrets.token_hex(12)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeDing]:
    with FakeDing.running(send_rate_limit=None, code_length=10) as running:
        yield running


@pytest.fixture(autouse=True)
def _fresh(fake: FakeDing) -> None:
    fake.reset()


def _phone() -> str:
    return "+336" + str(secrets.randbelow(10**8)).zfill(8)


def _tracer(seen: list[tuple[str, dict[str, str]]]) -> aiohttp.TraceConfig:
    async def on_start(_s: object, _c: object, params: aiohttp.TraceRequestStartParams) -> None:
        seen.append((str(params.url), dict(params.headers)))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    return trace


async def _six_calls(client: ding.AsyncDing, phone: str, fake: FakeDing) -> list[Any]:
    sent = await client.otp.create_authentication(
        {"customer_uuid": CUSTOMER, "phone_number": phone}
    )
    auth = str(sent.create_authentication_response.authentication_uuid)
    code = fake.last_code(phone)
    check = {"customer_uuid": CUSTOMER, "authentication_uuid": auth, "check_code": code}
    return [
        sent,
        await client.otp.check(check),
        await client.otp.retry({"customer_uuid": CUSTOMER, "authentication_uuid": auth}),
        await client.otp.feedback(
            {"customer_uuid": CUSTOMER, "phone_number": phone, "status": "onboarded"}
        ),
        await client.otp.get_authentication_status(auth),
        await client.lookup.lookup(phone, CUSTOMER),
    ]


@pytest.mark.parametrize("session_kind", ["ding's", "session_factory", "session="])
def test_trace_configs_see_templates_and_no_key_while_the_wire_gets_both(
    fake: FakeDing, session_kind: str
) -> None:
    seen: list[tuple[str, dict[str, str]]] = []
    phone = _phone()

    def session() -> aiohttp.ClientSession:
        return aiohttp.ClientSession(trace_configs=[_tracer(seen)])

    async def main() -> list[Any]:
        if session_kind == "ding's":
            options: dict[str, Any] = {"trace_configs": [_tracer(seen)]}
        elif session_kind == "session_factory":
            options = {"session_factory": session}
        else:
            options = {"session": session()}
        try:
            async with ding.AsyncDing(KEY, server_url=fake.url, **options) as client:
                return await _six_calls(client, phone, fake)
        finally:
            if "session" in options:
                await options["session"].close()

    envelopes = asyncio.run(main())
    assert len(seen) == 6
    everything = repr(seen)
    assert phone[1:] not in everything and KEY not in everything
    assert "/v1/lookup/{phone_number}" in everything
    assert "/v1/authentication/{auth_uuid}" in everything
    received = fake.requests
    assert [r.headers["x-api-key"] for r in received] == [KEY] * 6
    assert received[-1].raw_path == "/v1/lookup/" + phone.replace("+", "%2B")
    lookup = envelopes[-1].raw_response
    assert lookup.url == fake.url + "/lookup/" + phone.replace("+", "%2B")
    assert lookup.request.url == lookup.url
    assert lookup.request.headers["x-api-key"] == "***"
    assert phone not in repr(lookup.aiohttp_response)


def test_hooks_get_redacted_events_in_order_and_one_that_raises_is_only_logged(
    fake: FakeDing, caplog: pytest.LogCaptureFixture
) -> None:
    events: list[tuple[str, ding.CallEvent]] = []

    def keep(name: str) -> Any:
        return lambda event: events.append((name, event))

    def broken(event: ding.CallEvent) -> None:
        raise RuntimeError("a broken hook")

    hooks = ding.Hooks(
        on_attempt_start=broken,
        on_attempt_end=keep("end"),
        on_retry=keep("retry"),
        on_give_up=keep("give up"),
    )
    phone = _phone()
    fake.fail_next(1, 503)
    with (
        caplog.at_level(logging.WARNING, logger="ding"),
        ding.Ding(KEY, server_url=fake.url, hooks=hooks, retry_config=_fast()) as client,
    ):
        assert client.lookup.lookup(phone, CUSTOMER).status_code == 200
        fake.fail_next(5, 503)
        with pytest.raises(errors.SDKError):
            client.lookup.lookup(phone, CUSTOMER, max_retries=1)
    assert [name for name, _ in events] == ["end", "retry", "end", "end", "retry", "end", "give up"]
    first_end, retry = events[0][1], events[1][1]
    assert (first_end.operation, first_end.attempt, first_end.status) == ("lookup.lookup", 1, 503)
    assert first_end.url_template == "/v1/lookup/{phone_number}"
    assert retry.wait is not None and retry.reason == "HTTP 503"
    assert events[-1][1].reason == "retries spent"
    assert phone[1:] not in repr([vars_of(e) for _, e in events])
    raised = [r for r in caplog.records if "on_attempt_start hook raised" in r.getMessage()]
    assert len(raised) == 4 and raised[0].exc_info is not None


def vars_of(event: ding.CallEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in event.__slots__}


def _fast() -> ding.RetryConfig:
    from ding.utils import BackoffStrategy

    return ding.RetryConfig("backoff", BackoffStrategy(1, 5, 1.5, 5000), True)


def test_log_records_name_the_operation_and_carry_fields(
    fake: FakeDing, caplog: pytest.LogCaptureFixture
) -> None:
    phone = _phone()
    fake.fail_next(1, 503)
    with (
        caplog.at_level(logging.DEBUG, logger="ding"),
        ding.Ding(KEY, server_url=fake.url, retry_config=_fast()) as client,
    ):
        client.lookup.lookup(phone, CUSTOMER)
    records = [r for r in caplog.records if r.name == "ding"]
    assert [r.__dict__["stage"] for r in records] == ["attempt", "retry", "attempt"]
    for record in records:
        assert record.getMessage().startswith("lookup.lookup: GET /v1/lookup/{phone_number}")
        assert record.__dict__["operation"] == "lookup.lookup"
        assert record.__dict__["url_template"] == "/v1/lookup/{phone_number}"
        assert isinstance(record.__dict__["elapsed"], float)
        assert phone[1:] not in repr(record.__dict__)
    retry = records[1].__dict__
    assert (retry["attempt"], retry["status"], retry["reason"]) == (1, 503, "HTTP 503")
    assert isinstance(retry["wait"], float)
    assert [r.__dict__["status"] for r in records if r.__dict__["stage"] == "attempt"] == [503, 200]


def _frame_texts(error: BaseException) -> list[str]:
    """repr of every variable of every ding or aiohttp frame in the error's tracebacks."""
    texts, pending, seen = [], [error], set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            module = tb.tb_frame.f_globals.get("__name__", "")
            if module.startswith(("ding.", "aiohttp.")):
                texts += [f"{module} {k}={v!r}" for k, v in tb.tb_frame.f_locals.items()]
            tb = tb.tb_next
        pending += [current.__cause__, current.__context__]
    return texts


@pytest.mark.parametrize("style", ["sync", "async"])
@pytest.mark.parametrize("fault", ["dropped", "503 give-up", "invalid input"])
def test_no_frame_of_a_raised_error_holds_the_number_the_code_or_the_key(
    fake: FakeDing, style: str, fault: str
) -> None:
    phone = _phone()
    code = str(secrets.randbelow(10**10)).zfill(10)
    auth = "8f1196d5-806e-4b71-9b24-5f96ec052808"
    check = {"customer_uuid": CUSTOMER, "authentication_uuid": auth, "check_code": code}
    caught: list[BaseException] = []

    if fault == "invalid input":  # refused before any I/O: a ValidationError
        check["authentication_uuid"] = "not-a-uuid"

    async def calls(client: Any, run: Any) -> None:
        invalid = fault == "invalid input"
        for call in (
            lambda: client.otp.check(check),
            lambda: client.otp.create_authentication(
                {"customer_uuid": "nope" if invalid else CUSTOMER, "phone_number": phone}
            ),
            lambda: client.lookup.lookup(phone, CUSTOMER, type_="nope" if invalid else None),
        ):
            if fault == "dropped":
                fake.drop_next(3)
            else:
                fake.fail_next(3, 503)
            try:
                await run(call)
            except errors.DingError as error:
                caught.append(error)
            fake.clear_faults()

    if style == "sync":
        with ding.Ding(KEY, server_url=fake.url, retry_config=_fast(), max_retries=2) as client:

            async def run_sync(call: Any) -> Any:
                return call()

            asyncio.run(calls(client, run_sync))
    else:

        async def main() -> None:
            async with ding.AsyncDing(
                KEY, server_url=fake.url, retry_config=_fast(), max_retries=2
            ) as client:

                async def run_async(call: Any) -> Any:
                    return await call()

                await calls(client, run_async)

        asyncio.run(main())
    assert len(caught) == 3
    texts = [text for error in caught for text in _frame_texts(error)]
    assert any(text.startswith("ding.") for text in texts)  # frames were looked at
    leaked = [t for t in texts if phone[1:] in t or code in t or KEY in t]
    assert leaked == []


def test_the_callers_context_variables_reach_ding_records_made_on_the_loop_thread(
    fake: FakeDing, caplog: pytest.LogCaptureFixture
) -> None:
    """Log correlation through ``contextvars`` (structlog's ``bind_contextvars`` works this
    way) crosses the facade's hop to its loop thread."""
    import contextvars
    import threading

    request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

    class Correlate(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.request_id = request_id.get()
            return True

    correlate = Correlate()
    logger = logging.getLogger("ding")
    logger.addFilter(correlate)
    try:
        with (
            caplog.at_level(logging.DEBUG, logger="ding"),
            ding.Ding(KEY, server_url=fake.url) as client,
        ):
            request_id.set("req-42")
            client.lookup.lookup(_phone(), CUSTOMER)
    finally:
        logger.removeFilter(correlate)
    (record,) = [r for r in caplog.records if r.name == "ding"]
    assert record.thread != threading.get_ident()  # made on the facade's loop thread
    assert record.__dict__["request_id"] == "req-42"


def test_hooks_are_checked_when_given() -> None:
    with pytest.raises(errors.ValidationError, match=r"hooks\.on_retry") as caught:
        ding.Hooks(on_retry=42)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    with pytest.raises(errors.ValidationError, match="hooks"):
        ding.AsyncDing("k", hooks=print)  # type: ignore[arg-type]
    with pytest.raises(AttributeError, match="read-only"):
        ding.Hooks().on_retry = print  # type: ignore[misc]


@pytest.mark.parametrize("style", ["sync", "async"])
def test_no_frame_of_a_raised_error_holds_the_proxys_credentials(style: str) -> None:
    from .._loopback import free_port

    proxy = f"http://someone:pw-{secrets.token_hex(8)}@127.0.0.1:{free_port()}"
    options: dict[str, Any] = {"proxy": proxy, "max_retries": 0}
    lookup = ("+14155550100", CUSTOMER)
    if style == "sync":
        with (
            ding.Ding(KEY, server_url="http://127.0.0.1:9/v1", **options) as client,
            pytest.raises(errors.APIConnectionError) as caught,
        ):
            client.lookup.lookup(*lookup)
    else:

        async def main() -> None:
            async with ding.AsyncDing(KEY, server_url="http://127.0.0.1:9/v1", **options) as c:
                await c.lookup.lookup(*lookup)

        with pytest.raises(errors.APIConnectionError) as caught:
            asyncio.run(main())
    texts = _frame_texts(caught.value)
    assert any(text.startswith("ding._transport") for text in texts)
    secret = proxy.split(":")[2].split("@")[0]
    assert [t for t in texts if secret in t or KEY in t] == []


@pytest.mark.asyncio
@pytest.mark.parametrize("session_kind", ["ding's", "session="])
async def test_a_connect_timeout_names_the_url_template_never_the_number(
    session_kind: str,
) -> None:
    """aiohttp puts the request's URL in a connect timeout's message (the error's cause, which
    error trackers send). On ding's sessions that URL is still the template while the
    connection is awaited; on a session of yours the middleware has completed the request by
    then, and ding writes the template over the real URL in the message. Either way the
    number is in no message of the error chain. The timeout here is the wait for the pool's
    one connection, held by a call the server never answers."""
    held = asyncio.Event()

    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.set()
        await reader.read()  # until the client closes the connection
        writer.close()

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    phone = _phone()
    own = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1))
    options: dict[str, Any] = (
        {"session": own} if session_kind == "session=" else {"connection_limit": 1}
    )
    try:
        async with ding.AsyncDing(
            api_key=KEY, server_url=f"http://127.0.0.1:{port}/v1", max_retries=0, **options
        ) as client:
            holding = asyncio.ensure_future(client.lookup.lookup(phone, CUSTOMER, timeout=30))
            await asyncio.wait_for(held.wait(), 10)
            with pytest.raises(errors.APITimeoutError) as raised:
                await client.lookup.lookup(phone, CUSTOMER, connect_timeout=0.2)
            holding.cancel()
            await asyncio.gather(holding, return_exceptions=True)
    finally:
        await own.close()
        server.close()
    text = "".join(traceback.format_exception(raised.value))
    assert "/v1/lookup/{phone_number}" in text  # the cause is aiohttp's connect timeout
    assert phone[1:] not in text and phone[4:] not in text
