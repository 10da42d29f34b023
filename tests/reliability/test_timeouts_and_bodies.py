"""Retry-After, deadlines, servers that never answer, and 2xx/5xx bodies that are not what the
API promises, through a real socket. Real waits are kept to a second or two, and only where
the wait is the point.

What this layer adds to the unit tests (test_retry_limits.py: each limit where it alone
decides; test_wire.py: which exception and which message each answer becomes) is the real
thing: headers and bodies read off a connection by aiohttp, waits measured on the server's
side, both calling styles. Where the operation does not change what is tested, a POST
(check) and a GET (lookup) stand for all six.
"""

from __future__ import annotations

import json
import pickle
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest

from ding.models import components, errors

from ._actions import api_error, default_body, hang, http_response, raw, reply, slow
from ._ops import FAST, MAX_RETRIES, OPS, OPS_BY_NAME, POST_OPS, STYLES, Op, run_op
from ._servers import ScriptServer, SilentListener

CHECK = OPS_BY_NAME["check"]
CREATE = OPS_BY_NAME["create_authentication"]
# A GET: retried after a timeout or a 5xx (a POST is not), so the retry-bounding tests use it.
LOOKUP = OPS_BY_NAME["lookup"]

PROXY_502_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def http_date(seconds_from_now: float) -> str:
    when = datetime.now(timezone.utc) + timedelta(seconds=seconds_from_now)
    return format_datetime(when, usegmt=True)


def gap(server: ScriptServer) -> float:
    """Seconds between the first and second request the server received."""
    first, second = server.requests[:2]
    return second.received - first.received


# --- Retry-After --------------------------------------------------------------------------


# One status per style keeps the real one-second waits to two.
@pytest.mark.parametrize(("style", "status"), [("sync", 429), ("async", 503)])
def test_retry_after_seconds_is_waited_for(server: ScriptServer, style: str, status: int) -> None:
    """A sending operation too: 429/503 mean the server did not act, so the retry is safe."""
    server.script(api_error(status, Retry_After="1"))
    out = run_op(style, CREATE, server.url, FAST)
    assert out.error is None, repr(out.error)
    assert out.value.attempts == 2
    assert 0.95 <= gap(server) < 2.0


@pytest.mark.parametrize("style", STYLES)
def test_retry_after_http_date_is_waited_for(server: ScriptServer, style: str) -> None:
    # An HTTP date has whole-second resolution: aim at the first whole second at least 0.5 s
    # away. The client owes a wait until that date from when the 429 reaches it, which a busy
    # machine may delay: the bounds are taken from the server's clock, not the test's start.
    now, started = datetime.now(timezone.utc), time.monotonic()
    target = (now + timedelta(seconds=1.5)).replace(microsecond=0)
    server.script(api_error(429, Retry_After=format_datetime(target, usegmt=True)))
    out = run_op(style, CHECK, server.url, FAST)
    assert out.error is None, repr(out.error)
    assert out.value.attempts == 2
    until_date = (target - now).total_seconds()
    first, second = server.requests[:2]
    assert second.received - started >= until_date - 0.1, "retried before the date"
    # ...and not much after it: the wait ends at the date (at most the date's distance from
    # the first request's arrival, plus a busy machine's scheduling).
    assert gap(server) < until_date - (first.received - started) + 1.0


@pytest.mark.parametrize("style", STYLES)
def test_retry_after_http_date_in_the_past_retries_at_once(
    server: ScriptServer, style: str
) -> None:
    server.script(api_error(503, Retry_After=http_date(-3600)))
    out = run_op(style, CHECK, server.url, FAST)
    assert out.error is None and out.value.attempts == 2
    assert gap(server) < 0.5


