"""Mistakes users make, each of which mypy --strict and pyright strict must flag.

Every line with a mistake carries each checker's ignore comment naming the error it must
report: ``# type: ignore[code]`` for mypy, ``# pyright: ignore[rule]`` for pyright. Both
checkers treat an ignore that suppresses nothing as an error (``mypy --strict`` warns about
unused ignores; tests/typing/pyrightconfig.json sets ``reportUnnecessaryTypeIgnoreComment``
and makes pyright read only its own comments), so a clean run of each proves that it flags
every mistake below, as named, and nothing else (tests/typing/test_type_checkers.py).
Checked, never run.
"""

# fmt: off
from __future__ import annotations

import aiohttp

import ding
import ding.testing
from ding.models import components, errors

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
AUTH = "8f1196d5-806e-4b71-9b24-5f96ec052808"


def misspelt_names() -> None:
    ding.Dingg  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    ding.testing.FakeDingg  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]


def building_requests() -> None:
    # A required field left out (the official dataclasses are caught by both checkers too).
    components.CreateAuthenticationRequest()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    components.CreateCheckRequest(customer_uuid=CUSTOMER, authentication_uuid=AUTH)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    components.FeedbackRequest(customer_uuid=CUSTOMER, phone_number="+14155550100")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    components.RetryAuthenticationRequest(customer_uuid=CUSTOMER)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    # A value of the wrong type, a misspelt field, a misspelt enum member.
    components.CreateAuthenticationRequest(customer_uuid=CUSTOMER, phone_number=14155550100)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    components.CreateCheckRequest(customer_uuid=CUSTOMER, authentication_uuid=AUTH, check_cod="1")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    components.CheckStatus.VALIDD  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]


def calling_the_sync_client(s: ding.Ding, req: components.CreateCheckRequest) -> None:
    s.otp.check(request=42)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    s.otp.check(req, timeout="5")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    s.otp.check(req, timeot=5)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    s.otp.get_authentication_status()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    s.otp.retry(request=req)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    s.lookup.lookup("+14155550100", CUSTOMER, type_=5)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    ding.Ding(api_key=123)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    # An aiohttp session belongs to one event loop: the sync client takes session_factory=.
    ding.Ding(client=aiohttp.ClientSession())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    ding.AsyncDing(client="https://proxy:3128")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def reading_the_answer(s: ding.Ding, req: components.CreateCheckRequest) -> None:
    res = s.otp.check(req)
    # The payload is optional (as in the official client): check it before reading it.
    res.create_check_response.status  # type: ignore[union-attr]  # pyright: ignore[reportOptionalMemberAccess]
    res.raw_response.stauts_code  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]


async def calling_the_async_client(client: ding.AsyncDing, req: components.CreateCheckRequest) -> None:
    client.otp.check(req).create_check_response  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    await ding.Ding().otp.check(req)  # type: ignore[misc]  # pyright: ignore[reportGeneralTypeIssues]


def handling_errors(s: ding.Ding, req: components.CreateCheckRequest) -> None:
    try:
        s.otp.check(req)
    except errors.ValidationError as e:
        e.feild  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
        # Nothing was sent: a ValidationError has no raw response.
        e.raw_response.status_code  # type: ignore[union-attr]  # pyright: ignore[reportOptionalMemberAccess]
        if e.code == errors.Code.INVALID_PHONE:  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
            pass
