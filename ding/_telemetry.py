"""Who hears about a call, and what they hear: the ``ding`` logger, the client's hooks and
OpenTelemetry (when the application uses it). The transport reports each event once -- call
start and end, attempt start and end, a retry, a give-up -- to a :class:`CallTrace`, which
tells every listener; with none listening there is no trace (``None``) and each event costs
the transport a plain ``if``.

What any listener is told is redacted by construction: the operation, the method, the URL
*template* (``/v1/lookup/{phone_number}``), statuses, times and error types. The request's
values -- phone numbers, codes, the key, authentication uuids -- are never in an event.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._logging import logger

if TYPE_CHECKING:
    from ._call_hooks import CallEvent, Hook, Hooks
    from ._otel import Instruments

__all__ = ["OTEL_SWITCH", "CallTrace", "Target", "Telemetry", "error_type"]

OTEL_SWITCH = "DING_OTEL"
"""``DING_OTEL=off`` turns ding's own OpenTelemetry spans and metrics off (read when a
client is created); logging and hooks are not affected."""
_OFF = frozenset({"off", "0", "false", "no"})


class Target:
    """An endpoint at a server, as listeners may see it: its URL template, parsed once."""

    __slots__ = ("host", "method", "name", "path", "port", "url")

    method: str
    url: str
    """The URL template: ``https://api.ding.live/v1/lookup/{phone_number}``."""
    path: str
    """Its path: ``/v1/lookup/{phone_number}`` (the HTTP conventions' ``url.template``)."""
    host: str
    port: int | None
    name: str
    """``{method} {path}``: the name of an attempt's span."""

    def __init__(self, method: str, template_url: str) -> None:
        parts = urlsplit(template_url)
        self.method = method
        self.url = template_url
        self.path = parts.path
        self.host = parts.hostname or ""
        self.port = parts.port
        self.name = f"{method} {self.path}"


# Parsed once per method and template (a per-call server URL is rare; the cache stays small).
_target = functools.lru_cache(maxsize=64)(Target)


def error_type(error: BaseException | None, status: int | None = None) -> str | None:
    """What went wrong, with a bounded set of values: the API's error code, else the HTTP
    status, else the class of the exception that ended the attempt."""
    if error is None:
        return None if status is None or status < 400 else str(status)
    code = getattr(error, "code", None)
    if code is not None:
        return str(getattr(code, "value", code))
    if status is not None and status >= 400:
        return str(status)
    cause = error.__cause__
    return type(cause if cause is not None else error).__name__


def _run_hook(name: str, hook: Hook, event: CallEvent) -> None:
    try:
        hook(event)
    except Exception:
        logger.warning("ding: the %s hook raised; the call goes on", name, exc_info=True)


