"""Fixtures of the unit tests: aioresponses in place of the network, and a client on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from aioresponses import aioresponses

import ding

from ..conftest import BASE_URL
from ._mocked_api import FAST


@pytest.fixture
def mocked() -> Iterator[aioresponses]:
    with aioresponses() as m:
        yield m


@pytest_asyncio.fixture
async def client() -> AsyncIterator[ding.AsyncDing]:
    async with ding.AsyncDing(api_key="secret-key", server_url=BASE_URL, **FAST) as client:
        yield client
