"""``ClientOptions``: the keyword options of :class:`ding.AsyncDing` and :class:`ding.Ding`.

A type for type checkers and the reference; nothing at run time reads it, so a client does
not define it: this TypedDict cost a fresh process 0.9M instructions (callgrind), its fields'
annotations compiled one by one. ``ding.ClientOptions`` imports this module on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._call_settings import _SharedOptions

if TYPE_CHECKING:
    import ssl

    import aiohttp

    from ._call_hooks import Hooks

__all__ = ["ClientOptions"]


class ClientOptions(_SharedOptions, total=False):
    """Keyword options of :class:`ding.AsyncDing` and :class:`ding.Ding`, after the official
    positional parameters. ``None`` means the default for each, except the timeouts,
    ``max_retries`` and ``retry_after_cap``, where it means no limit.

    Every per-call option is also a constructor option: there it sets the default of every
    call (``timeout`` 10 s, ``connect_timeout`` 5 s, ``deadline`` 30 s, ``max_retries`` 2,
    ``retry_after_cap`` 60 s, ``retry_ambiguous`` False, ``max_response_size`` 10 MiB).
    """

    user_agent: str | None
    """The ``User-Agent`` header (default ``ding/<version> (python ...; aiohttp ...)``)."""
    ssl: ssl.SSLContext | bool | None
    """TLS for the sessions ding creates: an ``ssl.SSLContext`` (a private CA, a client
    certificate) or ``False`` to skip verification (never in production); it replaces the
    trust the environment sets up. Default: verify against the system's certificate
    authorities (which ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` shape), plus the bundle in
    ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` unless ``trust_env`` is False."""
    trace_configs: list[aiohttp.TraceConfig] | None
    """``aiohttp.TraceConfig`` objects for the sessions ding creates (metrics, tracing)."""
    middlewares: tuple[Any, ...] | None
    """aiohttp client middlewares for the sessions ding creates."""
    connection_limit: int | None
    """Most connections open at once in a session's pool (default 100)."""
    proxy: str | Mapping[str, str] | None
    """A proxy URL for every request (credentials in the URL), or a ``requests``-style mapping
    of URL schemes to proxy URLs. Default: ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``NO_PROXY``."""
    trust_env: bool | None
    """Read proxies and ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` from the environment
    (default True, as ``requests`` does)."""
    hooks: Hooks | None
    """Callbacks on each attempt, retry and give-up (:class:`ding.Hooks`), given a redacted
    :class:`ding.CallEvent`."""
    tracer_provider: Any
    """The OpenTelemetry ``TracerProvider`` for ding's spans (default: the global one, once
    the application has set it; ``DING_OTEL=off`` turns them off)."""
    meter_provider: Any
    """The OpenTelemetry ``MeterProvider`` for ding's metrics (default: the global one)."""
