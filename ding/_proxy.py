"""Proxies and CA bundles the way ``requests`` users already have them configured.

``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``ALL_PROXY`` / ``NO_PROXY`` (either case, credentials in
the URL) and an explicit ``proxy=`` (a URL, or a ``requests``-style mapping such as
``{"https": "http://proxy:3128"}``) choose the proxy of a URL as ``requests`` does.
``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` add CAs to the default trust (which
``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` already shape).

The environment is read when a client is built, and the proxy of the client's server URL is
chosen then, once: not per request (aiohttp's ``trust_env=True`` looks at the environment on a
worker thread for every request). A per-call ``server_url`` chooses again, cached per URL.
"""

from __future__ import annotations

import os
import ssl
import threading
import urllib.request
from collections.abc import Mapping
from urllib.parse import urlsplit

from yarl import URL

from .models.errors import ValidationError

__all__ = [
    "ProxySettings",
    "ca_bundle_context",
    "env_ca_bundle",
    "proxies_option",
    "tls_context",
    "tls_for_env_bundle",
]

_SUPPORTED_SCHEMES = ("http", "https")


def _bypassed(host: str, port: int | None, no_proxy: str) -> bool:
    """``requests``' NO_PROXY rules: ``*``, host suffixes (``.example.com`` or
    ``example.com``), ``host:port``, and IP addresses or CIDR networks for IP hosts."""
    entries = [entry for entry in no_proxy.replace(" ", "").split(",") if entry]
    if "*" in entries:
        return True
    import ipaddress  # only when NO_PROXY is set; already loaded by aiohttp anyway

    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    host = host.lower()
    with_port = f"{host}:{port}" if port is not None else host
    for entry in entries:
        entry = entry.lower()
        if address is not None:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                pass
        suffix = entry.lstrip(".")
        for name in (host, with_port):
            if name == suffix or name.endswith("." + suffix):
                return True
    return False


class ProxySettings:
    """Chooses the proxy of a URL from explicit proxies and, if ``trust_env``, the environment.

    ``proxies`` maps ``scheme``, ``scheme://host``, ``all`` or ``all://host`` to a proxy URL,
    plus an optional ``no_proxy`` entry (as ``requests.Session.proxies`` does).
    """

    def __init__(self, proxies: Mapping[str, str], *, trust_env: bool) -> None:
        self._proxies = dict(proxies)
        self._trust_env = trust_env
        # Read once, when the client is built.
        self._environment = urllib.request.getproxies_environment() if trust_env else {}
        self._chosen: dict[str, URL | None] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        # Proxy URLs may carry credentials: never show them.
        return f"<ProxySettings trust_env={self._trust_env}>"

    def for_url(self, url: str) -> URL | None:
        """The proxy for requests to ``url`` (None: connect directly); cached per URL."""
        try:
            return self._chosen[url]
        except KeyError:
            pass
        chosen = self._choose(url)
        with self._lock:
            if len(self._chosen) < 64:  # per-call server URLs vary; keep the cache small
                self._chosen[url] = chosen
        return chosen

    def _choose(self, url: str) -> URL | None:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme, parts.hostname or "", parts.port
        proxies = dict(self._proxies)
        no_proxy = proxies.get("no_proxy") or self._environment.get("no") or ""
        if self._trust_env and not (no_proxy and _bypassed(host, port, no_proxy)):
            from_env = self._environment.get(scheme) or self._environment.get("all")
            if from_env:
                proxies.setdefault(scheme, from_env)
        for key in (f"{scheme}://{host}", scheme, f"all://{host}", "all"):
            proxy = proxies.get(key)
            if proxy:
                return _proxy_url(proxy, key)
        return None


def _proxy_url(proxy: str, key: str) -> URL:
    if "://" not in proxy:
        proxy = "http://" + proxy  # as requests does for "proxy:3128"
    try:
        url = URL(proxy)
    except (ValueError, TypeError):
        url = None
    if url is None or url.scheme not in _SUPPORTED_SCHEMES or not url.host:
        scheme = url.scheme if url is not None else "?"
        raise ValidationError(
            "proxy",
            f"an http:// or https:// proxy URL for {key!r} (aiohttp has no {scheme!r} "
            "proxies); set NO_PROXY, pass proxy= or trust_env=False",
            got=f"a {scheme!r} URL",
        )
    return url


def proxies_option(value: object) -> dict[str, str]:
    """The ``proxy=`` option as a ``requests``-style mapping."""
    if isinstance(value, str):
        _proxy_url(value, "proxy")
        return {"http": value, "https": value}
    if isinstance(value, Mapping):
        checked: dict[str, str] = {}
        for key, item in value.items():
            if not isinstance(key, str) or not isinstance(item, str):
                raise ValidationError("proxy", "a mapping of str to str", got=repr(key))
            if key != "no_proxy" and item:
                _proxy_url(item, key)
            checked[key] = item
        return checked
    raise ValidationError(
        "proxy",
        "a proxy URL such as 'http://user:pass@proxy:3128', or a mapping of URL schemes "
        "to proxy URLs",
        got=type(value).__name__,
    )


def env_ca_bundle() -> str | None:
    """The CA bundle ``requests`` users point at: ``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE``."""
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or None


def _default_trust_has(bundle: str) -> bool:
    """True when ``bundle`` is what the default trust loads already (``SSL_CERT_FILE`` /
    ``SSL_CERT_DIR`` or OpenSSL's paths): a common setup where REQUESTS_CA_BUNDLE names the
    system bundle. Loading it a second time would cost ~100 ms for nothing."""
    paths = ssl.get_default_verify_paths()
    real = os.path.realpath(bundle)
    return any(path and os.path.realpath(path) == real for path in (paths.cafile, paths.capath))


def tls_for_env_bundle(bundle: str) -> ssl.SSLContext | bool:
    """aiohttp's ``ssl=`` for a client that honours ``bundle`` (from the environment): the
    default trust plus the bundle. ``True`` (aiohttp's default context) when it adds nothing."""
    if _default_trust_has(bundle):
        return True
    return ca_bundle_context(bundle, with_defaults=True)


def tls_context(bundle: str | None, *, with_defaults: bool, field: str) -> ssl.SSLContext:
    """A new verifying TLS context trusting ``bundle`` (a file or a directory of CAs; None:
    none), plus the default trust (which ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` shape) if
    ``with_defaults``. A bundle that cannot be loaded is a ``ValidationError`` on ``field``."""
    if with_defaults:
        context = ssl.create_default_context()
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies certificate and host name
    if bundle is None:
        return context
    try:
        if os.path.isdir(bundle):
            context.load_verify_locations(capath=bundle)
        else:
            context.load_verify_locations(cafile=bundle)
    except (OSError, ssl.SSLError) as exc:
        raise ValidationError(
            field, "a readable PEM file or directory of CA certificates", got=repr(bundle)
        ) from exc
    return context


_contexts: dict[tuple[str, bool], ssl.SSLContext] = {}
_contexts_lock = threading.Lock()


def ca_bundle_context(
    bundle: str, *, with_defaults: bool, field: str = "REQUESTS_CA_BUNDLE"
) -> ssl.SSLContext:
    """:func:`tls_context`, shared: loading a bundle takes milliseconds, so each is loaded
    once per process (never add a client certificate to the context this returns)."""
    key = (bundle, with_defaults)
    with _contexts_lock:
        context = _contexts.get(key)
        if context is None:
            context = _contexts[key] = tls_context(bundle, with_defaults=with_defaults, field=field)
    return context
