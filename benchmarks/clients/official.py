"""ding-api-client, the official (Speakeasy-generated, requests-based) client.

It runs in its own virtualenv: it installs a top-level package named `ding`, the same name as
this project's. It gets the same Session configuration as the raw requests style.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import payloads
from measure import SyncCall

from clients.raw_requests import session_for

# The official package, imported by name at run time: to a type checker (and in the project's
# own environment) `ding` means this project, whose constructor differs.
official: Any = importlib.import_module("ding")
components: Any = importlib.import_module("ding.models.components")


@contextmanager
def open_client(base_url: str, threads: int) -> Iterator[SyncCall]:
    with session_for(threads) as session:
        client = official.Ding(
            api_key=payloads.API_KEY, server_url=f"{base_url}/v1", client=session
        )

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
