"""Request building and response decoding are pure: driven here with plain values.

This is where the mapping of an answer to an exception is tabled (exact types); the transport
and reliability tests add how those answers arrive (aioresponses, a real socket, the fake)."""

from __future__ import annotations

import decimal
import json
import subprocess
import sys
import uuid
from typing import Any

import pytest

from ding import _endpoints as ep
from ding._wire import build_request, decode_response, error_for_status
from ding.models import components as c
from ding.models import errors, operations

from ..conftest import AUTH_UUID, CUSTOMER_UUID, PHONE

HEADERS = {"x-api-key": "k", "accept": "application/json"}


def test_body_is_compact_json_with_content_type() -> None:
    req = c.CreateCheckRequest(
        customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID, check_code="1234"
    )
    prepared = build_request(ep.CHECK, base_url="https://api.example/v1", headers=HEADERS, body=req)
    assert prepared.method == "POST"
    assert prepared.url == "https://api.example/v1/check"
    assert prepared.content_type == "application/json"
    assert json.loads(prepared.body or b"") == {
        "customer_uuid": CUSTOMER_UUID,
        "authentication_uuid": AUTH_UUID,
        "check_code": "1234",
    }
    assert HEADERS == {"x-api-key": "k", "accept": "application/json"}  # not mutated


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("+1234567890", "%2B1234567890"),
        ("../admin", "..%2Fadmin"),
        ("a/b?c#d%e", "a%2Fb%3Fc%23d%25e"),
        ("é", "%C3%A9"),
    ],
)
def test_path_parameters_cannot_leave_their_segment(value: str, encoded: str) -> None:
    prepared = build_request(
        ep.LOOKUP, base_url="http://h/v1", headers=HEADERS, path_params={"phone_number": value}
    )
    assert prepared.url == f"http://h/v1/lookup/{encoded}"
    assert prepared.body is None
    assert prepared.content_type is None


def test_query_parameters_repeat() -> None:
    prepared = build_request(
        ep.LOOKUP,
        base_url="http://h/v1",
        headers=HEADERS,
        path_params={"phone_number": PHONE},
        query=[("type", "cnam"), ("type", "cnam")],
    )
    assert prepared.url == "http://h/v1/lookup/%2B1234567890?type=cnam&type=cnam"


@pytest.mark.parametrize(
    ("endpoint", "path_params", "query", "path", "fixed"),
    [
        (ep.CREATE_AUTHENTICATION, None, (), "/authentication", True),
        (ep.LOOKUP, {"phone_number": PHONE}, (), "/lookup/%2B1234567890", False),
        (ep.CREATE_AUTHENTICATION, None, [("a", "b")], "/authentication", False),
    ],
)
def test_a_prepared_request_carries_what_the_transport_needs(
    endpoint: ep.Endpoint[object],
    path_params: dict[str, str] | None,
    query: list[tuple[str, str]],
    path: str,
    fixed: bool,
) -> None:
    """The path (what logs show, masked), the headers as given (the same object) and whether
    the URL is the same on every call (the transport caches its parsed form only then)."""
    prepared = build_request(
        endpoint, base_url="http://h/v1", headers=HEADERS, path_params=path_params, query=query
    )
    assert prepared.path == path and prepared.url.startswith("http://h/v1" + path)
    assert prepared.headers is HEADERS
    assert prepared.fixed_url is fixed
    assert build_request(endpoint, base_url="http://h", headers=None).headers is None


def _decode(body: bytes, content_type: str = "application/json", raw: Any = None) -> Any:
    return decode_response(
        ep.CREATE_AUTHENTICATION,
        status=200,
        content_type=content_type,
        body=body,
        raw=raw,
        attempts=2,
    )


def test_decode_fills_the_envelope() -> None:
    raw = _Raw()
    env = _decode(
        b'{"authentication_uuid": "%s", "status": "pending"}' % AUTH_UUID.encode(), raw=raw
    )
    assert isinstance(env, operations.CreateAuthenticationResponse)
    assert env.raw_response is raw
    assert env.status_code == 200
    assert env.content_type == "application/json"
    assert env.attempts == 2
    assert env.create_authentication_response is not None
    assert env.create_authentication_response.status is c.CreateAuthenticationResponseStatus.PENDING


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"authentication_uuid": "x"', "application/json"),
        (b"<html>hi</html>", "text/html"),
        (b"[1, 2]", "application/json"),
        (b'{"created_at": "yesterday"}', "application/json"),
        (b"", "application/json"),
    ],
)
def test_a_2xx_that_is_not_the_promised_json_is_an_sdk_error(
    body: bytes, content_type: str
) -> None:
    raw = _Raw()
    with pytest.raises(errors.ResponseValidationError) as info:
        _decode(body, content_type, raw)
    err = info.value
    assert type(err) is errors.ResponseValidationError
    assert (err.status_code, err.attempts, err.body) == (200, 2, body.decode())
    assert err.raw_response is raw and err.headers == {"X-Request-Id": "r1"}


