"""The ``ding`` command line: one command per operation, ``demo`` against the fake, and
``webhooks listen``, a local receiver for webhook events.

Reads ``DING_API_KEY``, ``DING_CUSTOMER_UUID`` and ``DING_SERVER_URL``. Exit status: 0 on
success, 1 when the API (or the network) fails the call, 2 on bad usage. Errors are one
line on stderr that says what to do, never a traceback.

Imported by every ``ding`` run, ``--help`` included: the client (and aiohttp with it), the
demo, the fake and the webhook receiver are imported only by the commands that use them.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from ._servers import SERVERS
from ._version import __version__
from .models import components, errors, operations

if TYPE_CHECKING:
    from ._sync_client import Ding

__all__ = ["build_parser", "main"]

EPILOG = f"""\
environment:
  DING_API_KEY        your API key (required, except by demo and webhooks)
  DING_CUSTOMER_UUID  your customer uuid (or --customer-uuid)
  DING_SERVER_URL     the API's base URL (or --server-url; default: {SERVERS[0]})
  DING_LOG            debug: log each HTTP attempt to stderr; info: only retries, give-ups

exit status:
  0    success (a check that answers "invalid" succeeded: read its status)
  1    the API or the network failed the call; the message says what to do
  2    bad usage, or input the API would refuse: nothing was sent
  130  interrupted (Ctrl-C)
