"""``raw_response``: the answer read the way code written for ``requests`` reads it.

The official client hands out a ``requests.Response``; code and tests read its
``status_code``, ``headers``, ``json()``, ``text``, ``request.headers`` ... :class:`RawResponse`
offers those over aiohttp's response, whose body ding has already read, so ``json()`` is a
value, not a coroutine. It costs one small slotted object per call; everything else is
computed when first read. aiohttp's own response stays reachable as ``aiohttp_response``, and
any other attribute (``status``, ``request_info``, ``cookies`` ...) is looked up there.

The API key never shows: ``request.headers`` masks ``x-api-key`` and no ``repr`` includes it.

What users read is declared (and documented) by the protocols of ``ding.models._raw``, which
these classes implement; type checkers see only those, so a typo after ``raw_response.`` is
flagged.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDict, CIMultiDictProxy

from .models import _raw
from .models.errors import SDKError

if TYPE_CHECKING:
    import aiohttp

__all__ = ["RawRequest", "RawResponse"]

_MASK = "***"
_SECRET_HEADERS = frozenset({"x-api-key", "authorization", "proxy-authorization"})


class RawRequest(_raw.RawRequest):
    """The request that produced a :class:`RawResponse`: ``method``, ``url``, ``headers``
    (as sent, the key masked) and ``body`` (bytes, or None for a GET)."""

    __slots__ = ("_headers", "body", "method", "url")

    method: str
    url: str
    body: bytes | None

    def __init__(self, method: str, url: str, headers: Any, body: bytes | None) -> None:
        self.method = method
        self.url = url
        self._headers = headers
        self.body = body

    @property
    def headers(self) -> CIMultiDictProxy[str]:
        masked = CIMultiDict(
            (k, _MASK if k.lower() in _SECRET_HEADERS else str(v)) for k, v in self._headers.items()
        )
        return CIMultiDictProxy(masked)

    def __repr__(self) -> str:
        return f"<RawRequest [{self.method}]>"


class RawResponse(_raw.RawResponse):
    """A ``requests.Response``-like view of one HTTP answer (body already read)."""

    __slots__ = ("_body", "_elapsed", "_encoding", "_request_body", "_text", "aiohttp_response")

    aiohttp_response: aiohttp.ClientResponse

    def __init__(
        self,
        response: aiohttp.ClientResponse,
        body: bytes,
        request_body: bytes | None = None,
        elapsed: float = 0.0,
    ) -> None:
        self.aiohttp_response = response  # closed: its body was read into ``content``
        self._body = body
        self._request_body = request_body
        self._elapsed = elapsed
        self._encoding: str | None = None
        self._text: str | None = None

    @property
    def status_code(self) -> int:
        return self.aiohttp_response.status

    @property
    def headers(self) -> CIMultiDictProxy[str]:
        return self.aiohttp_response.headers

    @property
    def content(self) -> bytes:
        return self._body

    @property
    def encoding(self) -> str | None:
        if self._encoding is None:
            self._encoding = self.aiohttp_response.charset
        return self._encoding

    @encoding.setter
    def encoding(self, value: str | None) -> None:
        self._encoding = value
        self._text = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._body.decode(self.encoding or "utf-8", errors="replace")
        return self._text

    def json(self, **kwargs: Any) -> Any:
        return json.loads(self._body, **kwargs)

    @property
    def url(self) -> str:
        return str(self.aiohttp_response.url)

    @property
    def reason(self) -> str:
        return self.aiohttp_response.reason or ""

    @property
    def ok(self) -> bool:
        return self.status_code < 400

    def __bool__(self) -> bool:
        return self.ok  # as requests.Response

    @property
    def elapsed(self) -> timedelta:
        return timedelta(seconds=self._elapsed)

    @property
    def request(self) -> RawRequest:
        info = self.aiohttp_response.request_info
        return RawRequest(info.method, str(info.url), info.headers, self._request_body)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise SDKError(f"{self.status_code} {self.reason}", self.status_code, self.text, self)

    if not TYPE_CHECKING:  # run time only: type checkers flag a typo after `raw_response.`

        def __getattr__(self, name: str) -> Any:
            # Anything else is aiohttp's (``status``, ``request_info``, ``cookies`` ...).
            if name.startswith("__") or name == "aiohttp_response":
                raise AttributeError(name)
            return getattr(self.aiohttp_response, name)

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}]>"

    def __reduce__(self) -> Any:
        raise TypeError("a RawResponse cannot be pickled (it holds a live aiohttp response)")
