"""The tools users run, set up the way their docs say, each with a capturing exporter that
keeps exactly what would be sent: OpenTelemetry's SDK with the aiohttp-client
auto-instrumentation (spans as ``span.to_json()``, metrics as ``to_json()``), sentry-sdk with
a transport that keeps each serialized envelope, and logging at DEBUG (message, ``extra``
fields and the formatted exception of every record).

Each tool is process-global (a global tracer provider, ``sentry_sdk.init``, patched aiohttp
sessions), so each runs in a subprocess of its own (see ``_run.py``).
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

# LogRecord attributes every record has: anything else came in through `extra=`.
_STANDARD_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class Tool:
    """A tool installed in this process: how the workload calls into it, what it exported."""

    name = ""

    def around(self, name: str) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def on_error(self, exc: BaseException) -> None:
        raise NotImplementedError

    def documents(self) -> list[tuple[str, Any]]:
        """(label, parsed JSON or text) of everything the tool would have sent."""
        raise NotImplementedError

    def names(self) -> list[tuple[str, str]]:
        """(where, text) of span names and metric attributes: no authentication uuid there."""
        return []


class OpenTelemetry(Tool):
    """The SDK with in-memory exporters and the aiohttp-client auto-instrumentation; header
    capture and the semantic-convention mode come from the environment, as in production."""

    name = "opentelemetry"

    def __init__(self) -> None:
        from opentelemetry import metrics, trace
        from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        self.spans = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(self.spans))
        trace.set_tracer_provider(provider)
        self.reader = InMemoryMetricReader()
        metrics.set_meter_provider(MeterProvider(metric_readers=[self.reader]))
        AioHttpClientInstrumentor().instrument()
        self._tracer = trace.get_tracer("the application")
        self._trace = trace

    def around(self, name: str) -> AbstractContextManager[Any]:
        return self._tracer.start_as_current_span(name)

    def on_error(self, exc: BaseException) -> None:
        # What a web framework's instrumentation does with an exception of a request.
        self._trace.get_current_span().record_exception(exc)

    def finished_spans(self) -> list[dict[str, Any]]:
        return [json.loads(span.to_json()) for span in self.spans.get_finished_spans()]

    def metrics(self) -> dict[str, Any]:
        data = self.reader.get_metrics_data()
        return json.loads(data.to_json()) if data is not None else {}

    def documents(self) -> list[tuple[str, Any]]:
        return [("span", span) for span in self.finished_spans()] + [("metrics", self.metrics())]

    def names(self) -> list[tuple[str, str]]:
        found = [("span name", span["name"]) for span in self.finished_spans()]
        for resource in self.metrics().get("resource_metrics", []):
            for scope in resource["scope_metrics"]:
                for metric in scope["metrics"]:
                    for point in metric["data"]["data_points"]:
                        found.append((f"metric {metric['name']}", json.dumps(point["attributes"])))
        return found


class Sentry(Tool):
    """``sentry_sdk.init`` as its docs show it (default integrations, aiohttp auto-enabled,
    ``send_default_pii`` off, local variables on), tracing everything, logging breadcrumbs
    from DEBUG; the transport keeps every envelope as the bytes it would send."""

    name = "sentry"

    def __init__(self) -> None:
        import sentry_sdk
        from sentry_sdk.integrations.logging import LoggingIntegration
        from sentry_sdk.transport import Transport

        self.sdk = sentry_sdk
        self.envelopes: list[bytes] = []
        kept = self.envelopes

        class Keep(Transport):
            def capture_envelope(self, envelope: Any) -> None:
                kept.append(envelope.serialize())

        sentry_sdk.init(
            dsn="https://public@sentry.invalid/1",
            transport=Keep,
            traces_sample_rate=1.0,
            integrations=[LoggingIntegration(level=logging.DEBUG, event_level=logging.ERROR)],
        )
        logging.getLogger("ding").setLevel(logging.DEBUG)
        self.version = sentry_sdk.VERSION

    def around(self, name: str) -> AbstractContextManager[Any]:
        if hasattr(self.sdk, "start_transaction"):  # 2.x
            return self.sdk.start_transaction(name=name, op="http.server")
        return self.sdk.start_span(name=name)

    def on_error(self, exc: BaseException) -> None:
        self.sdk.capture_exception(exc)

    def documents(self) -> list[tuple[str, Any]]:
        from sentry_sdk.envelope import Envelope

        self.sdk.flush(timeout=10)
        documents: list[tuple[str, Any]] = []
        for raw in self.envelopes:
            envelope = Envelope.deserialize(raw)
            for item in envelope.items:
                kind = item.headers.get("type", "item")
                body = item.payload.get_bytes()
                try:
                    document = json.loads(body)
                except ValueError:
                    documents.append((kind, body.decode("utf-8", "replace")))
                    continue
                documents.append((kind, _label_frames(document)))
        return documents

    def names(self) -> list[tuple[str, str]]:
        found = []
        for kind, document in self.documents():
            if not isinstance(document, dict):
                continue
            found.extend(_sentry_names(kind, document))
        return found


APPLICATION = "tests.observability"
"""The application's own modules: what its frames hold is its own business."""


def _label_frames(document: Any) -> Any:
    """``document`` with each stack frame's variables under its module's name (a leak then
    says which module held the value), the application's own frames without variables."""
    if isinstance(document, list):
        return [_label_frames(item) for item in document]
    if not isinstance(document, dict):
        return document
    if "vars" in document and ("module" in document or "filename" in document):
        module = str(document.get("module") or document.get("filename"))
        labelled = {k: _label_frames(v) for k, v in document.items() if k != "vars"}
        if not module.startswith(APPLICATION):
            labelled[f"vars<{module}>"] = document["vars"]
        return labelled
    return {key: _label_frames(value) for key, value in document.items()}


def _sentry_names(kind: str, document: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    if "transaction" in document:
        found.append((f"{kind} transaction", str(document["transaction"])))
    for span in document.get("spans", []) + document.get("items", []):
        for field in ("description", "name"):
            if field in span:
                found.append((f"{kind} span {field}", str(span[field])))
    return found


class Logging(Tool):
    """Every record of every logger at DEBUG, as a structured (JSON) formatter sees it."""

    name = "logging"

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        records = self.records

        class Keep(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                records.append(_as_document(record))

        root = logging.getLogger()
        root.addHandler(Keep(logging.DEBUG))
        root.setLevel(logging.DEBUG)
        logging.getLogger("ding").setLevel(logging.DEBUG)
        self._log = logging.getLogger("the application")

    def around(self, name: str) -> AbstractContextManager[Any]:
        from contextlib import nullcontext

        return nullcontext()

    def on_error(self, exc: BaseException) -> None:
        self._log.error("the call failed", exc_info=exc)

    def documents(self) -> list[tuple[str, Any]]:
        return [("record", record) for record in self.records]


def _as_document(record: logging.LogRecord) -> dict[str, Any]:
    extra = {
        key: value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)
        for key, value in vars(record).items()
        if key not in _STANDARD_RECORD_FIELDS
    }
    document: dict[str, Any] = {
        "logger": record.name,
        "level": record.levelname,
        "message": record.getMessage(),
        "extra": extra,
    }
    if record.exc_info and record.exc_info[1] is not None:
        document["exception"] = "".join(traceback.format_exception(record.exc_info[1]))
    return document


TOOLS: dict[str, Callable[[], Tool]] = {
    "opentelemetry": OpenTelemetry,
    "sentry": Sentry,
    "logging": Logging,
}