RETRY_AFTER_FORMS = {
    "seconds": lambda s: str(int(s)),
    "http-date": http_date,
}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("form", sorted(RETRY_AFTER_FORMS))
def test_retry_after_beyond_cap_raises_at_once(
    server: ScriptServer, style: str, status: int, form: str
) -> None:
    server.always(api_error(status, Retry_After=RETRY_AFTER_FORMS[form](3600)))
    out = run_op(style, CHECK, server.url, FAST)
    assert type(out.error) is errors.RateLimitError, repr(out.error)
    assert out.error.retry_after is not None
    assert 3590 <= out.error.retry_after <= 3601
    assert out.error.attempts == 1 and server.count() == 1
    assert out.elapsed < 2.0  # raised, not slept (3600 s)


@pytest.mark.parametrize("style", STYLES)
def test_retry_after_beyond_deadline_raises_at_once(server: ScriptServer, style: str) -> None:
    """Within the cap (60 s) but past the deadline: waiting could only end in a timeout."""
    server.always(api_error(429, Retry_After="20"))
    out = run_op(style, CHECK, server.url, {**FAST, "deadline": 3})
    assert type(out.error) is errors.RateLimitError, repr(out.error)
    assert out.error.retry_after == 20
    assert server.count() == 1 and out.elapsed < 2.0


@pytest.mark.parametrize("style", STYLES)
def test_rate_limit_error_survives_pickle(server: ScriptServer, style: str) -> None:
    server.always(api_error(429, Retry_After="3600"))
    err = run_op(style, CHECK, server.url, FAST).error
    assert isinstance(err, errors.RateLimitError)
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is errors.RateLimitError
    assert (copy.status_code, copy.retry_after, copy.attempts) == (429, 3600, 1)


# --- deadlines and servers that never answer -----------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", OPS, ids=str)
def test_server_that_never_answers_times_out(style: str, op: Op) -> None:
    """Accepts the connection, never reads, never writes: the attempt timeout ends it."""
    with SilentListener() as listener:
        out = run_op(style, op, listener.url, {**FAST, "max_retries": 0, "timeout": 0.2})
    assert isinstance(out.error, errors.APITimeoutError), repr(out.error)
    assert isinstance(out.error, TimeoutError)
    assert out.error.__cause__ is not None
    assert out.error.attempts == 1
    assert 0.15 <= out.elapsed < 1.5


@pytest.mark.parametrize("style", STYLES)
def test_deadline_bounds_retries_of_a_hanging_server(server: ScriptServer, style: str) -> None:
    """Unlimited retries, 0.2 s attempts, 0.7 s overall: stops near 0.7 s, whatever the count."""
    server.always(hang())
    out = run_op(
        style, LOOKUP, server.url, {**FAST, "max_retries": None, "timeout": 0.2, "deadline": 0.7}
    )
    assert isinstance(out.error, errors.APITimeoutError), repr(out.error)
    assert 0.6 <= out.elapsed < 1.5
    assert out.error.attempts == server.count() >= 3


@pytest.mark.parametrize("style", STYLES)
def test_deadline_shortens_a_long_attempt(server: ScriptServer, style: str) -> None:
    server.always(hang())
    out = run_op(style, CHECK, server.url, {**FAST, "timeout": 30, "deadline": 0.4})
    assert isinstance(out.error, errors.APITimeoutError), repr(out.error)
    assert 0.35 <= out.elapsed < 1.5
    assert out.error.attempts == server.count() == 1


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", POST_OPS, ids=str)
def test_deadline_never_resends_a_post(server: ScriptServer, style: str, op: Op) -> None:
    server.always(hang())
    out = run_op(
        style, op, server.url, {**FAST, "max_retries": None, "timeout": 0.2, "deadline": 0.7}
    )
    assert isinstance(out.error, errors.APITimeoutError)
    assert out.error.attempts == server.count() == 1
    assert out.elapsed < 1.5  # one 0.2 s attempt, never a second


@pytest.mark.parametrize("style", STYLES)
def test_deadline_with_repeated_500s_counts_every_attempt(server: ScriptServer, style: str) -> None:
    server.always(api_error(500))
    out = run_op(style, LOOKUP, server.url, {**FAST, "max_retries": None, "deadline": 0.3})
    assert isinstance(out.error, errors.DingError), repr(out.error)
    assert out.elapsed < 2.0
    assert out.error.attempts == server.count() > 3


