"""A 2xx body with a value of the wrong JSON type is refused, never coerced.

Coercion used to flip fraud signals (`"false"` became `True`), turn a list into its `repr`
and truncate `2.9` to `2`. The rule, for every response model field, nested ones and event
lists included: a value of the declared JSON type or null; an integer where a number is
declared; nothing else (a boolean is never a number, a string never a boolean or a number).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from cattrs.errors import BaseValidationError

import ding
from ding.models import components, errors
from ding.models._converter import structure

from ._actions import reply
from ._ops import API_KEY, AUTH_UUID, CUSTOMER_UUID
from ._servers import ScriptServer

WRONG: list[tuple[type[Any], dict[str, Any]]] = [
    (components.LookupResponse, {"number_ported": "false"}),
    (components.LookupResponse, {"temporary_phone_number": "false"}),
    (components.LookupResponse, {"temporary_phone_number": 0}),
    (components.LookupResponse, {"carrier": ["AT&T"]}),
    (components.LookupResponse, {"mcc": 310}),
    (components.LookupResponse, {"phone_number": {"e164": "+1"}}),
    (components.LookupResponse, {"line_type": 3}),
    (components.RetryAuthenticationResponse, {"remaining_retry": 2.9}),
    (components.RetryAuthenticationResponse, {"remaining_retry": "2"}),
    (components.RetryAuthenticationResponse, {"remaining_retry": True}),
    (components.RetryAuthenticationResponse, {"next_retry_at": 1700000000}),
    (components.CreateCheckResponse, {"status": True}),
    (components.CreateCheckResponse, {"authentication_uuid": 12}),
    (components.CreateAuthenticationResponse, {"status": ["pending"]}),
    (components.FeedbackResponse, {"uuid": 5, "extra": 1}),
    (components.AuthenticationStatusResponse, {"signals": []}),
    (components.AuthenticationStatusResponse, {"signals": {"is_returning_user": "false"}}),
    (components.AuthenticationStatusResponse, {"events": {"type": "check"}}),
    (components.AuthenticationStatusResponse, {"events": "attempt"}),
    (components.AuthenticationStatusResponse, {"events": [{"type": "attempt", "id": 7}]}),
    (
        components.AuthenticationStatusResponse,
        {"events": [{"type": "attempt", "attempt_number": 1.5}]},
    ),
    (
        components.AuthenticationStatusResponse,
        {"events": [{"type": "balance_update", "amount": "3"}]},
    ),
    (
        components.AuthenticationStatusResponse,
        {"events": [{"type": "balance_update", "amount": True}]},
    ),
    (components.AuthenticationStatusResponse, {"events": ["check"]}),
]


@pytest.mark.parametrize(("model", "body"), WRONG, ids=lambda v: repr(v)[:60])
def test_wrong_json_types_are_refused(model: type[Any], body: dict[str, Any]) -> None:
    # The transport turns any of these into ResponseValidationError (see below).
    with pytest.raises((TypeError, ValueError, BaseValidationError)):
        structure(body, model)


def test_right_types_and_the_one_widening_are_kept_exactly() -> None:
    lookup = structure(
        {"number_ported": False, "temporary_phone_number": True, "carrier": "AT&T", "mcc": None},
        components.LookupResponse,
    )
    assert (lookup.number_ported, lookup.temporary_phone_number) == (False, True)
    assert (lookup.carrier, lookup.mcc) == ("AT&T", None)
    status = structure(
        {
            "signals": {"is_returning_user": False},
            "events": [
                {"type": "balance_update", "amount": 3},  # an integer where a number is declared
                {"type": "attempt", "attempt_number": 2},
                {"type": "something_new", "x": [1]},  # an unknown event type stays whole
            ],
        },
        components.AuthenticationStatusResponse,
    )
    assert status.signals is not None and status.signals.is_returning_user is False
    assert status.events is not None
    amount = status.events[0]
    assert isinstance(amount, components.BalanceUpdate)
    assert amount.amount == 3.0 and type(amount.amount) is float
    attempt = status.events[1]
    assert isinstance(attempt, components.Attempt) and attempt.attempt_number == 2
    assert isinstance(status.events[2], components.UnknownEvent)


def lookup_body(**fields: Any) -> dict[str, Any]:
    return {"phone_number": "+14155550123", "carrier": "AT&T", **fields}


@pytest.mark.parametrize("style", ["sync", "async"])
@pytest.mark.parametrize(
    "fields",
    [
        {"number_ported": "false"},
        {"temporary_phone_number": "false"},
        {"carrier": ["AT&T", "Verizon"]},
    ],
    ids=["ported-string", "temporary-string", "carrier-list"],
)
def test_a_2xx_with_a_wrong_type_is_a_response_validation_error(
    server: ScriptServer, style: str, fields: dict[str, Any]
) -> None:
    server.always(reply(200, lookup_body(**fields)))
    if style == "sync":
        with (
            ding.Ding(api_key=API_KEY, server_url=server.url) as client,
            pytest.raises(errors.ResponseValidationError) as info,
        ):
            client.lookup.lookup("+14155550123", CUSTOMER_UUID)
    else:

        async def main() -> None:
            async with ding.AsyncDing(api_key=API_KEY, server_url=server.url) as client:
                await client.lookup.lookup("+14155550123", CUSTOMER_UUID)

        with pytest.raises(errors.ResponseValidationError) as info:
            asyncio.run(main())
    assert info.value.status_code == 200
    assert "LookupResponse" in str(info.value)
    assert server.count() == 1  # a bad body is not retried


@pytest.mark.parametrize("style", ["sync", "async"])
def test_nested_event_with_a_wrong_type_is_refused(server: ScriptServer, style: str) -> None:
    body = {"uuid": AUTH_UUID, "events": [{"type": "attempt", "attempt_number": "1"}]}
    server.always(reply(200, body))
    if style == "sync":
        with (
            ding.Ding(api_key=API_KEY, server_url=server.url) as client,
            pytest.raises(errors.ResponseValidationError),
        ):
            client.otp.get_authentication_status(AUTH_UUID)
    else:

        async def main() -> None:
            async with ding.AsyncDing(api_key=API_KEY, server_url=server.url) as client:
                await client.otp.get_authentication_status(AUTH_UUID)

        with pytest.raises(errors.ResponseValidationError):
            asyncio.run(main())
