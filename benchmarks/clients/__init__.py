"""The client styles under test, one module per style family.

This registry imports none of the client modules: a worker imports only the module of the
style it runs, so one style's imports never inflate another's memory, and the official
client's module can run in its own virtualenv where the project's packages are absent.

Each async module defines `open_client(base_url, concurrency)`, an async context manager that
yields a zero-argument coroutine function; each sync module defines
`open_client(base_url, threads)`, a context manager that yields a zero-argument function.
Every call performs one create-authentication request, decodes the response the way that
client does, and returns the identifier it got back, so the worker can check it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Mode = Literal["async", "sync"]
Venv = Literal["project", "official"]

ASYNC_CONCURRENCY = (1, 10, 100, 1000)
THREADS = 16


@dataclass(frozen=True)
class Style:
    name: str
    family: str
    label: str
    module: str
    mode: Mode
    # Calls in flight (async) or threads (sync; 0 means sequential in the main thread).
    parallelism: int
    venv: Venv = "project"

    @property
    def shape(self) -> str:
        if self.mode == "async":
            return f"c={self.parallelism}"
        return f"{self.parallelism} threads" if self.parallelism else "sequential"


def _async_family(family: str, label: str, module: str) -> list[Style]:
    return [Style(f"{family}-c{n}", family, label, module, "async", n) for n in ASYNC_CONCURRENCY]


def _sync_family(family: str, label: str, module: str, venv: Venv = "project") -> list[Style]:
    return [
        Style(f"{family}-seq", family, label, module, "sync", 0, venv),
        Style(f"{family}-t{THREADS}", family, label, module, "sync", THREADS, venv),
    ]


STYLES: dict[str, Style] = {
    style.name: style
    for style in [
        *_async_family("raw-aiohttp", "raw aiohttp", "raw_aiohttp"),
        *_async_family("asyncding", "ding.AsyncDing", "asyncding"),
        *_async_family("asyncding-otel", "ding.AsyncDing, OpenTelemetry on", "asyncding_otel"),
        *_async_family("prelude-aiohttp", "prelude-python-sdk (aiohttp)", "prelude_aiohttp"),
        *_async_family(
            "prelude-httpx-async", "prelude-python-sdk (httpx async)", "prelude_httpx_async"
        ),
        *_sync_family("raw-requests", "raw requests.Session", "raw_requests"),
        *_sync_family("ding-facade", "ding.Ding (sync facade)", "ding_facade"),
        *_sync_family("official", "ding-api-client (official)", "official", venv="official"),
        *_sync_family(
            "prelude-httpx-sync", "prelude-python-sdk (httpx sync)", "prelude_httpx_sync"
        ),
    ]
}
