"""Lookup metadata for a phone number, from `phonenumbers` when it is installed.

The fake keeps no numbering data of its own: without `phonenumbers` it only knows what the
number itself says (it is syntactically E.164), so the answer carries the number and
`line_type: "Unknown"`; with it, the country and line type (and the original carrier, where
the package ships carrier data) come from Google's libphonenumber metadata.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["number_metadata"]

# libphonenumber's PhoneNumberType names -> the spec's line_type values. FIXED_LINE_OR_MOBILE
# (most North American numbers) cannot be told apart, so it is honestly "Unknown".
_LINE_TYPES = {
    "FIXED_LINE": "FixedLine",
    "MOBILE": "Mobile",
    "FIXED_LINE_OR_MOBILE": "Unknown",
    "TOLL_FREE": "TollFree",
    "PREMIUM_RATE": "PremiumRate",
    "SHARED_COST": "SharedCost",
    "VOIP": "Voip",
    "PERSONAL_NUMBER": "Other",
    "PAGER": "Pager",
    "UAN": "UniversalAccess",
    "VOICEMAIL": "VoiceMail",
    "UNKNOWN": "Unknown",
}


def _optional_module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def number_metadata(e164: str) -> dict[str, Any]:
    """`line_type`, plus `country_code` and `carrier` where known, for a valid E.164 number."""
    phonenumbers = _optional_module("phonenumbers")
    if phonenumbers is None:
        return {"line_type": "Unknown"}
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return {"line_type": "Unknown"}
    if not phonenumbers.is_valid_number(parsed):
        # Syntactically E.164 but outside any numbering plan (the spec's own example
        # "+1234567890" is one): still answered, with nothing more to say about it.
        return {"line_type": "Unknown"}
    result: dict[str, Any] = {"line_type": _line_type(phonenumbers, parsed)}
    region = phonenumbers.region_code_for_number(parsed)
    if region:
        result["country_code"] = region
    # phonenumberslite ships without the carrier data.
    carrier = _optional_module("phonenumbers.carrier")
    if carrier is not None:
        name = carrier.name_for_number(parsed, "en")
        if name:
            result["carrier"] = name
    return result


def _line_type(phonenumbers: ModuleType, parsed: Any) -> str:
    number_type = phonenumbers.number_type(parsed)
    for name, line_type in _LINE_TYPES.items():
        if getattr(phonenumbers.PhoneNumberType, name, None) == number_type:
            return line_type
    return "Unknown"
