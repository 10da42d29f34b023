"""prelude-python-sdk's async client on its default httpx transport (see prelude_httpx_sync)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import payloads
from measure import AsyncCall
from prelude_python_sdk import AsyncPrelude


@asynccontextmanager
async def open_client(base_url: str, concurrency: int) -> AsyncIterator[AsyncCall]:
    async with AsyncPrelude(api_token=payloads.API_KEY, base_url=base_url) as client:

        async def call() -> str:
            target = {"type": "phone_number", "value": payloads.PHONE_NUMBER}
            return (await client.verification.create(target=target)).id  # type: ignore[arg-type]

        yield call