@pytest.mark.parametrize("style", STYLES)
def test_per_call_timeout_overrides_client(server: ScriptServer, style: str) -> None:
    """Client says 30 s per attempt; the call says 0.2 s; the call wins."""
    server.always(hang())
    out = run_op(
        style, CHECK, server.url, {**FAST, "timeout": 30}, {"timeout": 0.2, "max_retries": 0}
    )
    assert isinstance(out.error, errors.APITimeoutError)
    assert out.elapsed < 2.0


@pytest.mark.parametrize("style", STYLES)
def test_slow_but_healthy_answer_within_timeout(server: ScriptServer, style: str) -> None:
    server.always(slow(0.3))
    out = run_op(style, CHECK, server.url, {**FAST, "timeout": 2})
    assert out.error is None and out.value.attempts == 1


# --- bodies that are not what the API promises --------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", [CHECK, LOOKUP], ids=str)
def test_html_502_from_a_proxy_is_an_sdk_error(server: ScriptServer, style: str, op: Op) -> None:
    server.always(reply(502, PROXY_502_PAGE, content_type="text/html"))
    out = run_op(style, op, server.url, FAST)
    err = out.error
    assert type(err) is errors.SDKError, repr(err)  # not ErrorResponse: no error object
    assert err.status_code == 502
    assert "502 Bad Gateway" in err.body and "502 Bad Gateway" in str(err)
    expected = MAX_RETRIES + 1 if op.idempotent else 1
    assert err.attempts == server.count() == expected


