"""What one call runs with: the options users pass (``CallOptions`` per call, ``ClientOptions``
to the constructor, declared in ``_client_options``), checked, and resolved into the
:class:`CallSettings` of the call.

Pure and cheap (no aiohttp): the per-call path resolves options here, the sync facade bounds
its wait from the result. What a client does once, when it is built, is ``_client_setup``.

A per-call option that is absent means "use the client's value" (the keyword itself is the
sentinel; ``None`` is a real value: "no limit" for a timeout). Every option is checked here,
before any I/O, so a typo'd value is a ``ValidationError`` rather than silently ignored.
"""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict
from urllib.parse import urlsplit

from ._retry import RetryPolicy
from .models.errors import InsecureTransportWarning, ValidationError

if TYPE_CHECKING:
    from .utils import RetryConfig

DEFAULT_TIMEOUT = 10.0
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_DEADLINE = 30.0
DEFAULT_MAX_RESPONSE_SIZE = 10 * 1024 * 1024
"""Bytes, after decompression. Ding's largest answer (an authentication's status with its
events, a lookup with the caller's name) is a few kilobytes: a thousand times that still
leaves room, while an answer read into memory stays bounded per call in flight."""


class _SharedOptions(TypedDict, total=False):
    timeout: float | None
    """Seconds one attempt may take, connect to last byte (``None``: no per-attempt limit)."""
    timeout_ms: int | None
    """The official client's spelling of ``timeout``, in milliseconds."""
    connect_timeout: float | None
    """Seconds to establish a connection."""
    deadline: float | None
    """Seconds for the whole call, every attempt and wait included."""
    max_retries: int | None
    """Retries after the first attempt (``None``: as many as the deadline allows)."""
    retries: RetryConfig | None
    """The official client's retry settings (milliseconds)."""
    retry_ambiguous: bool | None
    """Retry a POST (a send, a retry, a check, a feedback) after a 500/502/504/408, a read
    timeout or a disconnect. The server may already have acted on the first request, so this
    can send a second SMS, spend a second check attempt or store a feedback twice."""
    retry_after_cap: float | None
    """Longest ``Retry-After`` to wait for; a longer one raises RateLimitError at once."""
    headers: Mapping[str, str] | None
    """Extra request headers."""
    max_response_size: int | None
    """Largest answer to read, in bytes after decompression (default 10 MiB); a larger one
    raises ResponseTooLargeError without being read whole."""


class CallOptions(_SharedOptions, total=False):
    """Per-call overrides accepted by every operation (keyword arguments).

    ``None`` means "the client's value" for ``retries``, ``retry_ambiguous``, ``headers``,
    ``max_response_size`` and ``server_url``; for the timeouts, ``max_retries`` and
    ``retry_after_cap`` it means no limit.
    """

    server_url: str | None
    """Send this call to another base URL."""


NONE_MEANS_DEFAULT = frozenset(
    {
        "server_idx",
        "server_url",
        "url_params",
        "retry_config",
        "retries",
        "retry_ambiguous",
        "headers",
        "max_response_size",
        "user_agent",
        "ssl",
        "trace_configs",
        "middlewares",
        "connection_limit",
        "proxy",
        "trust_env",
        "hooks",
        "tracer_provider",
        "meter_provider",
    }
)
"""Options for which ``None`` (passed through from settings) means "the default"."""


def without_default_nones(options: Mapping[str, Any]) -> Mapping[str, Any]:
    """``options`` without the ``None`` values that mean "the default"."""
    if not any(value is None for value in options.values()):
        return options
    return {k: v for k, v in options.items() if v is not None or k not in NONE_MEANS_DEFAULT}


class CallSettings(NamedTuple):
    """Everything that shapes one call, resolved from client defaults and call options.
    Times in seconds; ``None``: no limit."""

    base_url: str
    retry: RetryPolicy
    timeout: float | None = DEFAULT_TIMEOUT
    """One attempt, connect to last byte."""
    connect_timeout: float | None = DEFAULT_CONNECT_TIMEOUT
    deadline: float | None = DEFAULT_DEADLINE
    """The whole call, every attempt and wait included."""
    extra_headers: Mapping[str, str] = MappingProxyType({})
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE
    """Bytes, after decompression."""


def _seconds(name: str, value: object) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not (value > 0 and math.isfinite(value))
    ):
        raise ValidationError(name, "a positive number of seconds or None", got=repr(value))
    return float(value)


