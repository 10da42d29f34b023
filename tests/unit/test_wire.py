"""Request building and response decoding are pure: driven here with plain values."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

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
    assert prepared.url.endswith("?type=cnam&type=cnam")


def _decode(body: bytes, content_type: str = "application/json") -> object:
    return decode_response(
        ep.CREATE_AUTHENTICATION,
        status=200,
        content_type=content_type,
        body=body,
        raw=None,
        attempts=2,
    )


def test_decode_fills_the_envelope() -> None:
    env = _decode(b'{"authentication_uuid": "%s", "status": "pending"}' % AUTH_UUID.encode())
    assert isinstance(env, operations.CreateAuthenticationResponse)
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
    with pytest.raises(errors.ResponseValidationError) as info:
        _decode(body, content_type)
    assert isinstance(info.value, errors.SDKError)
    assert info.value.status_code == 200
    assert info.value.attempts == 2


def _error(status: int, body: bytes, retry_after: float | None = None) -> errors.SDKError:
    return error_for_status(
        status=status, body=body, headers={"X": "y"}, raw=None, attempts=1, retry_after=retry_after
    )


def test_api_error_body_becomes_error_response() -> None:
    err = _error(
        400, b'{"code": "invalid_phone_number", "message": "+0 is bad", "doc_url": "https://d"}'
    )
    assert isinstance(err, errors.ErrorResponse)
    assert err.code is errors.Code.INVALID_PHONE_NUMBER
    assert (err.message, err.doc_url, err.status_code) == ("+0 is bad", "https://d", 400)
    assert err.headers == {"X": "y"}


def test_unknown_error_code_is_kept_as_text() -> None:
    err = _error(400, b'{"code": "brand_new", "message": "m"}')
    assert isinstance(err, errors.ErrorResponse)
    assert err.code == "brand_new"


@pytest.mark.parametrize("status", [401, 404, 500])
def test_other_statuses_map_by_body(status: int) -> None:
    assert isinstance(
        _error(status, b'{"code": "account_invalid", "message": "m"}'), errors.ErrorResponse
    )
    plain = _error(status, b"oops")
    assert type(plain) is errors.SDKError
    assert plain.body == "oops"
    assert plain.status_code == status


def test_html_502_from_a_proxy_is_a_plain_sdk_error() -> None:
    err = _error(502, b"<html><body>Bad Gateway</body></html>")
    assert type(err) is errors.SDKError
    assert "Bad Gateway" in str(err)


def test_429_is_a_rate_limit_error_with_retry_after() -> None:
    err = _error(429, b'{"code": "bad_request", "message": "slow down"}', retry_after=7.0)
    assert isinstance(err, errors.RateLimitError)
    assert err.retry_after == 7.0


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32"]
)
def test_the_body_decodes_in_every_json_encoding_as_json_loads_does(encoding: str) -> None:
    # The UTF-8 fast path must not change what json.loads(bytes) accepts (RFC 8259 8.1).
    text = json.dumps({"authentication_uuid": AUTH_UUID, "status": "pending"})
    env = _decode(text.encode(encoding))
    assert env.create_authentication_response is not None
    assert env.create_authentication_response.authentication_uuid == AUTH_UUID


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
