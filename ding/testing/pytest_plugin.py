"""pytest fixtures for code that talks to Ding, backed by `ding.testing.FakeDing`.

Installed as the ``ding`` pytest plugin (a ``pytest11`` entry point), so the fixtures are
available without any import:

    def test_login(ding_client, fake_ding, ding_customer_uuid): ...

    @pytest.mark.fake_ding(code_length=4, max_retries=1)     # options for FakeDing
    def test_short_codes(fake_ding): ...

    def test_webhooks(ding_client, fake_ding, webhook_receiver): # events, end to end
        ...create_authentication(..., callback_url=webhook_receiver.url)...
        events = webhook_receiver.wait_for(2)

Everything heavy is imported inside the fixtures: loading this plugin (which pytest does in
every project where ding is installed) costs nothing.

One fake serves the whole session and is reset before each test that takes it (state, request
log, faults, webhook deliveries and their faults, work under way, and a frozen clock at the
current time): each test sees a fresh fake, without paying for a new server. A test with a
``fake_ding`` marker gets a fake of its own, built with the marker's options.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import ding
    from ding.testing import FakeDing, WebhookReceiver

__all__ = [
    "CUSTOMER_UUID",
    "TEST_API_KEY",
    "async_ding_client",
    "ding_client",
    "ding_customer_uuid",
    "fake_ding",
    "webhook_receiver",
]

# The customer uuid of the spec's examples; any valid uuid works with the default fake.
CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
TEST_API_KEY = "test-key"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fake_ding(**options): keyword arguments for the FakeDing behind the fake_ding "
        "fixture (see ding.testing.FakeDing)",
    )


@pytest.fixture(scope="session")
def _ding_shared_fake() -> Iterator[FakeDing]:
    """The fake `fake_ding` hands every test without a marker, reset for each."""
    from ding.testing import FakeDing

    with FakeDing.running() as fake:
        yield fake


@pytest.fixture
def fake_ding(request: pytest.FixtureRequest) -> Iterator[FakeDing]:
    """A fresh `FakeDing` served from a background thread, for sync and async tests alike.

    Without a marker, the session's fake, reset; with ``@pytest.mark.fake_ding(...)``, a fake
    of its own with those options.
    """
    marker = request.node.get_closest_marker("fake_ding")
    if marker is not None:
        if marker.args:
            raise TypeError("@pytest.mark.fake_ding takes keyword arguments only")
        from ding.testing import FakeDing

        with FakeDing.running(**marker.kwargs) as fake:
            yield fake
        return
    shared: FakeDing = request.getfixturevalue("_ding_shared_fake")
    # What a new `FakeDing()` has: a frozen clock at the current whole second (and, since
    # the last test using it ended with a reset, nothing else).
    shared.clock.freeze()
    shared.clock.set(datetime.now(timezone.utc).replace(microsecond=0))
    try:
        yield shared
    finally:
        shared.reset()  # nothing of this test goes on running into the next one


@pytest.fixture
def ding_customer_uuid() -> str:
    """A fixed, valid customer uuid."""
    return CUSTOMER_UUID


@pytest.fixture
def ding_client(fake_ding: FakeDing) -> Iterator[ding.Ding]:
    """A sync `ding.Ding` pointed at `fake_ding`, closed after the test."""
    import ding

    client = ding.Ding(api_key=TEST_API_KEY, server_url=fake_ding.url)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def async_ding_client(fake_ding: FakeDing) -> ding.AsyncDing:
    """An `ding.AsyncDing` pointed at `fake_ding`.

    A plain fixture on purpose: the client opens its session lazily in the loop of the test
    that first awaits it and closes it when that loop shuts down, so no async fixture (and
    no particular async plugin) is needed.
    """
    import ding

    return ding.AsyncDing(api_key=TEST_API_KEY, server_url=fake_ding.url)


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """A loopback webhook endpoint served from its own thread, for sync and async tests.

    Give ``webhook_receiver.url`` as the ``callback_url``; ``webhook_receiver.events`` are
    the events received, parsed with ``ding.webhooks.parse_event`` (redeliveries included;
    ``unique_events`` has each id once), and ``wait_for(n)`` waits for them. Set
    ``webhook_receiver.handler`` to your own handler (a function or coroutine function
    taking the event) to test it end to end: if it raises, the receiver answers 500 and
    the fake redelivers. ``fail_next(n, status)`` makes the receiver refuse the next
    requests.
    """
    from ding.testing import WebhookReceiver

    with WebhookReceiver.running() as receiver:
        yield receiver