# Sets of characters rather than regular expressions: compiling the two patterns cost a fresh
# process 0.5M instructions (of 1,219M); looking a string's characters up costs about the same.
_BREAKS_A_HEADER = frozenset("\r\n\0")
# What may not appear anywhere in a URL: controls, space, and the characters RFC 3986 excludes.
_NOT_IN_A_URL = frozenset([*map(chr, range(0x21)), "\x7f", *'"<>\\^`{|}'])


def check_header_value(name: str, value: object) -> str:
    """A string that can go into a header as is: no CR, LF or NUL (no header splitting)."""
    if not isinstance(value, str):
        raise ValidationError(name, "a string", got=repr(value))
    if not _BREAKS_A_HEADER.isdisjoint(value):
        raise ValidationError(name, "a value without CR, LF or NUL characters", got=repr(value))
    return value


def check_headers(name: str, value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValidationError(
            name, "a mapping of header names to strings", got=type(value).__name__
        )
    checked: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise ValidationError(name, "header names and values as str", got=repr(key))
        if not (_BREAKS_A_HEADER.isdisjoint(key) and _BREAKS_A_HEADER.isdisjoint(item)):
            raise ValidationError(name, "header names and values without CR, LF or NUL", got=key)
        if key.lower() == "x-api-key":
            # The key has one source, api_key; a second spelling would put two on the wire.
            raise ValidationError(name, "no x-api-key header (pass the key as api_key)", got=key)
        checked[key] = item
    return checked


def policy_from_retry_config(config: RetryConfig, base: RetryPolicy) -> RetryPolicy:
    """Map the official client's RetryConfig (milliseconds) onto a RetryPolicy.

    Its ``max_elapsed_time`` bounds the retries (none starts after it), inside the call's
    ``deadline``: it never makes one call last longer than the deadline allows.
    """
    # Imported here: a process that keeps the default retries never builds the official
    # client's two retry classes (0.4% of the instructions of a fresh process's call).
    from .utils import RetryConfig

    if not isinstance(config, RetryConfig):
        raise ValidationError("retries", "a ding.utils.RetryConfig", got=type(config).__name__)
    if config.strategy == "none":
        return base._replace(max_retries=0)
    if config.strategy != "backoff":
        raise ValidationError("retries.strategy", "'backoff' or 'none'", got=repr(config.strategy))
    policy = base._replace(retry_connection_errors=bool(config.retry_connection_errors))
    if config.backoff is None:
        return policy
    b = config.backoff
    for name in ("initial_interval", "max_interval", "max_elapsed_time"):
        if _seconds(f"retries.backoff.{name}", getattr(b, name)) is None:
            raise ValidationError(f"retries.backoff.{name}", "a positive number of milliseconds")
    if not isinstance(b.exponent, (int, float)) or b.exponent < 1:
        raise ValidationError("retries.backoff.exponent", "a number >= 1", got=repr(b.exponent))
    return policy._replace(
        # The official client keeps retrying until max_elapsed_time; so does this mapping,
        # within the deadline.
        max_retries=None,
        initial_interval=b.initial_interval / 1000,
        max_interval=b.max_interval / 1000,
        exponent=float(b.exponent),
        max_elapsed=b.max_elapsed_time / 1000,
    )


CALL_OPTION_NAMES = frozenset(CallOptions.__annotations__)


def resolve(base: CallSettings, options: Mapping[str, Any]) -> CallSettings:
    """Apply call options (or the constructor's share of them) on top of ``base``.

    Validates each one; an unknown keyword is an error rather than silently ignored.
    """
    options = without_default_nones(options)
    if not options:
        return base
    unknown = set(options) - CALL_OPTION_NAMES
    if unknown:
        raise ValidationError(
            ", ".join(sorted(unknown)),
            f"one of {', '.join(sorted(CALL_OPTION_NAMES))}",
            got="an unknown keyword",
        )
    timeout, connect_timeout, deadline = base.timeout, base.connect_timeout, base.deadline
    retry = base.retry
    if "retries" in options:
        retry = policy_from_retry_config(options["retries"], retry)
    if "timeout_ms" in options:
        seconds = _seconds("timeout_ms", options["timeout_ms"])
        timeout = None if seconds is None else seconds / 1000
    if "timeout" in options:
        timeout = _seconds("timeout", options["timeout"])
    if "connect_timeout" in options:
        connect_timeout = _seconds("connect_timeout", options["connect_timeout"])
    if "deadline" in options:
        deadline = _seconds("deadline", options["deadline"])
    if timeout is None and deadline is None:
        raise ValidationError("timeout", "a per-attempt timeout or a deadline (both were None)")
    if "max_retries" in options:
        value = options["max_retries"]
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise ValidationError("max_retries", "an int >= 0 or None", got=repr(value))
        if value is None and deadline is None:
            raise ValidationError("max_retries", "a number when there is no deadline", got="None")
        retry = retry._replace(max_retries=value)
    if "retry_ambiguous" in options:
        value = options["retry_ambiguous"]
        if not isinstance(value, bool):
            raise ValidationError("retry_ambiguous", "a bool", got=repr(value))
        retry = retry._replace(retry_ambiguous=value)
    if "retry_after_cap" in options:
        cap = _seconds("retry_after_cap", options["retry_after_cap"])
        retry = retry._replace(retry_after_cap=cap if cap is not None else math.inf)
    if retry.retry_after_cap == math.inf and deadline is None:
        # Some limit must end every call: with neither, a Retry-After could park it for days.
        raise ValidationError("retry_after_cap", "a number when there is no deadline", got="None")
    if deadline is None and retry.max_retries is None and retry.max_elapsed is None:
        # A client's max_retries=None (bounded by its deadline) and a call's deadline=None:
        # nothing would end the retries.
        raise ValidationError(
            "deadline", "a number when max_retries is None (nothing else ends the retries)"
        )
    max_size = base.max_response_size
    if "max_response_size" in options:
        max_size = options["max_response_size"]
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size <= 0:
            raise ValidationError("max_response_size", "a positive int (bytes)", got=repr(max_size))
    extra = base.extra_headers
    if "headers" in options:
        extra = {**extra, **check_headers("headers", options["headers"])}
    base_url = base.base_url
    if "server_url" in options:
        base_url = normalize_base_url(options["server_url"])
        warn_if_clear_text(base_url, stacklevel=6)
    return CallSettings(base_url, retry, timeout, connect_timeout, deadline, extra, max_size)


def normalize_base_url(url: object, name: str = "server_url") -> str:
    """The base URL without its trailing slash; refuses anything that is not a clean one."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ValidationError(name, "an http:// or https:// URL", got=repr(url))
    if not _NOT_IN_A_URL.isdisjoint(url):
        raise ValidationError(
            name, "a URL without spaces, control or unsafe characters", got=repr(url)
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- parsing the port is the check (out of range, not a number)
    except ValueError as exc:
        raise ValidationError(name, "a well-formed http(s) URL", got=f"{url!r} ({exc})") from None
    if not parts.hostname:
        raise ValidationError(name, "a URL with a host name", got=repr(url))
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ValidationError(name, "a base URL without query or fragment", got=repr(url))
    return url.rstrip("/")


def warn_if_clear_text(url: str, *, stacklevel: int) -> None:
    """Warn when the key would cross the network unencrypted (http to a remote host)."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        return
    host = parts.hostname or ""
    import ipaddress  # only for plain-http URLs; kept off the import path of `import ding`

    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost" or host.endswith(".localhost")
    if not loopback:
        warnings.warn(
            f"ding: plain-http server URL to {host!r}: the API key would cross the network "
            "unencrypted; use https",
            InsecureTransportWarning,
            stacklevel=stacklevel,
        )


TIMING_OPTIONS = frozenset(
    {"timeout", "timeout_ms", "connect_timeout", "deadline", "max_retries", "retries"}
    | {"retry_after_cap"}
)
"""The call options that change how long a call may take (see :func:`wait_bound`)."""


def wait_bound(settings: CallSettings) -> float:
    """The longest a call with ``settings`` may take (seconds), as the transport bounds it:
    past it, a caller of the facade makes sure the private loop is not stalled."""
    retry = settings.retry
    attempt = settings.timeout or 0.0
    if settings.deadline is not None:
        longest = settings.deadline
    elif retry.max_retries is None:
        # resolve() guarantees a max_elapsed here: no retry starts after it.
        longest = (retry.max_elapsed or 0.0) + attempt
    else:  # resolve() guarantees a per-attempt timeout and a finite cap here
        attempts = retry.max_retries + 1
        longest = attempts * attempt + (attempts - 1) * max(
            retry.max_interval, retry.retry_after_cap
        )
    return min(longest, threading.TIMEOUT_MAX)
