"""The internals of OpenTelemetry's API that ding relies on for want of a public way, each
behind one function of ``ding._otel`` or ``ding._telemetry`` (issue 20 item 2): a release
that changes one fails here, saying what ding would lose."""

from __future__ import annotations

import json
import subprocess
import sys

from opentelemetry import context
from opentelemetry.instrumentation.utils import is_http_instrumentation_enabled
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.trace import TracerProvider

from ding._otel import _without_http_instrumentation
from ding._telemetry import _is_placeholder


def test_ding_suppresses_http_instrumentation_the_way_instrumentations_check() -> None:
    token = context.attach(_without_http_instrumentation(context.get_current()))
    try:
        suppressed = not is_http_instrumentation_enabled()
    finally:
        context.detach(token)
    assert suppressed, (
        "opentelemetry.context._SUPPRESS_HTTP_INSTRUMENTATION_KEY changed: ding's attempt "
        "spans no longer keep the aiohttp instrumentation from making a second span"
    )
    assert is_http_instrumentation_enabled()


def test_the_api_placeholders_are_told_from_real_providers() -> None:
    # In a fresh process: this one may have set the global providers already.
    code = (
        "import json\n"
        "from opentelemetry import metrics, trace\n"
        "from ding._telemetry import _is_placeholder\n"
        "print(json.dumps([_is_placeholder(trace.get_tracer_provider()),\n"
        "                  _is_placeholder(metrics.get_meter_provider())]))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == [True, True], (
        "OpenTelemetry renamed the placeholder provider classes (ProxyTracerProvider, "
        "_ProxyMeterProvider): ding would take them for the application's providers"
    )
    assert not _is_placeholder(TracerProvider())
    assert not _is_placeholder(MeterProvider())
