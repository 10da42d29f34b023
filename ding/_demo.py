"""``ding demo``: the whole OTP flow against the built-in fake, with no account or network."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from . import Ding
from .cli import payload_of, timed, to_jsonable
from .models import components, errors, operations
from .testing import FakeDing

CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
PHONE = "+14155550123"


def _summary(payload: Any) -> str:
    data = to_jsonable(payload)
    if "events" in data:
        kinds = [
            f"{e.get('type')}:{e.get('status', e.get('balance_update_type', ''))}"
            for e in data["events"]
        ]
        return f"{len(kinds)} events ({', '.join(kinds)})"
    shown = (
        "status",
        "authentication_uuid",
        "remaining_retry",
        "uuid",
        "line_type",
        "country_code",
        "caller_name",
    )
    return ", ".join(f"{k}={data[k]}" for k in shown if data.get(k) is not None)


def run_demo(out: TextIO, *, as_json: bool = False) -> None:
    with FakeDing.running() as fake, Ding(api_key="demo-key", server_url=fake.url) as client:
        otp = client.otp

        def step(number: int, title: str, call: Callable[[], Any]) -> Any:
            try:
                envelope, ms = timed(call)
            except errors.DingError as exc:
                # The demo shows API errors as results; they are part of the flow.
                envelope, ms = exc, 0.0
            payload = payload_of(envelope) if not isinstance(envelope, Exception) else None
            if as_json:
                record = {
                    "step": number,
                    "title": title,
                    "ms": round(ms, 2),
                    "result": to_jsonable(payload) if payload is not None else str(envelope),
                }
                print(json.dumps(record), file=out)
            else:
                text = _summary(payload) if payload is not None else f"error: {envelope}"
                print(f"{number}. {title:<34} {ms:7.1f} ms  {text}", file=out)
            return payload

        if not as_json:
            print(f"ding demo: the fake Ding API is serving at {fake.url}\n", file=out)
        sent = step(
            1,
            f"send a code to {PHONE}",
            lambda: otp.create_authentication(
                request=components.CreateAuthenticationRequest(
                    customer_uuid=CUSTOMER_UUID, phone_number=PHONE
                )
            ),
        )
        auth_uuid = sent.authentication_uuid
        code = fake.code_for(auth_uuid)
        wrong = "0" * len(code) if code != "0" * len(code) else "1" * len(code)

        def check(value: str) -> Callable[[], Any]:
            return lambda: otp.check(
                request=components.CreateCheckRequest(
                    customer_uuid=CUSTOMER_UUID, authentication_uuid=auth_uuid, check_code=value
                )
            )

        step(2, f"check a wrong code ({wrong})", check(wrong))
        step(3, f"check the right code ({code})", check(code))
        step(4, "check the right code again", check(code))
        step(
            5,
            "ask for a retry",
            lambda: otp.retry(
                request=components.RetryAuthenticationRequest(
                    customer_uuid=CUSTOMER_UUID, authentication_uuid=auth_uuid
                )
            ),
        )
        step(
            6,
            "read the status and its events",
            lambda: otp.get_authentication_status(auth_uuid=auth_uuid),
        )
        step(
            7,
            "report the user onboarded",
            lambda: otp.feedback(
                request=components.FeedbackRequest(
                    customer_uuid=CUSTOMER_UUID,
                    phone_number=PHONE,
                    status=components.FeedbackRequestStatus.ONBOARDED,
                )
            ),
        )
        step(
            8,
            f"look up {PHONE}",
            lambda: client.lookup.lookup(PHONE, CUSTOMER_UUID, type_=[operations.Type.CNAM]),
        )
        if not as_json:
            print(
                "\nDone: every call above went through ding.Ding to the fake over loopback HTTP.",
                file=out,
            )
