"""ding's own OpenTelemetry spans and metrics (the ``otel`` extra: ``opentelemetry-api``).

Imported only when the application uses OpenTelemetry (``_telemetry`` checks first), so
``import ding`` never loads it. Per call: a span named for the operation (``ding otp.check``),
a child of the caller's span, and under it one CLIENT span per HTTP attempt following the
HTTP semantic conventions -- named ``{method} {url.template}``, with a ``url.full`` that is
the template too (its parameters are a phone number or an authentication uuid), and
``http.request.resend_count`` from the second attempt. The retry decisions are events of the
call's span. Metrics carry the operation and the outcome only, so their series do not grow
with the numbers looked up.

While an attempt is sent, its span is the current one and HTTP instrumentation is
suppressed (OpenTelemetry's aiohttp-client instrumentation checks for it): no second span
per request; ding injects ``traceparent`` itself.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from ._version import __version__

__all__ = ["Instruments"]

SCOPE = "ding"
# opentelemetry-api keeps the key HTTP instrumentations check under a private name (the
# instrumentation packages import it from there too); without it nothing is suppressed.
_SUPPRESS_HTTP = getattr(otel_context, "_SUPPRESS_HTTP_INSTRUMENTATION_KEY", None)

OPERATION = "ding.operation"
OUTCOME = "ding.outcome"


class Instruments:
    """The tracer and the meter's instruments of one pair of providers."""

    __slots__ = ("attempts", "duration", "tracer")

    tracer: Any
    """The ``Tracer`` (None without a tracer provider)."""
    duration: Any
    """The ``ding.client.operation.duration`` histogram (None without a meter provider)."""
    attempts: Any
    """The ``ding.client.attempts`` counter (None without a meter provider)."""

    def __init__(self, tracer_provider: Any, meter_provider: Any) -> None:
        self.tracer = (
            None if tracer_provider is None else tracer_provider.get_tracer(SCOPE, __version__)
        )
        self.duration = self.attempts = None
        if meter_provider is not None:
            meter = meter_provider.get_meter(SCOPE, __version__)
            self.duration = meter.create_histogram(
                "ding.client.operation.duration",
                unit="s",
                description="Duration of ding calls, every attempt and wait included.",
            )
            self.attempts = meter.create_counter(
                "ding.client.attempts",
                unit="{attempt}",
                description="HTTP attempts made by ding calls (retries are attempts after "
                "the first).",
            )

    def start_call(self, operation: str) -> Any:
        if self.tracer is None:
            return None
        return self.tracer.start_span(
            f"ding {operation}", kind=SpanKind.INTERNAL, attributes={OPERATION: operation}
        )

    def start_attempt(
        self, call_span: Any, target: Any, attempt: int, carrier: MutableMapping[str, str]
    ) -> tuple[Any, object]:
        """The attempt's span, made current (and HTTP instrumentation suppressed) until
        :meth:`end_attempt`; ``traceparent`` goes into ``carrier``."""
        if self.tracer is None:
            return None, None
        attributes: dict[str, Any] = {
            "http.request.method": target.method,
            "url.template": target.path,
            "url.full": target.url,
            "server.address": target.host,
        }
        if target.port is not None:
            attributes["server.port"] = target.port
        if attempt > 1:
            attributes["http.request.resend_count"] = attempt - 1
        parent = trace.set_span_in_context(call_span) if call_span is not None else None
        span = self.tracer.start_span(
            target.name, context=parent, kind=SpanKind.CLIENT, attributes=attributes
        )
        ctx = trace.set_span_in_context(span)
        if _SUPPRESS_HTTP is not None:
            ctx = otel_context.set_value(_SUPPRESS_HTTP, True, ctx)
        propagate.inject(carrier, context=ctx)
        return span, otel_context.attach(ctx)

    @staticmethod
    def end_attempt(span: Any, token: object, status: int | None, error_type: str | None) -> None:
        if token is not None:
            otel_context.detach(token)  # type: ignore[arg-type]
        if span is None:
            return
        if status is not None:
            span.set_attribute("http.response.status_code", status)
        _end(span, error_type)

    @staticmethod
    def event(call_span: Any, name: str, attributes: dict[str, Any]) -> None:
        if call_span is not None:
            call_span.add_event(name, attributes)

    def end_call(
        self, span: Any, operation: str, attempts: int, elapsed: float, error_type: str | None
    ) -> None:
        if span is not None:
            span.set_attribute("ding.attempts", attempts)
            _end(span, error_type)
        if self.duration is not None and self.attempts is not None:
            labels = {OPERATION: operation, OUTCOME: error_type or "ok"}
            self.duration.record(elapsed, labels)
            self.attempts.add(attempts, labels)


def _end(span: Any, error_type: str | None) -> None:
    """End ``span``; a failure is its ``error.type`` and an ERROR status."""
    if error_type is not None:
        span.set_attribute("error.type", error_type)
        span.set_status(Status(StatusCode.ERROR))
    span.end()
