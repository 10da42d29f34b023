"""The type of ``raw_response``: what an envelope or an error offers of the HTTP answer.

Declared here, apart from its implementation over aiohttp (``ding._raw_response``), so that
the models and the errors can name it without importing the HTTP layer: the implementation
raises :class:`~ding.models.errors.SDKError` from ``raise_for_status``, and the errors carry a
raw response, so naming the implementation would make the two modules import each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from datetime import timedelta

    import aiohttp
    from multidict import CIMultiDictProxy

__all__ = ["RawRequest", "RawResponse"]


@runtime_checkable
class RawRequest(Protocol):
    """The request that produced a :class:`RawResponse`, as sent (the API key masked)."""

    __slots__ = ()

    method: str
    """The HTTP method: ``GET`` or ``POST``."""
    url: str
    """The URL the request was sent to."""

    @property
    def headers(self) -> CIMultiDictProxy[str]:
        """The request headers as sent, case-insensitive, with ``x-api-key`` shown as ``***``."""
        ...

    body: bytes | None
    """The JSON body as sent, or None for a GET."""


@runtime_checkable
class RawResponse(Protocol):
    """One HTTP answer, read the way code written for ``requests.Response`` reads it (the
    official client hands out one): ``status_code``, ``headers``, ``json()``, ``text``,
    ``request.headers`` ... The body was read already, so ``json()`` is a value, not a
    coroutine. ``aiohttp_response`` is aiohttp's own response object."""

    __slots__ = ()

    aiohttp_response: aiohttp.ClientResponse
    """aiohttp's response object (closed: its body was read into ``content``)."""

    @property
    def status_code(self) -> int:
        """The HTTP status code, such as ``200``."""
        ...

    @property
    def headers(self) -> CIMultiDictProxy[str]:
        """The response headers; names are case-insensitive (``headers['content-type']``)."""
        ...

    @property
    def content(self) -> bytes:
        """The body, as received (decompressed)."""
        ...

    @property
    def encoding(self) -> str | None:
        """The charset of the ``Content-Type`` header (settable, as in ``requests``)."""
        ...

    @encoding.setter
    def encoding(self, value: str | None) -> None: ...

    @property
    def text(self) -> str:
        """The body decoded with ``encoding`` (UTF-8, the API's, when the header names none)."""
        ...

    def json(self, **kwargs: Any) -> Any:
        """The body parsed as JSON (a value; keyword arguments go to ``json.loads``)."""
        ...

    @property
    def url(self) -> str:
        """The URL the request was sent to."""
        ...

    @property
    def reason(self) -> str:
        """The reason phrase of the status line, such as ``OK``."""
        ...

    @property
    def ok(self) -> bool:
        """Whether the status code is below 400 (also the truth value, as in ``requests``)."""
        ...

    def __bool__(self) -> bool: ...

    @property
    def elapsed(self) -> timedelta:
        """Time from sending the request to having read the whole answer."""
        ...

    @property
    def request(self) -> RawRequest:
        """The request that produced this answer."""
        ...

    def raise_for_status(self) -> None:
        """Raise :class:`~ding.models.errors.SDKError` for a 4xx or 5xx answer (as
        ``requests`` raises its ``HTTPError``)."""
        ...
