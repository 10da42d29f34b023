"""ding's own tracing and metrics through the client options, with the real OpenTelemetry SDK
in this process (no global provider is set here): ``tracer_provider=`` / ``meter_provider=``,
``DING_OTEL=off``, and metric series that do not grow with the numbers looked up."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import ding
from ding.testing import FakeDing

from ._canaries import new_phone

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeDing]:
    with FakeDing.running(send_rate_limit=None) as running:
        yield running


def _providers() -> tuple[
    TracerProvider, InMemorySpanExporter, MeterProvider, InMemoryMetricReader
]:
    spans = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    reader = InMemoryMetricReader()
    return tracer_provider, spans, MeterProvider(metric_readers=[reader]), reader


def _series(reader: InMemoryMetricReader) -> dict[str, list[dict[str, Any]]]:
    data = json.loads(reader.get_metrics_data().to_json())
    series: dict[str, list[dict[str, Any]]] = {}
    for resource in data["resource_metrics"]:
        for scope in resource["scope_metrics"]:
            for metric in scope["metrics"]:
                points = metric["data"]["data_points"]
                series[metric["name"]] = [point["attributes"] for point in points]
    return series


def test_the_providers_given_to_the_client_get_its_spans_and_metrics(fake: FakeDing) -> None:
    tracer_provider, spans, meter_provider, reader = _providers()

    async def main() -> None:
        async with ding.AsyncDing(
            "key",
            server_url=fake.url,
            tracer_provider=tracer_provider,
            meter_provider=meter_provider,
        ) as client:
            await client.lookup.lookup("+14155550100", CUSTOMER)

    asyncio.run(main())
    names = [span.name for span in spans.get_finished_spans()]
    assert names == ["GET /v1/lookup/{phone_number}", "ding lookup.lookup"]
    series = _series(reader)
    assert series["ding.client.operation.duration"] == [
        {"ding.operation": "lookup.lookup", "ding.outcome": "ok"}
    ]
    assert series["ding.client.attempts"] == series["ding.client.operation.duration"]


def test_ding_otel_off_turns_the_spans_and_metrics_off(
    fake: FakeDing, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DING_OTEL", "off")
    tracer_provider, spans, meter_provider, reader = _providers()
    with (
        FakeDing.running() as running,
        ding.Ding(
            "key",
            server_url=running.url,
            tracer_provider=tracer_provider,
            meter_provider=meter_provider,
        ) as client,
    ):
        client.lookup.lookup("+14155550100", CUSTOMER)
        assert running.requests[-1].headers.get("traceparent") is None
    assert spans.get_finished_spans() == ()
    assert reader.get_metrics_data() is None or not _series(reader)


def test_the_metric_series_do_not_grow_with_the_numbers(fake: FakeDing) -> None:
    _, _, meter_provider, reader = _providers()
    series: list[dict[str, list[dict[str, Any]]]] = []
    asyncio.run(_hundred_numbers(fake, meter_provider, reader, series))
    before, after = series
    assert (
        {name: len(points) for name, points in after.items()}
        == {name: len(points) for name, points in before.items()}
        == {"ding.client.operation.duration": 2, "ding.client.attempts": 2}
    )


async def _hundred_numbers(
    fake: FakeDing,
    meter_provider: MeterProvider,
    reader: InMemoryMetricReader,
    series: list[dict[str, list[dict[str, Any]]]],
) -> None:
    rng = random.Random()
    async with ding.AsyncDing("key", server_url=fake.url, meter_provider=meter_provider) as client:
        await client.lookup.lookup(new_phone(rng), CUSTOMER)
        await client.otp.create_authentication(
            {"customer_uuid": CUSTOMER, "phone_number": new_phone(rng)}
        )
        series.append(_series(reader))
        await asyncio.gather(
            *(client.lookup.lookup(new_phone(rng), CUSTOMER) for _ in range(100)),
            *(
                client.otp.create_authentication(
                    {"customer_uuid": CUSTOMER, "phone_number": new_phone(rng)}
                )
                for _ in range(100)
            ),
        )
    series.append(_series(reader))
