"""Code written against the official client, ``ding-api-client`` 3.9.120, as snippets.

The official README and docs pages (``server_url=URL`` added so they reach the fake), and the
habits of code and tests written against that client: construction from settings, model
helpers, ``raw_response`` as a ``requests.Response``, error handlers, mocks. The same
snippets run unchanged on both clients (``run_snippets.py`` takes an interpreter's ``ding``;
``test_snippets.py`` runs them on ours in CI).

This module imports nothing but the standard library: the official client's venv loads it.
A snippet sees ``URL`` (a running fake, which accepts only the key ``KEY``), ``KEY``,
``CUSTOMER`` and ``PHONE``. A snippet with ``differs`` documents a behaviour ours changes on
purpose (docs/migrating.md says how to get the official one back): CI asserts it fails on ours.
"""

from __future__ import annotations

import importlib
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Snippet:
    name: str
    source: str
    """Where it comes from: the official README or docs page, or "idiom"."""
    code: str
    differs: str | None = None
    """Why ours deliberately behaves otherwise (the snippet is expected to fail on ours)."""


SNIPPETS: list[Snippet] = []


def snippet(name: str, source: str, code: str, differs: str | None = None) -> None:
    if any(s.name == name for s in SNIPPETS):
        raise ValueError(f"duplicate snippet name {name!r}")
    SNIPPETS.append(Snippet(name, source, textwrap.dedent(code).strip() + "\n", differs))


README = "official README"
OTP_DOCS = "official docs/sdks/otp"
LOOKUP_DOCS = "official docs/sdks/lookup"
MODEL_DOCS = "official docs/models"
IDIOM = "idiom"

# A helper many snippets start from: send a code, return the authentication uuid.
SEND = """
import ding
from ding.models import components, errors, operations

def send(s, phone=PHONE, customer=CUSTOMER):
    res = s.otp.create_authentication(request=components.CreateAuthenticationRequest(
        customer_uuid=customer, phone_number=phone))
    return res.create_authentication_response.authentication_uuid
"""


# The snippets, by theme: each module adds its own to SNIPPETS when imported.
THEMES = (
    "_readme",
    "_docs_pages",
    "_construction",
    "_imports",
    "_models",
    "_model_helpers",
    "_responses",
    "_errors",
    "_operations",
)
for _theme in THEMES:
    importlib.import_module(f"{__name__}.{_theme}")

__all__ = ["SNIPPETS", "THEMES", "Snippet", "snippet"]
