"""``main``: parse the command line, run the command, turn what went wrong into an exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from .._version import __version__
from . import _demo, _fake, _operations, _webhooks
from ._parser import EPILOG, Commands, Parser, Run, UsageError

__all__ = ["build_parser", "main"]

# Every command, in the order `ding --help` lists them. A new command is a module with an
# `add_command(commands)` function (see `_parser.Commands`) and one line here.
COMMANDS: tuple[Callable[[Commands], None], ...] = (
    _operations.add_commands,
    _demo.add_command,
    _fake.add_command,
    _webhooks.add_command,
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="ding",
        description="Send and check one-time codes with the Ding API.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ding {__version__}")
    commands = Commands(parser)
    for add_command in COMMANDS:
        add_command(commands)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        run: Run = args.run
        return run(args, out)
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
