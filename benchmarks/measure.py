"""Measurement loops that run inside a client worker process.

Standard library only (it also runs in the official client's virtualenv). Every style goes
through the same loop, so the harness overhead (two `perf_counter` calls and an append per
call) is identical for all of them and cancels out of the ratios.

CPU is `time.process_time()` of the worker process: user + system time of all its threads,
which includes the sync facade's private event-loop thread and excludes the server, which
runs in another process on another core.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import resource
import threading
import time
import urllib.request
from array import array
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field

SyncCall = Callable[[], str]
AsyncCall = Callable[[], Awaitable[str]]

_PAGE_SIZE = resource.getpagesize()


def raise_fd_limit() -> None:
    """1000 concurrent keep-alive connections need more descriptors than some defaults allow."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def rss_bytes() -> int:
    """Current resident set size (not the peak), from /proc."""
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * _PAGE_SIZE


def peak_rss_bytes() -> int:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def settled_rss_bytes() -> int:
    """RSS after a full collection, so pending garbage cycles are not counted as growth."""
    gc.collect()
    return rss_bytes()


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values)) - 1))
    return sorted_values[rank]


class Budget:
    """Hands out call tickets until a deadline or a call count is reached.

    `next()` on an `itertools.count` is atomic under the GIL, so threads can share one budget.
    """

    def __init__(self, seconds: float, max_calls: int | None) -> None:
        self.deadline = time.perf_counter() + seconds
        self.max_calls = max_calls
        self._tickets = itertools.count()

    def take(self) -> int | None:
        ticket = next(self._tickets)
        if self.max_calls is not None and ticket >= self.max_calls:
            return None
        if time.perf_counter() >= self.deadline:
            return None
        return ticket


class LatencyLog:
    """Per-call latencies as a flat array of doubles: 8 bytes a call, no object per call.

    A list of floats costs 32 bytes a call, which over the 100 000-call soak is 3 MiB of
    apparent "RSS growth" caused by the harness. With a known call count the array is
    allocated up front, before the RSS baseline is read, so recording adds nothing to it.
    """

    def __init__(self, capacity: int | None = None) -> None:
        self._fixed = capacity is not None
        self._values = array("d", bytes(8 * capacity)) if capacity is not None else array("d")

    def record(self, ticket: int, seconds: float) -> None:
        if self._fixed:
            self._values[ticket] = seconds
        else:
            self._values.append(seconds)

    def sorted(self) -> list[float]:
        # Unwritten slots of a preallocated log stay 0.0; a real latency is never 0.
        return sorted(value for value in self._values if value > 0.0)


@dataclass
class Window:
    """What one measured stretch of calls cost."""

    latencies: LatencyLog
    wall_s: float = 0.0
    cpu_s: float = 0.0
    # (calls done, RSS bytes) sampled every `sample_every` calls; used by the RSS soak.
    rss_samples: list[tuple[int, int]] = field(default_factory=list)


def _sampler(window: Window, sample_every: int) -> Callable[[int], None]:
    def sample(ticket: int) -> None:
        if sample_every and ticket % sample_every == 0:
            window.rss_samples.append((ticket, rss_bytes()))

    return sample


def measure_sync(
    call: SyncCall,
    *,
    threads: int,
    seconds: float,
    max_calls: int | None,
    log: LatencyLog | None = None,
    sample_every: int = 0,
) -> Window:
    """Call `call` sequentially (threads == 0) or from `threads` threads sharing one budget."""
    window = Window(log or LatencyLog())
    sample = _sampler(window, sample_every)
    budget = Budget(seconds, max_calls)

    def lane() -> None:
        record = window.latencies.record
        clock = time.perf_counter
        while (ticket := budget.take()) is not None:
            started = clock()
            call()
            record(ticket, clock() - started)
            sample(ticket)

    cpu_start, wall_start = time.process_time(), time.perf_counter()
    if threads == 0:
        lane()
    else:
        workers = [threading.Thread(target=lane) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    window.wall_s = time.perf_counter() - wall_start
    window.cpu_s = time.process_time() - cpu_start
    return window


async def measure_async(
    call: AsyncCall,
    *,
    concurrency: int,
    seconds: float,
    max_calls: int | None,
    log: LatencyLog | None = None,
    sample_every: int = 0,
) -> Window:
    """Keep `concurrency` calls in flight on the running loop until the budget runs out."""
    window = Window(log or LatencyLog())
    sample = _sampler(window, sample_every)
    budget = Budget(seconds, max_calls)

    async def lane() -> None:
        record = window.latencies.record
        clock = time.perf_counter
        while (ticket := budget.take()) is not None:
            started = clock()
            await call()
            record(ticket, clock() - started)
            sample(ticket)

    cpu_start, wall_start = time.process_time(), time.perf_counter()
    await asyncio.gather(*(lane() for _ in range(concurrency)))
    window.wall_s = time.perf_counter() - wall_start
    window.cpu_s = time.process_time() - cpu_start
    return window


def server_cpu_seconds(base_url: str) -> float:
    """The server's own CPU time so far; read outside the measured window."""
    with urllib.request.urlopen(f"{base_url}/__stats", timeout=10) as response:
        return float(json.load(response)["cpu_seconds"])


@dataclass
class Result:
    """One style's figures from one worker process; printed as JSON for the runner."""

    style: str
    calls: int
    wall_s: float
    cpu_s: float
    cpu_us_per_call: float
    calls_per_s: float
    p50_ms: float
    p99_ms: float
    rss_start_bytes: int
    rss_end_bytes: int
    peak_rss_bytes: int
    server_busy: float
    rss_samples: list[tuple[int, int]]

    @classmethod
    def from_window(
        cls, style: str, window: Window, *, rss_start: int, rss_end: int, server_cpu_s: float
    ) -> Result:
        latencies = window.latencies.sorted()
        calls = len(latencies)
        return cls(
            style=style,
            calls=calls,
            wall_s=window.wall_s,
            cpu_s=window.cpu_s,
            cpu_us_per_call=window.cpu_s / max(calls, 1) * 1e6,
            calls_per_s=calls / window.wall_s if window.wall_s else 0.0,
            p50_ms=percentile(latencies, 0.50) * 1e3,
            p99_ms=percentile(latencies, 0.99) * 1e3,
            rss_start_bytes=rss_start,
            rss_end_bytes=rss_end,
            # ru_maxrss is updated lazily by the kernel; never report a peak below a reading.
            peak_rss_bytes=max(peak_rss_bytes(), rss_start, rss_end),
            server_busy=server_cpu_s / window.wall_s if window.wall_s else 0.0,
            rss_samples=window.rss_samples,
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self))
