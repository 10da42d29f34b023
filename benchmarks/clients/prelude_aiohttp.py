"""prelude-python-sdk's async client on its aiohttp backend (`prelude-python-sdk[aiohttp]`).

The SDK documents `http_client=DefaultAioHttpClient()`, an httpx client whose transport is
aiohttp (the httpx-aiohttp package), so requests still pass through httpx's models.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx_aiohttp  # noqa: F401  # without the extra, fail at import: the runner reports "skipped"
import payloads
from measure import AsyncCall
from prelude_python_sdk import AsyncPrelude, DefaultAioHttpClient


@asynccontextmanager
async def open_client(base_url: str, concurrency: int) -> AsyncIterator[AsyncCall]:
    # The SDK closes the http_client it was given when it is closed itself.
    http_client = DefaultAioHttpClient()
    async with AsyncPrelude(
        api_token=payloads.API_KEY, base_url=base_url, http_client=http_client
    ) as client:

        async def call() -> str:
            target = {"type": "phone_number", "value": payloads.PHONE_NUMBER}
            return (await client.verification.create(target=target)).id  # type: ignore[arg-type]

        yield call
