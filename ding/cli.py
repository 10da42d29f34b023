"""The ``ding`` command line: one command per operation, and ``demo`` against the fake.

Reads ``DING_API_KEY``, ``DING_CUSTOMER_UUID`` and ``DING_SERVER_URL``. Exit status: 0 on
success, 1 when the API (or the network) fails the call, 2 on bad usage. Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from . import Ding, __version__
from .models import components, errors, operations
from .models._converter import converter

_PAYLOAD_FIELDS = (
    "create_authentication_response",
    "create_check_response",
    "feedback_response",
    "retry_authentication_response",
    "authentication_status_response",
    "lookup_response",
)


class UsageError(Exception):
    """Bad command-line usage: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def payload_of(envelope: Any) -> Any:
    for name in _PAYLOAD_FIELDS:
        if hasattr(envelope, name):
            return getattr(envelope, name)
    raise TypeError(f"not an envelope: {type(envelope).__name__}")


def to_jsonable(payload: Any) -> Any:
    """The payload as plain JSON values (enums as their values, datetimes as ISO 8601)."""
    return converter.unstructure(payload)


def _print_payload(payload: Any, out: TextIO, *, as_json: bool, indent: str = "") -> None:
    data = to_jsonable(payload)
    if as_json:
        print(json.dumps(data), file=out)
        return
    _print_readable(data, out, indent)


def _print_readable(data: Any, out: TextIO, indent: str) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            if value is None:
                continue
            if isinstance(value, (dict, list)):
                print(f"{indent}{key}:", file=out)
                _print_readable(value, out, indent + "  ")
            else:
                print(f"{indent}{key}: {value}", file=out)
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict):
                first, *rest = [(k, v) for k, v in item.items() if v is not None] or [("-", "")]
                print(f"{indent}- {first[0]}: {first[1]}", file=out)
                _print_readable(dict(rest), out, indent + "  ")
            else:
                print(f"{indent}- {item}", file=out)
    else:
        print(f"{indent}{data}", file=out)


def _customer_uuid(args: argparse.Namespace) -> str:
    value = args.customer_uuid or os.environ.get("DING_CUSTOMER_UUID")
    if not value:
        raise UsageError("set DING_CUSTOMER_UUID or pass --customer-uuid")
    return str(value)


def _client(args: argparse.Namespace) -> Ding:
    if not os.environ.get("DING_API_KEY"):
        raise UsageError("set DING_API_KEY to your Ding API key")
    options: dict[str, Any] = {}
    if args.server_url:
        options["server_url"] = args.server_url
    if args.timeout is not None:
        options["timeout"] = args.timeout
    return Ding(**options)


# Each operation command: how to call the client with the parsed arguments.
_COMMANDS: dict[str, Callable[[Ding, argparse.Namespace], Any]] = {
    "send": lambda s, a: s.otp.create_authentication(
        components.CreateAuthenticationRequest(
            customer_uuid=_customer_uuid(a),
            phone_number=a.phone_number,
            **({"locale": a.locale} if a.locale else {}),
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

    parser = _Parser(prog="ding", description="Send and check one-time codes with the Ding API.")
    parser.add_argument("--version", action="version", version=f"ding {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    send = sub.add_parser("send", parents=[common], help="send a code to a phone number")
    send.add_argument("phone_number", help="E.164 number, e.g. +14155550123")
    send.add_argument("--locale", help="BCP-47 locale of the SMS, e.g. fr-FR")
    check = sub.add_parser("check", parents=[common], help="check the code a user typed")
    check.add_argument("authentication_uuid")
    check.add_argument("code")
    retry = sub.add_parser("retry", parents=[common], help="send a new code for an authentication")
    retry.add_argument("authentication_uuid")
    feedback = sub.add_parser(
        "feedback", parents=[common], help="report whether onboarding finished"
    )
    feedback.add_argument("phone_number")
    feedback.add_argument("status", choices=[s.value for s in components.FeedbackRequestStatus])
    status = sub.add_parser(
        "status", parents=[common], help="show an authentication and its events"
    )
    status.add_argument("authentication_uuid")
    lookup = sub.add_parser("lookup", parents=[common], help="look a phone number up")
    lookup.add_argument("phone_number")
    lookup.add_argument("--cnam", action="store_true", help="also ask for the caller name")
    demo = sub.add_parser(
        "demo", help="walk the whole OTP flow against the built-in fake Ding (no account needed)"
    )
    demo.add_argument("--json", action="store_true", help="print one JSON object per step")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        args = build_parser().parse_args(argv)
        if args.command == "demo":
            from ._demo import run_demo  # imports ding.testing, which the core never does

            run_demo(out, as_json=args.json)
            return 0
        with _client(args) as client:
            envelope = _COMMANDS[args.command](client, args)
        _print_payload(payload_of(envelope), out, as_json=args.json)
        return 0
    except (UsageError, errors.ValidationError) as exc:
        print(f"ding: error: {exc}", file=sys.stderr)
        return 2
    except errors.DingError as exc:
        print(f"ding: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ding: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into e.g. `head`, which stopped reading: not an error worth a trace.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit
        return 0


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def timed(step: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = step()
    return result, (time.perf_counter() - started) * 1000


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
