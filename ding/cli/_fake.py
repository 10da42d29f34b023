"""``ding fake``: the fake Ding API as a local server. Here, its options; the running
(``ding.testing._standalone``, the fake and asyncio) loads only when the command runs.

The options that are `FakeDing`'s own arguments carry the constructor's names (``--code-length``
is ``code_length``), and are passed to it as they are.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

from ._parser import Commands

__all__ = ["add_command"]

DEFAULT_PORT = 8787
HELP = "run the fake Ding API locally, with an inbox of the codes it sends"

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


def _limit(text: str) -> int | None:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text}")
    return value or None  # 0: no limit


def _schedule(text: str) -> tuple[float, ...]:
    try:
        return tuple(_seconds(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected seconds separated by commas, such as 0.5,1,2, got {text!r}"
        ) from None


# (name, type, default, help) of the options that are FakeDing's arguments. Their defaults
# are the constructor's, but for the port.
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
    ("send_rate_limit", _limit, 5, "codes per number per window, then rate_limited (5; 0: none)"),
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
_METAVARS: dict[Any, str] = {
    _seconds: "SECONDS",
    _schedule: "SECONDS,...",
    _limit: "N",
    int: "N",
    str: "ADDRESS",
}


def _add_options(group: Any, table: _Table) -> None:
    for name, kind, default, text in table:
        group.add_argument(
            "--" + name.replace("_", "-"),
            type=kind,
            default=default,
            metavar=_METAVARS[kind],
            help=text,
        )


def add_command(commands: Commands) -> None:
    parser = commands.add("fake", HELP, _run, api_options=False)
    parser.description = DESCRIPTION
    _add_options(parser.add_argument_group("where it listens"), _WHERE)
    who = parser.add_argument_group("who may call it")
    who.add_argument("--api-key", metavar="KEY", help="accept only this key (default: any)")
    who.add_argument(
        "--customer-uuid", metavar="UUID", help="accept only this customer uuid (default: any)"
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


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from ..testing._standalone import run_fake

    return run_fake(args, out)
