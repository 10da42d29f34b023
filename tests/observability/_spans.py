"""Spans as exported (``span.to_json()``), as a tree: what a trace backend would draw."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

Span = dict[str, Any]


def span_id(span: Span) -> str:
    return str(span["context"]["span_id"])


def children_of(spans: list[Span]) -> dict[str | None, list[Span]]:
    """Each span's children, oldest first; the roots under ``None``."""
    children: dict[str | None, list[Span]] = defaultdict(list)
    for span in sorted(spans, key=lambda s: str(s["start_time"])):
        children[span["parent_id"]].append(span)
    return children


def render(root: Span, children: dict[str | None, list[Span]], depth: int = 0) -> list[str]:
    """One line per span: name, kind, status, the attributes and events that tell a call."""
    shown = (
        "ding.attempts",
        "http.request.resend_count",
        "http.response.status_code",
        "error.type",
        "url.template",
    )
    attributes = root.get("attributes", {})
    details = [f"{name}={attributes[name]}" for name in shown if name in attributes]
    kind = str(root["kind"]).removeprefix("SpanKind.")
    status = root["status"]["status_code"]
    lines = [f"{'  ' * depth}{root['name']} [{kind}, {status}] {' '.join(details)}".rstrip()]
    for event in root.get("events", []):
        fields = " ".join(f"{k}={v}" for k, v in event["attributes"].items())
        lines.append(f"{'  ' * (depth + 1)}event {event['name']}: {fields}")
    for child in children.get(span_id(root), []):
        lines += render(child, children, depth + 1)
    return lines
