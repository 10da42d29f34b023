"""``Ding``: the sync facade, derived from the async core rather than written twice.

Each sync method is generated from the matching ``AsyncDing`` resource method by
:func:`blocking`, which keeps its full static signature (``ParamSpec``) and docstring and
runs the same coroutine on the facade's private loop thread.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Coroutine, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import aiohttp

from ._async_client import AsyncDing
from ._loop_thread import LoopThread
from ._options import CallSettings, resolve
from ._resources import AsyncLookup, AsyncOtp
from .models.errors import ClientClosedError, DingError, ValidationError
from .utils import RetryConfig

if TYPE_CHECKING:
    from typing import Concatenate

    from typing_extensions import ParamSpec, Self, Unpack

    from ._options import ClientOptions

    P = ParamSpec("P")
else:  # ParamSpec is only needed by the type checker; keep runtime imports minimal.
    P = TypeVar("P")

R = TypeVar("R")
AsyncResource = TypeVar("AsyncResource", AsyncOtp, AsyncLookup)


_CLOSED = "this client is closed (close() is final): create a new ding.Ding"
_TIMING_OPTIONS = frozenset(
    {"timeout", "timeout_ms", "connect_timeout", "deadline", "max_retries", "retries"}
    | {"retry_after_cap"}
)


def wait_bound(settings: CallSettings) -> float:
    """The longest a call with ``settings`` may take (seconds), as the transport bounds it:
    past it, a caller of the facade makes sure the private loop is not stalled."""
    timeouts, retry = settings.timeouts, settings.retry
    attempt = timeouts.attempt or 0.0
    if timeouts.deadline is not None:
        longest = timeouts.deadline
    elif retry.max_retries is None:
        # resolve() guarantees a max_elapsed here: no retry starts after it.
        longest = (retry.max_elapsed or 0.0) + attempt
    else:  # resolve() guarantees a per-attempt timeout and a finite cap here
        attempts = retry.max_retries + 1
        longest = attempts * attempt + (attempts - 1) * max(
            retry.max_interval, retry.retry_after_cap
        )
    return min(longest, threading.TIMEOUT_MAX)


class _Engine:
    """What a ``Ding`` and its resources share: the async core and the loop thread running it.

    It owns the thread, so it carries the finalizer: when the last of the client, its
    resources and their bound methods goes, reference counting alone frees it, and the
    finalizer closes the sessions and ends the thread. Nothing it holds refers back to the
    ``Ding`` (a cycle would leave the thread running until the cyclic GC ran).
    """

    __slots__ = ("__weakref__", "client", "finalizer", "runner")

    def __init__(self, client: AsyncDing) -> None:
        self.client = client
        self.runner = LoopThread()
        self.finalizer = weakref.finalize(self, _shutdown, self.runner, client)


class _SyncResource(Generic[AsyncResource]):
    def __init__(self, target: AsyncResource, engine: _Engine) -> None:
        self._target: AsyncResource = target
        self._runner: LoopThread = engine.runner
        # Keeps the engine (and so its loop) alive while only a resource or one of its bound
        # methods is referenced, as in ``ding.Ding().otp.check(...)``.
        self._engine = engine
        self._settings = engine.client._transport.settings
        self._wait = wait_bound(self._settings)

    def _wait_for(self, options: Mapping[str, Any]) -> float:
        """The wait bound of one call: the client's, unless its options change the timing."""
        if _TIMING_OPTIONS.isdisjoint(options):
            return self._wait
        timing = {name: value for name, value in options.items() if name in _TIMING_OPTIONS}
        try:
            return wait_bound(resolve(self._settings, timing))
        except DingError:
            return self._wait  # the call itself raises it, before any I/O

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


if TYPE_CHECKING:

    class _Blocking(Generic[P, R]):
        """How type checkers see a :func:`blocking` method: the async method's parameters,
        returning the result instead of a coroutine."""

        @overload
        def __get__(self, obj: None, owner: type) -> Callable[Concatenate[Any, P], R]: ...
        @overload
        def __get__(self, obj: object, owner: type) -> Callable[P, R]: ...
        def __get__(self, obj: object, owner: type) -> Any: ...
        def __call__(self, resource: Any, /, *args: P.args, **kwargs: P.kwargs) -> R: ...