class _Raw:
    """Stands in for the RawResponse an answer comes with."""

    headers = {"X-Request-Id": "r1"}


@pytest.mark.parametrize(
    ("body", "content_type", "says"),
    [
        (b"<html>hi</html>", "text/html", "unexpected content-type 'text/html'"),
        (b"{not json", "application/json", "response body is not valid JSON"),
        (
            b'{"created_at": "yesterday"}',
            "application/json",
            "does not match CreateAuthenticationResponse (created_at: expected",
        ),
    ],
)
def test_a_2xx_that_is_not_the_promised_json_says_what_is_wrong(
    body: bytes, content_type: str, says: str
) -> None:
    with pytest.raises(errors.ResponseValidationError) as info:
        _decode(body, content_type)
    assert says in str(info.value)


def _error(status: int, body: bytes, retry_after: float | None = None) -> errors.SDKError:
    return error_for_status(
        status=status, body=body, headers={"X": "y"}, raw=None, attempts=1, retry_after=retry_after
    )


# The one authoritative table of which exception a non-2xx answer becomes: exact types, since
# every error class is an SDKError and an isinstance check would let a wrong subclass pass.
# (status, body, Retry-After seconds, exact type, code, message: "" when the API sent none)
API_ERROR = b'{"code": "invalid_phone_number", "message": "+0 is bad", "doc_url": "https://d"}'
ERROR_TABLE = [
    (400, API_ERROR, None, errors.ErrorResponse, errors.Code.INVALID_PHONE_NUMBER, "+0 is bad"),
    (400, b'{"code": "brand_new", "message": "m"}', None, errors.ErrorResponse, "brand_new", "m"),
    (400, b'{"message": "only a message"}', None, errors.ErrorResponse, None, "only a message"),
    (400, b'{"code": "bad_request"}', None, errors.ErrorResponse, errors.Code.BAD_REQUEST, ""),
    (404, b'{"code": 7, "message": ["m"], "doc_url": 1}', None, errors.ErrorResponse, "7", ""),
    (400, b'{"doc_url": "https://d"}', None, errors.SDKError, None, None),
    (400, b'["code", "message"]', None, errors.SDKError, None, None),
    (400, b'"code"', None, errors.SDKError, None, None),
    (401, b"oops", None, errors.SDKError, None, None),
    (
        500,
        b'{"code": "internal_server_error", "message": "m"}',
        None,
        errors.ErrorResponse,
        "internal_server_error",
        "m",
    ),
    (500, b"[" * 100_000, None, errors.SDKError, None, None),  # absurd nesting: still text
    (502, b"<html><body>Bad Gateway</body></html>", None, errors.SDKError, None, None),
    (503, b"<html>Service Unavailable</html>", None, errors.SDKError, None, None),
    (503, API_ERROR, None, errors.ErrorResponse, errors.Code.INVALID_PHONE_NUMBER, "+0 is bad"),
    (503, b"busy", 0.0, errors.RateLimitError, None, None),
    (503, API_ERROR, 7.0, errors.RateLimitError, None, None),
    (429, API_ERROR, None, errors.RateLimitError, None, None),
    (429, b"", 7.0, errors.RateLimitError, None, None),
]


@pytest.mark.parametrize(
    ("status", "body", "retry_after", "kind", "code", "message"),
    ERROR_TABLE,
    ids=[f"{row[0]}-{row[3].__name__}-{i}" for i, row in enumerate(ERROR_TABLE)],
)
def test_the_exception_for_each_kind_of_answer(
    status: int,
    body: bytes,
    retry_after: float | None,
    kind: type[errors.SDKError],
    code: object,
    message: str | None,
) -> None:
    raw = object()
    err = error_for_status(
        status=status, body=body, headers={"X": "y"}, raw=raw, attempts=3, retry_after=retry_after
    )
    assert type(err) is kind
    assert (err.status_code, err.attempts, err.retry_after) == (status, 3, retry_after)
    assert err.body == body.decode() and err.headers == {"X": "y"} and err.raw_response is raw
    if isinstance(err, errors.ErrorResponse):
        assert (err.code, err.message) == (code, message)
        assert err.code is code or not isinstance(code, errors.Code)  # the member, not text
        assert err.doc_url == ("https://d" if body == API_ERROR else None)
    else:  # "API error occurred" is the official client's SDKError message
        assert err.message == (
            "Rate limited" if kind is errors.RateLimitError else "API error occurred"
        )
        assert str(err).startswith(f"{err.message}: Status {status}")


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32"]
)
def test_the_body_decodes_in_every_json_encoding_as_json_loads_does(encoding: str) -> None:
    # The UTF-8 fast path must not change what json.loads(bytes) accepts (RFC 8259 8.1).
    text = json.dumps({"authentication_uuid": AUTH_UUID, "status": "pending"})
    env = _decode(text.encode(encoding))
    assert env.create_authentication_response is not None
    assert env.create_authentication_response.authentication_uuid == AUTH_UUID


