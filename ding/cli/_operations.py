"""The commands that call the API, one per operation: ``send``, ``check``, ``retry``,
``feedback``, ``status``, ``lookup``. Each prints the answer's payload (text or ``--json``);
a failure is one line on stderr that says what to do."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from .._servers import SERVERS
from ..models import components, errors, operations
from ._parser import Commands, UsageError

if TYPE_CHECKING:
    from .._sync_client import Ding

__all__ = ["add_commands"]


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
    from .._sync_client import Ding  # the client (and aiohttp) load for a call, not for --help

    return Ding(**options)


# Each operation command: how to call the client with the parsed arguments.
_CALLS: dict[str, Callable[[Ding, argparse.Namespace], Any]] = {
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


def add_commands(commands: Commands) -> None:
    send = commands.add("send", "send a code to a phone number", run_operation)
    send.add_argument("phone_number", help="E.164 number, e.g. +14155550123")
    send.add_argument("--locale", help="BCP-47 locale of the SMS, e.g. fr-FR")
    send.add_argument("--callback-url", help="where Ding sends this authentication's webhooks")
    check = commands.add("check", "check the code a user typed", run_operation)
    check.add_argument("authentication_uuid")
    check.add_argument("code")
    retry = commands.add("retry", "send a new code for an authentication", run_operation)
    retry.add_argument("authentication_uuid")
    feedback = commands.add("feedback", "report whether onboarding finished", run_operation)
    feedback.add_argument("phone_number")
    feedback.add_argument("status", choices=[s.value for s in components.FeedbackRequestStatus])
    status = commands.add("status", "show an authentication and its events", run_operation)
    status.add_argument("authentication_uuid")
    lookup = commands.add("lookup", "look a phone number up", run_operation)
    lookup.add_argument("phone_number")
    lookup.add_argument("--cnam", action="store_true", help="also ask for the caller name")


def run_operation(args: argparse.Namespace, out: TextIO) -> int:
    # What a call needs and `ding --help` does not (aiohttp, a logging handler, the output).
    from ._error_messages import describe_error
    from ._output import payload_of, print_payload
    from ._retry_progress import RetryProgress

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
                envelope = _CALLS[args.command](client, args)
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
