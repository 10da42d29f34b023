"""A small validator derived from the OpenAPI document: does a request, as it arrived on the
wire, satisfy the spec? Only what the Ding spec uses is implemented (objects, strings,
booleans, integers, arrays, enums, $ref, and the formats uuid, phone_number, ipv4, url).

Kept independent of the SDK on purpose: it reads the YAML, so it cannot share a mistake with
the client's own validators.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from ._actions import Seen

ROOT = Path(__file__).resolve().parents[2]
# The repository's own copy of the contract (spec/README.md says where it comes from);
# DING_SPEC overrides it. Nothing outside the repository is read.
CANDIDATES = (
    os.environ.get("DING_SPEC", ""),
    str(ROOT / "spec" / "ding-openapi.yaml"),
)
# RFC 4122 textual form; the API does not take braces, URNs or bare hex.
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def spec_path() -> Path | None:
    for candidate in CANDIDATES:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@cache
def spec() -> dict[str, Any]:
    # Fail loudly rather than skip: a silently skipped hostile-input suite proves nothing.
    path = spec_path()
    if path is None:
        pytest.fail(
            f"OpenAPI spec not found (tried {[c for c in CANDIDATES if c]}): set DING_SPEC to "
            "the path of ding-openapi.yaml",
            pytrace=False,
        )
    try:
        import yaml
    except ImportError:
        pytest.fail(
            "the hostile-input tests read the spec with PyYAML: pip install pyyaml", pytrace=False
        )
    with open(path, encoding="utf-8") as f:
        loaded: dict[str, Any] = yaml.safe_load(f)
    return loaded


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = spec()["components"]["schemas"][name]
    return schema


def _format_ok(fmt: str | None, value: str) -> bool:
    if fmt == "uuid":
        return UUID.fullmatch(value) is not None
    if fmt == "phone_number":
        return E164.fullmatch(value) is not None
    if fmt == "ipv4":
        try:
            ipaddress.IPv4Address(value)
        except ValueError:
            return False
        return True
    if fmt == "url":
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.netloc)
    return True


def problems(schema: dict[str, Any], value: Any, where: str = "$") -> list[str]:
    """Everything about `value` that `schema` rules out (empty list: accepted)."""
    schema = _resolve(schema)
    kind = schema.get("type")
    found: list[str] = []
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: expected an object"]
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{where}.{name}: required")
        properties = schema.get("properties", {})
        for name, item in value.items():
            if name not in properties:
                # The spec lists every field; an SDK that invents one (or sends null for an
                # unset one) is sending something the API does not define.
                found.append(f"{where}.{name}: not in the spec")
            else:
                found += problems(properties[name], item, f"{where}.{name}")
        return found
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: expected an array"]
        for i, item in enumerate(value):
            found += problems(schema.get("items", {}), item, f"{where}[{i}]")
        return found
    if kind == "string":
        if not isinstance(value, str):
            return [f"{where}: expected a string, got {type(value).__name__}"]
        if "enum" in schema and value not in schema["enum"]:
            return [f"{where}: {value!r} not in enum"]
        if not _format_ok(schema.get("format"), value):
            return [f"{where}: {value!r} is not a valid {schema.get('format')}"]
        return []
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: expected a boolean"]
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{where}: expected an integer"]
    return found


def _operation(method: str, path: str) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The spec operation whose template matches the raw `path`, and the decoded path params."""
    base = urlsplit(spec()["servers"][0]["url"]).path.rstrip("/")
    if not path.startswith(base + "/"):
        return None
    segments = path[len(base) :].split("/")
    for template, item in spec()["paths"].items():
        parts = template.split("/")
        if len(parts) != len(segments) or method.lower() not in item:
            continue
        params: dict[str, str] = {}
        for want, got in zip(parts, segments, strict=True):
            if want.startswith("{") and want.endswith("}"):
                params[want[1:-1]] = unquote(got, errors="strict")
            elif want != got:
                break
        else:
            return item[method.lower()], params
    return None


def request_problems(seen: Seen) -> list[str]:
    """Everything about a request, as received, that the spec does not accept."""
    path, _, query = seen.raw_path.partition("?")
    try:
        found_op = _operation(seen.method, path)
    except UnicodeDecodeError:
        return [f"path {path!r} is not UTF-8 once decoded"]
    if found_op is None:
        return [f"no spec operation for {seen.method} {seen.raw_path}"]
    operation, path_params = found_op
    found: list[str] = []
    query_values: dict[str, list[str]] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        query_values.setdefault(name, []).append(value)
    for param in operation.get("parameters", []):
        name, where, schema = param["name"], param["in"], param.get("schema", {})
        if where == "path":
            found += problems(schema, path_params.get(name), f"path.{name}")
        elif where == "header":
            if name.lower() in seen.headers:
                found += problems(schema, seen.headers[name.lower()], f"header.{name}")
            elif param.get("required"):
                found.append(f"header.{name}: required")
        elif where == "query" and name in query_values:
            values: Any = query_values.pop(name)
            if _resolve(schema).get("type") != "array":
                values = values[0]
            found += problems(schema, values, f"query.{name}")
    found += [f"query.{name}: not in the spec" for name in query_values]
    body_spec = operation.get("requestBody")
    if body_spec is not None:
        if not seen.headers.get("content-type", "").startswith("application/json"):
            found.append("body: content-type is not application/json")
        try:
            body = json.loads(seen.body)
        except ValueError:
            return [*found, "body: not JSON"]
        schema = body_spec["content"]["application/json"]["schema"]
        found += problems(schema, body, "body")
    elif seen.body:
        found.append("body: the operation takes none")
    if not seen.headers.get("x-api-key"):
        found.append("header.x-api-key: missing")
    return found