def test_a_utf8_encoded_lone_surrogate_reads_as_json_loads_reads_it() -> None:
    # json.loads(bytes) decodes UTF-8 with "surrogatepass"; the fast path must too.
    body = b'{"authentication_uuid": "\xed\xa0\x80"}'
    env = _decode(body)
    assert env.create_authentication_response is not None
    assert (
        env.create_authentication_response.authentication_uuid
        == json.loads(body)["authentication_uuid"]
    )


def test_a_value_json_cannot_write_names_its_type() -> None:
    from ding._wire import _encode_json

    with pytest.raises(TypeError, match="Object of type Decimal is not JSON serializable"):
        _encode_json({"n": decimal.Decimal(1)})


def test_a_body_that_is_not_utf8_is_a_response_validation_error() -> None:
    with pytest.raises(errors.ResponseValidationError, match="not valid JSON"):
        _decode(b'{"authentication_uuid": "\xff"}')


def test_a_uuid_assigned_after_construction_is_sent_as_text() -> None:
    req = c.CreateCheckRequest(
        customer_uuid=uuid.UUID(CUSTOMER_UUID), authentication_uuid=AUTH_UUID, check_code="1"
    )
    assert req.customer_uuid == CUSTOMER_UUID  # converted by the constructor
    req.authentication_uuid = uuid.UUID(AUTH_UUID)  # stored as given, as a dataclass would
    prepared = build_request(ep.CHECK, base_url="https://api.example/v1", headers=None, body=req)
    assert prepared.body is not None
    assert json.loads(prepared.body)["authentication_uuid"] == AUTH_UUID
    assert req.to_dict()["authentication_uuid"] == AUTH_UUID
    assert json.loads(req.to_json())["authentication_uuid"] == AUTH_UUID


@pytest.mark.parametrize(
    "value",
    [
        {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE},
        {"text": 'é \u2028 " \\ \n', "n": [1, -0.0, 1.5, 1e300, None, True, False], "o": {}},
        {},
    ],
)
def test_the_request_encoder_writes_what_json_dumps_writes(value: dict[str, object]) -> None:
    from ding._wire import _encode_json

    assert _encode_json(value) == json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def test_requests_are_encoded_through_the_public_json_api_only() -> None:
    """``json.encoder.c_make_encoder`` is CPython's private accelerator, called with internal
    positional arguments that a Python release may change: only the ``json`` module itself
    may call it. Here it refuses any other caller, in a fresh process that imports ding and
    encodes a request."""
    code = (
        "import json.encoder, sys\n"
        "private = json.encoder.c_make_encoder\n"
        "def guarded(*args):\n"
        "    caller = sys._getframe(1).f_code.co_filename\n"
        "    if not caller.endswith(('json/encoder.py', 'json\\\\encoder.py')):\n"
        "        raise RuntimeError(f'c_make_encoder called from {caller}')\n"
        "    return private(*args)\n"
        "json.encoder.c_make_encoder = guarded\n"
        "from ding import _endpoints, _wire\n"
        "from ding.models import components\n"
        "req = components.CreateCheckRequest(customer_uuid="
        f"{CUSTOMER_UUID!r}, authentication_uuid={AUTH_UUID!r}, check_code='é1')\n"
        "body = _wire.build_request(_endpoints.CHECK, base_url='http://h', headers=None,"
        " body=req).body\n"
        "assert json.loads(body)['check_code'] == 'é1', body\n"
        "assert b' ' not in body, body\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_prepared_request_shows_its_template_never_its_values() -> None:
    """What instrumentation and a repr see: the URL template (never a phone number), the
    size of the body (never its content)."""
    lookup = build_request(
        ep.LOOKUP, base_url="http://h/v1", headers=None, path_params={"phone_number": PHONE}
    )
    assert lookup.template == "http://h/v1/lookup/{phone_number}"
    assert repr(lookup) == "PreparedRequest(GET http://h/v1/lookup/{phone_number}, no body)"
    req = c.CreateCheckRequest(
        customer_uuid=CUSTOMER_UUID, authentication_uuid=AUTH_UUID, check_code="1234"
    )
    check = build_request(ep.CHECK, base_url="http://h/v1", headers=None, body=req)
    assert check.template == check.url == "http://h/v1/check"
    assert check.body is not None
    assert (
        repr(check) == f"PreparedRequest(POST http://h/v1/check, body of {len(check.body)} bytes)"
    )
