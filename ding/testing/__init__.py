"""An offline, stateful fake of the Ding API for tests and demos.

    from ding.testing import FakeDing

    async with FakeDing() as fake:                 # in async code
        client = ding.AsyncDing(api_key="k", server_url=fake.url)

    with FakeDing.running() as fake:               # in sync code (server on its own thread)
        client = ding.Ding(api_key="k", server_url=fake.url)

With a ``callback_url``, the fake also delivers webhook events (``fake.webhooks``); a
`WebhookReceiver` takes them on a loopback port and parses them with ``ding.webhooks``.

The fake is an `aiohttp.web` server that validates raw JSON against the API contract on its
own: it imports nothing from the client, so it can judge the client's requests.
"""

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