class CallTrace:
    """One call's listeners, told of each of its events in turn."""

    __slots__ = (
        "_attempt_span",
        "_attempt_started",
        "_hooks",
        "_instruments",
        "_span",
        "_token",
        "attempt",
        "operation",
        "started",
        "target",
    )

    operation: str
    target: Target
    started: float
    """When the call began (``time.monotonic()``)."""
    attempt: int
    """The attempt under way, or the last one (0 before the first)."""

    def __init__(
        self,
        operation: str,
        target: Target,
        instruments: Instruments | None,
        hooks: Hooks | None,
    ) -> None:
        self.operation = operation
        self.target = target
        self._instruments = instruments
        self._hooks = hooks
        self.started = self._attempt_started = time.monotonic()
        self.attempt = 0
        self._span = None if instruments is None else instruments.start_call(operation)
        self._attempt_span: Any = None
        self._token: object = None

    def _event(self, **fields: Any) -> CallEvent:
        # Imported here: only a client given hooks (which imported it to make them) has
        # events; a process without hooks never loads it (0.56M instructions, measured).
        from ._call_hooks import CallEvent

        target = self.target
        return CallEvent(self.operation, self.attempt, target.method, target.path, **fields)

    def _fields(self, **fields: Any) -> dict[str, Any]:
        """The ``extra`` of a log record: what a structured log handler shows as fields."""
        target = self.target
        return {
            "operation": self.operation,
            "attempt": self.attempt,
            "method": target.method,
            "url_template": target.path,
            **fields,
        }

    def attempt_started(self, attempt: int) -> dict[str, str] | None:
        """An attempt is about to be sent; the headers it must carry (``traceparent``)."""
        self.attempt = attempt
        self._attempt_started = time.monotonic()
        hooks = self._hooks
        if hooks is not None and hooks.on_attempt_start is not None:
            _run_hook("on_attempt_start", hooks.on_attempt_start, self._event())
        instruments = self._instruments
        if instruments is None:
            return None
        carrier: dict[str, str] = {}
        self._attempt_span, self._token = instruments.start_attempt(
            self._span, self.target, attempt, carrier
        )
        return carrier or None

    def attempt_ended(self, status: int | None, error: BaseException | None) -> None:
        """The attempt has an answer (``status``) or failed; ``error``: the call's error for
        it, if it is one."""
        elapsed = time.monotonic() - self._attempt_started
        kind = error_type(error, status)
        if self._instruments is not None:
            # The HTTP conventions' error.type: the status code, else the exception's class.
            http_kind = str(status) if status is not None and status >= 400 else kind
            self._instruments.end_attempt(self._attempt_span, self._token, status, http_kind)
            self._attempt_span = self._token = None
        if logger.isEnabledFor(logging.DEBUG):
            target = self.target
            logger.debug(
                "%s: %s %s -> %s (attempt %d, %.1f ms)",
                self.operation,
                target.method,
                target.path,
                status if status is not None else kind,
                self.attempt,
                elapsed * 1000,
                extra=self._fields(
                    stage="attempt", status=status, elapsed=elapsed, error_type=kind
                ),
            )
        hooks = self._hooks
        if hooks is not None and hooks.on_attempt_end is not None:
            event = self._event(status=status, elapsed=elapsed, error_type=kind)
            _run_hook("on_attempt_end", hooks.on_attempt_end, event)

    def abandoned(self) -> None:
        """The attempt ended without an outcome (the call was cancelled): close its span
        and give the context back."""
        if self._token is not None or self._attempt_span is not None:
            self.attempt_ended(None, None)

    def retrying(self, wait: float, status: int | None, error: BaseException) -> None:
        """The call will try again after ``wait`` seconds."""
        kind = error_type(error, status)
        reason = f"HTTP {status}" if status is not None else str(kind)
        message = f"{reason}, retrying in {wait:.3f} s (attempt {self.attempt})"
        self._decided("retry", message, status, kind, reason, wait)

    def gave_up(self, why: str, status: int | None, error: BaseException) -> None:
        """A transient failure is final: ``why`` (not retried, retries spent, deadline...)."""
        kind = error_type(error, status)
        failure = status if status is not None else kind
        message = f"failed with {failure} after {self.attempt} attempt(s), giving up ({why})"
        self._decided("give_up", message, status, kind, why, None)

    def _decided(
        self,
        stage: str,
        message: str,
        status: int | None,
        kind: str | None,
        reason: str,
        wait: float | None,
    ) -> None:
        """Tell everyone of a retry decision: an INFO record, an event of the call's span
        (``ding.retry`` or ``ding.no_retry``), the ``on_retry`` or ``on_give_up`` hook."""
        elapsed = time.monotonic() - self.started
        if logger.isEnabledFor(logging.INFO):
            target = self.target
            fields = self._fields(
                stage=stage, status=status, elapsed=elapsed, error_type=kind, reason=reason
            )
            if wait is not None:
                fields["wait"] = wait
            logger.info(
                "%s: %s %s: %s" if wait is not None else "%s: %s %s %s",
                self.operation,
                target.method,
                target.path,
                message,
                extra=fields,
            )
        if self._instruments is not None:
            attributes: dict[str, Any] = {"ding.attempt": self.attempt, "ding.retry.reason": reason}
            if wait is not None:
                attributes["ding.retry.wait"] = wait
            name = "ding.retry" if wait is not None else "ding.no_retry"
            self._instruments.event(self._span, name, attributes)
        hooks = self._hooks
        hook = None if hooks is None else hooks.on_retry if wait is not None else hooks.on_give_up
        if hook is not None:
            event = self._event(
                status=status, elapsed=elapsed, error_type=kind, wait=wait, reason=reason
            )
            _run_hook("on_retry" if wait is not None else "on_give_up", hook, event)

    def ended(self, error: BaseException | None) -> None:
        """The call returns (``error`` None) or raises ``error``."""
        if self._instruments is not None:
            self.abandoned()
            self._instruments.end_call(
                self._span,
                self.operation,
                self.attempt,
                time.monotonic() - self.started,
                error_type(error) if error is not None else None,
            )


