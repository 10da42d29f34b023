"""ding.AsyncDing with its defaults, building the typed request per call as an app would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import payloads
from measure import AsyncCall

import ding
from ding.models import components


@asynccontextmanager
async def open_client(base_url: str, concurrency: int, **options: Any) -> AsyncIterator[AsyncCall]:
    """``options``: more client options (the asyncding-otel styles give its providers)."""
    async with ding.AsyncDing(
        api_key=payloads.API_KEY,
        server_url=f"{base_url}/v1",
        **payloads.ding_options(),
        **options,
    ) as client:

        async def call() -> str:
            request = components.CreateAuthenticationRequest(
                customer_uuid=payloads.CUSTOMER_UUID, phone_number=payloads.PHONE_NUMBER
            )
            result = await client.otp.create_authentication(request=request)
            payload = result.create_authentication_response
            assert payload is not None
            return str(payload.authentication_uuid)

        yield call
