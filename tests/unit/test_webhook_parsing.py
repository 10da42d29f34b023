"""`ding.webhooks.parse_event`: the guide's example, every offset spelling, unknown types and
fields, strict types, masked reprs, and every kind of malformed body."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from multidict import CIMultiDict

from ding.models import components, errors
from ding.webhooks import (
    AttemptEvent,
    AuthenticationEvent,
    Price,
    UnknownEvent,
    WebhookError,
    WebhookEventType,
    parse_event,
    parse_event_time,
)
from ding.webhooks._events import event_json

# Ding's webhook guide (docs.ding.live, "Webhook"), verbatim.
GUIDE_EXAMPLE = """{
  "id": "90c7e8b2-203a-4984-ba25-6cf93d8fdbac",
  "auth_uuid": "f54b6bcc-3638-4437-83c8-1f76631c9403",
  "type": "authentication",
  "recipient_phone_number": "+33xxxxxxxx",
  "price": {
    "amount": 0.009,
    "currency": "EUR"
  },
  "time": "2023-05-09T12:09:31+0000"
}"""

PHONE = "+33612345678"


def attempt_body(**fields: Any) -> dict[str, Any]:
    return {
        "id": "5c1b2a2e-8a36-4f0e-9d0c-0e6f4b8e5f11",
        "auth_uuid": "f54b6bcc-3638-4437-83c8-1f76631c9403",
        "type": "attempt",
        "recipient_phone_number": PHONE,
        "price": {"amount": 0.03, "currency": "EUR"},
        "time": "2024-02-01T10:00:00.123+0000",
        "attempt_number": 2,
        "capability": "text",
        "status": "delivered",
        "sender_id": "ACME",
        **fields,
    }


# -- the documented events ---------------------------------------------------------------


@pytest.mark.parametrize("as_type", [str, lambda s: s.encode(), json.loads, bytearray])
def test_the_guides_example_verbatim(as_type: Any) -> None:
    body = as_type(GUIDE_EXAMPLE) if as_type is not bytearray else bytearray(GUIDE_EXAMPLE, "utf-8")
    event = parse_event(body)
    assert isinstance(event, AuthenticationEvent)
    assert event == AuthenticationEvent(
        id="90c7e8b2-203a-4984-ba25-6cf93d8fdbac",
        auth_uuid="f54b6bcc-3638-4437-83c8-1f76631c9403",
        recipient_phone_number="+33xxxxxxxx",
        price=Price(amount=0.009, currency="EUR"),
        time=datetime(2023, 5, 9, 12, 9, 31, tzinfo=timezone.utc),
    )
    assert event.type is WebhookEventType.AUTHENTICATION
    assert event.type == "authentication"
    assert isinstance(event.price, Price) and isinstance(event.price.amount, float)
    assert event.extra == {}


def test_an_attempt_event_is_typed() -> None:
    event = parse_event(json.dumps(attempt_body()))
    assert isinstance(event, AttemptEvent)
    assert event.attempt_number == 2
    assert event.capability is components.Capability.TEXT
    assert event.status is components.AttemptStatus.DELIVERED
    assert event.sender_id == "ACME"
    assert event.time == datetime(2024, 2, 1, 10, 0, 0, 123000, tzinfo=timezone.utc)
    assert event.price == Price(amount=0.03, currency="EUR")


def test_integer_amounts_and_null_fields() -> None:
    event = parse_event(attempt_body(price={"amount": 1, "currency": "USD"}, sender_id=None))
    assert isinstance(event, AttemptEvent)
    assert event.price is not None and event.price.amount == 1
    assert event.sender_id is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-05-09T12:09:31+0000", datetime(2023, 5, 9, 12, 9, 31, tzinfo=timezone.utc)),
        ("2023-05-09T12:09:31+00:00", datetime(2023, 5, 9, 12, 9, 31, tzinfo=timezone.utc)),
        ("2023-05-09T12:09:31Z", datetime(2023, 5, 9, 12, 9, 31, tzinfo=timezone.utc)),
        ("2023-05-09T12:09:31z", datetime(2023, 5, 9, 12, 9, 31, tzinfo=timezone.utc)),
        (
            "2023-05-09T14:09:31+0200",
            datetime(2023, 5, 9, 14, 9, 31, tzinfo=timezone(timedelta(hours=2))),
        ),
        (
            "2023-05-09T07:39:31-0430",
            datetime(2023, 5, 9, 7, 39, 31, tzinfo=timezone(-timedelta(hours=4, minutes=30))),
        ),
        (
            "2023-05-09T12:09:31.067887456Z",
            datetime(2023, 5, 9, 12, 9, 31, 67887, tzinfo=timezone.utc),
        ),
        ("2023-05-09T12:09:31.5+0000", datetime(2023, 5, 9, 12, 9, 31, 500000, timezone.utc)),
    ],
)
def test_every_offset_spelling_is_timezone_aware(text: str, expected: datetime) -> None:
    moment = parse_event_time(text)
    assert moment == expected
    assert moment.utcoffset() == expected.utcoffset()
    event = parse_event({"id": "e", "type": "authentication", "time": text})
    assert isinstance(event, AuthenticationEvent) and event.time == expected


# -- what this version does not know -----------------------------------------------------


def test_unknown_fields_are_kept() -> None:
    body = json.loads(GUIDE_EXAMPLE)
    body["channel"] = {"name": "sms", "phone": PHONE}
    body["price"]["tax"] = 0.001
    event = parse_event(body)
    assert isinstance(event, AuthenticationEvent)
    assert event.extra == {"channel": {"name": "sms", "phone": PHONE}}
    assert event.price is not None and event.price.extra == {"tax": 0.001}


def test_unknown_enum_values_are_kept_as_text() -> None:
    event = parse_event(attempt_body(capability="carrier_pigeon", status="lost_at_sea"))
    assert isinstance(event, AttemptEvent)
    assert (event.capability, event.status) == ("carrier_pigeon", "lost_at_sea")


def test_an_unknown_type_is_kept_whole() -> None:
    body = {
        "id": "e1",
        "type": "delivery_status",
        "auth_uuid": "f54b6bcc-3638-4437-83c8-1f76631c9403",
        "recipient_phone_number": PHONE,
        "status": "undeliverable",
    }
    event = parse_event(json.dumps(body).encode())
    assert event == UnknownEvent(
        id="e1", type="delivery_status", auth_uuid=body["auth_uuid"], data=body
    )


def test_an_unknown_type_with_fields_of_any_type_is_not_refused() -> None:
    body = {"id": "e1", "type": "future", "auth_uuid": 42, "time": False, "price": "free"}
    event = parse_event(body)
    assert isinstance(event, UnknownEvent)
    assert event.auth_uuid is None
    assert event.data == body


# -- repr: no phone number, no code ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"id": "a", "type": "authentication", "recipient_phone_number": PHONE},
        attempt_body(),
        {
            "id": "a",
            "type": "authentication",
            "recipient_phone_number": PHONE,
            "extra_contact": {"mobile": PHONE},
        },
        {"id": "u", "type": "new_kind", "recipient_phone_number": PHONE},
        {"id": "u", "type": "new_kind", "to": {"number": PHONE}},
        {"id": "u", "type": "new_kind", "numbers": [PHONE]},
    ],
)
def test_the_phone_number_is_masked_in_every_repr(body: dict[str, Any]) -> None:
    event = parse_event(body)
    text = repr(event)
    assert PHONE not in text
    assert "612345" not in text
    assert "+33" in text  # masked, not dropped: the country still shows


def test_a_code_is_never_in_a_repr() -> None:
    event = parse_event(
        {"id": "u", "type": "new_kind", "code": "482913", "content": "Your code is 482913"}
    )
    assert "482913" not in repr(event)
    assert isinstance(event, UnknownEvent) and event.data["code"] == "482913"


def test_the_values_themselves_are_not_masked() -> None:
    event = parse_event(attempt_body())
    assert isinstance(event, AttemptEvent)
    assert event.recipient_phone_number == PHONE


def test_a_phone_number_inside_free_text_is_masked_in_the_repr() -> None:
    event = parse_event({"id": "u", "type": "new_kind", "note": f"sent to {PHONE} at noon"})
    assert "612345" not in repr(event)
    assert "sent to +33" in repr(event)


NESTED = {
    "arrays": lambda depth: "[" * depth + "]" * depth,
    "objects": lambda depth: '{"a": ' * depth + "1" + "}" * depth,
}


@pytest.mark.parametrize("shape", sorted(NESTED))
@pytest.mark.parametrize("depth", [400, 800])
def test_the_repr_of_a_deeply_nested_body_is_short_and_never_raises(shape: str, depth: int) -> None:
    """A body nested as deep as ``json.loads`` takes (Python 3.10 raised RecursionError in
    the repr from a depth of about 500) gives a repr of a few lines, for an unknown event
    and for a known event's unknown fields alike."""
    nested = NESTED[shape](depth)
    unknown = parse_event(f'{{"id": "u", "type": "x", "n": {nested}, "to": "{PHONE}"}}')
    known = parse_event(f'{{"id": "a", "type": "authentication", "n": {nested}}}')
    for event in (unknown, known):
        text = repr(event)
        assert len(text) < 600, text
        assert "{...}" in text or "[...]" in text
    assert PHONE not in repr(unknown)


