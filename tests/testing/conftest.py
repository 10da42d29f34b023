"""Fixtures for the fake's own tests: a started fake and a raw aiohttp caller.

The fake is driven with plain aiohttp requests, never the ding client, so these tests
judge the fake against the spec alone.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from ding.testing import FakeClock, FakeDing

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
OTHER_CUSTOMER = "0b7d4f5e-4a0a-4c52-9a35-7d1f2f6e8c11"
PHONE = "+14155550100"
API_KEY = "test-key"
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class RawApi:
    """Plain HTTP calls to a fake, with the API key set unless told otherwise."""

    session: aiohttp.ClientSession
    url: str
    api_key: str | None = API_KEY

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        params: Any = None,
    ) -> Reply:
        all_headers = {} if self.api_key is None else {"x-api-key": self.api_key}
        all_headers.update(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            all_headers.setdefault("Content-Type", "application/json")
        async with self.session.request(
            method, self.url + path, data=data, headers=all_headers, params=params
        ) as response:
            return Reply(response.status, dict(response.headers), await response.read())

    async def post(self, path: str, body: Any, **kwargs: Any) -> Reply:
        return await self.request("POST", path, body=body, **kwargs)

    async def send(self, phone_number: str = PHONE, **fields: Any) -> dict[str, Any]:
        """Create an authentication; returns the 200 body."""
        reply = await self.post(
            "/authentication", {"customer_uuid": CUSTOMER, "phone_number": phone_number, **fields}
        )
        assert reply.status == 200, reply.body
        result: dict[str, Any] = reply.json
        return result

    async def check(self, auth_uuid: str, code: str) -> str:
        reply = await self.post(
            "/check",
            {"customer_uuid": CUSTOMER, "authentication_uuid": auth_uuid, "check_code": code},
        )
        assert reply.status == 200, reply.body
        status: str = reply.json["status"]
        return status

    async def retry(self, auth_uuid: str) -> dict[str, Any]:
        reply = await self.post(
            "/retry", {"customer_uuid": CUSTOMER, "authentication_uuid": auth_uuid}
        )
        assert reply.status == 200, reply.body
        result: dict[str, Any] = reply.json
        return result


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest_asyncio.fixture
async def fake(request: pytest.FixtureRequest, clock: FakeClock) -> AsyncIterator[FakeDing]:
    """A running fake on the test's loop; `@pytest.mark.options(...)` configures it."""
    marker = request.node.get_closest_marker("options")
    options = {} if marker is None else dict(marker.kwargs)
    async with FakeDing(clock=clock, seed=7, **options) as started:
        yield started


@pytest_asyncio.fixture
async def api(fake: FakeDing) -> AsyncIterator[RawApi]:
    async with aiohttp.ClientSession() as session:
        yield RawApi(session, fake.url)


@pytest_asyncio.fixture
async def fresh_api(fake: FakeDing) -> AsyncIterator[RawApi]:
    """One connection per request: aiohttp silently resends an idempotent request that a
    reused keep-alive connection lost, which would hide connection-level faults."""
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        yield RawApi(session, fake.url)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "options(**kwargs): FakeDing options for `fake`")


def without_slow_callback_notes(stderr: str) -> str:
    """In dev mode asyncio logs every loop step over 0.1 s ("Executing <Task ...> took 0.101
    seconds"): on a busy machine that is the machine, not the fake."""
    lines = stderr.splitlines(keepends=True)
    return "".join(
        line for line in lines if not (line.startswith("Executing <") and " took " in line)
    )
