"""What building a client does once: the constructor's arguments and the environment become
its :class:`ClientConfig` (call settings, key, headers, proxies, telemetry) and the factory of
the aiohttp sessions it owns. Each call's own options are resolved by ``_call_settings``."""

# No ``from __future__ import annotations`` here: ClientConfig's annotations are then types,
# not strings that NamedTuple compiles one by one (typing.ForwardRef): 0.35M instructions of
# a fresh process (callgrind). Every annotation of this module names an imported name or one
# defined above it.

import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import aiohttp

from ._call_settings import (
    CALL_OPTION_NAMES,
    CallSettings,
    check_header_value,
    check_headers,
    normalize_base_url,
    resolve,
    warn_if_clear_text,
    without_default_nones,
)
from ._proxy import ProxySettings, env_ca_bundle, proxies_option, tls_for_env_bundle
from ._redaction import RedactingRequest, RedactingResponse, check_api_key
from ._retry import RetryPolicy
from ._servers import SERVERS
from ._telemetry import Telemetry
from ._transport import ApiKey
from ._version import __version__
from .models.errors import Code, ValidationError

SESSION_OPTIONS = frozenset(
    {"ssl", "trace_configs", "middlewares", "connection_limit", "proxy", "trust_env"}
)
"""Options that shape the aiohttp sessions ding builds (refused with a session of yours)."""
_CLIENT_ONLY_OPTIONS = frozenset(
    {"server_idx", "url_params", "retry_config", "user_agent"}
    | {"hooks", "tracer_provider", "meter_provider"}
)

USER_AGENT = (
    f"ding/{__version__} (python {'.'.join(map(str, sys.version_info[:3]))}; "
    f"aiohttp {aiohttp.__version__})"
)


class ClientConfig(NamedTuple):
    """What a client is built with, resolved once (the key shows as ``'***'``)."""

    settings: CallSettings
    api_key: ApiKey
    headers: Mapping[str, str]
    session_options: Mapping[str, Any]
    proxies: ProxySettings | None
    """Proxies for the sessions ding builds (None with a session of yours)."""
    telemetry: Telemetry


def _server_url(options: Mapping[str, Any]) -> str:
    url = options.get("server_url")
    if url is None and "server_idx" in options:
        idx = options["server_idx"]
        if isinstance(idx, bool) or not isinstance(idx, int) or not 0 <= idx < len(SERVERS):
            raise ValidationError("server_idx", f"an index below {len(SERVERS)}", got=repr(idx))
        url = SERVERS[idx]
    if url is None:
        url = os.environ.get("DING_SERVER_URL") or SERVERS[0]
    params = options.get("url_params")
    if params:
        if not isinstance(params, Mapping):
            raise ValidationError("url_params", "a mapping of names to strings", got=repr(params))
        for name, value in params.items():
            url = str(url).replace("{" + str(name) + "}", str(value))
    return normalize_base_url(url)


