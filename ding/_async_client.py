"""``AsyncDing``: the async core every call goes through, sync ones included."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import aiohttp

from ._client_setup import apply_client_argument, build_config, default_session_factory
from ._logging import configure_from_env
from ._resources import AsyncLookup, AsyncOtp
from ._session import SessionOwner
from ._transport import Transport
from .models.errors import ClientClosedError, ValidationError

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

    from ._client_options import ClientOptions
    from ._requests_session import RequestsSession
    from .utils import RetryConfig


class AsyncDing:
    """Async client for the Ding API.

    The positional parameters are the official client's, in its order: ``api_key`` (a string
    or a callable returning one; ``DING_API_KEY`` when omitted, and without either the client
    still builds and each call fails with an ``SDKError`` naming ``api_key``), ``server_idx``,
    ``server_url`` (``DING_SERVER_URL``, default ``https://api.ding.live/v1``),
    ``url_params``, ``client`` (a ``requests.Session`` whose headers, proxies, ``trust_env``,
    ``verify`` and ``cert`` are carried over, or an ``aiohttp.ClientSession`` used as given)
    and ``retry_config`` (``ding.utils.RetryConfig``). ``None`` means the default for each.

    Other keyword options are the defaults of every call: ``timeout``, ``connect_timeout``,
    ``deadline`` (seconds), ``max_retries``, ``retry_ambiguous``, ``retry_after_cap``,
    ``headers``; and for the aiohttp sessions ding builds: ``ssl``, ``proxy``, ``trust_env``
    (environment proxies and CA bundles, on by default), ``trace_configs``, ``middlewares``,
    ``connection_limit``.

    Pass ``session`` to use your own ``aiohttp.ClientSession`` (used as given, never closed
    by ding), or ``session_factory`` to build the sessions ding owns. Otherwise a session is
    created lazily in each event loop that uses the client (several may at once), and closed
    by ``close()`` / ``async with`` or when its loop shuts down.
    """

    def __init__(
        self,
        api_key: str | Callable[[], str] | None = None,
        server_idx: int | None = None,
        server_url: str | None = None,
        url_params: Mapping[str, str] | None = None,
        client: RequestsSession | aiohttp.ClientSession | None = None,
        retry_config: RetryConfig | None = None,
        *,
        session: aiohttp.ClientSession | None = None,
        session_factory: Callable[[], aiohttp.ClientSession] | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        configure_from_env()
        merged: dict[str, Any] = {
            "server_idx": server_idx,
            "server_url": server_url,
            "url_params": url_params,
            "retry_config": retry_config,
            **options,
        }
        session = apply_client_argument(client, merged, session=session)
        used_as_given = session is not None or session_factory is not None
        config = build_config(api_key, merged, own_sessions=not used_as_given)
        if used_as_given and config.session_options:
            given = "session" if session is not None else "session_factory"
            raise ValidationError(
                sorted(config.session_options)[0],
                f"no session option with {given}= (the session is used as given: "
                "configure it there)",
                got=", ".join(sorted(config.session_options)),
            )
        if session is not None and session_factory is not None:
            raise ValidationError("session_factory", "no session_factory with session=")
        # When ding builds the sessions, they carry the default headers themselves and each
        # call only adds its own. Never the key: instrumentation records a session's headers.
        factory = session_factory or default_session_factory(config.session_options, config.headers)
        self._sessions = SessionOwner(factory, session)
        self._transport = Transport(
            settings=config.settings,
            api_key=config.api_key,
            headers=config.headers,
            sessions=self._sessions,
            headers_on_session=not used_as_given,
            proxies=config.proxies,
            telemetry=config.telemetry,
        )
        self.otp: AsyncOtp = AsyncOtp(self._transport)
        """Send OTP codes to your users using their phone numbers."""
        self.lookup: AsyncLookup = AsyncLookup(self._transport)
        """Retrieve up-to-date metadata about a specific phone number."""

    @property
    def server_url(self) -> str:
        return self._transport.settings.base_url

    def __repr__(self) -> str:
        return f"AsyncDing(server_url={self.server_url!r})"

    async def close(self) -> None:
        """Close the client, for good: close the sessions ding created (a session you passed
        stays open), end the calls in flight with ``ClientClosedError``, and refuse every
        later call with it too, at once. Idempotent.

        As with a closed ``aiohttp.ClientSession`` or ``httpx.AsyncClient``, a closed client
        does not reopen: a later call that silently opened a new session could outlive the
        shutdown that closed it. A client shared across event loops (``asyncio.run()`` per
        task, pytest-asyncio's loops) need not be closed: each loop's session is closed
        when that loop shuts down.
        """
        await self._sessions.close()

    async def __aenter__(self) -> Self:
        if self._sessions.closed:
            raise ClientClosedError(
                "this client is closed (close() is final): create a new AsyncDing"
            )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
