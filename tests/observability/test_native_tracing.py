"""ding's own spans with a global tracer provider set and no ding-specific code (issue 17,
"Native tracing"), read from what the in-memory exporter holds after the workload ran with
OpenTelemetry's aiohttp-client auto-instrumentation installed too (``results``).

Per call: one INTERNAL span ``ding <operation>``, a child of the application's span, with
the attempts and, on failure, ``error.type`` and ERROR; under it one CLIENT span per attempt
(templated name, ``url.template``, ``http.request.resend_count`` from the second); no other
HTTP span (the auto-instrumentation is suppressed while ding sends); ``traceparent`` at the
fake names the attempt's span.
"""

from __future__ import annotations

from typing import Any

import pytest

from ._spans import Span, children_of, render, span_id

pytestmark = pytest.mark.timeout(600)

NATIVE = "otel native"


def _spans(results: dict[str, dict[str, Any]]) -> list[Span]:
    return [doc for label, doc in results[NATIVE]["documents"] if label == "span"]


def _calls(spans: list[Span]) -> list[tuple[dict[str, str], Span, list[Span]]]:
    """(what the application did, ding's call span, its attempt spans) per application span."""
    children = children_of(spans)
    calls = []
    for root in children[None]:
        if root["name"].count("|") != 3:
            continue  # the workload's setup calls, made outside an application span
        style, kind, case, operation = root["name"].split("|")
        if case == "refused before sending":  # a ValidationError: nothing was attempted
            assert children[span_id(root)] == [], root["name"]
            continue
        (call,) = children[span_id(root)]
        attempts = children[span_id(call)]
        facts = {"style": style, "kind": kind, "case": case, "operation": operation}
        calls.append((facts, call, attempts))
    return calls


def test_one_operation_span_per_call_over_one_client_span_per_attempt(
    results: dict[str, dict[str, Any]],
) -> None:
    spans = _spans(results)
    calls = _calls(spans)
    refused = sum(1 for s in spans if "|refused before sending|" in s["name"])
    assert len(calls) == results[NATIVE]["calls"] - refused > 0
    for facts, call, attempts in calls:
        operation = {"status": "get_authentication_status", "lookup": "lookup"}.get(
            facts["operation"], facts["operation"]
        )
        assert call["name"].startswith("ding ") and call["name"].endswith(operation), facts
        assert call["kind"] == "SpanKind.INTERNAL"
        assert call["attributes"]["ding.attempts"] == len(attempts) >= 1
        for number, attempt in enumerate(attempts, start=1):
            assert attempt["kind"] == "SpanKind.CLIENT"
            template = attempt["attributes"]["url.template"]
            assert attempt["name"] == f"{attempt['attributes']['http.request.method']} {template}"
            assert attempt["attributes"].get("http.request.resend_count") == (
                None if number == 1 else number - 1
            )
            assert not children_of(spans).get(span_id(attempt)), "a second HTTP span"
    # The auto-instrumentation made no span of its own: every CLIENT span is an attempt.
    client_spans = [s for s in spans if s["kind"] == "SpanKind.CLIENT"]
    attempt_spans = [a for _, _, attempts in calls for a in attempts]
    setup_spans = [s for s in spans if s["parent_id"] is None and "|" not in s["name"]]
    assert len(client_spans) == len(attempt_spans) + sum(
        len(children_of(spans)[span_id(s)]) for s in setup_spans
    )


def test_failures_carry_error_type_and_error_status(results: dict[str, dict[str, Any]]) -> None:
    calls = _calls(_spans(results))
    gave_up = [(f, call) for f, call, _ in calls if f["case"] == "give-up"]
    assert gave_up
    for facts, call in gave_up:
        assert call["status"]["status_code"] == "ERROR", facts
        assert call["attributes"]["error.type"], facts
    succeeded = [call for f, call, _ in calls if f["case"] == "503s then ok"]
    assert all(call["status"]["status_code"] != "ERROR" for call in succeeded)
    assert all("error.type" not in call["attributes"] for call in succeeded)


def test_retry_decisions_are_events_of_the_call(results: dict[str, dict[str, Any]]) -> None:
    calls = _calls(_spans(results))
    for facts, call, attempts in calls:
        names = [event["name"] for event in call["events"]]
        if facts["case"] == "503s then ok":
            assert names == ["ding.retry", "ding.retry"], facts
            wait = call["events"][0]["attributes"]["ding.retry.wait"]
            assert isinstance(wait, float) and wait >= 0
            assert call["events"][0]["attributes"]["ding.retry.reason"] == "HTTP 503"
        if facts["case"] == "500 not retried" and facts["operation"] in (
            "create_authentication",
            "retry",
        ):
            assert len(attempts) == 1
            (decision,) = call["events"]
            assert decision["name"] == "ding.no_retry"
            assert "may have acted" in decision["attributes"]["ding.retry.reason"]


def test_traceparent_reaches_the_server_and_names_the_attempt(
    results: dict[str, dict[str, Any]],
) -> None:
    result = results[NATIVE]
    attempts = {span_id(s)[2:]: s for s in _spans(results) if s["kind"] == "SpanKind.CLIENT"}
    received = [headers for _, headers in result["server_headers"]]
    assert len(received) >= len(attempts) * 0.9  # dropped or timed-out attempts arrive too
    for headers in received:
        _, trace_id, parent, _ = headers["traceparent"].split("-")
        span = attempts[parent]
        assert span["context"]["trace_id"] == f"0x{trace_id}"


def test_the_span_tree_of_a_retried_call(results: dict[str, dict[str, Any]]) -> None:
    spans = _spans(results)
    children = children_of(spans)
    (root,) = [s for s in children[None] if s["name"] == "async|model|503s then ok|lookup"]
    tree = "\n".join(render(root, children))
    print(tree)  # the report's span tree (pytest -s)
    lines = tree.splitlines()
    assert lines[1].strip().startswith("ding lookup.lookup [INTERNAL, UNSET] ding.attempts=3")
    assert [line.strip().split(" [")[0] for line in lines if "CLIENT" in line] == [
        "GET /v1/lookup/{phone_number}"
    ] * 3


@pytest.mark.parametrize("mode", ["old conventions", "http", "http/dup"])
def test_with_ding_tracing_off_the_aiohttp_instrumentation_still_works(
    results: dict[str, dict[str, Any]], mode: str
) -> None:
    """``DING_OTEL=off``: the auto-instrumentation's own span per request, a child of the
    caller's span through both clients, and its ``traceparent`` at the server."""
    result = results[f"otel aiohttp ({mode})"]
    spans = [doc for label, doc in result["documents"] if label == "span"]
    assert not [s for s in spans if s["name"].startswith("ding ")]
    by_id = {span_id(s): s for s in spans}
    requests = [s for s in spans if s["kind"] == "SpanKind.CLIENT"]
    for style in ("sync", "async"):
        under_the_caller = [
            s
            for s in requests
            if s["parent_id"] in by_id and by_id[s["parent_id"]]["name"].startswith(style + "|")
        ]
        assert len(under_the_caller) >= result["calls"] // 2 * 0.8, style
    names = {s["context"]["span_id"][2:] for s in requests}
    received = [headers["traceparent"].split("-")[2] for _, headers in result["server_headers"]]
    assert received and set(received) <= names
