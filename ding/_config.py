"""From constructor arguments (and the environment) to a client's resolved configuration."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
import attrs

from ._options import (
    CALL_OPTION_NAMES,
    CallSettings,
    Timeouts,
    check_header_value,
    check_headers,
    normalize_base_url,
    resolve,
    warn_if_clear_text,
)
from ._retry import RetryPolicy
from ._transport import ApiKey, check_api_key
from ._version import __version__
from .models.errors import ValidationError

SERVERS = ("https://api.ding.live/v1",)
"""The servers of the API, selectable with ``server_idx``."""

_SESSION_OPTIONS = frozenset({"ssl", "trace_configs", "middlewares", "connection_limit"})
_CLIENT_ONLY_OPTIONS = frozenset({"server_idx", "url_params", "retry_config", "user_agent"})

USER_AGENT = (
    f"ding/{__version__} (python {'.'.join(map(str, sys.version_info[:3]))}; "
    f"aiohttp {aiohttp.__version__})"
)


@attrs.frozen
class ClientConfig:
    settings: CallSettings
    api_key: ApiKey = attrs.field(repr=False)
    headers: Mapping[str, str]
    session_options: Mapping[str, Any]


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


def _api_key(api_key: object) -> ApiKey:
    if api_key is None:
        api_key = os.environ.get("DING_API_KEY")
        if not api_key:
            raise ValidationError("api_key", "an API key string or callable, or DING_API_KEY set")
    if callable(api_key):
        return api_key
    return check_api_key(api_key)


def build_config(api_key: object, options: Mapping[str, Any]) -> ClientConfig:
    allowed = CALL_OPTION_NAMES | _SESSION_OPTIONS | _CLIENT_ONLY_OPTIONS
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise TypeError(f"unexpected keyword argument {unknown[0]!r}")
    url = _server_url(options)
    warn_if_clear_text(url, stacklevel=5)
    call_options = {k: v for k, v in options.items() if k in CALL_OPTION_NAMES}
    call_options.pop("server_url", None)  # already applied, with server_idx and url_params
    default_headers = check_headers("headers", call_options.pop("headers", {}))
    if "retry_config" in options:
        call_options.setdefault("retries", options["retry_config"])
    base = CallSettings(base_url=url, timeouts=Timeouts(), retry=RetryPolicy())
    settings = resolve(base, call_options)
    user_agent = check_header_value("user_agent", options.get("user_agent", USER_AGENT))
    headers = {"user-agent": user_agent, "accept": "application/json", **default_headers}
    return ClientConfig(
        settings=settings,
        api_key=_api_key(api_key),
        headers=headers,
        session_options={k: options[k] for k in _SESSION_OPTIONS if k in options},
    )


def default_session_factory(
    options: Mapping[str, Any], headers: Mapping[str, str]
) -> Callable[[], aiohttp.ClientSession]:
    """A factory for the sessions the client owns (one per event loop it runs in)."""
    ssl = options.get("ssl", True)
    limit = options.get("connection_limit", 100)
    extra: dict[str, Any] = {}
    if "trace_configs" in options:
        extra["trace_configs"] = options["trace_configs"]
    if "middlewares" in options:
        extra["middlewares"] = options["middlewares"]

    def make() -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(limit=limit, ssl=ssl)
        return aiohttp.ClientSession(connector=connector, headers=headers, **extra)

    return make
