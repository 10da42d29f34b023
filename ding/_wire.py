"""Request building and response decoding as pure functions (no sockets, no event loop).

Tests drive these with plain values; the transport only moves their bytes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from ._endpoints import Endpoint
from .models import errors
from .models._converter import request_to_json, structure

Envelope = TypeVar("Envelope")


def _uuid_as_text(value: object) -> str:
    # A uuid.UUID assigned to a request field after construction (stored as given).
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# Compact JSON text of a request's object: one encoder for every call, through the public
# API. A request's object comes from the converter (scalars only, no containers the caller
# built), so it cannot hold a cycle and the cycle check (a dict per call) is skipped.
_encode_json = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False, check_circular=False, default=_uuid_as_text
).encode
JSON = "application/json"


class PreparedRequest:
    """The bytes of one call, ready for the transport.

    A plain slotted class rather than an attrs one: it is built on every call, and defining
    it costs no class generation when ``ding`` is imported.
    """

    __slots__ = (
        "body",
        "content_type",
        "fixed_url",
        "headers",
        "method",
        "path",
        "template",
        "url",
    )

    def __init__(
        self,
        method: str,
        url: str,
        path: str,
        headers: Mapping[str, str] | None,
        body: bytes | None,
        content_type: str | None,
        fixed_url: bool,
        template: str | None = None,
    ) -> None:
        self.method = method
        self.url = url
        """Fully encoded URL: path parameters percent-encoded, query string built."""
        self.path = path
        """The encoded path below the server URL."""
        self.template = url if template is None else template
        """The URL with the path parameters as placeholders (``.../lookup/{phone_number}``)
        and no query: all that instrumentation, logs and errors may show of it."""
        self.headers = headers
        """Headers of this request beyond those the session already sends (None: none)."""
        self.body = body
        self.content_type = content_type
        self.fixed_url = fixed_url
        """The URL is the same on every call of this endpoint (no path or query parameters)."""

    def __repr__(self) -> str:
        # Error trackers print the reprs of a frame's variables: no header (the key), no
        # path parameter (a phone number), no body (a code), only its size.
        size = "no body" if self.body is None else f"body of {len(self.body)} bytes"
        return f"PreparedRequest({self.method} {self.template}, {size})"


def build_request(
    endpoint: Endpoint[Any],
    *,
    base_url: str,
    headers: Mapping[str, str] | None,
    body: Any = None,
    path_params: Mapping[str, str] | None = None,
    query: Sequence[tuple[str, str]] = (),
) -> PreparedRequest:
    """The bytes of one call; ``headers`` are passed through as the transport chose them."""
    path = template = endpoint.path
    if path_params:
        # safe="" so a value can never add a path segment, a query or a fragment.
        path = path.format_map({k: quote(v, safe="") for k, v in path_params.items()})
    url = base_url + path
    if query:
        url += "?" + urlencode(query)
    payload = None
    if body is not None:
        payload = _encode_json(request_to_json(body)).encode()
    return PreparedRequest(
        endpoint.method,
        url,
        path,
        headers,
        payload,
        JSON if payload is not None else None,
        not path_params and not query,
        base_url + template,
    )


def _error_body(text: str) -> dict[str, Any] | None:
    """The API's error object if ``text`` is one, else None."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        return None
    if isinstance(data, dict) and ("code" in data or "message" in data):
        return data
    return None


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def error_for_status(
    *,
    status: int,
    body: bytes,
    headers: Mapping[str, str],
    raw: Any,
    attempts: int,
    retry_after: float | None,
) -> errors.SDKError:
    """The exception for a non-2xx answer."""
    text = body.decode("utf-8", errors="replace")
    common: dict[str, Any] = {"headers": headers, "retry_after": retry_after, "attempts": attempts}
    if status == 429 or (status == 503 and retry_after is not None):
        return errors.RateLimitError("Rate limited", status, text, raw, **common)
    api_error = _error_body(text)
    if api_error is not None:
        message = api_error.get("message")
        doc_url = api_error.get("doc_url")
        return errors.ErrorResponse(
            errors._known_code(_text_or_none(api_error.get("code"))),
            message if isinstance(message, str) else None,
            doc_url if isinstance(doc_url, str) else None,
            status_code=status,
            body=text,
            raw_response=raw,
            **common,
        )
    return errors.SDKError("API error occurred", status, text, raw, **common)


def _invalid(
    status: int, body: bytes, raw: Any, attempts: int, reason: str
) -> errors.ResponseValidationError:
    return errors.ResponseValidationError(
        reason,
        status,
        body.decode("utf-8", errors="replace"),
        raw,
        attempts=attempts,
        headers=getattr(raw, "headers", None),
    )


def _loads(body: bytes) -> Any:
    """``json.loads(body)``, minus its encoding guess (Python code) in the common case: by the
    same rules (RFC 8259, section 8.1), an object whose second byte is not NUL is UTF-8."""
    if body[:1] == b"{" and body[1:2] != b"\x00":
        return json.loads(body.decode("utf-8", "surrogatepass"))
    return json.loads(body)


def decode_response(
    endpoint: Endpoint[Envelope],
    *,
    status: int,
    content_type: str,
    body: bytes,
    raw: Any,
    attempts: int,
) -> Envelope:
    """The envelope for a 2xx answer; a body that is not the promised JSON is an SDKError."""
    if "json" not in content_type:
        raise _invalid(
            status,
            body,
            raw,
            attempts,
            f"unexpected content-type {content_type!r} (expected application/json)",
        )
    try:
        data = _loads(body)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise _invalid(
            status, body, raw, attempts, f"response body is not valid JSON ({exc})"
        ) from exc
    try:
        payload = structure(data, endpoint.response_model)
    except Exception as exc:  # cattrs raises several types; all mean "wrong shape"
        from .models._structure_errors import describe_failure

        raise _invalid(
            status,
            body,
            raw,
            attempts,
            f"response body does not match {endpoint.response_model.__name__} "
            f"({describe_failure(exc)})",
        ) from exc
    # Positional, in every envelope's field order: content_type, status_code, raw_response,
    # then the payload (its field is `endpoint.payload_field`).
    return endpoint.envelope(content_type, status, raw, payload, attempts=attempts)  # type: ignore[call-arg]
