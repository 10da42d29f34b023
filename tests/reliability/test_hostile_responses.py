"""Hostile responses: hypothesis generates statuses, content types and bodies; the pure
functions `ding._wire.decode_response` / `error_for_status` must give an envelope or a
DingError -- never another exception -- and a few go through a real socket too. What is
returned is checked too: an envelope carries the body's values, an error is exactly the class
the answer maps to, with the code and message the body gave.
"""

from __future__ import annotations

import json
import pickle
from datetime import datetime
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ding
from ding import _endpoints as endpoints
from ding import _wire
from ding._retry import parse_retry_after
from ding.models import components, errors

from ._actions import reply
from ._hypothesis_settings import SETTINGS
from ._ops import API_KEY, OPS
from ._servers import ScriptServer

JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=15,
)
ANY_FIELD_VALUE = st.one_of(
    JSON,
    st.sampled_from(
        [
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:00",
            "2024-13-45T99:00:00Z",
            "yesterday",
            "",
            "valid",
            "pending",
            "Mobile",
            "cnam",
        ]
    ),
)
EVENT = st.fixed_dictionaries(
    {},
    optional={
        "type": st.one_of(
            st.sampled_from(
                ["attempt", "check", "delivery_status", "balance_update", "voice_call"]
            ),
            JSON,
        ),
        "status": ANY_FIELD_VALUE,
        "created_at": ANY_FIELD_VALUE,
        "attempt_number": ANY_FIELD_VALUE,
        "amount": ANY_FIELD_VALUE,
        "capability": ANY_FIELD_VALUE,
        "balance_update_type": ANY_FIELD_VALUE,
    },
)


def shaped_like(model: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with the model's field names and anything at all as values."""
    optional: dict[str, st.SearchStrategy[Any]] = {
        f.name: ANY_FIELD_VALUE for f in attrs.fields(model)
    }
    if model is components.AuthenticationStatusResponse:
        optional["events"] = st.one_of(st.lists(EVENT, max_size=4), JSON)
        optional["signals"] = st.one_of(shaped_like(components.Signals), JSON)
    optional["unknown_future_field"] = JSON
    return st.fixed_dictionaries({}, optional=optional)


ENDPOINTS = (
    endpoints.CREATE_AUTHENTICATION,
    endpoints.CHECK,
    endpoints.FEEDBACK,
    endpoints.RETRY,
    endpoints.GET_AUTHENTICATION_STATUS,
    endpoints.LOOKUP,
)


class Blob(bytes):
    """Bytes with a short repr, so hypothesis can report a 100 kB example readably."""

    def __repr__(self) -> str:
        return f"Blob({bytes(self[:12])!r} ... {len(self)} bytes)"


def bodies_for(endpoint: Any) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=200),
        st.text(max_size=100).map(str.encode),
        JSON.map(lambda v: json.dumps(v).encode()),
        shaped_like(endpoint.response_model).map(lambda v: json.dumps(v).encode()),
        shaped_like(endpoint.response_model).map(
            lambda v: json.dumps(v, ensure_ascii=False).encode("utf-16")
        ),
        st.sampled_from(
            [
                b"",
                b"null",
                b"\xff\xfe\x00",
                b'{"status": NaN}',
                b'{"status": Infinity}',
                b"1e999999",
            ]
        ),
        # Nesting deep enough to exhaust the recursion limit of a naive decoder.
        st.sampled_from(
            [
                Blob(b"[" * 100_000),
                Blob(b'{"a":' * 50_000),
                Blob(b"[" * 5_000 + b"]" * 5_000),
                Blob(b'{"events":' + b"[" * 100_000),
            ]
        ),
    )


CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "text/html",
            "",
            "application/problem+json",
            "text/plain",
            "application/jsonx",
        ]
    ),
    st.text(max_size=30),
)
HEADERS = st.dictionaries(
    st.sampled_from(["Retry-After", "Content-Type", "X-Request-Id"]),
    st.text(max_size=40),
    max_size=3,
)


# One test across all endpoints (drawn) rather than one per endpoint: same coverage, and
# hypothesis' per-test overhead is paid once.
@settings(SETTINGS, max_examples=300)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    status=st.integers(200, 299),
    content_type=CONTENT_TYPES,
    attempts=st.integers(1, 5),
    data=st.data(),
)
def test_decode_response_gives_an_envelope_or_a_ding_error(
    endpoint: Any, status: int, content_type: str, attempts: int, data: st.DataObject
) -> None:
    body = data.draw(bodies_for(endpoint), label="body")
    try:
        env = _wire.decode_response(
            endpoint,
            status=status,
            content_type=content_type,
            body=body,
            raw=None,
            attempts=attempts,
        )
    except errors.DingError as exc:
        assert isinstance(exc, errors.ResponseValidationError), repr(exc)
        assert exc.status_code == status and exc.attempts == attempts
        str(exc), repr(exc)
        pickle.loads(pickle.dumps(exc))
        return
    assert isinstance(env, endpoint.envelope)
    assert env.status_code == status and env.attempts == attempts
    payload = getattr(env, endpoint.payload_field)
    assert isinstance(payload, endpoint.response_model)
    assert_carries_the_body(payload, json.loads(body))
    repr(env)


