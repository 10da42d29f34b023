"""The floor: a bare aiohttp session posting the JSON body and parsing the JSON answer.

It does the work any client must do (serialise the body, send, check the status, parse the
response) and nothing else, with aiohttp's defaults, so AsyncDing's CPU per call is compared
against the least this transport can cost.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import payloads
from measure import AsyncCall


@asynccontextmanager
async def open_client(base_url: str, concurrency: int) -> AsyncIterator[AsyncCall]:
    url = f"{base_url}/v1/authentication"
    headers = {"x-api-key": payloads.API_KEY, "Accept": "application/json"}
    async with aiohttp.ClientSession(headers=headers) as session:

        async def call() -> str:
            body = {"customer_uuid": payloads.CUSTOMER_UUID, "phone_number": payloads.PHONE_NUMBER}
            async with session.post(url, json=body) as response:
                if response.status != 200:
                    raise RuntimeError(f"unexpected status {response.status}")
                answer = await response.json()
            return str(answer["authentication_uuid"])

        yield call
