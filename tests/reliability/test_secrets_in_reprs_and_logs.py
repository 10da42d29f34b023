"""Secrets in what a user prints (DESIGN §3 Observability): no repr of a client, envelope or
raw response shows the API key, and no log line, at DEBUG included, shows the key, a phone
number or an OTP code.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ding
from ding.models import components, errors
from ding.models._fields import validate_request

from .._loopback import free_port
from ._actions import api_error
from ._leaks import PHONE_PIECES, leaks, texts_of_exception
from ._ops import (
    API_KEY,
    AUTH_UUID,
    CODE,
    CUSTOMER_UUID,
    FAST,
    OPS,
    OPS_BY_NAME,
    PHONE,
    STYLES,
    run_op,
)
from ._servers import ScriptServer

ROOT = Path(__file__).resolve().parents[2]
CHECK = OPS_BY_NAME["check"]


# --- reprs ------------------------------------------------------------------------------------


def public_reprs(obj: Any, depth: int = 3, seen: set[int] | None = None) -> Iterator[str]:
    """repr of `obj` and of its public attributes, recursively (what debuggers/loggers show).

    `raw_response` (aiohttp's own object) is covered by its own test below.
    """
    seen = set() if seen is None else seen
    if id(obj) in seen or depth < 0:
        return
    seen.add(id(obj))
    yield repr(obj)
    yield str(obj)
    for name in dir(obj):
        if name.startswith("_") or name == "raw_response":
            continue
        try:
            value = getattr(obj, name)
        except Exception:
            continue
        if callable(value) and not isinstance(value, type):
            yield repr(value)
            continue
        if isinstance(value, (str, int, float, bool, type(None))):
            yield f"{name}={value!r}"
            continue
        yield from public_reprs(value, depth - 1, seen)


@pytest.mark.parametrize("key_kind", ["str", "callable"])
def test_key_never_in_reprs(server: ScriptServer, key_kind: str) -> None:
    key: Any = API_KEY if key_kind == "str" else (lambda: API_KEY)

    async def async_part() -> list[str]:
        async with ding.AsyncDing(api_key=key, server_url=server.url, **FAST) as client:
            envs = [await op.invoke(client) for op in OPS]
            return [
                t for obj in (client, client.otp, client.lookup, *envs) for t in public_reprs(obj)
            ]

    texts = asyncio.run(async_part())
    with ding.Ding(api_key=key, server_url=server.url, **FAST) as client:
        envs = [op.invoke(client) for op in OPS]
        texts += [
            t for obj in (client, client.otp, client.lookup, *envs) for t in public_reprs(obj)
        ]
    assert texts
    for text in texts:
        assert not leaks(text), text[:300]


@pytest.mark.parametrize("style", STYLES)
def test_key_not_in_the_raw_response_reprs(server: ScriptServer, style: str) -> None:
    """envelope.raw_response / error.raw_response are public; their request_info is what
    aiohttp sent -- headers included. Printing it (a debugger, an error tracker's locals, a
    log of the response) must not print the key."""
    out = run_op(style, CHECK, server.url, FAST)
    server.always(api_error(400, "bad_request"))
    failed = run_op(style, CHECK, server.url, FAST)
    assert out.error is None and isinstance(failed.error, errors.ErrorResponse)
    for raw in (out.value.raw_response, failed.error.raw_response):
        texts = [repr(raw), str(raw), repr(raw.request_info), str(raw.request_info.headers)]
        for text in texts:
            assert not leaks(text), text[:400]


# --- logs ---------------------------------------------------------------------------------------


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.levelname} {record.getMessage()}")
        if record.exc_info and record.exc_info[1] is not None:
            self.lines.extend(texts_of_exception(record.exc_info[1]))


@pytest.fixture
def debug_logs() -> Iterator[Capture]:
    """Everything logged at DEBUG, by ding and by anything under it (aiohttp, asyncio)."""
    handler = Capture()
    root, ding_logger = logging.getLogger(), logging.getLogger("ding")
    levels = (root.level, ding_logger.level)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    ding_logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        ding_logger.setLevel(levels[1])


@pytest.mark.parametrize("style", STYLES)
def test_debug_logs_hide_key_phone_and_code(
    server: ScriptServer, debug_logs: Capture, style: str
) -> None:
    # Every operation, plus retries (a 503 then 200, a refused port) and failures.
    server.script(api_error(503, Retry_After="0"))
    for op in OPS:
        out = run_op(style, op, server.url, FAST)
        assert out.error is None, repr(out.error)
    server.always(api_error(401, "account_invalid"))
    for op in OPS:
        run_op(style, op, server.url, FAST)
    run_op(style, CHECK, f"http://127.0.0.1:{free_port()}/v1", FAST)
    text = "\n".join(debug_logs.lines)
    ding_lines = [line for line in debug_logs.lines if line.startswith("ding ")]
    assert len(ding_lines) >= 12, "ding logged nothing at DEBUG"
    assert any("lookup" in line for line in ding_lines)
    assert not leaks(text)
    assert not leaks(text, PHONE_PIECES), [line for line in ding_lines if leaks(line, PHONE_PIECES)]
    assert CODE not in text


def test_ding_log_env_debug_in_a_fresh_process(server: ScriptServer) -> None:
    """DING_LOG=debug: lines on stderr with method, path, status, attempt -- and no secrets."""
    code = f"""
import ding
from ding.models import components
c = ding.Ding(api_key={API_KEY!r}, server_url={server.url!r}, max_retries=1)
c.otp.create_authentication(request=components.CreateAuthenticationRequest(
    customer_uuid={CUSTOMER_UUID!r}, phone_number={PHONE!r}))
c.otp.check(request=components.CreateCheckRequest(
    customer_uuid={CUSTOMER_UUID!r}, authentication_uuid={AUTH_UUID!r}, check_code={CODE!r}))
c.lookup.lookup({PHONE!r}, {CUSTOMER_UUID!r})
c.close()
"""
    server.script(api_error(503, Retry_After="0"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DING_LOG": "debug"}
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert any("POST" in line and "/authentication" in line and "503" in line for line in lines)
    assert any("GET" in line and "/lookup/" in line and "200" in line for line in lines), lines
    assert not leaks(proc.stderr)
    assert not leaks(proc.stderr, PHONE_PIECES), proc.stderr
    assert CODE not in proc.stderr


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone_number", "+1415555012345678"),
        ("phone_number", 14155550123),
        ("phone_number", "14155550123"),
        ("check_code", 987654),
    ],
)
def test_validation_errors_do_not_echo_phone_or_code(field: str, value: Any) -> None:
    """The SDK's own rule (_fields): personal data and credentials are not echoed back."""
    data: dict[str, Any] = {"customer_uuid": CUSTOMER_UUID}
    if field == "phone_number":
        model: Any = components.CreateAuthenticationRequest
    else:
        model = components.CreateCheckRequest
        data["authentication_uuid"] = AUTH_UUID
    data[field] = value
    request = model(**data)  # building never refuses a value; the call does
    with pytest.raises(errors.ValidationError) as info:
        validate_request(request)
    text = "\n".join(texts_of_exception(info.value))
    assert str(value).lstrip("+")[:9] not in text, text