def assert_carries_the_body(payload: Any, data: Any) -> None:
    """Every text, number and boolean of the body is in the payload as sent (an enum member's
    value, an unknown enum value as the text itself); every date is timezone-aware."""
    assert isinstance(data, dict)
    for field in attrs.fields(type(payload)):
        value = getattr(payload, field.name)
        if field.name not in data or data[field.name] is None:
            assert value is None or value == [] or field.name == "data", (field.name, value)
        elif isinstance(value, datetime):
            assert value.tzinfo is not None, (field.name, value)
        elif isinstance(data[field.name], (str, int, float, bool)):
            assert getattr(value, "value", value) == data[field.name], (field.name, value)


# The generated cases above reach these only by chance; a decoder that recurses per nesting
# level fails on them every time, so they are also pinned here.
DEEP_BODIES = {
    "deep-array": b"[" * 100_000 + b"]" * 100_000,
    "deep-object": b'{"a":' * 50_000,
    "deep-unclosed": b"[" * 100_000,
    "deep-in-events": b'{"events":' + b"[" * 100_000,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.operation_id)
@pytest.mark.parametrize("case", sorted(DEEP_BODIES))
def test_deeply_nested_json_is_a_ding_error(endpoint: Any, case: str) -> None:
    body = DEEP_BODIES[case]
    with pytest.raises(errors.ResponseValidationError):
        _wire.decode_response(
            endpoint,
            status=200,
            content_type="application/json",
            body=body,
            raw=None,
            attempts=1,
        )
    err = _wire.error_for_status(
        status=500, body=body, headers={}, raw=None, attempts=1, retry_after=None
    )
    assert type(err) is errors.SDKError


ERROR_OBJECTS = st.fixed_dictionaries(
    {},
    optional={
        "code": st.one_of(st.sampled_from([c.value for c in errors.Code]), JSON),
        "message": JSON,
        "doc_url": JSON,
    },
).map(lambda v: json.dumps(v).encode())


@settings(SETTINGS, max_examples=200)
@given(
    status=st.integers(300, 599),
    body=st.one_of(bodies_for(endpoints.CHECK), ERROR_OBJECTS),
    headers=HEADERS,
    retry_after=st.one_of(st.none(), st.floats(0, 1e9)),
)
def test_error_for_status_gives_an_sdk_error(
    status: int, body: bytes, headers: dict[str, str], retry_after: Any
) -> None:
    err = _wire.error_for_status(
        status=status, body=body, headers=headers, raw=None, attempts=2, retry_after=retry_after
    )
    assert err.status_code == status and err.attempts == 2
    assert err.retry_after == retry_after and err.headers == headers
    assert len(str(err)) < 2000
    repr(err)
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is type(err) and copy.status_code == status
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        data = None
    api_error = isinstance(data, dict) and ("code" in data or "message" in data)
    if status == 429 or (status == 503 and retry_after is not None):
        assert type(err) is errors.RateLimitError
    elif api_error:
        assert type(err) is errors.ErrorResponse
        code, message = data.get("code"), data.get("message")
        assert err.message == (message if isinstance(message, str) else "")
        expected_code = None if code is None else str(code)
        assert (getattr(err.code, "value", err.code)) == expected_code
    else:
        assert type(err) is errors.SDKError


@pytest.mark.parametrize("op", OPS, ids=str)
def test_generated_answers_through_a_real_socket(op: Any) -> None:
    """A few of the above end to end: whatever the server says, a DingError or an envelope."""
    with (
        ScriptServer() as srv,
        ding.Ding(api_key=API_KEY, server_url=srv.url, max_retries=0, timeout=5) as client,
    ):
        endpoint = next(e for e in ENDPOINTS if e.payload_field == op.payload_field)

        @settings(SETTINGS, max_examples=25)
        @given(
            status=st.sampled_from(
                [200, 201, 202, 299, 400, 401, 404, 408, 418, 429, 500, 502, 503, 504, 599]
            ),
            content_type=st.sampled_from(["application/json", "text/html", "text/plain"]),
            body=bodies_for(endpoint).filter(lambda b: len(b) < 10_000),
            retry_after=st.sampled_from(
                [
                    None,
                    "0",
                    "abc",
                    "-1",
                    "3600",
                    "Wed, 21 Oct 2015 07:28:00 GMT",
                    "Wed, 21 Oct 2015 07:28:00 -0000",
                    "Wed, 21 Oct 2015 07:28:00 +0000",
                    "Wed, 21 Oct 2099 07:28:00 -0000",
                ]
            ),
        )
        def check(status: int, content_type: str, body: bytes, retry_after: str | None) -> None:
            headers = {} if retry_after is None else {"Retry-After": retry_after}
            srv.script(reply(status, body, headers, content_type=content_type))
            try:
                env = op.invoke(client)
            except errors.DingError as exc:
                assert exc.attempts == 1
                if isinstance(exc, errors.SDKError) and exc.status_code in (429, 503):
                    # The wait the server asked for, whatever the form of its date.
                    expected = parse_retry_after(retry_after)
                    assert exc.retry_after == expected or (
                        expected is not None and abs(exc.retry_after - expected) < 60
                    ), (retry_after, exc.retry_after)
                return
            assert 200 <= env.status_code < 300 and env.status_code == status

        check()
