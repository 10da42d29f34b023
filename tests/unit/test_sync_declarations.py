"""Issue 18 item 1: the sync operations are real declarations (what jedi, pyright, IPython and
the docs read), identical to the async ones but for ``await``, and run the async ones.

The declarations are written out (tools cannot see a signature made at run time), so these
tests are what keeps them from drifting: same operations, same parameters, annotations,
defaults and docstring, and a call that goes through the async twin, whatever is patched
there.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest

import ding
from ding._resources import AsyncLookup, AsyncOtp
from ding.models import components, operations

from ..conftest import AUTH_UUID, BASE_URL, CUSTOMER_UUID, PHONE

PAIRS = [(ding.Otp, AsyncOtp), (ding.Lookup, AsyncLookup)]


def _operations(cls: type) -> list[str]:
    return [
        name for name, value in vars(cls).items() if inspect.isfunction(value) and name[0] != "_"
    ]


OPERATIONS = [(sync, twin, name) for sync, twin in PAIRS for name in _operations(twin)]
# One call per operation, as a user writes it (positional and keyword arguments, options).
CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "create_authentication": (
        (components.CreateAuthenticationRequest(CUSTOMER_UUID, PHONE),),
        {"timeout": 3.0},
    ),
    "check": ((), {"request": {"customer_uuid": CUSTOMER_UUID}, "max_retries": 0}),
    "feedback": ((None,), {}),
    "retry": ((), {"request": None, "headers": {"x-trace": "1"}}),
    "get_authentication_status": ((AUTH_UUID,), {"deadline": 9.0}),
    "lookup": ((PHONE, CUSTOMER_UUID), {"type_": operations.Type.CNAM}),
}


def test_every_async_operation_has_a_sync_declaration_in_the_same_order() -> None:
    for sync, twin in PAIRS:
        assert _operations(sync) == _operations(twin)
    assert {name for _, _, name in OPERATIONS} == set(CALLS)


@pytest.mark.parametrize(
    ("sync", "twin", "name"), OPERATIONS, ids=lambda v: getattr(v, "__name__", v)
)
def test_the_sync_declaration_is_the_async_one_without_await(
    sync: type, twin: type, name: str
) -> None:
    declared, original = vars(sync)[name], vars(twin)[name]
    assert inspect.iscoroutinefunction(original)
    assert not inspect.iscoroutinefunction(declared)
    # As written: the annotations (strings), the defaults, the parameters and their kinds.
    assert declared.__annotations__ == original.__annotations__
    assert declared.__defaults__ == original.__defaults__
    assert declared.__kwdefaults__ == original.__kwdefaults__
    assert inspect.signature(declared) == inspect.signature(original)  # options spelled out
    # The parameters as declared (names, kinds): the sync one is given its twin's signature.
    code, twin_code = declared.__code__, original.__code__
    shape = ("co_argcount", "co_posonlyargcount", "co_kwonlyargcount")
    assert [getattr(code, a) for a in shape] == [getattr(twin_code, a) for a in shape]
    kinds = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS
    assert code.co_flags & kinds == twin_code.co_flags & kinds
    count = code.co_argcount + code.co_kwonlyargcount + bin(code.co_flags & kinds).count("1")
    assert code.co_varnames[:count] == twin_code.co_varnames[:count]
    assert declared.__doc__ == original.__doc__.replace("await ", "")
    assert "await " in original.__doc__  # the example shows the call (a guard on the line above)
    # The one thing that may differ is that the sync one is a plain function, not a wrapper.
    assert not hasattr(declared, "__wrapped__")


@pytest.fixture(scope="module")
def sync_client() -> Iterator[ding.Ding]:
    with ding.Ding("k", server_url=BASE_URL) as client:
        yield client


@pytest.mark.parametrize(
    ("sync", "twin", "name"), OPERATIONS, ids=lambda v: getattr(v, "__name__", v)
)
def test_a_sync_call_runs_the_async_operation_with_its_arguments(
    sync_client: ding.Ding, sync: type, twin: type, name: str
) -> None:
    """One code path: the sync call awaits the async method (here a mock, patched on the
    class), on the client's loop thread, and returns what it returns."""
    args, kwargs = CALLS[name]
    answer = object()
    resource = sync_client.otp if sync is ding.Otp else sync_client.lookup
    with mock.patch.object(twin, name, new=mock.AsyncMock(return_value=answer)) as twin_call:
        assert getattr(resource, name)(*args, **kwargs) is answer
    twin_call.assert_awaited_once()
    # The same arguments, positional or keyword as the async signature binds them.
    signature = inspect.signature(vars(twin)[name])
    called = signature.bind(None, *twin_call.await_args.args, **twin_call.await_args.kwargs)
    assert called.arguments == signature.bind(None, *args, **kwargs).arguments
