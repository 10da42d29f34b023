"""Answers are read in bounded memory: at most `max_response_size` bytes after decompression.

A real loopback server streams answers far past the limit -- with a Content-Length, chunked
without one, and a gzip bomb that inflates to 300 MB from a few hundred kilobytes. The client
stops reading at the limit and raises `ResponseTooLargeError` naming the limit and the option;
the server sees its connection closed long before the end. The peak memory of a process
receiving 300 MB answers is measured in a fresh subprocess (its high-water mark, which no
other test or thread moves).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import textwrap
import zlib
from pathlib import Path
from typing import Any

import pytest

import ding
from ding.models import errors

from ._actions import Action, Conn, Seen, default_body
from ._ops import OPS_BY_NAME, STYLES, run_op
from ._probes import run_probe
from ._servers import ScriptServer

LOOKUP = OPS_BY_NAME["lookup"]
CHECK = OPS_BY_NAME["check"]
MIB = 1024 * 1024
NO_RETRY = {"max_retries": 0}


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} OK", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def stream(total: int, *, chunked: bool, sent: list[int]) -> Action:
    """A JSON answer of `total` bytes, written in 1 MiB blocks as the client reads them;
    `sent` gets the bytes the client took before it closed the connection."""

    async def act(conn: Conn, seen: Seen) -> bool:
        framing = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(total)}
        written = 0
        block = b"x" * MIB
        try:
            await conn.send(_head(200, framing))
            piece = b'{"padding": "'
            while written < total:
                piece = piece or block[: min(MIB, total - written - 2)] or b'"}'
                data = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
                await conn.send(data)
                written += len(piece)
                piece = b""
            if chunked:
                await conn.send(b"0\r\n\r\n")
        except (ConnectionError, OSError):
            pass
        sent.append(written)
        return False

    return act


def gzip_bomb(inflated: int) -> bytes:
    """Gzip of a JSON object of `inflated` bytes (a few hundred kB for 300 MB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b'{"padding": "')]
    block = b"x" * MIB
    for _ in range(inflated // MIB):
        parts.append(packer.compress(block))
    parts += [packer.compress(b'"}'), packer.flush()]
    return b"".join(parts)


def compressed(body: bytes, *, chunked: bool = False) -> Action:
    async def act(conn: Conn, seen: Seen) -> bool:
        framing = (
            {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(len(body))}
        )
        payload = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body) if chunked else body
        with contextlib.suppress(ConnectionError, OSError):
            await conn.send(_head(200, {"Content-Encoding": "gzip", **framing}) + payload)
        return False

    return act


def assert_too_large(error: errors.DingError | None, limit: int, operation: str = "lookup") -> None:
    """``operation``: the spec's operationId, which the message starts with."""
    assert isinstance(error, errors.ResponseTooLargeError), repr(error)
    assert isinstance(error, errors.SDKError) and error.status_code == 200
    assert str(error).startswith(f"{operation}: the answer is larger than max_response_size")
    assert "max_response_size" in str(error) and f"{limit:,} bytes" in str(error)
    assert error.body == "" and error.attempts == 1


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_answer_past_the_limit_is_not_read(
    server: ScriptServer, style: str, chunked: bool
) -> None:
    sent: list[int] = []
    server.always(stream(64 * MIB, chunked=chunked, sent=sent))
    out = run_op(style, LOOKUP, server.url, {**NO_RETRY, "max_response_size": MIB})
    assert_too_large(out.error, MIB)
    assert server.wait_until(lambda: bool(sent))
    # Closed at the limit: what the server could push past it is what the socket buffers held.
    assert sent[0] < 32 * MIB, sent


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_gzip_bomb_is_stopped_at_the_limit_after_decompression(
    server: ScriptServer, style: str, chunked: bool
) -> None:
    bomb = gzip_bomb(64 * MIB)
    assert len(bomb) < MIB  # the limit is about what it inflates to, not what crossed the wire
    server.always(compressed(bomb, chunked=chunked))
    out = run_op(style, LOOKUP, server.url, {**NO_RETRY, "max_response_size": MIB})
    assert_too_large(out.error, MIB)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_answers_within_the_limit_decode_whatever_their_framing(
    server: ScriptServer, style: str, chunked: bool
) -> None:
    body = json.dumps({**default_body("GET", LOOKUP.path_suffix), "padding": "y" * 5000})
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    server.always(compressed(packer.compress(body.encode()) + packer.flush(), chunked=chunked))
    out = run_op(style, LOOKUP, server.url, {**NO_RETRY, "max_response_size": len(body)})
    assert out.error is None, repr(out.error)
    assert out.value.raw_response.content == body.encode()


