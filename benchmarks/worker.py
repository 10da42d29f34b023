"""Run one client style against the benchmark server; print its figures as one JSON line.

    python benchmarks/worker.py STYLE --url URL --seconds S --warmup S [--max-calls N]

The runner starts one worker process per style and run, so no style inherits another's
imports, connection pools, caches or heap. A style whose library is not installed prints
`{"style": ..., "skipped": reason}` instead of failing the whole benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import cast

import payloads
from clients import STYLES, Style
from measure import (
    AsyncCall,
    LatencyLog,
    Result,
    SyncCall,
    measure_async,
    measure_sync,
    raise_fd_limit,
    server_cpu_seconds,
    settled_rss_bytes,
)

OpenAsync = Callable[[str, int], AbstractAsyncContextManager[AsyncCall]]
OpenSync = Callable[[str, int], AbstractContextManager[SyncCall]]

_EXPECTED_IDS = {payloads.AUTHENTICATION_UUID, payloads.PRELUDE_VERIFICATION_ID}


def _check(identifier: str) -> None:
    """The first call's answer must be the canned one: the client really decoded the response."""
    if identifier not in _EXPECTED_IDS:
        raise RuntimeError(f"client returned {identifier!r}, not the server's identifier")


async def _run_async(open_client: OpenAsync, style: Style, args: argparse.Namespace) -> Result:
    async with open_client(args.url, style.parallelism) as call:
        _check(await call())
        # Warm-up fills the connection pool and any caches at the measured concurrency.
        await measure_async(
            call, concurrency=style.parallelism, seconds=args.warmup, max_calls=None
        )
        log = LatencyLog(args.max_calls)  # allocated before the RSS baseline on purpose
        rss_start = settled_rss_bytes()
        server_before = server_cpu_seconds(args.url)
        window = await measure_async(
            call,
            concurrency=style.parallelism,
            seconds=args.seconds,
            max_calls=args.max_calls,
            log=log,
            sample_every=args.sample_every,
        )
        server_cpu = server_cpu_seconds(args.url) - server_before
        rss_end = settled_rss_bytes()
    return Result.from_window(
        style.name, window, rss_start=rss_start, rss_end=rss_end, server_cpu_s=server_cpu
    )


def _run_sync(open_client: OpenSync, style: Style, args: argparse.Namespace) -> Result:
    with open_client(args.url, style.parallelism) as call:
        _check(call())
        measure_sync(call, threads=style.parallelism, seconds=args.warmup, max_calls=None)
        log = LatencyLog(args.max_calls)  # allocated before the RSS baseline on purpose
        rss_start = settled_rss_bytes()
        server_before = server_cpu_seconds(args.url)
        window = measure_sync(
            call,
            threads=style.parallelism,
            seconds=args.seconds,
            max_calls=args.max_calls,
            log=log,
            sample_every=args.sample_every,
        )
        server_cpu = server_cpu_seconds(args.url) - server_before
        rss_end = settled_rss_bytes()
    return Result.from_window(
        style.name, window, rss_start=rss_start, rss_end=rss_end, server_cpu_s=server_cpu
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("style", choices=sorted(STYLES))
    parser.add_argument(
        "--url", required=True, help="the benchmark server, e.g. http://127.0.0.1:8080"
    )
    parser.add_argument("--seconds", type=float, required=True, help="measured duration")
    parser.add_argument("--warmup", type=float, default=0.5, help="unmeasured warm-up duration")
    parser.add_argument("--max-calls", type=int, default=None, help="stop after this many calls")
    parser.add_argument("--sample-every", type=int, default=0, help="record RSS every N calls")
    args = parser.parse_args()
    style = STYLES[args.style]
    try:
        module = importlib.import_module(f"clients.{style.module}")
    except ImportError as error:
        print(json.dumps({"style": style.name, "skipped": f"{type(error).__name__}: {error}"}))
        return
    raise_fd_limit()
    if style.mode == "async":
        result = asyncio.run(_run_async(cast(OpenAsync, module.open_client), style, args))
    else:
        result = _run_sync(cast(OpenSync, module.open_client), style, args)
    print(result.to_json())


if __name__ == "__main__":
    main()
