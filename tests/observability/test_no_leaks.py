"""Nothing personal or secret leaves through the user's own tools (issue 17, DESIGN §3
Observability): no API key, no phone number in any spelling, no OTP code in what
OpenTelemetry's aiohttp-client instrumentation (every header captured, each semantic-convention
mode), sentry-sdk (spans, breadcrumbs, frame variables of every frame but the application's,
chained causes included) and logging at DEBUG would send; no authentication uuid in a span name
or a metric attribute.

The workload (``_workload.py``) runs the six operations through both clients, requests as
models and as dicts, cleanly and under every fault case; the canaries are new every run.
Each tool runs in a subprocess of its own (they install themselves process-wide), all at once
(``results`` in conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from ._canaries import Leak
from ._matrix import leaks_of
from ._workload import CASES, OPERATIONS

pytestmark = pytest.mark.timeout(600)

# The calls one workload makes: (6 operations + 4 dict requests) x cases x 2 clients.
CALLS = (len(OPERATIONS) + 4) * len(CASES) * 2


def _explain(leaks: list[Leak]) -> str:
    return "\n".join(str(leak) for leak in leaks[:40])


def _result(results: dict[str, dict[str, Any]], label: str) -> dict[str, Any]:
    result = results[label]
    assert result["calls"] == CALLS
    # Every fault case that ends in an error reached the application's error handler.
    assert len(result["errors"]) >= 2 * 4 * 4, result["errors"]
    return result


@pytest.mark.parametrize("mode", ["old conventions", "http", "http/dup"])
def test_nothing_leaks_through_the_opentelemetry_aiohttp_instrumentation(
    results: dict[str, dict[str, Any]], mode: str
) -> None:
    result = _result(results, f"otel aiohttp ({mode})")
    spans = [doc for label, doc in result["documents"] if label == "span"]
    http_spans = [s for s in spans if s["kind"] == "SpanKind.CLIENT"]
    # At least one CLIENT span per attempt: the instrumentation saw every request.
    assert len(http_spans) >= CALLS, len(http_spans)
    captured = [k for s in http_spans for k in s["attributes"] if "request.header" in k]
    assert captured, "header capture is on: the request headers must be recorded"
    leaks = leaks_of(result)
    assert not leaks, _explain(leaks)


def test_nothing_leaks_through_native_tracing_and_metrics(
    results: dict[str, dict[str, Any]],
) -> None:
    result = _result(results, "otel native")
    metrics = [doc for label, doc in result["documents"] if label == "metrics"]
    names = {
        metric["name"]
        for doc in metrics
        for resource in doc["resource_metrics"]
        for scope in resource["scope_metrics"]
        for metric in scope["metrics"]
    }
    assert {"ding.client.operation.duration", "ding.client.attempts"} <= names
    leaks = leaks_of(result)
    assert not leaks, _explain(leaks)


def test_nothing_leaks_through_sentry(results: dict[str, dict[str, Any]]) -> None:
    (label,) = [label for label in results if label.startswith("sentry")]
    result = _result(results, label)
    kinds = {kind for kind, _ in result["documents"]}
    assert "event" in kinds, kinds  # the errors were reported, with their frames
    frames = [
        frame
        for kind, doc in result["documents"]
        if kind == "event"
        for exc in doc["exception"]["values"]
        for frame in exc["stacktrace"]["frames"]
    ]
    assert any(k.startswith("vars<ding.") for f in frames for k in f), "no frame variables"
    leaks = leaks_of(result)
    assert not leaks, _explain(leaks)


def test_nothing_leaks_through_logging_at_debug(results: dict[str, dict[str, Any]]) -> None:
    result = _result(results, "logging DEBUG")
    ding_records = [d for _, d in result["documents"] if d["logger"].startswith("ding")]
    assert len(ding_records) >= CALLS  # one DEBUG record per attempt at least
    leaks = leaks_of(result)
    assert not leaks, _explain(leaks)
