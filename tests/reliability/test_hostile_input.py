"""Hostile input, both directions.

Requests: hypothesis generates inputs for every operation (valid, nearly valid and absurd);
each must end as `errors.ValidationError` before any I/O, or as a request -- as the server
received it -- that the spec accepts (checked by `_spec`, derived from the OpenAPI document).
Path parameters carrying `/`, `..`, `?`, `#`, `%` or non-ASCII are either refused or arrive
percent-encoded on the intended path.

Responses: hypothesis generates statuses, content types and bodies; the pure functions
`ding._wire.decode_response` / `error_for_status` must give an envelope or a DingError --
never another exception -- and a few go through a real socket too.
"""

from __future__ import annotations

import asyncio
import json
import pickle
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ding
from ding import _endpoints as endpoints
from ding import _wire
from ding.models import components, errors, operations

from . import _spec
from ._actions import reply
from ._ops import API_KEY, AUTH_UUID, CUSTOMER_UUID, FAST, OPS
from ._servers import ScriptServer

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    database=None,  # no .hypothesis/ directory left behind by CI runs
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[ScriptServer, ding.Ding]]:
    """One server and one sync client for all examples (a client per example would be slow)."""
    with (
        ScriptServer() as srv,
        ding.Ding(api_key=API_KEY, server_url=srv.url, max_retries=0, timeout=5) as client,
    ):
        yield srv, client


def send(live: tuple[ScriptServer, ding.Ding], call: Any) -> tuple[Any, list[Any]]:
    """Run `call(client)`; return (its result or ValidationError, requests the server saw)."""
    srv, client = live
    srv.clear()
    try:
        result: Any = call(client)
    except errors.ValidationError as exc:
        assert isinstance(exc, ValueError)
        assert exc.attempts == 0
        assert srv.requests == [], "a ValidationError must be raised before any I/O"
        return exc, []
    return result, srv.requests


def assert_spec_accepts(requests: list[Any]) -> None:
    assert len(requests) == 1, requests
    found = _spec.request_problems(requests[0])
    assert not found, f"sent a request the spec rejects: {found}\n{requests[0]}"


# --- strategies for request values -----------------------------------------------------------

# Digits and a plus sign that look right but are not ASCII (str.isdigit() says yes to them).
ARABIC_INDIC_PHONE = "+" + "".join(chr(0x0660 + int(d)) for d in "14155550123")
FULLWIDTH_PLUS_PHONE = "\uff0b14155550123"
GOOD_UUID = st.uuids().map(str)
ODD_UUIDS = st.one_of(
    st.uuids().map(lambda u: str(u).upper()),
    st.uuids().map(lambda u: u.hex),  # bare hex, no dashes
    st.uuids().map(lambda u: "{" + str(u) + "}"),
    st.uuids().map(lambda u: u.urn),
    st.uuids().map(lambda u: " " + str(u) + "\n"),
    st.uuids(),  # a uuid.UUID object, which the SDK documents as accepted
)
GOOD_PHONE = st.from_regex(r"\+[1-9][0-9]{1,14}", fullmatch=True)
ODD_PHONES = st.one_of(
    st.from_regex(r"\+?[0-9 ()\-.]{0,20}", fullmatch=True),
    st.sampled_from(
        [
            "+1 415 555 0123",
            "14155550123",
            "+0123456789",
            "+1234567890123456",
            ARABIC_INDIC_PHONE,
            "+14155550123\n",
            "+14155550123/../x",
            "+1%32",
            FULLWIDTH_PLUS_PHONE,
            "+",
        ]
    ),
)
WEIRD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.binary(max_size=10),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
TEXT = st.one_of(st.text(max_size=40), st.sampled_from(["", "\x00", "\r\n", "é" * 10, "🤖"]))


def uuid_values() -> st.SearchStrategy[Any]:
    return st.one_of(GOOD_UUID, GOOD_UUID, ODD_UUIDS, WEIRD)


def phone_values() -> st.SearchStrategy[Any]:
    return st.one_of(GOOD_PHONE, GOOD_PHONE, ODD_PHONES, WEIRD)


def text_values() -> st.SearchStrategy[Any]:
    return st.one_of(TEXT, TEXT, WEIRD)


def enum_values(enum: Any) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(list(enum)),
        st.sampled_from([m.value for m in enum]),
        st.sampled_from([m.value.upper() for m in enum] + [m.value.lower() for m in enum]),
        WEIRD,
    )


FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "customer_uuid": uuid_values(),
    "authentication_uuid": uuid_values(),
    "phone_number": phone_values(),
    "check_code": text_values(),
    "ip": st.one_of(
        st.ip_addresses(v=4).map(str),
        st.ip_addresses(v=6).map(str),
        st.sampled_from(["256.1.1.1", "01.2.3.4", "1.2.3", "localhost"]),
        WEIRD,
    ),
    "callback_url": st.one_of(
        st.sampled_from(
            [
                "https://example.com/hook",
                "http://a.b/c?d#e",
                "ftp://x/y",
                "https:///nohost",
                "javascript:alert(1)",
                "//example.com",
            ]
        ),
        WEIRD,
    ),
    "device_type": enum_values(components.DeviceType),
    "is_returning_user": st.one_of(st.booleans(), WEIRD),
    "status": enum_values(components.FeedbackRequestStatus),
}
for _name in (
    "device_id",
    "app_version",
    "app_realm",
    "os_version",
    "device_model",
    "template_id",
    "correlation_id",
    "sender_id",
    "locale",
):
    FIELD_VALUES[_name] = text_values()

REQUIRED = {
    "create_authentication": ("customer_uuid", "phone_number"),
    "check": ("customer_uuid", "authentication_uuid", "check_code"),
    "feedback": ("customer_uuid", "phone_number", "status"),
    "retry": ("customer_uuid", "authentication_uuid"),
}
MODELS = {
    "create_authentication": components.CreateAuthenticationRequest,
    "check": components.CreateCheckRequest,
    "feedback": components.FeedbackRequest,
    "retry": components.RetryAuthenticationRequest,
}


@st.composite
def request_dicts(draw: st.DrawFn, op: str) -> dict[str, Any]:
    import attrs

    names = [f.name for f in attrs.fields(MODELS[op])]
    data: dict[str, Any] = {}
    for name in names:
        required = name in REQUIRED[op]
        # Required fields are usually present; optional ones usually absent.
        if draw(st.booleans()) if not required else draw(st.integers(0, 9)) > 0:
            data[name] = draw(FIELD_VALUES[name])
    if draw(st.integers(0, 19)) == 0:
        data[draw(st.sampled_from(["extra", "customerUuid", "x-api-key"]))] = "1"
    return data


# --- requests: ValidationError or a spec-accepted request ------------------------------------


@pytest.mark.parametrize("op", sorted(MODELS))
@pytest.mark.parametrize("form", ["dict", "model"])
def test_generated_bodies_are_refused_or_accepted_by_the_spec(
    live: tuple[ScriptServer, ding.Ding], op: str, form: str
) -> None:
    @SETTINGS
    @given(data=request_dicts(op))
    def check(data: dict[str, Any]) -> None:
        def call(client: ding.Ding) -> Any:
            method = getattr(client.otp, op)
            if form == "model":
                known = {k: v for k, v in data.items() if k in MODELS[op].__annotations__}
                if any(name not in known for name in REQUIRED[op]):
                    # As with the official dataclasses: a missing field is a TypeError when
                    # building (nothing is sent); any value builds, the call checks it.
                    with pytest.raises(TypeError):
                        MODELS[op](**known)
                    raise errors.ValidationError("request", "every required field")
                return method(request=MODELS[op](**known))
            return method(request=data)

        result, requests = send(live, call)
        if not isinstance(result, errors.ValidationError):
            assert_spec_accepts(requests)

    check()


UUID_FORMS = {
    "canonical": AUTH_UUID,
    "upper": AUTH_UUID.upper(),
    "uuid-object": uuid.UUID(AUTH_UUID),
    "bare-hex": uuid.UUID(AUTH_UUID).hex,
    "braces": "{" + AUTH_UUID + "}",
    "urn": uuid.UUID(AUTH_UUID).urn,
}
UUID_PLACES = {
    "check.customer_uuid": lambda c, u: c.otp.check(
        request={"customer_uuid": u, "authentication_uuid": AUTH_UUID, "check_code": "1"}
    ),
    "retry.authentication_uuid": lambda c, u: c.otp.retry(
        request={"customer_uuid": CUSTOMER_UUID, "authentication_uuid": u}
    ),
    "get_authentication_status.auth_uuid": lambda c, u: c.otp.get_authentication_status(u),
    "lookup.customer_uuid": lambda c, u: c.lookup.lookup("+14155550123", u),
}


@pytest.mark.parametrize("form", sorted(UUID_FORMS))
@pytest.mark.parametrize("place", sorted(UUID_PLACES))
def test_uuid_spellings_are_refused_or_sent_in_spec_form(
    live: tuple[ScriptServer, ding.Ding], form: str, place: str
) -> None:
    """uuid.UUID() parses braces, URNs and bare hex; the API takes only the 8-4-4-4-12 form.
    The SDK must refuse them or send the canonical text, not pass them through."""
    value = UUID_FORMS[form]
    result, requests = send(live, lambda c: UUID_PLACES[place](c, value))
    if not isinstance(result, errors.ValidationError):
        assert_spec_accepts(requests)


@pytest.mark.parametrize("request_value", [None, [], "customer_uuid=x", 42, object(), b"{}"])
def test_a_request_that_is_not_a_model_or_mapping(
    live: tuple[ScriptServer, ding.Ding], request_value: Any
) -> None:
    result, _ = send(live, lambda c: c.otp.check(request=request_value))
    assert isinstance(result, errors.ValidationError)


