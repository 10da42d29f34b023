"""``ding webhooks listen``: a local receiver that prints every webhook event it gets.

The receiver (``ding.testing``), the webhook parser and asyncio load when the command runs,
not for ``ding --help``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import TYPE_CHECKING, TextIO

from ._parser import Commands, Parser, UsageError

if TYPE_CHECKING:
    from ..testing import ReceivedWebhook

__all__ = ["add_command", "describe_event", "listen"]


def add_command(commands: Commands) -> None:
    webhooks = commands.add("webhooks", "receive webhook events locally", _run, api_options=False)
    webhooks_sub = webhooks.add_subparsers(
        dest="webhooks_command", metavar="SUBCOMMAND", parser_class=Parser
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


def _run(args: argparse.Namespace, out: TextIO) -> int:
    if args.webhooks_command is None:
        raise UsageError("say what to do: ding webhooks listen", "ding webhooks")
    return listen(args, out)


def describe_event(record: ReceivedWebhook) -> str:
    """One line for a request: the event (phone number masked) and what was answered."""
    from .._logging import mask_phone
    from ..webhooks import AttemptEvent, UnknownEvent

    event = record.event
    if event is None:
        return f"-> {record.status}  not an event: {record.error}"
    parts = [f"{event.type}", f"id={event.id}", f"auth_uuid={event.auth_uuid}"]
    if not isinstance(event, UnknownEvent):
        if event.recipient_phone_number:
            parts.append(f"to={mask_phone(event.recipient_phone_number)}")
        if event.price is not None:
            parts.append(f"price={event.price.amount} {event.price.currency}")
        if event.time is not None:
            parts.append(f"time={event.time.isoformat()}")
    if isinstance(event, AttemptEvent):
        parts.append(f"attempt_number={event.attempt_number}")
        parts.append(f"status={event.status}")
    answered = f"-> {record.status}" + (f" ({record.error})" if record.error else "")
    return f"{answered}  " + " ".join(parts)


def listen(args: argparse.Namespace, out: TextIO) -> int:
    import asyncio

    from ..testing import WebhookReceiver
    from ..testing._serving import until_interrupted
    from ..webhooks._events import event_json

    def show(record: ReceivedWebhook) -> None:
        if args.json:
            data = None if record.event is None else event_json(record.event)
            line = json.dumps({"status": record.status, "event": data, "error": record.error})
        else:
            line = describe_event(record)
        print(line, file=out, flush=True)

    async def serve() -> None:
        receiver = WebhookReceiver(host=args.host, port=args.port, path=args.path)
        receiver.on_received = show
        if args.fail:
            receiver.fail_next(args.fail)
        try:
            await receiver.start()
        except OSError as exc:
            raise SystemExit(
                f"ding webhooks listen: cannot listen on {args.host}:{args.port}: "
                f"{exc.strerror or exc} (choose another --port, or 0 for any free one)"
            ) from None
        try:
            print(
                f"ding webhooks listen: receiving on {receiver.url} (Ctrl-C to stop)",
                file=sys.stderr,
                flush=True,
            )
            await until_interrupted()
        finally:
            await receiver.close()

    with contextlib.suppress(KeyboardInterrupt):  # where the loop takes no signals (Windows)
        asyncio.run(serve())
    print("ding webhooks listen: stopped", file=sys.stderr)
    return 0