@pytest.mark.parametrize("style", STYLES)
def test_the_per_call_limit_overrides_the_client_s(server: ScriptServer, style: str) -> None:
    sent: list[int] = []
    server.always(stream(4 * MIB, chunked=True, sent=sent))
    out = run_op(style, LOOKUP, server.url, {**NO_RETRY, "max_response_size": MIB}, {})
    assert_too_large(out.error, MIB)
    out = run_op(style, LOOKUP, server.url, {**NO_RETRY}, {"max_response_size": 2 * MIB})
    assert_too_large(out.error, 2 * MIB)
    big = {**NO_RETRY, "max_response_size": MIB}
    out = run_op(style, LOOKUP, server.url, big, {"max_response_size": 8 * MIB})
    assert out.error is None, repr(out.error)


@pytest.mark.parametrize("style", STYLES)
def test_a_too_large_answer_to_a_post_is_not_retried(server: ScriptServer, style: str) -> None:
    """The server answered (and acted): the same request would get the same answer."""
    sent: list[int] = []
    server.always(stream(4 * MIB, chunked=False, sent=sent))
    out = run_op(style, CHECK, server.url, {"max_response_size": MIB})
    assert_too_large(out.error, MIB, "check")
    assert server.count() == 1


def test_the_error_survives_pickle(server: ScriptServer) -> None:
    server.always(stream(4 * MIB, chunked=False, sent=[]))
    error = run_op("sync", LOOKUP, server.url, {**NO_RETRY, "max_response_size": MIB}).error
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is errors.ResponseTooLargeError and str(copy) == str(error)


@pytest.mark.parametrize("value", [0, -1, True, 1.5, "1"])
def test_the_limit_is_checked_before_any_io(value: Any) -> None:
    with pytest.raises(errors.ValidationError) as info:
        ding.AsyncDing(api_key="k", server_url="http://127.0.0.1:9/v1", max_response_size=value)
    assert info.value.field == "max_response_size"


# --- memory, measured in a fresh process -----------------------------------------------------

MEMORY_PROBE = """
import asyncio, json, sys, zlib
import ding
from ding.models import errors

SIZE = 300 * 1024 * 1024
kind = sys.argv[1]

def bomb():
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b'{"padding": "')]
    block = b"x" * (1 << 20)
    parts += [packer.compress(block) for _ in range(SIZE >> 20)]
    return b"".join(parts + [packer.compress(b'"}'), packer.flush()])

BOMB = bomb() if kind == "gzip-bomb" else b""

async def serve(reader, writer):
    await reader.readuntil(b"\\r\\n\\r\\n")
    head = "HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\n"
    try:
        if kind == "gzip-bomb":
            head += "Content-Encoding: gzip\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(BOMB)
            writer.write(head.encode() + BOMB)
        else:
            writer.write((head + "Transfer-Encoding: chunked\\r\\n\\r\\n").encode())
            block = b"x" * (1 << 20)
            for _ in range(SIZE >> 20):
                writer.write(b"%x\\r\\n%s\\r\\n" % (len(block), block))
                await writer.drain()
            writer.write(b"0\\r\\n\\r\\n")
        await writer.drain()
    except ConnectionError:
        pass
    writer.close()

def peak_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) // 1024

async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    url = "http://127.0.0.1:%d/v1" % server.sockets[0].getsockname()[1]
    before = peak_mb()
    async with ding.AsyncDing(api_key="k", server_url=url, max_retries=0) as client:
        try:
            await client.lookup.lookup("+14155550123", "c9f826e0-deca-41ec-871f-ecd6e8efeb46")
            outcome = "read whole"
        except errors.DingError as exc:
            outcome = type(exc).__name__
    server.close()
    print(json.dumps({"outcome": outcome, "before": before, "after": peak_mb()}))

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def probe_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("probe") / "memory_probe.py"
    path.write_text(textwrap.dedent(MEMORY_PROBE))
    return path


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads VmHWM from /proc")
@pytest.mark.parametrize("kind", ["chunked-300MB", "gzip-bomb"])
def test_a_300_mb_answer_leaves_the_peak_memory_near_where_it_was(
    probe_script: Path, kind: str
) -> None:
    """With the default limit (10 MiB): before the limit existed, +1.1 GB (chunked) and
    +0.9 GB (the bomb). Now the limit plus a few blocks of aiohttp's buffers."""
    report, _ = run_probe(str(probe_script), kind)
    assert report["outcome"] == "ResponseTooLargeError", report
    assert report["after"] - report["before"] < 100, report  # MB; 1,100 before the limit