@SETTINGS
@given(auth_uuid=st.one_of(uuid_values(), st.text(max_size=50)))
@example(auth_uuid="../../etc/passwd")
@example(auth_uuid=str(uuid.UUID(AUTH_UUID)).upper())
@example(auth_uuid="{" + AUTH_UUID + "}")
@example(auth_uuid="urn:uuid:" + AUTH_UUID)
@example(auth_uuid=uuid.UUID(AUTH_UUID))
def test_generated_auth_uuids(live: tuple[ScriptServer, ding.Ding], auth_uuid: Any) -> None:
    result, requests = send(live, lambda c: c.otp.get_authentication_status(auth_uuid=auth_uuid))
    if not isinstance(result, errors.ValidationError):
        assert_spec_accepts(requests)


LOOKUP_TYPES = st.one_of(
    st.none(),
    st.sampled_from(list(operations.Type)),
    st.just("cnam"),
    st.lists(st.sampled_from(["cnam", operations.Type.CNAM]), max_size=3),
    WEIRD,
)


@SETTINGS
@given(phone=phone_values(), customer=uuid_values(), type_=LOOKUP_TYPES)
@example(
    phone="+14155550123", customer="c9f826e0-deca-41ec-871f-ecd6e8efeb46\r\nX-Evil: 1", type_=None
)
def test_generated_lookups(
    live: tuple[ScriptServer, ding.Ding], phone: Any, customer: Any, type_: Any
) -> None:
    result, requests = send(
        live, lambda c: c.lookup.lookup(phone_number=phone, customer_uuid=customer, type_=type_)
    )
    if not isinstance(result, errors.ValidationError):
        assert_spec_accepts(requests)


# Each must be refused, or reach the server as one percent-encoded path segment.
PATH_ATTACKS = [
    "../../etc/passwd",
    "..",
    ".",
    "a/b",
    "/",
    "?x=1",
    "#frag",
    "%2e%2e",
    "%2F",
    "%00",
    "%",
    "é",
    "日本語",
    " ",
    "",
    "\x00",
    "+14155550123/../../authentication",
    "+14155550123?type=cnam",
    "+14155550123#x",
    "+1415%35550123",
    ARABIC_INDIC_PHONE,
    AUTH_UUID + "/..",
    AUTH_UUID + "?x",
    AUTH_UUID + "#",
    "{" + AUTH_UUID + "}",
    "urn:uuid:" + AUTH_UUID,
]


@pytest.mark.parametrize("value", PATH_ATTACKS)
@pytest.mark.parametrize("where", ["auth_uuid", "phone_number"])
@pytest.mark.parametrize("style", ["sync", "async"])
def test_path_parameters_cannot_change_the_path(
    server: ScriptServer, value: str, where: str, style: str
) -> None:
    async def call_async() -> Any:
        async with ding.AsyncDing(api_key=API_KEY, server_url=server.url, **FAST) as client:
            return await call(client)

    def call(client: Any) -> Any:
        if where == "auth_uuid":
            return client.otp.get_authentication_status(auth_uuid=value)
        return client.lookup.lookup(phone_number=value, customer_uuid=CUSTOMER_UUID)

    try:
        if style == "sync":
            with ding.Ding(api_key=API_KEY, server_url=server.url, **FAST) as client:
                call(client)
        else:
            asyncio.run(call_async())
    except errors.ValidationError as exc:
        assert exc.attempts == 0 and server.requests == []
        return
    except errors.DingError:
        pass  # reached the server; what it saw is what matters below
    (seen,) = server.requests
    prefix = "/v1/authentication/" if where == "auth_uuid" else "/v1/lookup/"
    assert seen.path == prefix + quote(value, safe=""), seen.raw_path
    assert "?" not in seen.raw_path and "#" not in seen.raw_path
    assert unquote(seen.path[len(prefix) :]) == value


# --- responses: an envelope or a DingError, nothing else -----------------------------------

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
    import attrs

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
    assert isinstance(getattr(env, endpoint.payload_field), endpoint.response_model)
    repr(env)


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
    assert isinstance(err, errors.SDKError)
    assert err.status_code == status and err.attempts == 2
    assert len(str(err)) < 2000
    repr(err)
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is type(err) and copy.status_code == status
    if isinstance(err, errors.ErrorResponse):
        assert err.code is None or isinstance(err.code, (errors.Code, str))


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
                [None, "0", "abc", "-1", "3600", "Wed, 21 Oct 2015 07:28:00 GMT"]
            ),
        )
        def check(status: int, content_type: str, body: bytes, retry_after: str | None) -> None:
            headers = {} if retry_after is None else {"Retry-After": retry_after}
            srv.script(reply(status, body, headers, content_type=content_type))
            try:
                env = op.invoke(client)
            except errors.DingError as exc:
                assert exc.attempts == 1
                return
            assert 200 <= env.status_code < 300

        check()
