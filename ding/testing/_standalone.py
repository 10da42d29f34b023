"""``ding fake``: the fake Ding API as a standalone local server, for developing an app without
a phone (or an account), with any client in any language.

It prints the ``export`` lines to paste into another shell, then one line per thing it does:
each code it "sends" (the phone number and the code in clear: this is a local development
tool printing to its own terminal, and the code is the point), each check and its outcome,
each refused request and each webhook delivery. Its inbox page is at the server's root and
``GET /_fake/code?phone_number=`` answers the latest code of a number, for end-to-end tests.
Ctrl-C or SIGTERM stops it: exit status 0, deliveries in flight abandoned cleanly.

The CLI defines the options (``ding/cli/_fake.py``) and calls `run_fake` with them; those
named as `FakeDing`'s arguments are passed to it as they are.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import inspect
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ._activity import Activity
    from ._fake import FakeDing

__all__ = ["describe_activity", "run_fake"]

DEFAULT_API_KEY = "fake-key"
# The customer uuid of the spec's examples.
DEFAULT_CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"


def _fake_from(args: argparse.Namespace) -> FakeDing:
    from ._clock import FakeClock
    from ._fake import FakeDing
    from ._settings import LOOPBACK_HOSTS

    hosts: Any = LOOPBACK_HOSTS
    if args.any_webhook_host:
        hosts = None
    elif args.webhook_host:
        hosts = (*LOOPBACK_HOSTS, *args.webhook_host)
    # The options named as FakeDing's arguments are those arguments.
    accepted = inspect.signature(FakeDing).parameters
    rules = {name: value for name, value in vars(args).items() if name in accepted}
    return FakeDing(
        api_keys=None if args.api_key is None else [args.api_key],
        customer_uuids=None if args.customer_uuid is None else [args.customer_uuid],
        clock=FakeClock() if args.frozen_clock else FakeClock.real(),
        webhook_hosts=hosts,
        **rules,
    )


def describe_activity(activity: Activity) -> str:
    """One line for one thing the fake did, phone numbers and codes in clear."""
    when = activity.at.strftime("%H:%M:%S")
    who = f"{activity.phone_number}  "
    auth = f"  auth {activity.authentication_uuid}"
    kind = activity.kind
    if kind in ("send", "retry") and activity.code is not None:
        if activity.attempt == 1:
            what = "sent      " + who + f"code {activity.code}{auth}  (first send)"
        else:
            left = f"{activity.remaining_retry} retries left"
            what = (
                "resent    "
                + who
                + f"code {activity.code}{auth}  (attempt {activity.attempt}, {left})"
            )
    elif kind in ("send", "retry"):
        what = f"{kind:<10}" + who + f"{activity.status}: no code sent{auth}"
    elif kind == "check":
        what = "check     " + who + f"code {activity.code} -> {activity.status}{auth}"
    elif kind == "feedback":
        what = "feedback  " + who + f"{activity.status}"
    elif kind == "refused":
        what = (
            f"refused   {activity.method} {activity.path} -> {activity.http_status} "
            f"{activity.status}"
        )
    else:
        d = activity.delivery
        assert d is not None
        number = d.event.get("attempt_number")
        event = d.event_type + (f" #{number}" if number is not None else "")
        answer = str(d.status) if d.status is not None else (d.error or "no answer")
        ack = "" if d.acknowledged else ", not acknowledged"
        what = f"webhook   {event} -> {d.url}  {answer}  (send {d.attempt}{ack})"
    return f"{when} {what}"


def _print(line: str, out: TextIO) -> None:
    with contextlib.suppress(BrokenPipeError):  # piped into `head`, say: keep serving
        print(line, file=out, flush=True)


def run_fake(args: argparse.Namespace, out: TextIO, err: TextIO | None = None) -> int:
    """Serve until Ctrl-C or SIGTERM; the exit status."""
    err = err or sys.stderr
    try:
        fake = _fake_from(args)
    except (ValueError, TypeError) as exc:
        print(f"ding fake: error: {exc} (see 'ding fake --help')", file=err)
        return 2
    from ._serving import until_interrupted

    async def serve() -> int:
        try:
            await fake.start()
        except OSError as exc:
            print(
                f"ding fake: cannot listen on {args.host}:{args.port}: {exc.strerror or exc} "
                "(choose another --port, or 0 for any free one)",
                file=err,
            )
            return 1
        try:
            _announce(fake, args, out, err)
            stop = fake._state.activity.subscribe(lambda a: _print(describe_activity(a), out))
            try:
                await until_interrupted()
            finally:
                stop()
        finally:
            await fake.close()
        return 0

    status = 0
    with contextlib.suppress(KeyboardInterrupt):  # where the loop takes no signals (Windows)
        status = asyncio.run(serve())
    if status == 0:
        print("ding fake: stopped", file=err, flush=True)
    return status


def _announce(fake: FakeDing, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    from ._inbox import CODE_PATH
    from ._server import is_loopback

    if not is_loopback(args.host):
        print(
            f"ding fake: WARNING: listening on {args.host}, not on loopback: anyone who can "
            "reach this machine can call this fake API, and read every code it sends on its "
            f"inbox page and at {CODE_PATH}. Use --host 127.0.0.1 unless you mean it.",
            file=err,
            flush=True,
        )
    print(
        "ding fake: a fake Ding API for local development; no message leaves this machine.\n"
        "Paste these lines into the shell of your app (or set them in its environment):",
        file=err,
        flush=True,
    )
    for name, value in (
        ("DING_SERVER_URL", fake.url),
        ("DING_API_KEY", args.api_key or DEFAULT_API_KEY),
        ("DING_CUSTOMER_UUID", args.customer_uuid or DEFAULT_CUSTOMER_UUID),
    ):
        _print(f"export {name}={value}", out)
    inbox = fake.inbox_url
    clock = "frozen" if args.frozen_clock else "real time"
    print(
        f"ding fake: inbox {inbox}  codes for tests {inbox.rstrip('/')}{CODE_PATH}"
        "?phone_number=%2B14155550100\n"
        f"ding fake: clock: {clock}. Ctrl-C stops it. One line per code sent, check and "
        "webhook follows:",
        file=err,
        flush=True,
    )
