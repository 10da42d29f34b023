"""An offline, stateful fake of the Ding API for tests and demos.

    from ding.testing import FakeDing

    async with FakeDing() as fake:                 # in async code
        client = ding.AsyncDing(api_key="k", server_url=fake.url)

    with FakeDing.running() as fake:               # in sync code (server on its own thread)
        client = ding.Ding(api_key="k", server_url=fake.url)

With a ``callback_url``, the fake also delivers webhook events (``fake.webhooks``); a
`WebhookReceiver` takes them on a loopback port and parses them with ``ding.webhooks``.

The fake is an `aiohttp.web` server that validates raw JSON against the API contract on its
own, without the client's models, converter or transport, so that a bug there cannot hide
from it. It borrows the client's loop thread (to serve in the background) and, in the
webhook receiver, `ding.webhooks`.

The ``ding fake`` command runs it as a local server, with an inbox page at
its root and ``GET /_fake/code?phone_number=`` for end-to-end tests.
"""

from typing import TYPE_CHECKING

from .._lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from ._authentication import AuthenticationInfo
    from ._clock import FakeClock
    from ._fake import FakeDing
    from ._log import RecordedRequest
    from ._magic import MagicNumbers
    from ._receiver import ReceivedWebhook, WebhookReceiver
    from ._webhook_faults import WebhookDelivery
    from ._webhooks import FakeWebhooks

__all__ = [
    "AuthenticationInfo",
    "FakeClock",
    "FakeDing",
    "FakeWebhooks",
    "MagicNumbers",
    "ReceivedWebhook",
    "RecordedRequest",
    "WebhookDelivery",
    "WebhookReceiver",
]

# Where each name lives: loaded on first use, so that pytest loading the plugin
# (ding.testing.pytest_plugin, in every test run of a project that has ding installed)
# imports neither the fake's aiohttp.web server nor the client.
_NAMES = {
    "AuthenticationInfo": "._authentication",
    "FakeClock": "._clock",
    "FakeDing": "._fake",
    "FakeWebhooks": "._webhooks",
    "MagicNumbers": "._magic",
    "ReceivedWebhook": "._receiver",
    "RecordedRequest": "._log",
    "WebhookDelivery": "._webhook_faults",
    "WebhookReceiver": "._receiver",
}


# Run time only: type checkers read the names from the imports above, so a misspelt one is
# flagged rather than typed by __getattr__ (and `pyright --verifytypes` sees no untyped name).
if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy_names(__name__, _NAMES)
