"""The record of every request the fake received, for tests to assert on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from multidict import CIMultiDictProxy, MultiDictProxy

from ._endpoints import Selector
from ._thread_safe import Records

__all__ = ["RecordedRequest", "RequestLog"]

_NOT_JSON: Any = object()


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it reached the fake, before any fault or handler acted on it.

    `path` is decoded (`/v1/lookup/+14155550100`), `raw_path` is exactly what was sent
    (`/v1/lookup/%2B14155550100`); `headers` is case-insensitive; `query` keeps repeated
    parameters (`query.getall("type")`). `operation` is the spec's operationId of the
    route that matched, or None; `fault` names the injected fault that answered instead
    of the real handler, or None.
    """

    method: str
    path: str
    raw_path: str
    query: MultiDictProxy[str]
    headers: CIMultiDictProxy[str]
    body: bytes
    operation: str | None
    fault: str | None
    received_at: datetime

    @property
    def json(self) -> Any:
        """The body parsed as JSON; None when the body is empty or not JSON."""
        parsed = self._parse()
        return None if parsed is _NOT_JSON else parsed

    def _parse(self) -> Any:
        if not self.body:
            return _NOT_JSON
        try:
            return json.loads(self.body)
        except ValueError:  # also UnicodeDecodeError
            return _NOT_JSON


class RequestLog(Records[RecordedRequest]):
    """Thread-safe append-only list of `RecordedRequest`."""

    def matching(self, selector: str) -> list[RecordedRequest]:
        wanted = Selector.parse(selector)
        return [r for r in self.all() if wanted.matches(r.operation, r.path)]