"""


class UsageError(Exception):
    """Bad command-line usage: exit status 2."""

    def __init__(self, message: str, prog: str = "ding") -> None:
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.prog)


def _customer_uuid(args: argparse.Namespace) -> str:
    value = args.customer_uuid or os.environ.get("DING_CUSTOMER_UUID")
    if not value:
        raise UsageError("set DING_CUSTOMER_UUID or pass --customer-uuid", f"ding {args.command}")
    return str(value)


def _server_url(args: argparse.Namespace) -> str:
    return str(args.server_url or os.environ.get("DING_SERVER_URL") or SERVERS[0])


def _client(args: argparse.Namespace) -> Ding:
    if not os.environ.get("DING_API_KEY"):
        raise UsageError("set DING_API_KEY to your Ding API key", f"ding {args.command}")
    options: dict[str, Any] = {}
    if args.server_url:
        options["server_url"] = args.server_url
    if args.timeout is not None:
        options["timeout"] = args.timeout
    from ._sync_client import Ding  # the client (and aiohttp) load for a call, not for --help

    return Ding(**options)


# Each operation command: how to call the client with the parsed arguments.
_COMMANDS: dict[str, Callable[[Ding, argparse.Namespace], Any]] = {
    "send": lambda s, a: s.otp.create_authentication(
        components.CreateAuthenticationRequest(
            customer_uuid=_customer_uuid(a),
            phone_number=a.phone_number,
            **({"locale": a.locale} if a.locale else {}),
            **({"callback_url": a.callback_url} if a.callback_url else {}),
        )
    ),
    "check": lambda s, a: s.otp.check(
        components.CreateCheckRequest(
            customer_uuid=_customer_uuid(a),
            authentication_uuid=a.authentication_uuid,
            check_code=a.code,
        )
    ),
    "retry": lambda s, a: s.otp.retry(
        components.RetryAuthenticationRequest(
            customer_uuid=_customer_uuid(a), authentication_uuid=a.authentication_uuid
        )
    ),
    "feedback": lambda s, a: s.otp.feedback(
        components.FeedbackRequest(
            customer_uuid=_customer_uuid(a), phone_number=a.phone_number, status=a.status
        )
    ),
    "status": lambda s, a: s.otp.get_authentication_status(auth_uuid=a.authentication_uuid),
    "lookup": lambda s, a: s.lookup.lookup(
        a.phone_number, _customer_uuid(a), type_=[operations.Type.CNAM] if a.cnam else None
    ),
}


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    common.add_argument(
        "--server-url", help="API base URL (default: $DING_SERVER_URL or production)"
    )
    common.add_argument("--customer-uuid", help="your customer UUID (default: $DING_CUSTOMER_UUID)")
    common.add_argument("--timeout", type=float, help="seconds per attempt")
    text = argparse.RawDescriptionHelpFormatter

    parser = _Parser(
        prog="ding",
        description="Send and check one-time codes with the Ding API.",
        epilog=EPILOG,
        formatter_class=text,
    )
    parser.add_argument("--version", action="version", version=f"ding {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str, parents: Sequence[_Parser] = (common,)) -> Any:
        return sub.add_parser(
            name,
            parents=list(parents),
            help=help,
            description=help,
            epilog=EPILOG,
            formatter_class=text,
        )

    send = command("send", "send a code to a phone number")
    send.add_argument("phone_number", help="E.164 number, e.g. +14155550123")
    send.add_argument("--locale", help="BCP-47 locale of the SMS, e.g. fr-FR")
    send.add_argument("--callback-url", help="where Ding sends this authentication's webhooks")
    check = command("check", "check the code a user typed")
    check.add_argument("authentication_uuid")
    check.add_argument("code")
    retry = command("retry", "send a new code for an authentication")
    retry.add_argument("authentication_uuid")
    feedback = command("feedback", "report whether onboarding finished")
    feedback.add_argument("phone_number")
    feedback.add_argument("status", choices=[s.value for s in components.FeedbackRequestStatus])
    status = command("status", "show an authentication and its events")
    status.add_argument("authentication_uuid")
    lookup = command("lookup", "look a phone number up")
    lookup.add_argument("phone_number")
    lookup.add_argument("--cnam", action="store_true", help="also ask for the caller name")
    demo = command(
        "demo", "walk the whole OTP flow against the built-in fake Ding (no account needed)", ()
    )
    demo.add_argument("--json", action="store_true", help="print one JSON object per step")
    # Listed here; its options are parsed by ding.testing._standalone (see main).
    command("fake", "run the fake Ding API locally, with an inbox of the codes it sends", ())

    webhooks = command("webhooks", "receive webhook events locally", ())
    webhooks_sub = webhooks.add_subparsers(
        dest="webhooks_command", metavar="SUBCOMMAND", parser_class=_Parser
    )
    listen = webhooks_sub.add_parser(
        "listen",
        help="run a local receiver that prints each webhook event",
        description="Run a webhook receiver on this machine and print each event it gets "
        "(for development against the fake, e.g. `ding send --callback-url URL`). It "
        "answers 200, or 400 to a body that is not an event. Ctrl-C stops it.",
    )
    listen.add_argument("--port", type=int, default=8765, help="port (default 8765; 0: any)")
    listen.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    listen.add_argument("--path", default="/webhooks/ding", help="URL path (default %(default)s)")
    listen.add_argument("--json", action="store_true", help="print each event as JSON")
    listen.add_argument(
        "--fail",
        type=int,
        default=0,
        metavar="N",
        help="answer 500 to the first N requests (to watch redeliveries)",
    )
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["fake"]:  # the fake's own command line, loaded only when it runs
        from .testing._standalone import main as fake_main

        return fake_main(argv[1:], out)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        if args.command == "demo":
            from ._demo import run_demo  # imports ding.testing, which the core never does

            run_demo(out, as_json=args.json)
            return 0
        if args.command == "webhooks":
            if args.webhooks_command is None:
                raise UsageError("say what to do: ding webhooks listen", "ding webhooks")
            from ._cli_webhooks import listen

            return listen(args, out)
        return _run_operation(args, out)
    except UsageError as exc:
        print(f"{exc.prog}: error: {exc} (see '{exc.prog} --help')", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ding: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into e.g. `head`, which stopped reading: not an error worth a trace.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit
        return 0


def _run_operation(args: argparse.Namespace, out: TextIO) -> int:
    from ._cli_errors import RetryProgress, describe_error  # not needed by --help
    from ._cli_output import payload_of, print_payload

    # The transport logs each wait before a retry at INFO: say it on stderr, not silence.
    logger = logging.getLogger("ding")
    progress = RetryProgress(args.command, sys.stderr)
    previous_level = logger.level
    logger.addHandler(progress)
    if not logger.isEnabledFor(logging.INFO):
        logger.setLevel(logging.INFO)
    try:
        with warnings.catch_warnings():
            # A warning (plain http to a remote host) is one line, like every message here.
            warnings.showwarning = _show_warning
            with _client(args) as client:
                envelope = _COMMANDS[args.command](client, args)
    except errors.DingError as exc:
        message, status = describe_error(exc, args.command, _server_url(args))
        print(message, file=sys.stderr)
        return status
    finally:
        logger.removeHandler(progress)
        progress.close()
        logger.setLevel(previous_level)
    print_payload(payload_of(envelope), out, as_json=args.json)
    return 0


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    text = str(message)
    print(f"ding: warning: {text.removeprefix('ding: ')}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
