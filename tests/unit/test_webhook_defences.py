"""The defences of an unsigned webhook endpoint: the token in the callback URL, the bounded
deduplication store and its protocol, and the judgement behind confirmation (its reasons
exactly, since a handler logs them), with the API's answers mocked. End to end against the
fake: tests/integration/test_webhooks.py."""

from __future__ import annotations

import base64
import hmac
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aioresponses import aioresponses

import ding
from ding.models import components, errors
from ding.webhooks import (
    AsyncEventIdStore,
    AttemptEvent,
    AuthenticationEvent,
    CallbackToken,
    EventIdStore,
    RecentEventIds,
    UnknownEvent,
    confirm_event,
)
from ding.webhooks._confirm import judge

from ..conftest import BASE_URL
from ._mocked_api import register

SECRET = "Vq3kRZp0c2YbQ8y1n5mT4wXe"


# -- CallbackToken --------------------------------------------------------------------------


def test_the_url_carries_the_token_and_keeps_its_query() -> None:
    token = CallbackToken(SECRET)
    url = token.url("https://example.com/ding/hook?tenant=7&token=stale")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "example.com", "/ding/hook")
    assert parse_qs(parts.query) == {"tenant": ["7"], "token": [SECRET]}
    assert token.verify_url(url)
    assert token.verify_url(parts.path + "?" + parts.query)


def test_a_generated_token_is_random_and_long() -> None:
    a, b = CallbackToken(), CallbackToken()
    assert a.secret != b.secret
    assert len(a.secret) >= 40
    assert a.verify(a.secret) and not b.verify(a.secret)


@pytest.mark.parametrize(
    "candidate",
    [None, "", SECRET[:-1], SECRET + "x", SECRET.upper(), " " + SECRET, SECRET.encode() + b"\0"],
)
def test_anything_but_the_token_is_refused(candidate: Any) -> None:
    assert not CallbackToken(SECRET).verify(candidate)


def test_bytes_are_accepted() -> None:
    assert CallbackToken(SECRET).verify(SECRET.encode())


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/hook",
        "https://example.com/hook?token=",
        "https://example.com/hook?token=nope",
        f"https://example.com/hook?token=nope&token={SECRET}",
        f"https://example.com/hook?TOKEN={SECRET}",
        f"https://example.com/hook/{SECRET}",
        "http://[::1/broken",
    ],
)
def test_urls_without_exactly_the_token_are_refused(url: str) -> None:
    assert not CallbackToken(SECRET).verify_url(url)


def test_rotation_accepts_the_previous_tokens() -> None:
    old = "old-" + SECRET
    token = CallbackToken(SECRET, previous=[old])
    assert token.verify(SECRET) and token.verify(old)
    assert token.url("https://example.com/h").endswith("token=" + SECRET)
    with pytest.raises(errors.ValidationError, match="previous"):
        CallbackToken(SECRET, previous=old)  # type: ignore[arg-type]


BAD_TOKENS = ["", " " * 20, "short", b"x" * 20, "tab\there" * 3]


@pytest.mark.parametrize(
    ("field", "build"),
    [
        *(("secret", lambda bad=bad: CallbackToken(bad)) for bad in BAD_TOKENS),
        *(
            ("previous", lambda bad=bad: CallbackToken(SECRET, previous=[bad]))
            for bad in BAD_TOKENS
        ),
        ("previous", lambda: CallbackToken(SECRET, previous=[None])),  # type: ignore[list-item]
    ],
)
def test_an_empty_or_invalid_token_is_refused_naming_the_field(
    field: str, build: Callable[[], CallbackToken]
) -> None:
    """An accepted empty token would make ``verify("")`` (a request without one) true."""
    with pytest.raises(errors.ValidationError) as caught:
        build()
    assert caught.value.field == field
    assert not CallbackToken(SECRET).verify("")


SHORT = "at least 16 characters (make one with CallbackToken.generate())"


