"""What a real application does with ding, with the faults production brings: the six
operations, through ``Ding`` and ``AsyncDing``, requests given as models and as dicts, each
once cleanly and once under every fault case.

A tool under test hooks in twice: ``around`` wraps every call (an application's request
span or transaction, so the tool records what happens inside it; its name says
``style|kind|case|operation``), and ``on_error`` receives every exception a call raises (what
an application's error handler reports).
"""

from __future__ import annotations

import asyncio
import inspect
import random
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import ding
from ding.models import components
from ding.models.errors import DingError
from ding.utils import BackoffStrategy, RetryConfig

from ._canaries import Canaries, new_code, new_phone
from ._fake_process import RemoteFake

CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
# Millisecond backoff, two retries: a retried call costs milliseconds.
CLIENT_OPTIONS: dict[str, Any] = {
    "retry_config": RetryConfig("backoff", BackoffStrategy(1, 5, 1.5, 2000), True),
    "max_retries": 2,
}
# Per attempt, for the timeout case only (the fake answers in milliseconds otherwise).
SHORT_TIMEOUT = 0.25

CASES = (
    "ok",
    "503s then ok",
    "give-up",
    "dropped connection",
    "timeout",
    "500 not retried",
    "refused before sending",
)
"""The fault injected before each operation of a block (see ``_inject``)."""

OPERATIONS = ("create_authentication", "check", "feedback", "retry", "status", "lookup")
POSTS = ("create_authentication", "check", "feedback", "retry")


def _inject(fake: RemoteFake, case: str) -> dict[str, Any]:
    """Queue the fault of ``case`` for the next request; the call options it needs."""
    if case == "503s then ok":
        fake.fail_next(2, 503)
    elif case == "give-up":
        fake.fail_next(3, 503)
    elif case == "dropped connection":
        fake.drop_next(3)  # a GET gives up after its 3 attempts; a POST is not retried
    elif case == "timeout":
        fake.delay_next(3, 3600.0)
        return {"timeout": SHORT_TIMEOUT}
    elif case == "500 not retried":
        fake.fail_next(1, 500)
    elif case == "refused before sending":
        return {"timeout": -1.0}  # a ValidationError, raised before any I/O
    return {}


@dataclass
class Record:
    """What the workload did: the canaries it used and the counts a scan can check."""

    canaries: Canaries
    calls: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Block:
    """One phone number's authentication: the values each operation's request needs."""

    phone: str
    code: str
    wrong_code: str
    auth_uuid: str


def _request(kind: str, model: type, **fields: Any) -> Any:
    return model(**fields) if kind == "model" else fields


# The request of each operation that takes one: its model, and its fields for a block.
_REQUESTS: dict[str, tuple[type, Callable[[Block], dict[str, Any]]]] = {
    "create_authentication": (
        components.CreateAuthenticationRequest,
        lambda b: {"customer_uuid": CUSTOMER_UUID, "phone_number": b.phone},
    ),
    "check": (
        components.CreateCheckRequest,
        lambda b: {
            "customer_uuid": CUSTOMER_UUID,
            "authentication_uuid": b.auth_uuid,
            "check_code": b.code,
        },
    ),
    "feedback": (
        components.FeedbackRequest,
        lambda b: {
            "customer_uuid": CUSTOMER_UUID,
            "phone_number": b.phone,
            "status": components.FeedbackRequestStatus.ONBOARDED,
        },
    ),
    "retry": (
        components.RetryAuthenticationRequest,
        lambda b: {"customer_uuid": CUSTOMER_UUID, "authentication_uuid": b.auth_uuid},
    ),
}


def _call(client: Any, operation: str, kind: str, block: Block, **options: Any) -> Any:
    """One operation on ``client`` (sync: the envelope; async: a coroutine)."""
    if operation in _REQUESTS:
        model, fields = _REQUESTS[operation]
        request = _request(kind, model, **fields(block))
        return getattr(client.otp, operation)(request=request, **options)
    if operation == "status":
        return client.otp.get_authentication_status(auth_uuid=block.auth_uuid, **options)
    return client.lookup.lookup(phone_number=block.phone, customer_uuid=CUSTOMER_UUID, **options)


async def _settled(result: Any) -> Any:
    """An async call's result, awaited; a sync call's, as it is."""
    return await result if inspect.isawaitable(result) else result


def _wrong_check(client: Any, kind: str, block: Block) -> Any:
    """A check of a code the user mistyped: a value only the caller knew."""
    wrong = Block(block.phone, block.wrong_code, block.wrong_code, block.auth_uuid)
    return _call(client, "check", kind, wrong)


class Workload:
    def __init__(
        self,
        fake: RemoteFake,
        *,
        around: Callable[[str], AbstractContextManager[Any]] = lambda name: nullcontext(),
        on_error: Callable[[BaseException], None] = lambda exc: None,
        cases: tuple[str, ...] = CASES,
        seed: int | None = None,
    ) -> None:
        self.fake = fake
        self.around = around
        self.on_error = on_error
        self.cases = cases
        self.rng = random.Random(seed)
        self.record = Record(Canaries())

    def _plan(self) -> Iterator[tuple[str, str, str]]:
        """(kind, case, operation) in the order they run, for one client."""
        for kind in ("model", "dict"):
            for case in self.cases:
                for operation in OPERATIONS:
                    if kind == "dict" and operation not in POSTS:
                        continue  # no request object: the model run covers it
                    yield kind, case, operation

    def _new_block(self) -> Block:
        canaries = self.record.canaries
        block = Block(new_phone(self.rng), "", new_code(self.rng), "")
        canaries.phones.append(block.phone)
        canaries.codes.append(block.wrong_code)
        return block

    def _learn(self, block: Block, envelope: Any) -> None:
        block.auth_uuid = str(envelope.create_authentication_response.authentication_uuid)
        block.code = self.fake.last_code(block.phone)
        self.record.canaries.auth_uuids.append(block.auth_uuid)
        self.record.canaries.codes.append(block.code)

    def _failed(self, exc: DingError) -> None:
        self.record.errors.append(type(exc).__name__)
        self.on_error(exc)

    async def _drive(self, client: Any, style: str) -> None:
        """The plan on one client; a sync client's calls are values, an async one's are
        awaited (the facade is made to be called from inside a running loop too)."""
        block = None
        for kind, case, operation in self._plan():
            if operation == "create_authentication":
                block = self._new_block()
                sent = _call(client, "create_authentication", kind, block)
                self._learn(block, await _settled(sent))
                if case == "ok":
                    await _settled(_wrong_check(client, kind, block))
            assert block is not None
            options = _inject(self.fake, case)
            self.record.calls += 1
            with self.around(f"{style}|{kind}|{case}|{operation}"):
                try:
                    await _settled(_call(client, operation, kind, block, **options))
                except DingError as exc:
                    self._failed(exc)
            self.fake.clear_faults()

    def run_sync(self) -> None:
        key = self.record.canaries.api_key
        with ding.Ding(key, server_url=self.fake.url, **CLIENT_OPTIONS) as client:
            asyncio.run(self._drive(client, "sync"))

    def run_async(self) -> None:
        asyncio.run(self._run_async())

    async def _run_async(self) -> None:
        key = self.record.canaries.api_key
        async with ding.AsyncDing(key, server_url=self.fake.url, **CLIENT_OPTIONS) as client:
            await self._drive(client, "async")

    def run(self) -> Record:
        self.run_sync()
        self.run_async()
        return self.record