def blocking(
    method: Callable[Concatenate[Any, P], Coroutine[Any, Any, R]],
) -> _Blocking[P, R]:
    """The blocking twin of an async resource method: a plain function, so it binds like any
    method (no per-access work, nothing cached on the instance), a class-level
    ``mock.patch("ding.otp.Otp.check")`` always wins, and ``inspect.signature`` (through
    ``__wrapped__``) shows the async method's parameters without ``self``."""

    @functools.wraps(method)
    def call(resource: _SyncResource[Any], /, *args: P.args, **kwargs: P.kwargs) -> R:
        # Through ``resource``: a bound method held alone keeps its client alive.
        return resource._runner.run(
            method(resource._target, *args, **kwargs), stalled_after=resource._wait_for(kwargs)
        )

    return call  # type: ignore[return-value]


class Otp(_SyncResource[AsyncOtp]):
    """Send OTP codes to your users using their phone numbers."""

    create_authentication = blocking(AsyncOtp.create_authentication)
    check = blocking(AsyncOtp.check)
    feedback = blocking(AsyncOtp.feedback)
    retry = blocking(AsyncOtp.retry)
    get_authentication_status = blocking(AsyncOtp.get_authentication_status)


class Lookup(_SyncResource[AsyncLookup]):
    """Retrieve up-to-date metadata about a specific phone number."""

    lookup = blocking(AsyncLookup.lookup)


def _shutdown(runner: LoopThread, client: AsyncDing) -> None:
    # Must not reference the engine: it runs when that engine is collected.
    runner.stop(client.close)


class Ding:
    """Sync client for the Ding API; takes the same arguments as :class:`AsyncDing`, in the
    official client's order: ``Ding(api_key, server_idx, server_url, url_params, client,
    retry_config)``, then keyword options.

    ``client`` is a ``requests.Session`` (its headers, proxies, ``trust_env``, ``verify`` and
    ``cert`` are carried over); ``session_factory`` builds the aiohttp session on the private
    loop if you need a custom one. Safe to share between threads (calls run concurrently on
    one connection pool), usable from inside a running event loop, in forked workers (uWSGI
    included) and under gevent or eventlet. Close it with ``close()`` or a ``with`` block
    (calls in flight then end with ``ClientClosedError``); a dropped client is shut down
    cleanly when collected or at exit.
    """

    otp: Otp
    """Send OTP codes to your users using their phone numbers."""
    lookup: Lookup
    """Retrieve up-to-date metadata about a specific phone number."""

    def __init__(
        self,
        api_key: str | Callable[[], str] | None = None,
        server_idx: int | None = None,
        server_url: str | None = None,
        url_params: Mapping[str, str] | None = None,
        client: Any = None,
        retry_config: RetryConfig | None = None,
        *,
        session_factory: Callable[[], aiohttp.ClientSession] | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        if isinstance(client, aiohttp.ClientSession):
            raise ValidationError(
                "client",
                "a requests.Session: an aiohttp session belongs to one event loop, so pass "
                "session_factory= (a function that builds one) instead",
                got="an aiohttp.ClientSession",
            )
        self._async = AsyncDing(
            api_key,
            server_idx,
            server_url,
            url_params,
            client,
            retry_config,
            session_factory=session_factory,
            **options,
        )
        engine = self._engine = _Engine(self._async)
        self._runner = engine.runner
        self.otp = Otp(self._async.otp, engine)
        self.lookup = Lookup(self._async.lookup, engine)

    @property
    def server_url(self) -> str:
        return self._async.server_url

    def __repr__(self) -> str:
        return f"Ding(server_url={self.server_url!r})"

    def close(self) -> None:
        """Close the client: calls in flight end at once with ``ClientClosedError``.

        Cancels what is in flight on the private loop (calls waiting in other threads raise
        :class:`~ding.models.errors.ClientClosedError`), closes the session and stops the
        loop thread. Calls made afterwards raise ``ClientClosedError``. Idempotent.
        """
        self._engine.finalizer()

    def __enter__(self) -> Self:
        if not self._engine.finalizer.alive:
            raise ClientClosedError(_CLOSED)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