@pytest.mark.parametrize(
    ("build", "field", "expected", "got"),
    [
        (lambda: CallbackToken(5), "secret", "a string", "int"),  # type: ignore[arg-type]
        (lambda: CallbackToken("x" * 15), "secret", SHORT, "15 characters"),
        (lambda: CallbackToken(SECRET, previous=[""]), "previous", SHORT, "0 characters"),
        (
            lambda: CallbackToken(SECRET + "\t"),
            "secret",
            "printable characters without spaces",
            None,
        ),
        (
            lambda: CallbackToken(SECRET, previous=SECRET),
            "previous",
            "a collection of tokens, not a single string",
            "a str",
        ),
        (
            lambda: CallbackToken(SECRET, param=""),
            "param",
            "a non-empty query parameter name",
            None,
        ),
        (lambda: CallbackToken(SECRET, param=1), "param", "a non-empty query parameter name", None),  # type: ignore[arg-type]
        (
            lambda: CallbackToken(SECRET).url("https:///hook"),
            "base_url",
            "an absolute http(s) URL",
            "'https:///hook'",
        ),
        (
            lambda: CallbackToken(SECRET).url("ftp://h/" + "x" * 100),
            "base_url",
            "an absolute http(s) URL",
            repr(("ftp://h/" + "x" * 100)[:60]),
        ),
    ],
)
def test_each_refusal_names_the_field_what_was_expected_and_what_came(
    build: Callable[[], object], field: str, expected: str, got: str | None
) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        build()
    assert (caught.value.field, caught.value.expected, caught.value.got) == (field, expected, got)


def test_the_shortest_accepted_token_has_16_characters() -> None:
    token = CallbackToken("x" * 16, previous=["y" * 16])
    assert token.verify("x" * 16) and token.verify("y" * 16)


def test_a_generated_token_carries_256_bits() -> None:
    token = CallbackToken.generate()
    assert len(base64.urlsafe_b64decode(token + "=")) == 32


def test_the_url_keeps_blank_parameters_and_plain_http() -> None:
    url = CallbackToken(SECRET).url("http://localhost:8000/hook?flag=&tenant=7")
    assert url == f"http://localhost:8000/hook?flag=&tenant=7&token={SECRET}"


@pytest.mark.parametrize("candidate", [12345, "\udc80" + SECRET, ["list"]])
def test_a_token_that_cannot_be_read_is_refused(candidate: Any) -> None:
    assert CallbackToken(SECRET).verify(candidate) is False


@pytest.mark.parametrize(
    "query", [f"token=&token={SECRET}", f"token={SECRET}&token=", f"token={SECRET}&token"]
)
def test_a_blank_second_token_parameter_is_not_ignored(query: str) -> None:
    """Exactly one token parameter: an empty one beside the right one is still two."""
    assert not CallbackToken(SECRET).verify_url("https://example.com/hook?" + query)


def test_the_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    token = CallbackToken(SECRET, previous=["old-" + SECRET, "older-" + SECRET])
    assert token.verify(SECRET)
    # Every accepted token compared, even after the first matched: no early exit.
    assert len(compared) == 3


def test_the_secret_never_shows() -> None:
    token = CallbackToken(SECRET)
    assert SECRET not in repr(token)
    assert SECRET not in str(token)
    with pytest.raises(errors.ValidationError) as caught:
        CallbackToken("short-secret")
    assert "short-secret" not in str(caught.value)
    with pytest.raises(errors.ValidationError):
        CallbackToken(SECRET + " with spaces")


@pytest.mark.parametrize("base", ["example.com/hook", "ftp://example.com/hook", "/hook"])
def test_the_base_url_must_be_absolute_http(base: str) -> None:
    with pytest.raises(errors.ValidationError, match="base_url"):
        CallbackToken(SECRET).url(base)


def test_the_parameter_name_is_configurable() -> None:
    token = CallbackToken(SECRET, param="ding_secret")
    url = token.url("https://example.com/hook")
    assert "ding_secret=" in url and token.verify_url(url)
    assert not CallbackToken(SECRET).verify_url(url)


# -- RecentEventIds ---------------------------------------------------------------------------


