"""ding.Ding, the sync facade. Threads share one client, as the design promises they can."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import payloads
from measure import SyncCall

import ding
from ding.models import components


@contextmanager
def open_client(base_url: str, threads: int) -> Iterator[SyncCall]:
    with ding.Ding(
        api_key=payloads.API_KEY, server_url=f"{base_url}/v1", **payloads.ding_options()
    ) as client:

        def call() -> str:
            request = components.CreateAuthenticationRequest(
                customer_uuid=payloads.CUSTOMER_UUID, phone_number=payloads.PHONE_NUMBER
            )
            payload = client.otp.create_authentication(
                request=request
            ).create_authentication_response
            assert payload is not None
            return str(payload.authentication_uuid)

        yield call
