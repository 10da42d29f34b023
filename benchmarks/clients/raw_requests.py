"""The sync floor: one requests.Session posting the JSON body and parsing the JSON answer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import payloads
import requests
from measure import SyncCall
from requests.adapters import HTTPAdapter


def session_for(threads: int) -> requests.Session:
    """A Session whose pool holds one connection per thread.

    urllib3 keeps at most 10 connections per host by default; with 16 threads the extra ones
    would be opened and thrown away on every call, which measures a misconfiguration rather
    than the library. Sequential use keeps requests' defaults.
    """
    session = requests.Session()
    if threads > 10:
        session.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=threads))
    return session


@contextmanager
def open_client(base_url: str, threads: int) -> Iterator[SyncCall]:
    url = f"{base_url}/v1/authentication"
    with session_for(threads) as session:
        session.headers.update({"x-api-key": payloads.API_KEY, "Accept": "application/json"})

        def call() -> str:
            body = {"customer_uuid": payloads.CUSTOMER_UUID, "phone_number": payloads.PHONE_NUMBER}
            response = session.post(url, json=body)
            if response.status_code != 200:
                raise RuntimeError(f"unexpected status {response.status_code}")
            return str(response.json()["authentication_uuid"])

        yield call