def test_an_id_is_new_once() -> None:
    ids = RecentEventIds()
    assert ids.add("a") is True
    assert ids.add("a") is False
    assert "a" in ids and len(ids) == 1
    ids.discard("a")
    assert ids.add("a") is True, "a released claim lets the redelivery through"
    ids.discard("never-added")


def test_it_is_bounded_and_forgets_the_oldest() -> None:
    ids = RecentEventIds(max_size=3)
    for event_id in "abcd":
        ids.add(event_id)
    assert len(ids) == 3
    assert "a" not in ids and "d" in ids
    assert ids.add("a") is True


@pytest.mark.parametrize("size", [0, -1, 1.5, True, "10"])
def test_the_size_must_be_a_positive_integer(size: Any) -> None:
    with pytest.raises(errors.ValidationError, match="max_size") as raised:
        RecentEventIds(max_size=size)
    assert isinstance(raised.value, ValueError) and raised.value.field == "max_size"


def test_concurrent_claims_of_one_id_give_exactly_one_winner() -> None:
    ids = RecentEventIds()
    barrier = threading.Barrier(16)
    wins: list[bool] = []

    def claim() -> None:
        barrier.wait()
        wins.append(ids.add("same-id"))

    threads = [threading.Thread(target=claim) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(wins) == [False] * 15 + [True]


def test_the_protocols_describe_the_stores() -> None:
    assert isinstance(RecentEventIds(), EventIdStore)

    class RedisLike:
        async def add(self, event_id: str) -> bool:
            return True

        async def discard(self, event_id: str) -> None:
            return None

    assert isinstance(RedisLike(), AsyncEventIdStore)
    assert not isinstance(object(), EventIdStore)


# -- judging an event against the API's answer -------------------------------------------------

AUTH = "f54b6bcc-3638-4437-83c8-1f76631c9403"
CREATED = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def status(**changes: Any) -> components.AuthenticationStatusResponse:
    fields: dict[str, Any] = {
        "uuid": AUTH,
        "phone_number": "+33612345678",
        "created_at": CREATED,
        "correlation_id": "order-1",
        "events": [components.Attempt(attempt_number=1), components.Check(status="valid")],
        **changes,
    }
    return components.AuthenticationStatusResponse(**fields)


def test_matching_events_are_confirmed() -> None:
    auth = AuthenticationEvent(
        id="e", auth_uuid=AUTH.upper(), recipient_phone_number="+33612345678", time=CREATED
    )
    assert judge(auth, status())
    attempt = AttemptEvent(id="e", auth_uuid=AUTH, attempt_number=1, correlation_id="order-1")
    assert judge(attempt, status())
    assert judge(UnknownEvent(id="e", type="new", auth_uuid=AUTH), status())


@pytest.mark.parametrize(
    "claimed",
    [
        "+33xxxxxxx78",  # masked as in the guide's example
        "+xxxxxxxxxxx",  # a wildcard for every number of that length
        "+33XXXXXXXXX",
        "33612345678",
        "+33 6 12 34 56 78",
        "+33612345678\n",
        "",
    ],
)
def test_a_masked_number_never_matches(claimed: str) -> None:
    event = AuthenticationEvent(id="e", auth_uuid=AUTH, recipient_phone_number=claimed)
    for answer in (status(), status(phone_number=claimed)):  # even when masked alike
        verdict = judge(event, answer)
        assert not verdict
        assert any("recipient_phone_number" in reason for reason in verdict.reasons)


@pytest.mark.parametrize("claimed", ["+336", "+3361234567", "+336123456789", "+33612345670"])
def test_numbers_are_compared_whole(claimed: str) -> None:
    event = AuthenticationEvent(id="e", auth_uuid=AUTH, recipient_phone_number=claimed)
    verdict = judge(event, status())
    assert not verdict
    assert verdict.reasons == ("recipient_phone_number differs from the authentication's",)


@pytest.mark.parametrize(
    ("claim", "unreported"),
    [
        ({"recipient_phone_number": "+33612345678"}, {"phone_number": None}),
        ({"correlation_id": "order-1"}, {"correlation_id": None}),
    ],
)
def test_a_claim_the_api_does_not_back_is_not_confirmed(
    claim: dict[str, str], unreported: dict[str, None]
) -> None:
    event = AuthenticationEvent(id="e", auth_uuid=AUTH, **claim)
    assert judge(event, status())
    verdict = judge(event, status(**unreported))
    assert not verdict
    assert any(next(iter(claim)) in reason for reason in verdict.reasons), verdict.reasons


@pytest.mark.parametrize(
    ("event", "answer", "reasons"),
    [
        (
            AuthenticationEvent(id="e", auth_uuid=AUTH),
            None,
            ("the API answered without an authentication",),
        ),
        (
            AuthenticationEvent(id="e", auth_uuid=AUTH),
            status(uuid="3c8b3a46-881e-4cdd-93a6-f7f238bf020a"),
            ("the API answered for another authentication",),
        ),
        (
            AuthenticationEvent(id="e", auth_uuid=AUTH, correlation_id="order-2"),
            status(),
            ("correlation_id differs from the authentication's",),
        ),
        (
            AuthenticationEvent(id="e", auth_uuid=AUTH, time=CREATED - timedelta(hours=1)),
            status(),
            ("time is before the authentication was created",),
        ),
        (
            AttemptEvent(id="e", auth_uuid=AUTH, attempt_number=2),
            status(),
            ("the authentication has no attempt 2",),
        ),
        (
            AttemptEvent(id="e", auth_uuid=AUTH, attempt_number=1),
            status(events=None),
            ("the authentication has no attempt 1",),
        ),
        (
            AuthenticationEvent(
                id="e", auth_uuid=AUTH, recipient_phone_number="+33xxxxxxx78", correlation_id="x"
            ),
            status(uuid="3c8b3a46-881e-4cdd-93a6-f7f238bf020a"),
            (
                "the API answered for another authentication",
                "recipient_phone_number is not a whole E.164 number",
                "correlation_id differs from the authentication's",
            ),
        ),
    ],
)
def test_disagreements_are_named(event: Any, answer: Any, reasons: tuple[str, ...]) -> None:
    verdict = judge(event, answer)
    assert not verdict and not verdict.confirmed
    assert verdict.reasons == reasons
    assert verdict.status is answer


@pytest.mark.parametrize("early", [timedelta(seconds=30), timedelta(minutes=5)])
def test_a_little_clock_skew_is_tolerated(early: timedelta) -> None:
    """Up to five minutes, included: clocks differ."""
    event = AuthenticationEvent(id="e", auth_uuid=AUTH, time=CREATED - early)
    verdict = judge(event, status())
    assert verdict and verdict.reasons == ()


# -- confirmation through the API, its answers mocked ---------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status_code", "code"), [(404, "no_associated_auth_found"), (400, "invalid_auth_uuid")]
)
async def test_an_authentication_the_api_does_not_know_is_not_confirmed(
    mocked: aioresponses, status_code: int, code: str
) -> None:
    register(
        mocked,
        "GET",
        f"/authentication/{AUTH}",
        status=status_code,
        payload={"code": code, "message": "m"},
    )
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL) as client:
        verdict = await confirm_event(AuthenticationEvent(id="e", auth_uuid=AUTH), client)
    assert not verdict
    assert verdict.reasons == ("the API does not know this authentication",)
    assert verdict.status is None


@pytest.mark.asyncio
async def test_another_api_error_is_raised_not_judged(mocked: aioresponses) -> None:
    register(
        mocked,
        "GET",
        f"/authentication/{AUTH}",
        status=403,
        payload={"code": "suspended_account", "message": "m"},
    )
    async with ding.AsyncDing(api_key="k", server_url=BASE_URL) as client:
        with pytest.raises(errors.ErrorResponse) as info:
            await confirm_event(AuthenticationEvent(id="e", auth_uuid=AUTH), client)
    assert info.value.status_code == 403