BAD_200_BODIES: dict[str, tuple[bytes, str]] = {
    "malformed-json": (b'{"authentication_uuid": "5f6a", "status": pending}', "application/json"),
    "truncated-json": (b'{"authentication_uuid": "5f6ae5a1-8b3e-4b59', "application/json"),
    "empty": (b"", "application/json"),
    "not-json-html": (b"<html><body>OK</body></html>", "text/html"),
    "json-but-text-plain": (b'{"status": "valid"}', "text/plain"),
    "json-array": (b"[1, 2, 3]", "application/json"),
    "json-string": (b'"valid"', "application/json"),
    "json-null": (b"null", "application/json"),
    "not-utf8": (b'{"status": "\xff\xfe"}', "application/json"),
    "nan": (b'{"remaining_retry": NaN}', "application/json"),
    "deeply-nested": (b"[" * 200_000 + b"]" * 200_000, "application/json"),
}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", [CHECK, LOOKUP], ids=str)
@pytest.mark.parametrize("case", sorted(BAD_200_BODIES))
def test_bad_200_body_is_a_response_validation_error(
    server: ScriptServer, style: str, op: Op, case: str
) -> None:
    """Never a JSONDecodeError/RecursionError/TypeError; never retried (the server answered)."""
    body, content_type = BAD_200_BODIES[case]
    server.always(reply(200, body, content_type=content_type))
    out = run_op(style, op, server.url, FAST)
    err = out.error
    if case == "nan" and err is None:
        return  # Python's json accepts NaN; a tolerant decode is fine too
    assert type(err) is errors.ResponseValidationError, repr(err)
    assert err.status_code == 200
    assert not isinstance(err, json.JSONDecodeError)
    assert err.attempts == server.count() == 1
    assert len(str(err)) < 2000


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", [CHECK, LOOKUP], ids=str)
def test_garbage_instead_of_http(server: ScriptServer, style: str, op: Op) -> None:
    server.always(raw(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"))
    out = run_op(style, op, server.url, FAST)
    assert isinstance(out.error, errors.DingError), repr(out.error)
    assert out.error.attempts == server.count()


LARGE = 8 * 1024 * 1024


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", [CREATE, OPS_BY_NAME["lookup"]], ids=str)
def test_very_large_200_body_decodes(server: ScriptServer, style: str, op: Op) -> None:
    def big(method: str, path: str) -> bytes:
        return json.dumps({**default_body(method, path), "padding": "x" * LARGE}).encode()

    async def act(conn: Any, seen: Any) -> bool:
        await conn.send(http_response(200, big(seen.method, seen.path)))
        return True

    server.always(act)
    out = run_op(style, op, server.url, FAST)
    assert out.error is None, repr(out.error)
    assert getattr(out.value, op.payload_field) is not None
    assert out.elapsed < 10


@pytest.mark.parametrize("style", STYLES)
def test_very_large_error_body_is_kept_but_not_printed_whole(
    server: ScriptServer, style: str
) -> None:
    server.always(reply(502, "<p>" + "x" * LARGE + "</p>", content_type="text/html"))
    out = run_op(style, CREATE, server.url, FAST)
    assert type(out.error) is errors.SDKError
    assert len(out.error.body) >= LARGE
    assert len(str(out.error)) < 1000
    assert len(repr(out.error)) < 2000


# --- what the API may add: unknown fields and enum values ----------------------------------

FUTURE_BODIES: dict[str, dict[str, Any]] = {
    "create_authentication": {
        "authentication_uuid": "5f6ae5a1-8b3e-4b59-a5d6-0c0f6a7a1f0e",
        "status": "queued_for_carrier",
        "created_at": "2024-01-01T00:00:00Z",
        "brand_new_field": {"nested": [1, 2, 3]},
    },
    "check": {"authentication_uuid": "x", "status": "valid_but_suspicious", "score": 0.3},
    "feedback": {"uuid": "u", "received": True},
    "retry": {"status": "deferred", "remaining_retry": 1, "channel": "voice"},
    "get_authentication_status": {
        "uuid": "u",
        "signals": {"device_type": "VISIONOS", "new_signal": 1},
        "events": [
            {"type": "attempt", "status": "queued", "capability": "carrier_pigeon"},
            {"type": "check", "status": "valid_on_second_try"},
            {"type": "delivery_status", "status": "read_receipt"},
            {"type": "balance_update", "balance_update_type": "refund", "amount": 0.01},
            {"type": "voice_call", "duration": 12},
        ],
        "risk": {"level": "low"},
    },
    "lookup": {"phone_number": "+14155550123", "line_type": "Hologram", "roaming": False},
}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", OPS, ids=str)
def test_unknown_fields_and_enum_values_decode(server: ScriptServer, style: str, op: Op) -> None:
    server.always(reply(200, FUTURE_BODIES[op.name]))
    out = run_op(style, op, server.url, FAST)
    assert out.error is None, repr(out.error)
    payload = getattr(out.value, op.payload_field)
    if op.name == "get_authentication_status":
        assert payload.signals.device_type == "VISIONOS"
        attempt, check, delivery, balance, unknown = payload.events
        assert isinstance(attempt, components.Attempt) and attempt.status == "queued"
        assert attempt.capability == "carrier_pigeon"
        assert isinstance(check, components.Check) and check.status == "valid_on_second_try"
        assert delivery.status == "read_receipt"
        assert balance.balance_update_type == "refund"
        assert isinstance(unknown, components.UnknownEvent) and unknown.type == "voice_call"
        assert unknown.data["duration"] == 12
    elif op.name == "lookup":
        assert payload.line_type == "Hologram"
        assert type(payload.line_type) is str  # kept as text, not coerced or dropped
    elif op.name != "feedback":
        expected = FUTURE_BODIES[op.name]["status"]
        assert payload.status == expected and type(payload.status) is str


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", OPS, ids=str)
def test_missing_fields_decode_as_none(server: ScriptServer, style: str, op: Op) -> None:
    server.always(reply(200, {}))
    out = run_op(style, op, server.url, FAST)
    assert out.error is None, repr(out.error)
    assert out.value.attempts == 1 and out.value.status_code == 200


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", OPS, ids=str)
def test_envelope_fields(server: ScriptServer, style: str, op: Op) -> None:
    out = run_op(style, op, server.url, FAST)
    assert out.error is None, repr(out.error)
    env = out.value
    assert env.status_code == 200 and env.attempts == 1
    assert env.content_type.startswith("application/json")
    assert env.raw_response is not None and env.raw_response.status == 200
