"""What hypothesis draws as request values for the hostile-input tests: valid, nearly valid
and absurd values for every field of every operation, with the boundary cases (a valid value
with trailing text, numbers of every length, URLs without a host) among them."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import strategies as st

from ding.models import components, operations

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
    # A valid UUID with something after or before it, or one character short.
    st.tuples(st.uuids(), st.sampled_from(["; DROP", "\n", "0", "/..", "?x=1"])).map(
        lambda p: str(p[0]) + p[1]
    ),
    st.uuids().map(lambda u: "x" + str(u)),
    st.uuids().map(lambda u: str(u)[:-1]),
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
            "+1",  # one digit: E.164 needs 2 to 15
            "+12",  # the shortest valid number
            "+123456789012345",  # the longest valid number
            "+14155550123; DROP",
        ]
    ),
    # Numbers of every other length, too short or too long.
    st.from_regex(r"\+[1-9][0-9]{15,20}", fullmatch=True),
    st.from_regex(r"\+[1-9]", fullmatch=True),
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
                "http://",
                "https://?token=x",
                "http:#frag",
                "https:/one-slash",
                "javascript:alert(1)",
                "//example.com",
                "http://h",
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


LOOKUP_TYPES = st.one_of(
    st.none(),
    st.sampled_from(list(operations.Type)),
    st.just("cnam"),
    st.lists(st.sampled_from(["cnam", operations.Type.CNAM]), max_size=3),
    WEIRD,
)
