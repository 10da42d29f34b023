"""The ``ding`` command line: one command per operation, ``demo`` against the fake, ``fake``
(the fake as a local server) and ``webhooks listen``, a local receiver for webhook events.

Reads ``DING_API_KEY``, ``DING_CUSTOMER_UUID`` and ``DING_SERVER_URL``. Exit status: 0 on
success, 1 when the API (or the network) fails the call, 2 on bad usage. Errors are one
line on stderr that says what to do, never a traceback.

Imported by every ``ding`` run, ``--help`` included: the client (and aiohttp with it), the
demo's fake and the webhook receiver are imported only by the commands that use them.

- ``_main``: ``main`` and the list of commands; ``_parser``: what every command plugs into.
- One module per command (or family): ``_operations`` (the API calls), ``_demo``, ``_fake``,
  ``_webhooks``.
- What they print: ``_output`` (payloads), ``_error_messages`` (failures),
  ``_retry_progress`` and ``_countdown`` (the waits before a retry).
"""

from ._main import build_parser, main

__all__ = ["build_parser", "main"]
