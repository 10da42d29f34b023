"""``Ding``: the sync facade, running the async core's coroutines on a private loop thread.

Each sync operation is a declaration (the async one's signature and docstring, without
``await``, so that jedi, pyright, IPython and the docs read them as written) whose body runs
the async twin's coroutine through :meth:`_SyncResource._run`: one code path at run time.

The docstrings are written out twice on purpose: jedi (IPython, editors without Pylance)
shows only the docstring written at the declaration it resolves -- not a base class's, not
one set at run time -- and sync users read these. tests/unit/test_sync_declarations.py
keeps each copy identical to the async one but for ``await``, and mypy checks the arguments
each passes on.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Coroutine, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import aiohttp

from ._async_client import AsyncDing
from ._call_settings import TIMING_OPTIONS, resolve, wait_bound
from ._loop_thread import LoopThread
from ._resources import AsyncLookup, AsyncOtp
from ._signatures import share_signatures
from .models import components, operations
from .models.errors import ClientClosedError, DingError, ValidationError

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

    from ._call_settings import CallOptions
    from ._client_options import ClientOptions
    from ._requests_session import RequestsSession
    from .utils import RetryConfig

R = TypeVar("R")
AsyncResource = TypeVar("AsyncResource", AsyncOtp, AsyncLookup)


_CLOSED = "this client is closed (close() is final): create a new ding.Ding"


class _Engine:
    """What a ``Ding`` and its resources share: the async core and the loop thread running it.

    It owns the thread, so it carries the finalizer: when the last of the client, its
    resources and their bound methods goes, reference counting alone frees it, and the
    finalizer closes the sessions and ends the thread. Nothing it holds refers back to the
    ``Ding`` (a cycle would leave the thread running until the cyclic GC ran).
    """

    __slots__ = ("__weakref__", "client", "finalizer", "runner")

    def __init__(self, client: AsyncDing) -> None:
        self.client: AsyncDing = client
        self.runner: LoopThread = LoopThread()
        self.finalizer: weakref.finalize[[LoopThread, AsyncDing], _Engine] = weakref.finalize(
            self, _shutdown, self.runner, client
        )


class _SyncResource(Generic[AsyncResource]):
    """A resource of the sync client (``otp``, ``lookup``): its operations run those of the
    async resource it wraps. Built by ``Ding``, not by users."""

    def __init__(self, target: AsyncResource, engine: _Engine) -> None:
        self._target: AsyncResource = target
        self._runner: LoopThread = engine.runner
        # Keeps the engine (and so its loop) alive while only a resource or one of its bound
        # methods is referenced, as in ``ding.Ding().otp.check(...)``.
        self._engine: _Engine = engine
        self._settings = engine.client._transport.settings
        self._wait = wait_bound(self._settings)

    def _wait_for(self, options: Mapping[str, Any]) -> float:
        """The limit of one call: the client's, unless its options change the timing."""
        if TIMING_OPTIONS.isdisjoint(options):
            return self._wait
        timing = {name: value for name, value in options.items() if name in TIMING_OPTIONS}
        try:
            return wait_bound(resolve(self._settings, timing))
        except DingError:
            return self._wait  # the call itself raises it, before any I/O

    def _run(self, call: Coroutine[Any, Any, R], options: Mapping[str, Any]) -> R:
        """Run ``call``, a coroutine of the async twin, on the private loop thread and wait
        for its result: the one code path of every sync operation.

        Error trackers send the variables of a traceback's frames: while it waits, the
        operation's frame keeps no request given as a dict or phone number (a code, personal
        data) in one; the operation drops it once ``call`` is made."""
        # Through ``self``: a bound method held alone keeps its engine alive. The wait lasts
        # as long as the call on a live loop (the async call's own limits end it).
        return self._runner.run(call, stalled_after=self._wait_for(options))

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class Otp(_SyncResource[AsyncOtp]):
    """Send OTP codes to your users using their phone numbers."""

    def create_authentication(
        self,
        request: components.CreateAuthenticationRequest | Mapping[str, Any] | None = None,
        **options: Unpack[CallOptions],
    ) -> operations.CreateAuthenticationResponse:
        """Send a code to a user's phone number.

        Not retried after an outcome where the SMS may already be on its way (a 500, 502, 504 or
        408, a read timeout, a dropped connection) unless ``retry_ambiguous=True``: a retry
        could send a second SMS.

        Example:

        ```python
        sent = client.otp.create_authentication(
            {"customer_uuid": CUSTOMER_UUID, "phone_number": "+14155550100"}
        )
        auth_uuid = sent.create_authentication_response.authentication_uuid
        ```

        :param request: The number to send the code to, your customer UUID and optional fraud
            signals: a ``components.CreateAuthenticationRequest`` or a ``dict`` of its fields.
        :param options: Per-call options (``ding.CallOptions``): ``timeout``, ``deadline``,
            ``max_retries``, ``headers`` ...; each defaults to the client's.
        :returns: The envelope: ``create_authentication_response`` holds the
            ``authentication_uuid`` that ``check`` and ``retry`` take, and the ``status``
            (``pending``; ``rate_limited`` or ``spam_detected`` when no code was sent).
        :raises errors.ValidationError: An input the spec rules out, before anything is sent.
        :raises errors.ErrorResponse: The API refused the request; ``e.code`` says why.
        :raises errors.APIConnectionError: No usable answer (``APITimeoutError``: time ran out).
        """
        call = self._target.create_authentication(request, **options)
        del request  # (see _run)
        return self._run(call, options)

    def check(
        self,
        request: components.CreateCheckRequest | Mapping[str, Any] | None = None,
        **options: Unpack[CallOptions],
    ) -> operations.CheckResponse:
        """Check the code a user entered.

        A wrong code is not an exception: the answer's ``status`` says ``invalid`` (or
        ``expired_auth``, ``rate_limited``, ``already_validated``, ``without_attempt``).

        Not retried after an outcome where the check may already have counted (a 500, 502,
        504 or 408, a read timeout, a dropped connection) unless ``retry_ambiguous=True``: a
        retry would spend another of the user's attempts, or answer ``already_validated``.

        Example:

        ```python
        checked = client.otp.check(
            {
                "customer_uuid": CUSTOMER_UUID,
                "authentication_uuid": auth_uuid,
                "check_code": code,
            }
        )
        valid = checked.create_check_response.status == components.CheckStatus.VALID
        ```

        :param request: Your customer UUID, the ``authentication_uuid`` and the code: a
            ``components.CreateCheckRequest`` or a ``dict`` of its fields.
        :param options: Per-call options (``ding.CallOptions``): ``timeout``, ``deadline``,
            ``max_retries``, ``headers`` ...; each defaults to the client's.
        :returns: The envelope: ``create_check_response.status`` is ``valid`` when the code
            matches (a ``components.CheckStatus``).
        :raises errors.ValidationError: An input the spec rules out, before anything is sent.
        :raises errors.ErrorResponse: The API refused the request; ``e.code`` says why.
        :raises errors.APIConnectionError: No usable answer (``APITimeoutError``: time ran out).
        """
        call = self._target.check(request, **options)
        del request  # (see _run)
        return self._run(call, options)

    def feedback(
        self,
        request: components.FeedbackRequest | Mapping[str, Any] | None = None,
        **options: Unpack[CallOptions],
    ) -> operations.FeedbackResponse:
        """Report whether the user finished onboarding, for the latest authentication of the number.

        Not retried after an outcome where the feedback may already be stored (a 500, 502, 504
        or 408, a read timeout, a dropped connection) unless ``retry_ambiguous=True``: a retry
        would answer ``duplicated_feedback_status``.

        Example:

        ```python
        client.otp.feedback(
            {
                "customer_uuid": CUSTOMER_UUID,
                "phone_number": "+14155550100",
                "status": components.FeedbackRequestStatus.ONBOARDED,
            }
        )
        ```

        :param request: Your customer UUID, the phone number and the ``status``
            (``onboarded`` or ``not_onboarded``): a ``components.FeedbackRequest`` or a ``dict``
            of its fields.
        :param options: Per-call options (``ding.CallOptions``): ``timeout``, ``deadline``,
            ``max_retries``, ``headers`` ...; each defaults to the client's.
        :returns: The envelope: ``feedback_response.uuid`` identifies the feedback.
        :raises errors.ValidationError: An input the spec rules out, before anything is sent.
        :raises errors.ErrorResponse: The API refused the request; ``e.code`` says why.
        :raises errors.APIConnectionError: No usable answer (``APITimeoutError``: time ran out).
        """
        call = self._target.feedback(request, **options)
        del request  # (see _run)
        return self._run(call, options)

    def retry(
        self,
        request: components.RetryAuthenticationRequest | Mapping[str, Any] | None = None,
        **options: Unpack[CallOptions],
    ) -> operations.RetryResponse:
        """Send a new code when the user has not received the first one (a new SMS).

        Like ``create_authentication``, not retried after an ambiguous failure unless
        ``retry_ambiguous=True``.

        Example:

        ```python
        again = client.otp.retry(
            {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": auth_uuid}
        )
        left = again.retry_authentication_response.remaining_retry
        ```

        :param request: Your customer UUID and the ``authentication_uuid``: a
            ``components.RetryAuthenticationRequest`` or a ``dict`` of its fields.
        :param options: Per-call options (``ding.CallOptions``): ``timeout``, ``deadline``,
            ``max_retries``, ``headers`` ...; each defaults to the client's.
        :returns: The envelope: ``retry_authentication_response`` holds the ``status``
            (``approved`` when a new code was sent), ``remaining_retry`` and ``next_retry_at``.
        :raises errors.ValidationError: An input the spec rules out, before anything is sent.
        :raises errors.ErrorResponse: The API refused the request; ``e.code`` says why.
        :raises errors.APIConnectionError: No usable answer (``APITimeoutError``: time ran out).
        """
        return self._run(self._target.retry(request, **options), options)

    def get_authentication_status(
        self, auth_uuid: str, **options: Unpack[CallOptions]
    ) -> operations.GetAuthenticationStatusResponse:
        """Get the status of an authentication and the events that happened to it.

        Example:

        ```python
        status = client.otp.get_authentication_status(auth_uuid)
        events = status.authentication_status_response.events
        ```

        :param auth_uuid: The ``authentication_uuid`` that ``create_authentication`` returned.
        :param options: Per-call options (``ding.CallOptions``): ``timeout``, ``deadline``,
            ``max_retries``, ``headers`` ...; each defaults to the client's.
        :returns: The envelope: ``authentication_status_response`` holds the phone number, the
            signals and the ``events`` (attempts, delivery reports, checks, balance updates).
        :raises errors.ValidationError: An input the spec rules out, before anything is sent.
        :raises errors.ErrorResponse: The API refused the request; ``e.code`` says why.
        :raises errors.APIConnectionError: No usable answer (``APITimeoutError``: time ran out).
        """
        return self._run(self._target.get_authentication_status(auth_uuid, **options), options)


