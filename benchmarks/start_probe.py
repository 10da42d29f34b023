"""One fresh process of the start-up profile: where `import ding` + `Ding(...)` + a call go.

    python benchmarks/start_probe.py URL [--instrument] [--cprofile PATH]

Run by `profile_start.py` (never alone in a measurement), with this project's interpreter or
the official client's. It does what `coldstart_call.py` does, in phases, and prints one JSON
line of timings (milliseconds) plus its wall-clock start and end, so the caller can tell
interpreter start-up and exit apart from the work in between:

- `import`, `construct` (`Ding(...)`), `first_call`, `second_call` (the warm cost, for
  comparison). For this project the first call is split further, by timing wrappers installed
  after the import: `loop_thread_start` (the facade's private loop thread), `session_create`
  (the aiohttp session and connector), `connect` (DNS, when the host is a name, and TCP).
- `--instrument` (this project only) also times what runs inside ding's own module bodies
  during the import: attrs class generation, enum class creation and the cattrs converter,
  per defining module. The wrappers cost about a microsecond per class, so the import phase of
  an instrumented run is reported from the plain runs instead.
- `--cprofile PATH` runs the import, construction and first call under cProfile and dumps the
  statistics to PATH (the phase timings of such a run are inflated and not reported).

Standard library only before `ding` is imported; it runs in the official client's venv too.
"""

from __future__ import annotations

import time

_EPOCH_START = time.time()
_CLOCK = time.perf_counter

import json  # noqa: E402  (both clients import json anyway)
import sys  # noqa: E402
from collections import defaultdict  # noqa: E402
from typing import Any  # noqa: E402

CUSTOMER_UUID = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
PHONE_NUMBER = "+1234567890"

# (kind, defining module) -> [count, seconds]
_BODY_COSTS: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
# phase -> seconds, for the wrappers around the first call's steps
_STEPS: dict[str, float] = defaultdict(float)


def _caller_module(depth: int) -> str:
    return str(sys._getframe(depth).f_globals.get("__name__", "?"))


def _record(kind: str, module: str, seconds: float) -> None:
    entry = _BODY_COSTS[(kind, module)]
    entry[0] += 1
    entry[1] += seconds


def _timed_class_decorator(decorator: Any) -> Any:
    """Wrap an attrs decorator (bare `@attrs.define` or called `@attrs.define(...)`)."""

    def apply(inner: Any, cls: type, module: str) -> Any:
        started = _CLOCK()
        try:
            return inner(cls)
        finally:
            _record("attrs class", module, _CLOCK() - started)

    def wrapper(maybe_cls: Any = None, *args: Any, **kwargs: Any) -> Any:
        module = _caller_module(2)
        if maybe_cls is None:
            inner = decorator(*args, **kwargs)
            return lambda cls: apply(inner, cls, module)
        return apply(lambda cls: decorator(cls, *args, **kwargs), maybe_cls, module)

    return wrapper


def _instrument_module_bodies() -> None:
    import enum

    import attr
    import attrs
    import cattrs

    for owner, name in (
        (attrs, "define"),
        (attrs, "frozen"),
        (attrs, "mutable"),
        (attr, "s"),
        (attr, "attrs"),
        (attr, "define"),
        (attr, "frozen"),
        (attr, "mutable"),
    ):
        setattr(owner, name, _timed_class_decorator(getattr(owner, name)))

    meta = type(enum.Enum)
    original_new = meta.__new__

    def enum_new(metacls: Any, cls: str, bases: Any, classdict: Any, **kwds: Any) -> Any:
        started = _CLOCK()
        try:
            return original_new(metacls, cls, bases, classdict, **kwds)
        finally:
            _record("enum class", _caller_module(2), _CLOCK() - started)

    meta.__new__ = enum_new  # type: ignore[method-assign,assignment]

    original_init = cattrs.Converter.__init__

    def converter_init(self: Any, *args: Any, **kwargs: Any) -> None:
        started = _CLOCK()
        try:
            original_init(self, *args, **kwargs)
        finally:
            _record("cattrs converter", _caller_module(2), _CLOCK() - started)

    cattrs.Converter.__init__ = converter_init  # type: ignore[method-assign]


def _timed_step(owner: Any, name: str, step: str) -> None:
    """Accumulate the time spent in `owner.name` (a function or coroutine function)."""
    import inspect

    original = getattr(owner, name)
    if inspect.iscoroutinefunction(original):

        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            started = _CLOCK()
            try:
                return await original(*args, **kwargs)
            finally:
                _STEPS[step] += _CLOCK() - started

        setattr(owner, name, async_wrapper)
    else:

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = _CLOCK()
            try:
                return original(*args, **kwargs)
            finally:
                _STEPS[step] += _CLOCK() - started

        setattr(owner, name, wrapper)


def _instrument_first_call() -> None:
    """Wrap the first call's steps in this project's client (absent names are skipped)."""
    import importlib

    targets = (
        ("ding._loop_thread", "LoopThread", "_start", "loop_thread_start"),
        ("ding._session", "SessionOwner", "_rebind", "session_create"),
        ("aiohttp.connector", "TCPConnector", "_create_connection", "connect"),
    )
    for module_name, class_name, attribute, step in targets:
        try:
            owner = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        if hasattr(owner, attribute):
            _timed_step(owner, attribute, step)


def _call(client: Any, components: Any) -> None:
    request = components.CreateAuthenticationRequest(
        customer_uuid=CUSTOMER_UUID, phone_number=PHONE_NUMBER
    )
    payload = client.otp.create_authentication(request=request).create_authentication_response
    assert payload is not None
    assert payload.authentication_uuid


def main() -> None:
    url = sys.argv[1] + "/v1"
    instrument = "--instrument" in sys.argv
    profile_path = sys.argv[sys.argv.index("--cprofile") + 1] if "--cprofile" in sys.argv else None
    if instrument:
        _instrument_module_bodies()
    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    phases: dict[str, float] = {}
    started = _CLOCK()
    import ding
    from ding.models import components

    ding_class = ding.Ding  # a lazily loading package would pay for it here, not later
    phases["import"] = _CLOCK() - started
    ours = hasattr(ding, "AsyncDing")  # the official client has no async core class
    if ours and profiler is None:
        _instrument_first_call()
    started = _CLOCK()
    client = ding_class(api_key="bench-api-key", server_url=url)
    phases["construct"] = _CLOCK() - started
    started = _CLOCK()
    _call(client, components)
    phases["first_call"] = _CLOCK() - started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile_path)
    started = _CLOCK()
    _call(client, components)
    phases["second_call"] = _CLOCK() - started
    result = {
        "client": "ours" if ours else "official",
        "epoch_start": _EPOCH_START,
        "phases_ms": {name: seconds * 1e3 for name, seconds in phases.items()},
        "first_call_steps_ms": {name: seconds * 1e3 for name, seconds in _STEPS.items()},
        "module_bodies": [
            {"kind": kind, "module": module, "count": int(count), "ms": seconds * 1e3}
            for (kind, module), (count, seconds) in sorted(_BODY_COSTS.items())
        ],
        "modules_loaded": len(sys.modules),
    }
    # The last thing before exit; the caller's clock then measures the interpreter's exit.
    result["epoch_end"] = time.time()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
