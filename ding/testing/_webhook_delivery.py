"""The fake's webhook sender: POSTs each event to its ``callback_url`` and redelivers it, under
the same id, until the receiver answers 2xx or the attempts run out.

Runs on the fake's event loop. First deliveries go out one after another, in the order the
events happened (so a test sees ``authentication`` before ``attempt`` unless it injects a
fault); redeliveries wait on their own. A redelivery is due when its delay has passed in real
time (unless ``real_time=False``) or on the fake's clock, whichever comes first: a frozen clock
never stops deliveries, and advancing the clock brings redeliveries forward.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from ._activity import Activity, ActivityFeed
from ._clock import FakeClock
from ._settings import WebhookSettings
from ._webhook_faults import DeliveryLog, SendFault, WebhookDelivery, WebhookFaults

__all__ = ["WebhookDispatcher"]

_HEADERS = {"Content-Type": "application/json", "User-Agent": "FakeDing-webhooks"}


@dataclass(eq=False)
class _Job:
    """One event on its way to one URL."""

    url: str
    event: dict[str, Any]
    body: bytes
    generation: int  # the dispatcher's generation when the event came: see `reset`
    first_fault: str | None = None  # "reorder" when a batch changed its order
    gate: asyncio.Event | None = None  # the previous first delivery, which goes out before
    first_done: asyncio.Event = field(default_factory=asyncio.Event)
    sends: int = 0

    @property
    def type(self) -> str:
        return str(self.event.get("type"))


@dataclass(eq=False)
class _Batch:
    """Events held back by one reorder fault, released newest first when it is full or its
    hold runs out. Several batches may be open at once (one per event type, say)."""

    size: int
    event_type: str | None
    jobs: list[_Job]
    timer: asyncio.TimerHandle | None = None

    def takes(self, job: _Job) -> bool:
        return self.event_type in (None, job.type) and len(self.jobs) < self.size


class WebhookDispatcher:
    """Delivers the events the state hands to `enqueue`; thread-safe to inspect and wait on.

    Every event is accounted for: it is pending from `enqueue` until it is acknowledged,
    given up on (its attempts ran out, or its host is not allowed), or abandoned by `reset`
    or `close`. Abandoned work belongs to an older *generation*: whatever it still does is
    neither counted nor recorded.
    """

    def __init__(
        self,
        settings: WebhookSettings,
        clock: FakeClock,
        log: DeliveryLog,
        faults: WebhookFaults,
        activity: ActivityFeed,
    ) -> None:
        self.settings = settings
        self._activity = activity
        self._clock = clock
        self._log = log
        self._faults = faults
        self._cond = threading.Condition()
        self._pending = 0
        self._generation = 0
        self._open = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._chain_tail: asyncio.Event | None = None
        self._batches: list[_Batch] = []
        self._clock_moved = asyncio.Event()
        self._unwatch: Callable[[], None] | None = None

    # -- lifecycle (on the fake's loop) ----------------------------------------------

    async def start(self) -> None:
        if self._session is not None:
            raise RuntimeError("the fake is already running")
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        # No proxy from the environment, no cookies: each POST goes straight to the URL.
        self._session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        self._clock_moved = asyncio.Event()
        self._unwatch = self._clock.watch(self._on_clock_move)
        with self._cond:
            self._open = True

    async def close(self) -> None:
        """Abandon pending and in-flight deliveries; leaves nothing to warn about."""
        with self._cond:
            self._open = False
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None
        tasks = self.abandon()
        await asyncio.gather(*tasks, return_exceptions=True)
        session, self._session = self._session, None
        if session is not None:
            await session.close()
        self._loop = None

    def abandon(self) -> list[asyncio.Task[None]]:
        """On the loop: abandon every delivery queued, held or in flight (the tasks returned
        are cancelled); nothing of that work counts or records any more. Serving goes on."""
        with self._cond:
            self._generation += 1
            self._pending = 0
            self._cond.notify_all()
        for batch in self._batches:
            if batch.timer is not None:
                batch.timer.cancel()
        self._batches = []
        self._chain_tail = None
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        return tasks

    # -- from the state (any thread) ----------------------------------------------------

    def enqueue(self, url: str, event: dict[str, Any]) -> None:
        """Take an event to deliver; never blocks (called under the state's lock)."""
        with self._cond:
            loop = self._loop
            if not self._open or loop is None:
                return
            self._pending += 1
            generation = self._generation
        job = _Job(url, json.loads(json.dumps(event)), b"", generation)
        try:
            loop.call_soon_threadsafe(self._accept, job)
        except RuntimeError:  # the loop closed meanwhile
            self._settle(job)

    @property
    def pending(self) -> int:
        """Events (and duplicate copies) not yet acknowledged, given up or abandoned."""
        with self._cond:
            return self._pending

    def wait(self, timeout: float) -> None:
        if threading.get_ident() == self._loop_thread and self._loop is not None:
            raise RuntimeError(
                "wait() would block the fake's own event loop: use `await wait_async()`"
            )
        with self._cond:
            if not self._cond.wait_for(lambda: self._pending == 0, timeout):
                raise TimeoutError(
                    f"{self._pending} webhook deliveries still pending after {timeout} s"
                )

    async def wait_async(self, timeout: float) -> None:
        # Polled, so it works from any event loop, the fake's own included.
        deadline = asyncio.get_running_loop().time() + timeout
        while self.pending:
            if asyncio.get_running_loop().time() >= deadline:
                raise TimeoutError(
                    f"{self.pending} webhook deliveries still pending after {timeout} s"
                )
            await asyncio.sleep(0.01)

    # -- on the loop ----------------------------------------------------------------------

    def _current(self, job: _Job) -> bool:
        return self._open and job.generation == self._generation

    def _settle(self, job: _Job) -> None:
        with self._cond:
            if self._current(job):
                self._pending = max(0, self._pending - 1)
                self._cond.notify_all()

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        assert self._loop is not None
        task = self._loop.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _accept(self, job: _Job) -> None:
        if not self._current(job):
            return  # enqueued before a reset or close
        job.body = json.dumps(job.event).encode()
        host = (urlsplit(job.url).hostname or "").lower()
        if self.settings.hosts is not None and host not in self.settings.hosts:
            self._record(job, None, f"not delivered: {host!r} is not in webhook_hosts", None, False)
            self._settle(job)
            return
        batch = next((b for b in self._batches if b.takes(job)), None)
        if batch is not None:
            batch.jobs.append(job)
            if len(batch.jobs) >= batch.size:
                self._release(batch)
            return
        reorder = self._faults.take_reorder(job.type)
        if reorder is not None:
            size, hold, event_type = reorder
            assert self._loop is not None
            batch = _Batch(size, event_type, [job])
            batch.timer = self._loop.call_later(hold, self._release, batch)
            self._batches.append(batch)
            return
        self._launch(job)

    def _release(self, batch: _Batch) -> None:
        if batch not in self._batches:
            return  # released already, or abandoned
        self._batches.remove(batch)
        if batch.timer is not None:
            batch.timer.cancel()
        for job in reversed(batch.jobs):
            job.first_fault = "reorder" if len(batch.jobs) > 1 else None
            self._launch(job)

    def _launch(self, job: _Job) -> None:
        job.gate, self._chain_tail = self._chain_tail, job.first_done
        self._spawn(self._deliver(job))

    async def _deliver(self, job: _Job) -> None:
        try:
            if job.gate is not None:
                await job.gate.wait()
            for attempt in range(1, self.settings.max_attempts + 1):
                if attempt > 1:
                    await self._until_due(self.settings.retry_schedule[attempt - 2])
                if await self._send(job, first=attempt == 1):
                    return
                job.first_done.set()
        finally:
            job.first_done.set()
            self._settle(job)

    async def _send(self, job: _Job, *, first: bool) -> bool:
        """One send; True when it was acknowledged."""
        fault: SendFault | None = self._faults.take_send_fault(job.type)
        fault_name = fault.kind if fault is not None else (job.first_fault if first else None)
        if fault is not None and fault.kind == "delay":
            job.first_done.set()  # later events may overtake a delayed one, as on a network
            await asyncio.sleep(fault.seconds)
        job.sends += 1
        attempt = job.sends
        if fault is not None and fault.kind == "fail" and not fault.reached:
            self._record(job, None, "injected failure: not delivered", "fail", False, attempt)
            return False
        # Taken only by a send that goes out, so a duplicate rule always yields its copy.
        duplicate = first and self._faults.take_duplicate(job.type)
        status, error = await self._post(job)
        acknowledged = status is not None and 200 <= status < 300
        if fault is not None and fault.kind == "fail":
            acknowledged = False  # the receiver answered, but its answer was "lost"
        self._record(job, status, error, fault_name, acknowledged, attempt)
        if duplicate and self._current(job):
            with self._cond:
                self._pending += 1
            self._spawn(self._send_copy(job))
        return acknowledged

    async def _send_copy(self, job: _Job) -> None:
        try:
            job.sends += 1
            attempt = job.sends
            status, error = await self._post(job)
            ok = status is not None and 200 <= status < 300
            self._record(job, status, error, "duplicate", ok, attempt)
        finally:
            self._settle(job)

    async def _post(self, job: _Job) -> tuple[int | None, str | None]:
        assert self._session is not None
        try:
            async with self._session.post(
                job.url,
                data=job.body,
                headers=_HEADERS,
                timeout=aiohttp.ClientTimeout(total=self.settings.timeout),
                allow_redirects=False,
            ) as response:
                await response.read()
                return response.status, None
        except asyncio.TimeoutError:
            return None, f"no answer within {self.settings.timeout:g} s"
        except aiohttp.ClientError as exc:
            return None, f"{type(exc).__name__}: {exc}"

    def _record(
        self,
        job: _Job,
        status: int | None,
        error: str | None,
        fault: str | None,
        acknowledged: bool,
        attempt: int = 1,
    ) -> None:
        if not self._current(job):
            return  # abandoned by a reset: the log now belongs to the next test
        delivery = WebhookDelivery(
            url=job.url,
            event=job.event,
            attempt=attempt,
            status=status,
            error=error,
            fault=fault,
            sent_at=self._clock.now(),
            acknowledged=acknowledged,
        )
        self._log.append(delivery)
        self._activity.emit(Activity("webhook", delivery.sent_at, delivery=delivery))

    # -- redelivery timing ----------------------------------------------------------------

    def _on_clock_move(self) -> None:
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(self._wake_redeliveries)

    def _wake_redeliveries(self) -> None:
        moved, self._clock_moved = self._clock_moved, asyncio.Event()
        moved.set()

    async def _until_due(self, delay: float) -> None:
        loop = asyncio.get_running_loop()
        real_due = loop.time() + delay
        fake_due = self._clock.now() + timedelta(seconds=delay)
        while True:
            moved = self._clock_moved  # taken before the checks: no wake-up is lost
            fake_now = self._clock.now()
            if fake_now >= fake_due:
                return
            timeout: float | None = None
            if self.settings.real_time:
                timeout = real_due - loop.time()
                if timeout <= 0:
                    return
            if self._clock.ticking:
                fake_left = (fake_due - fake_now).total_seconds()
                timeout = fake_left if timeout is None else min(timeout, fake_left)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(moved.wait(), timeout)
