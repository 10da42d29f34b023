"""Hostile requests: hypothesis generates inputs for every operation (valid, nearly valid and
absurd); each must end as `errors.ValidationError` before any I/O, or as a request -- as the
server received it -- that the spec accepts (checked by `_spec`, derived from the OpenAPI
document). Path parameters carrying `/`, `..`, `?`, `#`, `%` or non-ASCII are either refused
or arrive percent-encoded on the intended path.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import ding
from ding import _endpoints as endpoints
from ding.models import errors

from . import _spec
from ._hypothesis_settings import SETTINGS
from ._ops import API_KEY, AUTH_UUID, CUSTOMER_UUID, FAST
from ._request_values import (
    ARABIC_INDIC_PHONE,
    LOOKUP_TYPES,
    MODELS,
    REQUIRED,
    phone_values,
    request_dicts,
    uuid_values,
)
from ._servers import ScriptServer


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


def assert_names_a_field_the_spec_refuses(
    exc: errors.ValidationError, op: str, data: dict[str, Any]
) -> None:
    """The error names the field that is wrong: one given with a value the spec refuses, a
    required one missing, or one the model does not have."""
    field = exc.field
    if field in data:
        schema = _spec.spec()["components"]["schemas"][MODELS[op].__name__]["properties"][field]
        assert _spec.problems(schema, data[field]), (
            f"refused {field}={data[field]!r}, which the spec accepts"
        )
    else:
        unknown = field.removeprefix("request.")
        assert field in REQUIRED[op] or (unknown in data and unknown != field), field


# The boundary cases hypothesis may not draw in a run, given to every run.
BOUNDARY_BODIES = {
    "create_authentication": [
        {"customer_uuid": CUSTOMER_UUID + "; DROP", "phone_number": "+14155550123"},
        {"customer_uuid": CUSTOMER_UUID, "phone_number": "+1"},
        {"customer_uuid": CUSTOMER_UUID, "phone_number": "+1234567890123456"},
        {"customer_uuid": CUSTOMER_UUID, "phone_number": "+12"},
        {"customer_uuid": CUSTOMER_UUID, "phone_number": "+12", "callback_url": "https:///h"},
        {"customer_uuid": CUSTOMER_UUID, "phone_number": "+12", "callback_url": "http://h"},
    ],
    "check": [
        {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": AUTH_UUID + "\n", "check_code": ""},
        {"customer_uuid": CUSTOMER_UUID[:-1], "authentication_uuid": AUTH_UUID, "check_code": "1"},
    ],
    "feedback": [
        {"customer_uuid": CUSTOMER_UUID, "phone_number": "+14155550123x", "status": "onboarded"},
    ],
    "retry": [{"customer_uuid": CUSTOMER_UUID, "authentication_uuid": AUTH_UUID + "; DROP"}],
}


def assert_spec_accepts(requests: list[Any]) -> None:
    assert len(requests) == 1, requests
    found = _spec.request_problems(requests[0])
    assert not found, f"sent a request the spec rejects: {found}\n{requests[0]}"


@pytest.mark.parametrize("op", sorted(MODELS))
@pytest.mark.parametrize("form", ["dict", "model"])
def test_generated_bodies_are_refused_or_accepted_by_the_spec(
    live: tuple[ScriptServer, ding.Ding], op: str, form: str
) -> None:
    @SETTINGS
    @given(data=request_dicts(op))
    def check(data: dict[str, Any]) -> None:
        built = False

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
                nonlocal built
                built = True
                return method(request=MODELS[op](**known))
            return method(request=data)

        result, requests = send(live, call)
        if not isinstance(result, errors.ValidationError):
            assert_spec_accepts(requests)
        elif form == "dict" or built:
            assert_names_a_field_the_spec_refuses(result, op, data)

    for boundary in BOUNDARY_BODIES[op]:
        check = example(data=boundary)(check)
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


@pytest.mark.parametrize("value", [".", "..", "a=b", "urn:x:y", "%2e%2e", "a/b"])
def test_the_transport_sends_the_path_it_built_unchanged(server: ScriptServer, value: str) -> None:
    """Below the request rules (which refuse these values), the transport itself sends the URL
    as built: no dot segment resolved, no segment re-encoded."""

    async def main() -> None:
        async with ding.AsyncDing(api_key=API_KEY, server_url=server.url, **FAST) as client:
            # What the server answered does not matter here.
            with contextlib.suppress(errors.DingError):
                await client._transport.send(
                    endpoints.LOOKUP, {}, path_params={"phone_number": value}
                )

    asyncio.run(main())
    assert [seen.raw_path for seen in server.requests] == ["/v1/lookup/" + quote(value, safe="")]


@pytest.mark.parametrize("style", ["sync", "async"])
def test_a_key_read_per_call_sends_the_real_path(server: ScriptServer, style: str) -> None:
    """A callable api_key and path parameters: the request is completed with the real URL
    (the template is what instrumentation sees, never what is sent)."""

    def key() -> str:
        return API_KEY

    if style == "sync":
        with ding.Ding(api_key=key, server_url=server.url, **FAST) as client:
            client.lookup.lookup(phone_number="+14155550123", customer_uuid=CUSTOMER_UUID)
    else:

        async def main() -> None:
            async with ding.AsyncDing(api_key=key, server_url=server.url, **FAST) as client:
                await client.lookup.lookup(phone_number="+14155550123", customer_uuid=CUSTOMER_UUID)

        asyncio.run(main())
    assert [seen.path for seen in server.requests] == ["/v1/lookup/%2B14155550123"]