def _is_placeholder(provider: Any) -> bool:
    """Whether ``provider`` is the stand-in OpenTelemetry's API hands out until the
    application sets a provider. The tracer's is the public ``ProxyTracerProvider``; the
    meter's has no public name to test against (``opentelemetry.metrics._internal.
    _ProxyMeterProvider``), so both are told by their class names.
    tests/observability/test_library_internals.py fails loudly if those change."""
    return type(provider).__name__ in ("ProxyTracerProvider", "_ProxyMeterProvider")


def _global_provider(module_name: str, getter: str) -> Any:
    """The application's global provider, or None: OpenTelemetry is not imported (then it is
    not in use, and ding does not import it either), or nobody has set the provider yet."""
    module = sys.modules.get(module_name)
    if module is None:
        return None
    provider = getattr(module, getter)()
    return None if _is_placeholder(provider) else provider


class Telemetry:
    """A client's listeners: its hooks, and OpenTelemetry -- the providers it was given, or
    the global ones once the application has set them (looked up per call, so a client made
    before the providers were set is traced too)."""

    __slots__ = (
        "_hooks",
        "_instruments",
        "_meter_provider",
        "_otel_on",
        "_providers",
        "_providers_given",
        "_tracer_provider",
    )

    def __init__(
        self,
        hooks: Hooks | None = None,
        tracer_provider: Any = None,
        meter_provider: Any = None,
    ) -> None:
        self._hooks = hooks
        self._tracer_provider = tracer_provider
        self._meter_provider = meter_provider
        self._providers_given = tracer_provider is not None or meter_provider is not None
        self._otel_on = os.environ.get(OTEL_SWITCH, "").strip().lower() not in _OFF
        self._providers: tuple[Any, Any] = (None, None)
        self._instruments: Instruments | None = None

    def __repr__(self) -> str:
        return f"<Telemetry hooks={self._hooks!r} otel={'on' if self._otel_on else 'off'}>"

    def _current_instruments(self) -> Instruments | None:
        tracer_provider = self._tracer_provider
        if tracer_provider is None:
            tracer_provider = _global_provider("opentelemetry.trace", "get_tracer_provider")
        meter_provider = self._meter_provider
        if meter_provider is None:
            meter_provider = _global_provider("opentelemetry.metrics", "get_meter_provider")
        if tracer_provider is None and meter_provider is None:
            return None
        known = self._providers
        if known[0] is not tracer_provider or known[1] is not meter_provider:
            from ._otel import Instruments

            self._instruments = Instruments(tracer_provider, meter_provider)
            self._providers = (tracer_provider, meter_provider)
        return self._instruments

    def start(self, operation: str, method: str, template_url: str) -> CallTrace | None:
        """The trace of a call, or ``None`` when nobody listens to its every attempt.

        Per call, so it stays cheap when nothing listens: OpenTelemetry is looked at only
        once the application has imported it (or gave providers)."""
        instruments = None
        if self._otel_on and (
            self._providers_given
            or "opentelemetry.trace" in sys.modules
            or "opentelemetry.metrics" in sys.modules
        ):
            instruments = self._current_instruments()
        if instruments is None and self._hooks is None and not logger.isEnabledFor(logging.DEBUG):
            return None
        return CallTrace(operation, _target(method, template_url), instruments, self._hooks)

    def late(
        self, operation: str, method: str, template_url: str, attempt: int, started: float
    ) -> CallTrace:
        """A trace begun at a retry or a give-up of a call nobody traced from its start
        (only the logger listens, at INFO); ``started``: when the call began (monotonic)."""
        trace = CallTrace(operation, _target(method, template_url), None, None)
        trace.attempt = attempt
        trace.started = started
        return trace
