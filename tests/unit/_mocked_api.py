"""The transport through the public clients with aioresponses standing in for the network:
what the test_transport_* modules share (the fixtures are in conftest.py)."""

from __future__ import annotations

from typing import Any

from aioresponses import aioresponses
from yarl import URL

from ding.models import components as c
from ding.utils import BackoffStrategy, RetryConfig

from ..conftest import AUTH_UUID, BASE_URL, CUSTOMER_UUID, MOCKED_RESPONSE_CLASS, PHONE

FAST = {
    "retry_config": RetryConfig("backoff", BackoffStrategy(1, 2, 1.5, 5000), True),
    "max_retries": 2,
}
CREATE = c.CreateAuthenticationRequest(customer_uuid=CUSTOMER_UUID, phone_number=PHONE)
AUTH_OK = {"authentication_uuid": AUTH_UUID, "status": "pending"}


def calls(m: aioresponses, method: str, path: str) -> list[Any]:
    return m.requests.get((method, URL(BASE_URL + path)), [])


def register(m: aioresponses, method: str, path: str, repeat: bool = True, **kwargs: Any) -> None:
    m.add(BASE_URL + path, method, repeat=repeat, response_class=MOCKED_RESPONSE_CLASS, **kwargs)
