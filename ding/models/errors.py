"""Everything the SDK raises derives from :class:`DingError`.

``SDKError`` keeps the official client's constructor order (message, status_code, body,
raw_response) so code written against it keeps working. Every exception can be pickled
(Celery moves them between processes): ``raw_response`` holds the live aiohttp response,
which cannot cross a process boundary, so pickling drops it and keeps everything else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._enum import ValueEnum

if TYPE_CHECKING:
    from ._raw import RawResponse

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "ClientClosedError",
    "Code",
    "DingError",
    "ErrorResponse",
    "InsecureTransportWarning",
    "ProxyError",
    "RateLimitError",
    "ReentrantCallError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "SDKError",
    "ValidationError",
    "WebhookError",
]


class Code(ValueEnum):
    """A machine-readable code that describes the error: ``ErrorResponse.code``.

    A code this version of the SDK does not know yet is kept as a plain ``str``; compare
    with ``==`` (``e.code == Code.INVALID_PHONE_NUMBER`` and ``e.code == "invalid_phone_number"``
    both work).
    """

    INVALID_PHONE_NUMBER = "invalid_phone_number"
    """The phone number is not a valid phone number (the call refuses one that is not E.164)."""
    INTERNAL_SERVER_ERROR = "internal_server_error"
    """Something went wrong on Ding's side (status 500)."""
    BAD_REQUEST = "bad_request"
    """The request is malformed: a missing field, a wrong type, a value out of range."""
    ACCOUNT_INVALID = "account_invalid"
    """The API key or the customer UUID names no valid account (also raised by the
    call, with status 401, when no API key is set)."""
    NEGATIVE_BALANCE = "negative_balance"
    """The account's balance is negative: no code can be sent until it is topped up."""
    INVALID_LINE = "invalid_line"
    """The line cannot receive messages (a landline, for example)."""
    UNSUPPORTED_REGION = "unsupported_region"
    """Ding does not send to the phone number's country or region."""
    INVALID_AUTH_UUID = "invalid_auth_uuid"
    """The authentication UUID is malformed or names no authentication."""
    INVALID_APP_REALM = "invalid_app_realm"
    """The ``app_realm`` is not a valid Android SMS Retriever hash."""
    UNSUPPORTED_APP_REALM_DEVICE_TYPE = "unsupported_app_realm_device_type"
    """An ``app_realm`` was sent with a ``device_type`` it does not apply to."""
    APP_REALM_REQUIRE_DEVICE_TYPE = "app_realm_require_device_type"
    """An ``app_realm`` was sent without a ``device_type``."""
    BLOCKED_NUMBER = "blocked_number"
    """The phone number is blocked."""
    INVALID_APP_VERSION = "invalid_app_version"
    """The ``app_version`` is not valid."""
    INVALID_OS_VERSION = "invalid_os_version"
    """The ``os_version`` is not valid."""
    INVALID_DEVICE_MODEL = "invalid_device_model"
    """The ``device_model`` is not valid."""
    INVALID_DEVICE_ID = "invalid_device_id"
    """The ``device_id`` is not valid."""
    NO_ASSOCIATED_AUTH_FOUND = "no_associated_auth_found"
    """Feedback for a phone number that has no authentication."""
    DUPLICATED_FEEDBACK_STATUS = "duplicated_feedback_status"
    """This feedback status was already reported for the authentication."""
    INVALID_FEEDBACK_STATUS = "invalid_feedback_status"
    """The feedback ``status`` is not one of ``FeedbackRequestStatus``."""
    INVALID_TEMPLATE_ID = "invalid_template_id"
    """The ``template_id`` names no template of the account."""
    SUSPENDED_ACCOUNT = "suspended_account"
    """The account is suspended."""
    INVALID_SENDER_ID = "invalid_sender_id"
    """The ``sender_id`` is not valid."""
    UNAUTHORIZED_SENDER_ID = "unauthorized_sender_id"
    """The account may not send from this ``sender_id``."""


class DingError(Exception):
    """Base class of every exception raised by the ding SDK."""

    not_retried: str | None = None
    """Why this failure was not retried although another attempt might have worked (the
    server may already have acted on the request), or None. ``str()`` ends with it."""

    def __init__(self, message: str, *, attempts: int = 0) -> None:
        super().__init__(message)
        self.message: str = message
        """What went wrong, in words (``str(e)`` adds details such as the status)."""
        self.attempts: int = attempts
        """How many HTTP attempts were made before this error (0 when raised before any I/O)."""

    def __str__(self) -> str:
        return self._noted(self.message)

    def _noted(self, text: str) -> str:
        return text if self.not_retried is None else f"{text}; not retried: {self.not_retried}"

    def _state(self) -> dict[str, Any]:
        """Keyword arguments that rebuild this exception (used by pickle)."""
        return {"attempts": self.attempts}

    def _args(self) -> tuple[Any, ...]:
        return (self.message,)

    def __reduce__(self) -> tuple[Any, ...]:
        rebuild = (_rebuild, (type(self), self._args(), self._state()))
        if self.not_retried is None:
            return rebuild
        return (*rebuild, {"not_retried": self.not_retried})


