"""``Ding``: the sync facade, derived from the async core rather than written twice.

Each sync method is generated from the matching ``AsyncDing`` resource method by
:class:`blocking`, which keeps its full static signature (``ParamSpec``) and docstring and
runs the same coroutine on the facade's private loop thread.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import aiohttp

from ._async_client import AsyncDing
from ._loop_thread import LoopThread
from ._resources import AsyncLookup, AsyncOtp

if TYPE_CHECKING:
    from typing import Concatenate

    from typing_extensions import ParamSpec, Self, Unpack

    from ._options import ClientOptions

    P = ParamSpec("P")
else:  # ParamSpec is only needed by the type checker; keep runtime imports minimal.
    P = TypeVar("P")

R = TypeVar("R")
AsyncResource = TypeVar("AsyncResource", AsyncOtp, AsyncLookup)


class _SyncResource(Generic[AsyncResource]):
    def __init__(self, target: AsyncResource, runner: LoopThread, client: Ding) -> None:
        self._target: AsyncResource = target
        self._runner = runner
        # Keeps the client (and so its loop) alive while only a resource or one of its bound
        # methods is referenced, as in ``ding.Ding().otp.check(...)``.
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class blocking(Generic[P, R]):
    """Descriptor: the blocking twin of an async resource method, with the same signature."""

    def __init__(self, method: Callable[Concatenate[Any, P], Coroutine[Any, Any, R]]) -> None:
        self._method = method
        self.__doc__ = method.__doc__
        self._name = method.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...
    @overload
    def __get__(self, obj: _SyncResource[Any], owner: type) -> Callable[P, R]: ...

    def __get__(self, obj: _SyncResource[Any] | None, owner: type) -> Self | Callable[P, R]:
        if obj is None:
            return self
        method = self._method

        @functools.wraps(method)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            # Through ``obj``: a bound method held alone keeps its client alive.
            return obj._runner.run(method(obj._target, *args, **kwargs))

        obj.__dict__[self._name] = call  # bind once per resource, not on every access
        return call


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
    # Must not reference the Ding instance: it runs when that instance is collected.
    runner.stop(client.close)


class Ding:
    """Sync client for the Ding API; takes the same arguments as :class:`AsyncDing`.

    Safe to share between threads (calls run concurrently on one connection pool), usable
    from inside a running event loop, and fork-safe. ``session_factory`` builds the aiohttp
    session on the private loop if you need a custom one. Close it with ``close()`` or a
    ``with`` block; a dropped client is shut down cleanly when collected or at exit.
    """

    def __init__(
        self,
        api_key: str | Callable[[], str] | None = None,
        *,
        session_factory: Callable[[], aiohttp.ClientSession] | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._async = AsyncDing(api_key, session_factory=session_factory, **options)
        self._runner = LoopThread()
        self.otp = Otp(self._async.otp, self._runner, self)
        self.lookup = Lookup(self._async.lookup, self._runner, self)
        self._finalizer = weakref.finalize(self, _shutdown, self._runner, self._async)

    @property
    def server_url(self) -> str:
        return self._async.server_url

    def __repr__(self) -> str:
        return f"Ding(server_url={self.server_url!r})"

    def close(self) -> None:
        """Close the session and stop the private loop thread. Idempotent."""
        self._finalizer()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
