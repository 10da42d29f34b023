"""Issue 17 (models): a model's repr never shows a phone number, a code or other personal
data, so a debugger, an error tracker's frame variables (Sentry shows objects by ``repr``)
or a log line of a request never leaks them; ``to_dict`` / ``to_json`` keep the values.
"""

from __future__ import annotations

import random

import pytest

from ding.models import components as c
from ding.models import operations
from ding.models._fields import keys_only, masked_phone

from ..conftest import AUTH_UUID, CUSTOMER_UUID

# Random canaries: a value that shows up in a repr cannot be there by chance.
rng = random.Random()
PHONE = "+33" + "".join(rng.choice("0123456789") for _ in range(9))
CODE = "".join(rng.choice("0123456789") for _ in range(6))
IP = f"203.0.{rng.randrange(256)}.{rng.randrange(256)}"
DEVICE = f"device-{rng.randrange(10**9)}"
NAME = f"Jane Doe {rng.randrange(10**6)}"
SECRETS = [PHONE, PHONE[1:], PHONE[3:], CODE, IP, DEVICE, NAME]


def _models() -> list[object]:
    status = c.AuthenticationStatusResponse(
        uuid=AUTH_UUID,
        phone_number=PHONE,
        signals=c.Signals(ip=IP, device_id=DEVICE),
        events=[
            c.Attempt(content=f"Your code is {CODE}"),
            c.Check(code=CODE, status=c.CheckStatus.VALID),
            c.UnknownEvent(type="new", data={"type": "new", "phone_number": PHONE, "code": CODE}),
        ],
    )
    return [
        c.CreateAuthenticationRequest(CUSTOMER_UUID, PHONE, ip=IP, device_id=DEVICE),
        c.CreateCheckRequest(CUSTOMER_UUID, AUTH_UUID, CODE),
        c.FeedbackRequest(CUSTOMER_UUID, PHONE, c.FeedbackRequestStatus.ONBOARDED),
        c.LookupResponse(phone_number=PHONE, caller_name=NAME, carrier="Orange"),
        status,
        operations.GetAuthenticationStatusResponse("application/json", 200, None, status),  # type: ignore[arg-type]
        operations.LookupRequest(PHONE, CUSTOMER_UUID),
    ]


@pytest.mark.parametrize("model", _models(), ids=lambda m: type(m).__name__)
def test_no_personal_data_or_code_in_the_repr(model: object) -> None:
    for shown in (repr(model), str(model), f"{model!r}", f"{[model]}", f"{ {'m': model} }"):
        leaked = [secret for secret in SECRETS if secret in shown]
        assert not leaked, shown


def test_the_repr_shows_what_helps_and_masks_the_rest() -> None:
    request = c.CreateAuthenticationRequest(CUSTOMER_UUID, "+33612345678", app_version="1.2")
    shown = repr(request)
    assert "phone_number='+33*******78'" in shown  # country code and last two digits only
    assert f"customer_uuid='{CUSTOMER_UUID}'" in shown and "app_version='1.2'" in shown
    assert "ip=None" in shown  # an unset field stays visibly unset
    assert "check_code='***'" in repr(c.CreateCheckRequest(CUSTOMER_UUID, AUTH_UUID, CODE))
    assert "phone_number='****'" in repr(c.LookupResponse(phone_number="+331"))  # too short
    unknown = c.UnknownEvent(type="new", data={"type": "new", "code": CODE})
    assert "data={'type': ..., 'code': ...}" in repr(unknown)


def test_the_wire_format_keeps_the_values() -> None:
    request = c.CreateCheckRequest(CUSTOMER_UUID, AUTH_UUID, CODE)
    assert request.to_dict()["check_code"] == CODE and CODE in request.to_json()
    status = _models()[4]
    assert isinstance(status, c.AuthenticationStatusResponse)
    wire = status.to_dict()
    assert wire["phone_number"] == PHONE and wire["signals"]["ip"] == IP
    assert wire["events"][1]["code"] == CODE
    assert wire["events"][2] == {"type": "new", "phone_number": PHONE, "code": CODE}
    assert c.AuthenticationStatusResponse.from_dict(wire) == status


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("+33612345678", "'+33*******78'"),
        ("+1234567", "'+12***67'"),  # eight characters: the shortest shown in part
        ("+123456", "'*******'"),  # seven: masked whole
        ("", "''"),
        (None, "None"),
        (33612345678, "'***'"),  # not text: masked whole
    ],
)
def test_a_phone_number_shows_only_its_ends(value: object, shown: str) -> None:
    assert masked_phone(value) == shown


def test_an_object_kept_whole_shows_its_keys_only() -> None:
    assert keys_only({"type": "new", "code": CODE}) == "{'type': ..., 'code': ...}"
    assert keys_only("text") == "'***'" and keys_only(None) == "None"