class Lookup(_SyncResource[AsyncLookup]):
    """Retrieve up-to-date metadata about a specific phone number."""

    def lookup(
        self,
        phone_number: str,
        customer_uuid: str,
        type_: operations.Type | str | Sequence[operations.Type | str] | None = None,
        **options: Unpack[CallOptions],
    ) -> operations.LookupResponse:
        """Look up a phone number: its carrier, line type, country and more.

        :param phone_number: The number to look up, in E.164 form (``+14155550100``).
        :param customer_uuid: Your customer UUID.
        :param type_: Extra features to request: ``operations.Type.CNAM`` (or ``"cnam"``, or a
            list of them) adds the caller name.
        :param options: Per-call options (``ding.CallOptions``): ``timeout``, ``deadline``,
            ``max_retries``, ``headers`` ...; each defaults to the client's.
        :returns: The envelope: ``lookup_response`` holds the carrier, ``line_type``,
            ``country_code``, ``number_ported`` and, with CNAM, ``caller_name``.
        :raises errors.ValidationError: An input the spec rules out, before anything is sent.
        :raises errors.ErrorResponse: The API refused the request; ``e.code`` says why.
        :raises errors.APIConnectionError: No usable answer (``APITimeoutError``: time ran out).

        Example:

        ```python
        looked = client.lookup.lookup("+14155550100", CUSTOMER_UUID)
        line = looked.lookup_response.line_type
        ```
        """
        call = self._target.lookup(phone_number, customer_uuid, type_, **options)
        del phone_number  # (see _run)
        return self._run(call, options)


share_signatures(Otp, AsyncOtp)
share_signatures(Lookup, AsyncLookup)


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
        client: RequestsSession | None = None,
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
