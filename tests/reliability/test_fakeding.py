"""What the API *did* under the faults that matter for money and for users, against the
stateful `ding.testing.FakeDing`.

The retry table itself is tested once per layer elsewhere (tests/unit/test_transport_retries.py
for every outcome and operation, tests/reliability/test_fault_matrix.py on a real socket);
the fake's own fault injection is tested in tests/testing/test_fake_faults.py. What only the
fake adds is its state: how many authentications exist and how many SMS attempts each had.
"Never send two SMS" is asserted on that state for the faults where the server may have acted,
including the nastiest case -- the server sent the SMS but the answer came too late
(`delay_next(handle_first=True)`) -- and a lost answer to a check or a feedback is never turned
into `already_validated` or `duplicated_feedback_status`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import ding
from ding.models import errors
from ding.testing import FakeDing

from ._ops import API_KEY, CUSTOMER_UUID, FAST, MAX_RETRIES, PHONE, STYLES

SHORT_TIMEOUT = 0.15


@pytest.fixture(scope="module")
def module_fake() -> Iterator[FakeDing]:
    # retry_interval=0: a retry is always approved, so each one really sends an SMS.
    with FakeDing.running(send_rate_limit=None, retry_interval=0, max_retries=100) as fake:
        yield fake


@pytest.fixture(scope="module")
def seeder(module_fake: FakeDing) -> Iterator[ding.Ding]:
    """Creates the authentication each test starts from (one client for the module)."""
    with ding.Ding(api_key=API_KEY, server_url=module_fake.url) as client:
        yield client


@pytest.fixture
def fake(module_fake: FakeDing, seeder: ding.Ding) -> Iterator[FakeDing]:
    module_fake.reset()
    module_fake.seeder = seeder  # type: ignore[attr-defined]
    yield module_fake
    module_fake.reset()


@dataclass(frozen=True)
class FakeOp:
    name: str
    sends_message: bool
    idempotent: bool
    call: Callable[..., Any]
    """call(client, auth_uuid, **options)"""

    def __str__(self) -> str:
        return self.name


def _auth_request(auth: str) -> dict[str, str]:
    return {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": auth}


FAKE_OPS = (
    FakeOp(
        "create_authentication",
        True,
        False,
        lambda c, a, **o: c.otp.create_authentication(
            request={"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE}, **o
        ),
    ),
    FakeOp(
        "check",
        False,
        False,
        lambda c, a, **o: c.otp.check(request={**_auth_request(a), "check_code": "000000"}, **o),
    ),
    FakeOp(
        "feedback",
        False,
        False,
        lambda c, a, **o: c.otp.feedback(
            request={"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE, "status": "onboarded"},
            **o,
        ),
    ),
    FakeOp("retry", True, False, lambda c, a, **o: c.otp.retry(request=_auth_request(a), **o)),
    FakeOp(
        "get_authentication_status",
        False,
        True,
        lambda c, a, **o: c.otp.get_authentication_status(a, **o),
    ),
    FakeOp("lookup", False, True, lambda c, a, **o: c.lookup.lookup(PHONE, CUSTOMER_UUID, **o)),
)


def seed_authentication(fake: FakeDing) -> str:
    """One pending authentication, created before any fault is queued."""
    client: ding.Ding = fake.seeder  # type: ignore[attr-defined]
    env = client.otp.create_authentication(
        request={"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE}
    )
    auth = env.create_authentication_response.authentication_uuid
    assert auth
    return str(auth)


def sms_sent(fake: FakeDing) -> int:
    """SMS attempts the fake made, over every authentication."""
    return sum(a.attempts for a in fake.authentications())


def call(
    style: str,
    op: FakeOp,
    url: str,
    auth: str,
    client_options: dict[str, Any],
    call_options: dict[str, Any] | None = None,
) -> tuple[Any, errors.DingError | None]:
    call_options = call_options or {}
    try:
        if style == "sync":
            with ding.Ding(api_key=API_KEY, server_url=url, **client_options) as client:
                return op.call(client, auth, **call_options), None
        else:

            async def main() -> Any:
                async with ding.AsyncDing(
                    api_key=API_KEY, server_url=url, **client_options
                ) as client:
                    return await op.call(client, auth, **call_options)

            return asyncio.run(main()), None
    except errors.DingError as exc:
        return None, exc


@dataclass(frozen=True)
class FakeRow:
    id: str
    inject: Callable[[FakeDing, int, str], None]
    """inject(fake, n, operation)"""
    retried_for_posts: bool
    retried_for_gets: bool
    error: type[errors.DingError]
    options: tuple[tuple[str, Any], ...] = ()


# The faults after which the fake may have acted (a status answered before acting, the fault
# matrix's rows, would leave its state untouched): what it did must still be one SMS at most.
FAKE_ROWS = (
    FakeRow(
        "late-answer-after-acting",
        lambda f, n, p: f.delay_next(n, 3600, handle_first=True, path=p),
        False,
        True,
        errors.APITimeoutError,
        (("timeout", SHORT_TIMEOUT),),
    ),
    FakeRow("drop", lambda f, n, p: f.drop_next(n, path=p), False, True, errors.APIConnectionError),
    FakeRow(
        "reset",
        lambda f, n, p: f.drop_next(n, reset=True, path=p),
        False,
        True,
        errors.APIConnectionError,
    ),
    FakeRow(
        "close-mid-body",
        lambda f, n, p: f.close_mid_body_next(n, path=p),
        False,
        True,
        errors.APIConnectionError,
    ),
)
SENDING_OPS = [o for o in FAKE_OPS if o.sends_message]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", SENDING_OPS, ids=str)
@pytest.mark.parametrize("row", FAKE_ROWS, ids=lambda r: r.id)
def test_fake_persistent_fault(fake: FakeDing, row: FakeRow, op: FakeOp, style: str) -> None:
    auth = seed_authentication(fake)
    before_requests, before_sms = len(fake.requests_to(op.name)), sms_sent(fake)
    row.inject(fake, 10, op.name)
    value, err = call(style, op, fake.url, auth, {**FAST, **dict(row.options)})
    assert type(err) is row.error, repr(err) if err else value
    retried = row.retried_for_gets if op.idempotent else row.retried_for_posts
    expected = MAX_RETRIES + 1 if retried else 1
    seen = len(fake.requests_to(op.name)) - before_requests
    assert seen == expected and err.attempts == expected, (seen, err.attempts)
    # At most one SMS reached a phone, and only when the server acted before failing.
    assert sms_sent(fake) - before_sms <= 1


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", SENDING_OPS, ids=str)
def test_fake_late_answer_sends_exactly_one_sms(fake: FakeDing, op: FakeOp, style: str) -> None:
    """The server acted (SMS out) but answered after the client gave up: no second SMS."""
    auth = seed_authentication(fake)
    before = sms_sent(fake)
    fake.delay_next(5, 3600, handle_first=True, path=op.name)
    _, err = call(style, op, fake.url, auth, {**FAST, "timeout": SHORT_TIMEOUT})
    assert isinstance(err, errors.APITimeoutError)
    assert sms_sent(fake) - before == 1
    if op.name == "create_authentication":
        assert len(fake.authentications()) == 2  # the seed + exactly one more


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("op", SENDING_OPS, ids=str)
def test_fake_opt_in_may_send_twice(fake: FakeDing, op: FakeOp, style: str) -> None:
    """retry_ambiguous=True is the documented way to accept a possible double send."""
    auth = seed_authentication(fake)
    before = sms_sent(fake)
    fake.delay_next(1, 3600, handle_first=True, path=op.name)
    value, err = call(
        style, op, fake.url, auth, {**FAST, "timeout": SHORT_TIMEOUT}, {"retry_ambiguous": True}
    )
    assert err is None, repr(err)
    assert value.attempts == 2
    assert sms_sent(fake) - before == 2


# --- a check or a feedback whose answer is lost after the API acted ---------------------------
# The fake handles the request, then answers too late for the client (`timeout=0.5`, the
# answer comes 2 s later). A retry would ask again, and the API would answer what a second
# request gets: `already_validated` for the right code, a second attempt spent for a wrong
# one, `duplicated_feedback_status` for a feedback.

LOST_ANSWER = {**FAST, "timeout": 0.5}
FEEDBACK_OP = FAKE_OPS[2]


def check_with_a_lost_answer(
    fake: FakeDing, style: str, *, wrong: bool = False, **call_options: Any
) -> tuple[str, Any, errors.DingError | None]:
    """Seed an authentication, then check the right code (or a wrong one) while the fake
    handles the check at once and answers 2 s later."""
    auth = seed_authentication(fake)
    code = right = fake.code_for(auth)
    if wrong:
        code = "000000" if right != "000000" else "111111"

    def check(c: Any, a: str, **o: Any) -> Any:
        return c.otp.check(request={**_auth_request(a), "check_code": code}, **o)

    fake.delay_next(1, 2, handle_first=True, path="check")
    value, err = call(
        style, FakeOp("check", False, False, check), fake.url, auth, LOST_ANSWER, call_options
    )
    return auth, value, err


@pytest.mark.parametrize("style", STYLES)
def test_a_lost_answer_to_the_right_code_is_never_turned_into_already_validated(
    fake: FakeDing, style: str
) -> None:
    auth, value, err = check_with_a_lost_answer(fake, style)
    assert isinstance(err, errors.APITimeoutError), repr(err) if err else value
    assert err.attempts == 1 and len(fake.requests_to("check")) == 1
    assert err.not_retried is not None and "retry_ambiguous=True" in str(err)
    assert fake.authentication(auth).status == "validated"  # the one check did it


@pytest.mark.parametrize("style", STYLES)
def test_a_lost_answer_to_a_wrong_code_spends_one_attempt(fake: FakeDing, style: str) -> None:
    auth, _, err = check_with_a_lost_answer(fake, style, wrong=True)
    assert isinstance(err, errors.APITimeoutError), repr(err)
    assert fake.authentication(auth).failed_checks == 1


@pytest.mark.parametrize("style", STYLES)
def test_a_lost_answer_to_a_feedback_is_never_turned_into_a_duplicate(
    fake: FakeDing, style: str
) -> None:
    auth = seed_authentication(fake)
    fake.delay_next(1, 2, handle_first=True, path="feedback")
    value, err = call(style, FEEDBACK_OP, fake.url, auth, LOST_ANSWER)
    assert isinstance(err, errors.APITimeoutError), repr(err) if err else value
    assert err.attempts == 1 and len(fake.requests_to("feedback")) == 1
    assert fake.feedback_for(PHONE) == "onboarded"


@pytest.mark.parametrize("style", STYLES)
def test_opting_in_retries_a_check_and_gets_what_a_second_check_gets(
    fake: FakeDing, style: str
) -> None:
    """retry_ambiguous=True, as documented: the second check answers already_validated."""
    _, value, err = check_with_a_lost_answer(fake, style, retry_ambiguous=True)
    assert err is None, repr(err)
    assert value.attempts == 2
    assert value.create_check_response.status == "already_validated"


@pytest.mark.parametrize("style", STYLES)
def test_fake_unknown_values(fake: FakeDing, style: str) -> None:
    fake.respond_next(
        1, 200, {"authentication_uuid": "x", "status": "brand_new", "extra": [1]}, path="check"
    )
    value, err = call(style, FAKE_OPS[1], fake.url, "5f6ae5a1-8b3e-4b59-a5d6-0c0f6a7a1f0e", FAST)
    assert err is None, repr(err)
    assert value.create_check_response.status == "brand_new"


@pytest.mark.parametrize("style", STYLES)
def test_fake_full_flow_under_faults(fake: FakeDing, style: str) -> None:
    """A real flow with a fault before every step, each one the API answers before acting
    (so retried): send, check the right code, feedback."""
    fake.fail_next(1, 503, retry_after=0, path="create_authentication")
    fake.fail_next(1, 429, retry_after=0, path="check")
    fake.fail_next(1, 503, path="feedback")

    async def flow(client: Any, sync: bool) -> tuple[str, Any, Any]:
        async def run(x: Any) -> Any:
            return x if sync else await x

        env = await run(
            client.otp.create_authentication(
                request={"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE}
            )
        )
        auth = env.create_authentication_response.authentication_uuid
        checked = await run(
            client.otp.check(request={**_auth_request(auth), "check_code": fake.code_for(auth)})
        )
        fed = await run(
            client.otp.feedback(
                request={
                    "customer_uuid": CUSTOMER_UUID,
                    "phone_number": PHONE,
                    "status": "onboarded",
                }
            )
        )
        return auth, checked, fed

    if style == "sync":
        with ding.Ding(api_key=API_KEY, server_url=fake.url, **FAST) as client:
            auth, checked, fed = asyncio.run(flow(client, True))
    else:

        async def main() -> Any:
            async with ding.AsyncDing(api_key=API_KEY, server_url=fake.url, **FAST) as client:
                return await flow(client, False)

        auth, checked, fed = asyncio.run(main())
    assert checked.create_check_response.status == "valid" and checked.attempts == 2
    assert fed.attempts == 2
    assert fake.authentication(auth).status == "validated"
    assert len(fake.authentications()) == 1 and sms_sent(fake) == 1
