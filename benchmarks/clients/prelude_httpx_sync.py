"""prelude-python-sdk's sync client on its default httpx transport.

Prelude is the API Ding became; its SDK's way to send a code is `verification.create`
(POST /v2/verification), which the benchmark server answers with a Prelude-valid body.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import payloads
from measure import SyncCall
from prelude_python_sdk import Prelude


@contextmanager
def open_client(base_url: str, threads: int) -> Iterator[SyncCall]:
    with Prelude(api_token=payloads.API_KEY, base_url=base_url) as client:

        def call() -> str:
            target = {"type": "phone_number", "value": payloads.PHONE_NUMBER}
            return client.verification.create(target=target).id  # type: ignore[arg-type]

        yield call