def _rebuild(cls: type[DingError], args: tuple[Any, ...], kwargs: dict[str, Any]) -> DingError:
    return cls(*args, **kwargs)


class APIConnectionError(DingError):
    """The request could not be completed: DNS, refused connection, TLS, or a dropped connection.

    The aiohttp exception is chained as ``__cause__``.
    """


class APITimeoutError(APIConnectionError, TimeoutError):
    """An attempt or the overall deadline ran out before the server answered."""


class SDKError(DingError):
    """Any non-2xx answer, or a 2xx whose body is not what the API promises."""

    def __init__(
        self,
        message: str,
        status_code: int,
        body: str,
        raw_response: RawResponse | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        retry_after: float | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(message, attempts=attempts)
        self.status_code: int = status_code
        """The HTTP status of the answer (for a ``ValidationError``, the status the API would
        answer: 400, or 401 for a missing key)."""
        self.body: str = body
        """The body of the answer, decoded (empty when nothing was sent)."""
        self.raw_response: RawResponse | None = raw_response
        """The answer, read like a ``requests.Response`` (None when nothing was sent, and after
        the exception was pickled)."""
        self.headers: dict[str, str] = dict(headers or {})
        """The headers of the answer (``Retry-After``, ``X-Request-Id`` ...)."""
        self.retry_after: float | None = retry_after
        """Seconds the server asked to wait before the next try (``Retry-After``), if it said."""

    def __str__(self) -> str:
        text = self._noted(f"{self.message}: Status {self.status_code}")
        if self.body:
            # Enough of the body to diagnose a proxy page without flooding a log.
            text += "\n" + (self.body if len(self.body) <= 500 else self.body[:500] + "…")
        return text

    def _args(self) -> tuple[Any, ...]:
        return (self.message, self.status_code, self.body, None)

    def _state(self) -> dict[str, Any]:
        return {
            "headers": self.headers,
            "retry_after": self.retry_after,
            "attempts": self.attempts,
        }


class ResponseValidationError(SDKError):
    """A 2xx answer whose body is not the JSON the API promises: not JSON, the wrong shape, or
    a value of the wrong JSON type (never coerced: ``"false"`` is not read as a boolean)."""


class RateLimitError(SDKError):
    """429 (or 503) whose ``Retry-After`` could not be honoured within the cap or the deadline,
    or retries ran out. ``retry_after`` tells, in seconds, when the server allows the next try.
    """


class ErrorResponse(SDKError):
    """The API's error object: ``code``, ``message`` and ``doc_url``.

    ``code`` is a :class:`Code` when the SDK knows it, else the plain string the API sent.
    """

    def __init__(
        self,
        code: Code | str | None = None,
        message: str | None = None,
        doc_url: str | None = None,
        *,
        status_code: int = 400,
        body: str = "",
        raw_response: RawResponse | None = None,
        headers: Mapping[str, str] | None = None,
        retry_after: float | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(
            message or str(code.value if isinstance(code, Code) else code or "API error"),
            status_code,
            body,
            raw_response,
            headers=headers,
            retry_after=retry_after,
            attempts=attempts,
        )
        self.code: Code | str | None = code
        """A machine-readable code that describes the error: a :class:`Code` member, or the
        plain string the API sent when this version of the SDK does not know it."""
        self.message: str = message or ""
        """A human-readable message that describes the error (empty when the API sent none)."""
        self.doc_url: str | None = doc_url
        """A link to the documentation that describes the error."""

    def __str__(self) -> str:
        # The official client prints the error object as JSON; keep that, plus the status.
        payload = {
            "code": self.code.value if isinstance(self.code, Code) else self.code,
            "message": self.message,
            "doc_url": self.doc_url,
        }
        return self._noted(
            json.dumps({k: v for k, v in payload.items() if v}) + f" (status {self.status_code})"
        )

    # The official client's errors are dataclasses_json models: these four helpers, with the
    # wire's field names, as every model of this package has them.

    def to_dict(self, encode_json: bool = False) -> dict[str, Any]:
        """The API's error object: ``code``, ``message`` and ``doc_url`` (the ones set).
        ``encode_json`` is accepted for compatibility: the values are always JSON-ready."""
        code = self.code.value if isinstance(self.code, Code) else self.code
        fields = {"code": code, "doc_url": self.doc_url, "message": self.message or None}
        return {name: value for name, value in fields.items() if value is not None}

    def to_json(self, **kwargs: Any) -> str:
        """``to_dict()`` as JSON text; keyword arguments go to ``json.dumps``."""
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, kvs: Any, *, infer_missing: bool = False) -> ErrorResponse:
        """An ``ErrorResponse`` from the API's error object (unknown fields are ignored; a
        ``code`` this version does not know stays a plain string). Anything that is not
        such an object raises :class:`ValidationError` naming the field."""
        if not isinstance(kvs, Mapping):
            raise ValidationError(
                "ErrorResponse", "a JSON object (code, message, doc_url)", got=type(kvs).__name__
            )
        values: dict[str, str | None] = {}
        for name in ("code", "message", "doc_url"):
            value = kvs.get(name)
            if value is not None and not isinstance(value, str):
                raise ValidationError(
                    f"ErrorResponse.{name}", "a string or null", got=type(value).__name__
                )
            values[name] = value
        # Always an ErrorResponse: subclasses (ValidationError) take other arguments.
        return ErrorResponse(_known_code(values["code"]), values["message"], values["doc_url"])

    @classmethod
    def from_json(cls, s: str | bytes | bytearray, **kwargs: Any) -> ErrorResponse:
        """An ``ErrorResponse`` from JSON text (keyword arguments other than
        ``infer_missing`` go to ``json.loads``); text that is not JSON raises
        :class:`ValidationError`."""
        kwargs.pop("infer_missing", None)
        try:
            data = json.loads(s, **kwargs)
        except (ValueError, TypeError, RecursionError) as exc:
            raise ValidationError(
                "ErrorResponse", "JSON text", got=f"{type(s).__name__} that is not JSON ({exc})"
            ) from None
        return cls.from_dict(data)

    def _args(self) -> tuple[Any, ...]:
        return (self.code, self.message, self.doc_url)

    def _state(self) -> dict[str, Any]:
        return {"status_code": self.status_code, "body": self.body, **super()._state()}


def _known_code(value: str | None) -> Code | str | None:
    """``value`` as a :class:`Code` when this version knows it, else as the string sent."""
    if value is None:
        return None
    try:
        return Code(value)
    except ValueError:
        return value


class ProxyError(SDKError, APIConnectionError):
    """The proxy, not the API, refused the request: ``status_code`` is the proxy's answer.

    A 407 means the proxy wants credentials or refused the ones in the proxy URL (or in
    ``HTTPS_PROXY`` / ``HTTP_PROXY``); any 4xx from a proxy is a configuration error, raised
    at once. The API never saw the request. Also an :class:`APIConnectionError`.
    """


class ResponseTooLargeError(SDKError):
    """The answer was larger than ``max_response_size`` (after decompression).

    ding stopped reading it there and closed the connection, so ``body`` is empty; the
    answer is never read whole into memory. ``status_code`` and ``headers`` are the
    answer's. Not retried: the same request would get the same answer.
    """


class ValidationError(ErrorResponse, ValueError):
    """An input the API spec rules out, refused before any network I/O.

    Also an :class:`ErrorResponse` (so an :class:`SDKError`) carrying the ``code`` the API
    answers for that input (``invalid_phone_number``, ``invalid_auth_uuid``, ``bad_request``,
    ``account_invalid`` for a missing key), so handlers written for the official client catch
    it; and a ``ValueError``. ``field`` names the input, ``expected`` says what would do.
    Nothing was sent: ``status_code`` is the status the API would answer (400, or 401 for a
    missing key), ``attempts`` is 0, ``raw_response`` is None and ``body`` is empty.
    """

    def __init__(
        self,
        field: str,
        expected: str,
        *,
        got: str | None = None,
        code: Code | str = Code.BAD_REQUEST,
        status_code: int = 400,
    ) -> None:
        detail = f"{field}: expected {expected}"
        if got is not None:
            detail += f", got {got}"
        super().__init__(code, detail, status_code=status_code)
        self.field: str = field
        """The input that was refused: a field (``phone_number``, ``request.ip``), a parameter
        (``auth_uuid``) or an option (``timeout``)."""
        self.expected: str = expected
        """What would have been accepted, in words (``an E.164 phone number such as ...``)."""
        self.got: str | None = got
        """What was given, described without echoing personal data or a secret."""

    def __str__(self) -> str:
        return self.message

    def _args(self) -> tuple[Any, ...]:
        return (self.field, self.expected)

    def _state(self) -> dict[str, Any]:
        return {"got": self.got, "code": self.code, "status_code": self.status_code}


class ReentrantCallError(DingError, RuntimeError):
    """The sync facade was called on its own event-loop thread (e.g. from a callback running
    there); waiting for the result would deadlock, so the call is refused."""


class ClientClosedError(DingError, RuntimeError):
    """The client was closed: a call made after ``close()``, or one in flight when it ran.

    Also raised when a sync ``ding.Ding`` cannot start its event-loop thread because the
    interpreter is shutting down."""


class InsecureTransportWarning(UserWarning):
    """The client was pointed at a plain-http URL on a non-loopback host: the API key would
    cross the network in clear text."""


class WebhookError(DingError, ValueError):
    """A webhook body that is not a Ding event: not a JSON object, not UTF-8, without an
    ``id`` or ``type``, or a known field of the wrong type. ``field`` names the culprit
    when there is one. Answer such a request with a 4xx; nothing was processed."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field: str | None = field
        """The field of the event that was wrong, when one was."""

    def _state(self) -> dict[str, Any]:
        return {"field": self.field}