def _merge_headers(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """``extra`` over ``base``, header names compared case-insensitively."""
    replaced = {name.lower() for name in extra}
    return {**{k: v for k, v in base.items() if k.lower() not in replaced}, **extra}


def _missing_key() -> str:
    """The key of a client built without one: ``DING_API_KEY`` if set by now, else the call
    fails (before any I/O) with the error the API answers a request without a key."""
    key = os.environ.get("DING_API_KEY")
    if not key:
        raise ValidationError(
            "api_key",
            "an API key: pass api_key= to the client or set DING_API_KEY",
            got="none",
            code=Code.ACCOUNT_INVALID,
            status_code=401,
        )
    return key


def _api_key(api_key: object) -> ApiKey:
    if api_key is None or api_key == "":
        # No key yet (a client built at import time, in CI without secrets): building works,
        # the first call fails with an SDKError unless DING_API_KEY is set by then.
        api_key = os.environ.get("DING_API_KEY") or _missing_key
    if callable(api_key):
        return api_key
    return check_api_key(api_key)


def build_config(
    api_key: object, options: Mapping[str, Any], *, own_sessions: bool = True
) -> ClientConfig:
    """``own_sessions``: ding builds the aiohttp sessions (so proxies apply to them)."""
    options = without_default_nones(options)
    allowed = CALL_OPTION_NAMES | SESSION_OPTIONS | _CLIENT_ONLY_OPTIONS
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ValidationError(
            unknown[0],
            f"one of the client's options: {', '.join(sorted(allowed))}",
            got="an unknown keyword",
        )
    url = _server_url(options)
    warn_if_clear_text(url, stacklevel=5)
    call_options = {k: v for k, v in options.items() if k in CALL_OPTION_NAMES}
    call_options.pop("server_url", None)  # already applied, with server_idx and url_params
    default_headers = check_headers("headers", call_options.pop("headers", {}))
    if "retry_config" in options:
        call_options.setdefault("retries", options["retry_config"])
    base = CallSettings(base_url=url, retry=RetryPolicy())
    settings = resolve(base, call_options)
    user_agent = check_header_value("user_agent", options.get("user_agent", USER_AGENT))
    headers = _merge_headers(
        {"user-agent": user_agent, "accept": "application/json"}, default_headers
    )
    trust_env = options.get("trust_env", True)
    if not isinstance(trust_env, bool):
        raise ValidationError("trust_env", "a bool", got=repr(trust_env))
    proxies = None
    if own_sessions:
        explicit = proxies_option(options["proxy"]) if "proxy" in options else {}
        proxies = ProxySettings(explicit, trust_env=trust_env)
    session_options = {k: options[k] for k in SESSION_OPTIONS if k in options}
    if own_sessions and "ssl" not in options and trust_env:
        bundle = env_ca_bundle()  # read now, loaded when the first session is built
        if bundle:
            session_options["ca_bundle"] = bundle
    return ClientConfig(
        settings=settings,
        api_key=_api_key(api_key),
        headers=headers,
        session_options=session_options,
        proxies=proxies,
        telemetry=_telemetry(options),
    )


def _telemetry(options: Mapping[str, Any]) -> Telemetry:
    hooks = options.get("hooks")
    if hooks is not None:
        from ._call_hooks import Hooks

        if not isinstance(hooks, Hooks):
            raise ValidationError("hooks", "a ding.Hooks", got=type(hooks).__name__)
    return Telemetry(hooks, options.get("tracer_provider"), options.get("meter_provider"))


def default_session_factory(
    options: Mapping[str, Any], headers: Mapping[str, str]
) -> Callable[[], aiohttp.ClientSession]:
    """A factory for the sessions the client owns (one per event loop it runs in)."""
    ssl = options.get("ssl", True)
    bundle = options.get("ca_bundle")
    limit = options.get("connection_limit", 100)
    extra: dict[str, Any] = {}
    if "trace_configs" in options:
        extra["trace_configs"] = options["trace_configs"]
    if "middlewares" in options:
        extra["middlewares"] = options["middlewares"]

    def make() -> aiohttp.ClientSession:
        tls = tls_for_env_bundle(bundle) if bundle else ssl
        connector = aiohttp.TCPConnector(limit=limit, ssl=tls)
        # trust_env stays off: ding chose the proxy already (aiohttp's would consult the
        # environment on a thread for every request). The request class completes each
        # request with the key and the real URL after instrumentation has seen it.
        return aiohttp.ClientSession(
            connector=connector,
            headers=headers,
            request_class=RedactingRequest,
            response_class=RedactingResponse,
            **extra,
        )

    return make


def apply_client_argument(
    client: object, options: dict[str, Any], *, session: aiohttp.ClientSession | None
) -> aiohttp.ClientSession | None:
    """The official ``client=`` parameter: a ``requests.Session`` becomes options (merged into
    ``options``; what both set must agree), an ``aiohttp.ClientSession`` the session to use."""
    if client is None:
        return session
    if isinstance(client, aiohttp.ClientSession):
        if session is not None:
            raise ValidationError("client", "either client= or session=, not both")
        return client
    from ._requests_session import is_requests_session, options_from_requests_session

    if not is_requests_session(client):
        raise ValidationError(
            "client",
            "a requests.Session (its settings are carried over) or an aiohttp.ClientSession",
            got=type(client).__name__,
        )
    carried = options_from_requests_session(client)
    for name, value in carried.items():
        given = options.get(name)
        if given is None:
            options[name] = value
        elif name == "headers":
            options[name] = _merge_headers(value, given)  # headers= wins per header name
        elif given != value:
            raise ValidationError(
                name, f"one value: both client= and {name}= set it", got=f"{name}={given!r}"
            )
    return session
