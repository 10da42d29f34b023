"""``client=requests.Session()``: carry what maps onto aiohttp, refuse the rest.

The official client's "custom HTTP client" recipe passes a ``requests.Session``. ding runs on
aiohttp, so it reads the session once, when the client is built, and carries over its
headers, proxies, ``trust_env``, ``verify`` (bool or CA bundle path) and ``cert``. What has
no aiohttp equivalent (mounted adapters, ``auth``, cookies, default ``params``, hooks) is
refused with a ``ValidationError`` that says what to use instead: never dropped silently.

Duck-typed: ``requests`` is not a dependency of ding and is never imported here.
"""

from __future__ import annotations

import ssl
import sys
from collections.abc import Mapping
from typing import Any, Protocol

from ._proxy import tls_context
from .models.errors import ValidationError

__all__ = ["RequestsSession", "is_requests_session", "options_from_requests_session"]

# requests' own default headers, when requests.utils.default_headers() cannot be asked.
_REQUESTS_DEFAULT_HEADERS = {
    "accept-encoding": "gzip, deflate",
    "accept": "*/*",
    "connection": "keep-alive",
}
_SESSION_ATTRIBUTES = ("headers", "proxies", "verify", "cert", "trust_env", "adapters", "auth")


class RequestsSession(Protocol):
    """What ``client=`` reads of a ``requests.Session`` (or of a session shaped like one): the
    type checkers' view of :func:`is_requests_session`."""

    @property
    def headers(self) -> Mapping[str, Any]: ...
    @property
    def proxies(self) -> Mapping[str, Any]: ...
    @property
    def verify(self) -> Any: ...
    @property
    def cert(self) -> Any: ...
    @property
    def trust_env(self) -> bool: ...
    @property
    def adapters(self) -> Mapping[str, Any]: ...
    @property
    def auth(self) -> Any: ...
    def mount(self, prefix: str, adapter: Any) -> None: ...


def is_requests_session(value: object) -> bool:
    """True for a ``requests.Session`` (or anything shaped like one)."""
    return all(hasattr(value, name) for name in _SESSION_ATTRIBUTES) and hasattr(value, "mount")


def _default_headers() -> dict[str, str]:
    utils = sys.modules.get("requests.utils")
    if utils is not None and hasattr(utils, "default_headers"):
        return {str(k).lower(): str(v) for k, v in utils.default_headers().items()}
    return dict(_REQUESTS_DEFAULT_HEADERS)


def _refuse(what: str, instead: str) -> ValidationError:
    return ValidationError(
        "client",
        f"a requests.Session whose settings ding can carry onto aiohttp; {instead}",
        got=what,
    )


def pool_settings(adapter: Any) -> tuple[object, object, object]:
    """The pool an ``HTTPAdapter`` was built with: ``(pool_connections, pool_maxsize,
    pool_block)``, ``(10, 10, False)`` by default.

    requests has no public way to read them back: the adapter keeps its constructor's
    arguments in the private ``_pool_connections``, ``_pool_maxsize`` and ``_pool_block``
    (they are in its pickled ``__attrs__``). An adapter without them reads as the default.
    tests/compat/test_requests_session.py fails loudly if requests changes that."""
    return (
        getattr(adapter, "_pool_connections", 10),
        getattr(adapter, "_pool_maxsize", 10),
        getattr(adapter, "_pool_block", False),
    )


def _check_adapters(session: Any) -> None:
    adapters: Mapping[str, Any] = session.adapters
    for prefix, adapter in adapters.items():
        kind = type(adapter)
        retries = getattr(adapter, "max_retries", None)
        default = (
            prefix in ("https://", "http://")
            and kind.__name__ == "HTTPAdapter"
            and kind.__module__ == "requests.adapters"
            and getattr(retries, "total", None) == 0
            and pool_settings(adapter) == (10, 10, False)
        )
        if not default:
            raise _refuse(
                f"a mounted {kind.__name__} for {prefix!r}",
                "use retry_config= / max_retries= for retries, connection_limit= for the "
                "pool, ssl= for TLS settings, or session_factory= for a custom aiohttp session",
            )


def _headers(session: Any) -> dict[str, str]:
    defaults = _default_headers()
    headers: dict[str, str] = {}
    for key, value in session.headers.items():
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        name = key.decode("latin-1") if isinstance(key, bytes) else key
        if not isinstance(name, str) or not isinstance(text, str):
            raise ValidationError("client.headers", "header names and values as str", got=repr(key))
        default = defaults.get(name.lower())
        if default is not None and (
            text == default
            or (name.lower() == "user-agent" and text.startswith("python-requests/"))
        ):
            continue  # requests' own defaults, not the user's settings
        headers[name] = text
    return headers


def _ssl(session: Any) -> ssl.SSLContext | bool | None:
    """``verify`` and ``cert`` as aiohttp's ``ssl=`` (None: nothing to carry)."""
    verify, cert = session.verify, session.cert
    if verify is True and not cert:
        return None
    if verify is False and not cert:
        return False
    if verify is False:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        # A path: requests trusts that bundle only; so does the copy. A new context either
        # way, never a shared one: the client certificate may be added to it.
        bundle = verify if isinstance(verify, str) else None
        context = tls_context(bundle, with_defaults=bundle is None, field="client.verify")
    if cert:
        certfile, keyfile = (cert, None) if isinstance(cert, str) else tuple(cert)
        context.load_cert_chain(certfile, keyfile)
    return context


def options_from_requests_session(session: Any) -> dict[str, Any]:
    """ding options equivalent to ``session``; raises ``ValidationError`` for the rest."""
    _check_adapters(session)
    if session.auth is not None:
        raise _refuse(
            "session.auth", "the API key goes in api_key=; pass other headers in headers="
        )
    if len(getattr(session, "cookies", ()) or ()):
        raise _refuse("session cookies", "the Ding API uses no cookies; clear them")
    if getattr(session, "params", None):
        raise _refuse("session.params", "the operations take every parameter the API has")
    hooks = getattr(session, "hooks", None) or {}
    if any(hooks.values()):
        raise _refuse(
            "session hooks", "use aiohttp trace_configs= or middlewares= for request hooks"
        )
    options: dict[str, Any] = {}
    headers = _headers(session)
    if headers:
        options["headers"] = headers
    proxies = {str(k): str(v) for k, v in (session.proxies or {}).items() if v}
    if proxies:
        options["proxy"] = proxies
    if session.trust_env is not True:
        options["trust_env"] = bool(session.trust_env)
    try:
        tls = _ssl(session)
    except ValidationError:
        raise
    except (OSError, ssl.SSLError, ValueError, TypeError) as exc:
        raise ValidationError(
            "client.verify / client.cert",
            "readable CA bundle and client certificate files",
            got=type(exc).__name__,
        ) from exc
    if tls is not None:
        options["ssl"] = tls
    return options
