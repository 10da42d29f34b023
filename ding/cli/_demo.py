"""``ding demo``: the whole OTP flow against the built-in fake, with no account or network,
and the webhook events the fake delivers for it.

The client and the fake (``ding.testing``, which the core never imports) load when the
command runs, not for ``ding --help``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from ..models import components, errors, operations
from ._output import payload_of, timed, to_jsonable
from ._parser import Commands

if TYPE_CHECKING:
    from ..testing import WebhookDelivery

__all__ = ["add_command", "run_demo"]

CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
PHONE = "+14155550123"
RETRY_INTERVAL = 30  # seconds the fake makes a user wait before asking for a new code


def add_command(commands: Commands) -> None:
    demo = commands.add(
        "demo",
        "walk the whole OTP flow against the built-in fake Ding (no account needed)",
        _run,
        api_options=False,
    )
    demo.add_argument("--json", action="store_true", help="print one JSON object per step")


def _run(args: argparse.Namespace, out: TextIO) -> int:
    run_demo(out, as_json=args.json)
    return 0


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


def _delivery(d: WebhookDelivery) -> dict[str, Any]:
    return {
        "event_type": d.event_type,
        "event_id": d.event_id,
        "attempt_number": d.event.get("attempt_number"),
        "attempt": d.attempt,
        "status": d.status,
    }


def _delivery_line(d: WebhookDelivery) -> str:
    what = d.event_type
    if d.event.get("attempt_number") is not None:
        what += f" #{d.event['attempt_number']}"
    note = " (refused by the demo's receiver)" if d.status == 500 else ""
    if d.attempt > 1:
        note = " (redelivered, same id)"
    return f"{what:<16} id={d.event_id[:8]}...  send {d.attempt} -> {d.status}{note}"


def run_demo(out: TextIO, *, as_json: bool = False) -> None:
    from .._sync_client import Ding
    from ..testing import FakeDing, WebhookReceiver

    with (
        WebhookReceiver.running() as receiver,
        FakeDing.running(retry_interval=RETRY_INTERVAL, webhook_retry_schedule=(0.2, 0.5)) as fake,
        Ding(api_key="demo-key", server_url=fake.url) as client,
    ):
        otp = client.otp
        # The first delivery is refused, to show Ding's redelivery under the same event id.
        receiver.fail_next(1)

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
                print(f"{number:>2}. {title:<40} {ms:7.1f} ms  {text}", file=out)
            return payload

        if not as_json:
            print(f"ding demo: the fake Ding API is serving at {fake.url}\n", file=out)
        sent = step(
            1,
            f"send a code to {PHONE}",
            lambda: otp.create_authentication(
                request=components.CreateAuthenticationRequest(
                    customer_uuid=CUSTOMER_UUID, phone_number=PHONE, callback_url=receiver.url
                )
            ),
        )
        auth_uuid = sent.authentication_uuid
        first_code = fake.code_for(auth_uuid)

        def check(value: str) -> Callable[[], Any]:
            return lambda: otp.check(
                request=components.CreateCheckRequest(
                    customer_uuid=CUSTOMER_UUID, authentication_uuid=auth_uuid, check_code=value
                )
            )

        wrong = (
            "0" * len(first_code) if first_code != "0" * len(first_code) else "1" * len(first_code)
        )
        step(2, f"check a wrong code ({wrong})", check(wrong))
        # The user waits out `next_retry_at`; the fake's clock makes it instant.
        fake.clock.advance(RETRY_INTERVAL)
        step(
            3,
            f"{RETRY_INTERVAL} s later, ask for a new code",
            lambda: otp.retry(
                request=components.RetryAuthenticationRequest(
                    customer_uuid=CUSTOMER_UUID, authentication_uuid=auth_uuid
                )
            ),
        )
        code = fake.code_for(auth_uuid)
        step(4, f"check the first code ({first_code}): replaced", check(first_code))
        step(5, f"check the new code ({code})", check(code))
        step(6, "check it again", check(code))
        step(
            7,
            "read the status and its events",
            lambda: otp.get_authentication_status(auth_uuid=auth_uuid),
        )
        step(
            8,
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
            9,
            f"look up {PHONE}",
            lambda: client.lookup.lookup(PHONE, CUSTOMER_UUID, type_=[operations.Type.CNAM]),
        )
        deliveries = fake.webhooks.wait(10)
        title = f"webhooks delivered to {receiver.url}"
        if as_json:
            record = {"step": 10, "title": title, "result": [_delivery(d) for d in deliveries]}
            print(json.dumps(record), file=out)
        else:
            print(f"10. {title}", file=out)
            for delivery in deliveries:
                print(f"      {_delivery_line(delivery)}", file=out)
            print(
                "\nDone: every call above went through ding.Ding to the fake over loopback HTTP,"
                "\nand the fake delivered its webhook events to a local receiver.",
                file=out,
            )
