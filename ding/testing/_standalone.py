"""``ding fake``: the fake Ding API as a standalone local server, for developing an app without
a phone (or an account), with any client in any language.

It prints the ``export`` lines to paste into another shell, then one line per thing it does:
each code it "sends" (the phone number and the code in clear: this is a local development
tool printing to its own terminal, and the code is the point), each check and its outcome,
each refused request and each webhook delivery. Its inbox page is at the server's root and
``GET /_fake/code?phone_number=`` answers the latest code of a number, for end-to-end tests.
Ctrl-C or SIGTERM stops it: exit status 0, deliveries in flight abandoned cleanly.

The CLI lists the command and hands its arguments to `main` here, which parses them: none
of this (nor the fake) is loaded by any other ``ding`` command.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

if TYPE_CHECKING:
    from ._activity import Activity
    from ._fake import FakeDing

__all__ = ["describe_activity", "main"]

DEFAULT_PORT = 8787
DEFAULT_API_KEY = "fake-key"
# The customer uuid of the spec's examples.
DEFAULT_CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"

DESCRIPTION = """\
Run the fake Ding API on this machine until Ctrl-C: develop and test an app without a phone
or an account, with this client, the official ding-api-client (server_url=), curl or any
other language. It prints the export lines to paste into another shell, then a line for each
code it "sends" (phone number and code in clear: nothing leaves this machine), each check,
each refused request and each webhook delivery. Its inbox page, at the server's root, shows
every authentication with its current code; GET /_fake/code?phone_number=%2B14155550100
answers the latest code of a number as JSON, for end-to-end tests. The magic numbers of
ding.testing.MagicNumbers (+12025550101 to +12025550110) trigger the API's failure cases.
"""


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {text}")
    return value


def _schedule(text: str) -> tuple[float, ...]:
    try:
        return tuple(_seconds(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected seconds separated by commas, such as 0.5,1,2, got {text!r}"
        ) from None


# The options that are FakeDing's own arguments, under the same names: (name, type, default,
# help). Their defaults are the constructor's, but for the port.
_Table = tuple[tuple[str, Callable[[str], Any], Any, str], ...]
_WHERE: _Table = (
    ("host", str, "127.0.0.1", "the address to listen on (127.0.0.1)"),
    ("port", int, DEFAULT_PORT, f"the port ({DEFAULT_PORT}; 0: any free port)"),
)
_RULES: _Table = (
    ("seed", int, None, "make the codes and uuids reproducible"),
    ("code_length", int, 6, "digits per code (6)"),
    ("auth_ttl", _seconds, 600.0, "seconds an authentication lives (600)"),
    ("max_check_attempts", int, 5, "wrong codes before checks answer rate_limited (5)"),
    ("max_retries", int, 3, "retries per authentication (3)"),
    ("retry_interval", _seconds, 30.0, "seconds before a retry is approved (30)"),
    ("send_rate_limit", int, 5, "codes per number per window, then rate_limited (5; 0: none)"),
    ("send_rate_window", _seconds, 600.0, "that window, in seconds (600)"),
)
_WEBHOOK_RULES: _Table = (
    (
        "webhook_retry_schedule",
        _schedule,
        (0.5, 1, 2, 4, 8),
        "seconds before each redelivery (0.5,1,2,4,8)",
    ),
    ("webhook_timeout", _seconds, 5.0, "seconds a receiver has to answer (5)"),
)


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The options of ``ding fake``."""
    parser = _Parser(
        prog="ding fake",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_options(parser.add_argument_group("where it listens"), _WHERE)
    who = parser.add_argument_group("who may call it")
    who.add_argument(
        "--api-key",
        metavar="KEY",
        help=f"accept only this key (default: any key; {DEFAULT_API_KEY!r} is printed)",
    )
    who.add_argument(
        "--customer-uuid",
        metavar="UUID",
        help="accept only this customer uuid (default: any; the spec's example is printed)",
    )
    rules = parser.add_argument_group("the API's rules")
    _add_options(rules, _RULES)
    rules.add_argument(
        "--frozen-clock",
        action="store_true",
        help="freeze the fake's clock (default: it follows real time, so codes expire)",
    )
    hooks = parser.add_argument_group("webhooks (sent to each send's callback_url)")
    hooks.add_argument(
        "--webhook-host",
        action="append",
        metavar="HOST",
        help="a host webhooks may go to (repeatable; default: loopback hosts only)",
    )
    hooks.add_argument(
        "--any-webhook-host", action="store_true", help="deliver webhooks to any host"
    )
    _add_options(hooks, _WEBHOOK_RULES)
    return parser


def _add_options(group: Any, table: _Table) -> None:
    metavars: dict[Any, str] = {
        _seconds: "SECONDS",
        _schedule: "SECONDS,...",
        int: "N",
        str: "ADDRESS",
    }
    for name, kind, default, text in table:
        group.add_argument(
            "--" + name.replace("_", "-"),
            type=kind,
            default=default,
            metavar=metavars[kind],
            help=text,
        )


def main(argv: Sequence[str], out: TextIO, err: TextIO | None = None) -> int:
    """``ding fake ARGS``: the exit status (2 for bad usage, as every ``ding`` command)."""
    err = err or sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except _UsageError as exc:
        print(f"ding fake: error: {exc} (see 'ding fake --help')", file=err)
        return 2
    except SystemExit as exc:  # --help printed the help
        return int(exc.code or 0)
    return run_fake(args, out, err)


def _fake_from(args: argparse.Namespace) -> FakeDing:
    from ._clock import FakeClock
    from ._fake import FakeDing
    from ._settings import LOOPBACK_HOSTS

    hosts: Any = LOOPBACK_HOSTS
    if args.any_webhook_host:
        hosts = None
    elif args.webhook_host:
        hosts = (*LOOPBACK_HOSTS, *args.webhook_host)
    rules = {name: getattr(args, name) for name, *_ in (*_WHERE, *_RULES, *_WEBHOOK_RULES)}
    rules["send_rate_limit"] = rules["send_rate_limit"] or None  # 0: no limit
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
