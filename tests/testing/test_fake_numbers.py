"""Lookup metadata: only what the number says without phonenumbers, real metadata with it."""

from __future__ import annotations

import sys

import pytest

from ding.testing._numbers import number_metadata

from .conftest import CUSTOMER, RawApi


@pytest.fixture
def without_phonenumbers(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes `import phonenumbers` raise ImportError.
    monkeypatch.setitem(sys.modules, "phonenumbers", None)
    monkeypatch.setitem(sys.modules, "phonenumbers.carrier", None)


@pytest.mark.usefixtures("without_phonenumbers")
def test_without_phonenumbers_only_the_line_type_is_unknown() -> None:
    assert number_metadata("+14155552671") == {"line_type": "Unknown"}


@pytest.mark.usefixtures("without_phonenumbers")
@pytest.mark.asyncio
async def test_lookup_without_phonenumbers_still_answers_valid_numbers(api: RawApi) -> None:
    reply = await api.request("GET", "/lookup/%2B33612345678", headers={"customer-uuid": CUSTOMER})
    assert reply.status == 200
    assert reply.json == {
        "phone_number": "+33612345678",
        "line_type": "Unknown",
        "number_ported": False,
        "temporary_phone_number": False,
    }
    invalid = await api.request("GET", "/lookup/33612345678", headers={"customer-uuid": CUSTOMER})
    assert (invalid.status, invalid.json["code"]) == (400, "invalid_phone_number")


def test_with_phonenumbers_country_line_type_and_carrier() -> None:
    # The test sessions install the `testing` extra, so phonenumbers is always there.
    french_mobile = number_metadata("+33612345678")
    assert french_mobile["country_code"] == "FR"
    assert french_mobile["line_type"] == "Mobile"
    assert isinstance(french_mobile.get("carrier", ""), str)
    assert number_metadata("+442071838750") == {"line_type": "FixedLine", "country_code": "GB"}
    assert number_metadata("+18002752273")["line_type"] == "TollFree"
    # Syntactically E.164 but in no numbering plan: answered with nothing more to say.
    assert number_metadata("+1234567890") == {"line_type": "Unknown"}