def test_the_repr_of_a_huge_body_is_short() -> None:
    body = {
        "id": "u",
        "type": "x",
        "many": list(range(100_000)),
        "keys": {f"k{i}": i for i in range(10_000)},
        "text": "y" * 1_000_000,
        "big": 10**5000,  # a decoded body may carry one; its repr raises ValueError on 3.11+
    }
    text = repr(parse_event(body))
    assert len(text) < 1000, text[:2000]
    assert "...(99992 more)" in text
    assert "(1000000 characters)" in text


# -- strict types: refused, never coerced --------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"price": {"amount": "0.009", "currency": "EUR"}}, "price.amount"),
        ({"price": {"amount": True, "currency": "EUR"}}, "price.amount"),
        ({"price": {"amount": 1, "currency": 978}}, "price.currency"),
        ({"price": "0.009 EUR"}, "price"),
        ({"attempt_number": "2"}, "attempt_number"),
        ({"attempt_number": 2.0}, "attempt_number"),
        ({"attempt_number": True}, "attempt_number"),
        ({"auth_uuid": ["f54b6bcc"]}, "auth_uuid"),
        ({"recipient_phone_number": 33612345678}, "recipient_phone_number"),
        ({"status": False}, "status"),
        ({"time": 1683634171}, "time"),
        ({"time": "09/05/2023 12:09"}, "time"),
        ({"time": "2023-05-09T25:09:31+0000"}, "time"),
        ({"price": {"amount": 1, "currency": "EUR"}, "correlation_id": {"a": 1}}, "correlation_id"),
    ],
)
def test_a_known_field_of_the_wrong_type_is_refused(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(WebhookError) as caught:
        parse_event(attempt_body(**fields))
    assert caught.value.field == field
    assert field in str(caught.value)
    assert PHONE not in str(caught.value)


# -- malformed bodies: always WebhookError, never a raw exception -------------------------

MALFORMED: list[tuple[str, Any]] = [
    ("empty", b""),
    ("blank", "   "),
    ("not JSON", b"id=1&type=authentication"),
    ("truncated", GUIDE_EXAMPLE[:40].encode()),
    ("trailing garbage", (GUIDE_EXAMPLE + "}").encode()),
    ("array", b"[]"),
    ("array of the event", ("[" + GUIDE_EXAMPLE + "]").encode()),
    ("string", b'"authentication"'),
    ("number", b"42"),
    ("null", b"null"),
    ("true", b"true"),
    ("invalid UTF-8 at the start", b"\xff" + GUIDE_EXAMPLE.encode()),
    ("invalid UTF-8 in a value", GUIDE_EXAMPLE.replace("EUR", "E\xffR").encode("latin-1")),
    ("invalid UTF-8 at the end", GUIDE_EXAMPLE.encode() + b"\xc3"),
    ("overlong UTF-8", GUIDE_EXAMPLE.encode().replace(b"EUR", b"E\xc0\xafR")),
    ("UTF-16", GUIDE_EXAMPLE.encode("utf-16")),
    ("lone surrogate escape", GUIDE_EXAMPLE.replace("EUR", "\\ud800").encode()),
    ("lone surrogate escape in a key", b'{"id": "a", "type": "x", "\\udfff": 1}'),
    ("lone surrogate in str", GUIDE_EXAMPLE.replace("EUR", "\udc80")),
    ("NaN", GUIDE_EXAMPLE.replace("0.009", "NaN").encode()),
    ("Infinity", GUIDE_EXAMPLE.replace("0.009", "-Infinity").encode()),
    ("deeply nested", b'{"id": "a", "type": "x", "n": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ("no id", b'{"type": "authentication"}'),
    ("no type", b'{"id": "90c7e8b2"}'),
    ("null id", b'{"id": null, "type": "authentication"}'),
    ("numeric id", b'{"id": 7, "type": "authentication"}'),
    ("empty id", b'{"id": "", "type": "authentication"}'),
    ("object type", b'{"id": "a", "type": {"name": "authentication"}}'),
    ("empty type", b'{"id": "a", "type": ""}'),
    ("mapping with a non-string key", {"id": "a", "type": "authentication", 1: "x"}),
    ("mapping with a non-JSON value", {"id": "a", "type": "x", "when": datetime.now()}),
    ("mapping with NaN", {"id": "a", "type": "x", "n": float("nan")}),
    ("None", None),
    ("an int", 42),
    ("a list", [{"id": "a", "type": "authentication"}]),
]


@pytest.mark.parametrize(("name", "body"), MALFORMED, ids=[name for name, _ in MALFORMED])
def test_a_malformed_body_is_a_webhook_error(name: str, body: Any) -> None:
    with pytest.raises(WebhookError) as caught:
        parse_event(body)
    error = caught.value
    assert isinstance(error, errors.DingError)
    assert isinstance(error, ValueError)
    assert str(error)


def test_a_utf8_bom_is_accepted() -> None:
    event = parse_event(b"\xef\xbb\xbf" + GUIDE_EXAMPLE.encode())
    assert isinstance(event, AuthenticationEvent)


def test_missing_id_names_the_field() -> None:
    with pytest.raises(WebhookError) as caught:
        parse_event(b'{"type": "authentication"}')
    assert caught.value.field == "id"
    with pytest.raises(WebhookError) as caught:
        parse_event(b'{"id": "a"}')
    assert caught.value.field == "type"


def test_webhook_error_pickles() -> None:
    with pytest.raises(WebhookError) as caught:
        parse_event(b'{"id": "a"}')
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (type(copy), str(copy), copy.field) == (WebhookError, str(caught.value), "type")


# -- headers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/json"},
        {"content-type": "application/json; charset=utf-8"},
        {"CONTENT-TYPE": 'Application/JSON; Charset="UTF-8"'},
        {"Content-Type": "application/vnd.ding.event+json"},
        {"Content-Type": ""},
        {"Content-Encoding": "identity", "User-Agent": "Ding"},
        {},
        CIMultiDict({"content-type": "application/json"}),
    ],
)
def test_headers_that_are_fine(headers: Mapping[str, str]) -> None:
    assert isinstance(parse_event(GUIDE_EXAMPLE.encode(), headers), AuthenticationEvent)


