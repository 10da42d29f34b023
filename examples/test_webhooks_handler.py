"""Test your own webhook handler end to end against the fake, with ding's pytest plugin.

    pip install . pytest  # in a checkout of ding (see Install)
    pytest examples/test_webhooks_handler.py

The plugin's fixtures: ``fake_ding`` (a FakeDing), ``ding_client`` (a ding.Ding pointed at
it), ``webhook_receiver`` (a loopback endpoint that parses what it gets and hands it to
your handler). The fake delivers for real over HTTP, redelivers what was not acknowledged
and injects the faults you ask for.
"""

from __future__ import annotations

import pytest

from ding.webhooks import AttemptEvent, RecentEventIds, WebhookEvent

PHONE = "+14155550100"


class SmsCosts:
    """The code under test: adds up what the messages of each authentication cost."""

    def __init__(self) -> None:
        self.seen = RecentEventIds()
        self.by_authentication: dict[str, float] = {}

    def __call__(self, event: WebhookEvent) -> None:
        if not self.seen.add(event.id):
            return  # a redelivery: already counted
        if isinstance(event, AttemptEvent) and event.price and event.auth_uuid:
            total = self.by_authentication.get(event.auth_uuid, 0.0)
            self.by_authentication[event.auth_uuid] = total + (event.price.amount or 0.0)


def test_each_message_is_counted_once(ding_client, fake_ding, webhook_receiver, ding_customer_uuid):
    costs = SmsCosts()
    webhook_receiver.handler = costs
    # Ding's usual troubles: an acknowledgement lost on the way back, and a duplicate.
    fake_ding.webhooks.fail_next(reached=True, event_type="attempt")
    fake_ding.webhooks.duplicate_next(event_type="authentication")

    res = ding_client.otp.create_authentication(
        {
            "customer_uuid": ding_customer_uuid,
            "phone_number": PHONE,
            "callback_url": webhook_receiver.url,
        }
    )
    auth_uuid = res.create_authentication_response.authentication_uuid
    fake_ding.webhooks.wait()  # until every event is acknowledged

    assert len(webhook_receiver.events) == 4  # 2 events, each received twice
    assert len(webhook_receiver.unique_events) == 2
    assert costs.by_authentication == {auth_uuid: pytest.approx(fake_ding.settings.attempt_price)}


def test_a_failing_handler_gets_the_event_again(
    ding_client, fake_ding, webhook_receiver, ding_customer_uuid
):
    calls = []

    def handler(event):
        calls.append(event.id)
        if len(calls) == 1:
            raise RuntimeError("database unavailable")  # answered 500: Ding redelivers

    webhook_receiver.handler = handler
    ding_client.otp.create_authentication(
        {
            "customer_uuid": ding_customer_uuid,
            "phone_number": PHONE,
            "callback_url": webhook_receiver.url,
        }
    )
    fake_ding.webhooks.wait()
    assert calls.count(calls[0]) == 2  # the first event, refused once, then taken
    assert [d.status for d in fake_ding.webhook_deliveries if d.event_id == calls[0]] == [500, 200]
