"""Randomized canaries (the API key, phone numbers, OTP codes, authentication uuids) and the
scanner that finds them in what an exporter sends.

Every run draws new values, so a leak cannot hide behind a value some code happens to know
(a fixed example number, a masked constant). Codes are ten digits (the fake is started with
``code_length=10``): a six-digit code would sometimes turn up by chance in the microseconds of
a timestamp, and the scan must never fail for that.
"""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

CODE_LENGTH = 10


def new_key() -> str:
    return "sk_live_" + secrets.token_hex(16)


def new_phone(rng: random.Random) -> str:
    """A French mobile number (+336 and eight random digits): valid E.164, never one of the
    fake's magic numbers (those are North American)."""
    return "+336" + "".join(rng.choice("0123456789") for _ in range(8))


def new_code(rng: random.Random) -> str:
    return "".join(rng.choice("123456789") for _ in range(CODE_LENGTH))


@dataclass
class Canaries:
    """Everything that must never leave the process through a tool."""

    api_key: str = field(default_factory=new_key)
    phones: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    auth_uuids: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "api_key": self.api_key,
            "phones": self.phones,
            "codes": self.codes,
            "auth_uuids": self.auth_uuids,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Canaries:
        return cls(data["api_key"], data["phones"], data["codes"], data["auth_uuids"])

    def forms(self) -> Iterator[tuple[str, str, str]]:
        """(kind, form, text) of every canary, in each spelling a tool might record.

        The key's two halves too: a tool that cuts a long value still leaks half a key.
        """
        key = self.api_key
        yield "api key", "whole", key
        yield "api key", "first half", key[: len(key) // 2]
        yield "api key", "second half", key[len(key) // 2 :]
        for phone in self.phones:
            digits = phone[1:]
            yield "phone number", "+E.164", phone
            yield "phone number", "%2B-encoded", "%2B" + digits
            yield "phone number", "%2b-encoded", "%2b" + digits
            yield "phone number", "bare digits", digits
            yield "phone number", "national digits", digits[2:]
        for code in self.codes:
            yield "OTP code", "digits", code


@dataclass(frozen=True)
class Leak:
    tool: str
    kind: str
    form: str
    where: str
    snippet: str

    def __str__(self) -> str:
        return f"{self.tool}: {self.kind} ({self.form}) at {self.where}: ...{self.snippet}..."


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, text) of every string (keys included) inside a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child + " (key)", str(key)
            yield from _walk(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value
    elif value is not None:
        yield path, json.dumps(value)


def _snippet(text: str, found: str) -> str:
    at = text.find(found)
    return text[max(0, at - 40) : at + len(found) + 20].replace("\n", " ")


def scan(tool: str, documents: list[tuple[str, Any]], canaries: Canaries) -> list[Leak]:
    """Every canary in ``documents`` ((label, parsed JSON or text)), one leak per kind, form
    and place: the more specific spelling of a phone number hides the less specific ones."""
    forms = list(canaries.forms())
    leaks: dict[tuple[str, str, str], Leak] = {}
    for label, document in documents:
        for path, text in _walk(document, label):
            found_kinds: set[str] = set()
            for kind, form, canary in forms:
                if canary not in text or kind in found_kinds:
                    continue
                found_kinds.add(kind)
                where = _place(path)
                leaks.setdefault((kind, form, where), Leak(tool, kind, form, path, ""))
                leak = leaks[(kind, form, where)]
                if not leak.snippet:
                    leaks[(kind, form, where)] = Leak(
                        tool, kind, form, path, _snippet(text, canary)
                    )
    return list(leaks.values())


def _place(path: str) -> str:
    """A path without its list indexes: one leak is reported once per place, not per span."""
    out, depth = [], 0
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def uuids_in_names(tool: str, names: list[tuple[str, str]], canaries: Canaries) -> list[Leak]:
    """Authentication uuids in span names or metric attributes ((where, text) pairs): a
    uuid there makes one series or one span name per authentication."""
    found = []
    for where, text in names:
        for auth_uuid in canaries.auth_uuids:
            if auth_uuid in text:
                found.append(Leak(tool, "authentication uuid", "uuid", where, text[:120]))
                break
    return found