@pytest.mark.parametrize(
    ("headers", "field"),
    [
        ({"Content-Type": "text/html"}, "content-type"),
        ({"content-type": "application/x-www-form-urlencoded"}, "content-type"),
        ({"CoNtEnT-tYpE": "application/json; charset=latin-1"}, "content-type"),
        ({"Content-Type": "application/json; charset=utf-16"}, "content-type"),
        ({"content-encoding": "gzip"}, "content-encoding"),
        ({"CONTENT-ENCODING": "br"}, "content-encoding"),
    ],
)
def test_headers_are_read_case_insensitively(headers: Mapping[str, str], field: str) -> None:
    with pytest.raises(WebhookError) as caught:
        parse_event(GUIDE_EXAMPLE.encode(), headers)
    assert caught.value.field == field


def test_importing_the_webhooks_registers_nothing_in_the_models_converter() -> None:
    """``ding.webhooks`` reads its events with its own explicit readers: importing it and
    parsing every kind of event leaves the SDK's one converter as it was."""
    code = f"""
import json
from ding.models._converter import converter
calls = []
for name in dir(converter):
    if name.startswith("register_"):
        setattr(type(converter), name, lambda *a, _n=name, **k: calls.append(_n))
from ding.webhooks import parse_event
from ding.webhooks._events import event_json
for body in ({GUIDE_EXAMPLE!r}, json.dumps({attempt_body()!r}), '{{"id": "u", "type": "x"}}'):
    event_json(parse_event(body))
assert calls == [], calls
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


# -- back to JSON --------------------------------------------------------------------------


def test_an_event_unstructures_to_its_json() -> None:
    body = attempt_body(channel="sms")
    event = parse_event(body)
    data = event_json(event)
    assert data == {
        **body,
        "time": "2024-02-01T10:00:00.123000+00:00",
        "price": {"amount": 0.03, "currency": "EUR"},
    }
    again = parse_event(data)
    assert again == event
    unknown = parse_event({"id": "u", "type": "x", "a": [1]})
    assert event_json(unknown) == {"id": "u", "type": "x", "a": [1]}


def test_events_pickle() -> None:
    event = parse_event(attempt_body(extra_field=[1, 2]))
    assert pickle.loads(pickle.dumps(event)) == event
