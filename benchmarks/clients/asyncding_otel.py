"""ding.AsyncDing with its own OpenTelemetry tracing and metrics on: what they cost per call.

The SDK's tracer and meter providers are given to the client; spans go through a
SimpleSpanProcessor to an exporter that drops them, and metrics to a reader nobody collects,
so the figure is ding's tracing work plus the SDK's span bookkeeping, without any export.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from measure import AsyncCall
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

from . import asyncding


class _Drop(SpanExporter):
    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


@asynccontextmanager
async def open_client(base_url: str, concurrency: int) -> AsyncIterator[AsyncCall]:
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(_Drop()))
    meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()])
    async with asyncding.open_client(
        base_url, concurrency, tracer_provider=tracer_provider, meter_provider=meter_provider
    ) as call:
        yield call
