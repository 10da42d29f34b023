"""The argument parser every command plugs into: the usage error (exit status 2), the options
the API commands share, the help's epilog, and :class:`Commands`, where a command module adds
its command."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NoReturn, TextIO

from .._servers import SERVERS

__all__ = ["EPILOG", "Commands", "Parser", "Run", "UsageError"]

EPILOG = f"""\
environment:
  DING_API_KEY        your API key (required, except by demo, fake and webhooks)
  DING_CUSTOMER_UUID  your customer uuid (or --customer-uuid)
  DING_SERVER_URL     the API's base URL (or --server-url; default: {SERVERS[0]})
  DING_LOG            debug: log each HTTP attempt to stderr; info: only retries, give-ups

exit status:
  0    success (a check that answers "invalid" succeeded: read its status)
  1    the API or the network failed the call; the message says what to do
  2    bad usage, or input the API would refuse: nothing was sent
  130  interrupted (Ctrl-C)
"""

Run = Callable[[argparse.Namespace, TextIO], int]
"""What a command does with its parsed arguments; prints to the stream, returns the exit status."""


class UsageError(Exception):
    """Bad command-line usage: exit status 2."""

    def __init__(self, message: str, prog: str = "ding") -> None:
        super().__init__(message)
        self.prog = prog


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.prog)


class Commands:
    """The subcommands of ``ding``: each command module's ``add_command(commands)`` calls
    :meth:`add` once per command it defines.

    Building the parser imports every command module (``ding --help`` lists them all), so a
    command module imports what its command needs (the client, aiohttp, the fake) inside the
    function that runs it, never at the top.
    """

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self._shared = Parser(add_help=False)
        self._shared.add_argument("--json", action="store_true", help="print JSON instead of text")
        self._shared.add_argument(
            "--server-url", help="API base URL (default: $DING_SERVER_URL or production)"
        )
        self._shared.add_argument(
            "--customer-uuid", help="your customer UUID (default: $DING_CUSTOMER_UUID)"
        )
        self._shared.add_argument("--timeout", type=float, help="seconds per attempt")
        self._sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def add(self, name: str, help: str, run: Run, *, api_options: bool = True) -> Parser:
        """Add ``ding <name>``, which calls ``run``; ``api_options`` adds the options of the
        commands that call the API (``--json``, ``--server-url``, ``--customer-uuid``,
        ``--timeout``). Returns its parser, for the command's own arguments."""
        parser: Parser = self._sub.add_parser(
            name,
            parents=[self._shared] if api_options else [],
            help=help,
            description=help,
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.set_defaults(run=run)
        return parser
