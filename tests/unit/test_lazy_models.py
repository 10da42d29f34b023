"""Models are built on first use: what that must not change, and that it holds.

``import ding`` (and building a client) generates no attrs class; a model is built the first
time its name is looked up, once, and is then the very class ``attrs.define`` makes from its
declaration, in every way users reach it. Fresh interpreters check what a process that has
not touched a model yet sees.
"""

from __future__ import annotations

import enum
import json
import pickle
import subprocess
import sys
import typing

import attrs
import pytest

from ding import _endpoints as ep
from ding._endpoints import Endpoint
from ding._raw_response import RawResponse
from ding.models import components, operations
from ding.models._enum import ValueEnum
from ding.models._lazy import LazyModels

from ..conftest import CUSTOMER_UUID, PHONE


def _run(code: str) -> typing.Any:
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def _model_names(module: typing.Any) -> list[str]:
    return [
        name
        for name in module.__all__
        if isinstance(getattr(module, name), type) and attrs.has(getattr(module, name))
    ]


def test_import_and_a_client_build_no_model() -> None:
    built = _run(
        "import json, ding\n"
        "ding.Ding(api_key='k', server_url='http://127.0.0.1:9/v1').close()\n"
        "ding.AsyncDing(api_key='k', server_url='http://127.0.0.1:9/v1')\n"
        "from ding.models import components, operations\n"
        "names = set(components.__all__) | set(operations.__all__)\n"
        "built = [n for n in names for m in (components, operations)\n"
        "         if n in vars(m) and isinstance(vars(m)[n], type) and hasattr(vars(m)[n],\n"
        "         '__attrs_attrs__')]\n"
        "print(json.dumps(sorted(built)))\n"
    )
    assert built == []


def test_import_a_client_build_and_a_send_build_no_enum_they_do_not_use() -> None:
    built = _run(
        "import json, ding\n"
        "ding.Ding(api_key='k', server_url='http://127.0.0.1:9/v1').close()\n"
        "from ding.models import components, operations\n"
        "components.CreateAuthenticationRequest\n"
        "print(json.dumps(sorted(n for m in (components, operations) for n in vars(m)\n"
        "                        if n.endswith(('Status', 'Type', 'Capability')))))\n"
    )
    # Those a declaration uses at import (a rule, a default), and the other names of one.
    assert built == [
        "AttemptType",
        "AuthenticationStatusResponseSchemasEventsType",
        "AuthenticationStatusResponseSchemasType",
        "AuthenticationStatusResponseType",
        "DeviceType",
        "EventType",
        "FeedbackRequestStatus",
        "Type",
    ]


def test_a_lazy_enum_is_the_enum_its_class_statement_makes() -> None:
    built = components.CheckStatus
    assert type(built) is type(ValueEnum) and built.__bases__ == (ValueEnum,)
    # The spec's values, in the statement's order, each named by its upper-case value.
    values = ["unknown", "valid", "invalid", "without_attempt", "rate_limited"]
    values += ["already_validated", "expired_auth"]
    assert [(m.name, m.value) for m in built] == [(v.upper(), v) for v in values]
    assert built.__doc__ == "The status of the check."
    assert (built.__module__, built.__qualname__) == (components.__name__, "CheckStatus")
    assert built("valid") is built.VALID and f"{built.VALID}" == "valid"
    assert pickle.loads(pickle.dumps(built.EXPIRED_AUTH)) is built.EXPIRED_AUTH
    # Another name of a lazy enum is the same class, listed by dir() before it is built.
    assert {"Status", "AuthenticationStatusResponseStatus"} <= set(dir(components))
    assert components.Status is components.CreateAuthenticationResponseStatus
    assert components.AuthenticationStatusResponseStatus is components.AttemptStatus
    assert operations.Type("cnam") is operations.Type.CNAM


def test_threads_racing_for_a_model_get_one_class() -> None:
    same = _run(
        "import json, threading\n"
        "from ding.models import components\n"
        "start = threading.Barrier(16)\n"
        "seen = []\n"
        "def look():\n"
        "    start.wait()\n"
        "    seen.append(components.AuthenticationStatusResponse)\n"
        "    seen.append(components.Attempt)\n"
        "threads = [threading.Thread(target=look) for _ in range(16)]\n"
        "for t in threads: t.start()\n"
        "for t in threads: t.join()\n"
        "print(json.dumps([len(seen), len({id(c) for c in seen})]))\n"
    )
    assert same == [32, 2]


def test_a_model_pickled_elsewhere_loads_before_its_class_was_built_here() -> None:
    response = components.AuthenticationStatusResponse.from_dict(
        {"uuid": "u", "events": [{"type": "check", "status": "valid"}], "signals": {"ip": "x"}}
    )
    data = pickle.dumps(response).hex()
    loaded = _run(
        "import json, pickle\n"
        f"r = pickle.loads(bytes.fromhex({data!r}))\n"
        "from ding.models import components\n"
        "assert type(r) is components.AuthenticationStatusResponse\n"
        "assert type(r.events[0]) is components.Check\n"
        "print(json.dumps(r.to_dict()))\n"
    )
    assert loaded == response.to_dict()


@pytest.mark.parametrize("module", [components, operations])
def test_every_model_is_an_attrs_class_its_annotations_resolve_and_dir_lists_it(
    module: typing.Any,
) -> None:
    names = _model_names(module)
    assert len(names) >= (16 if module is components else 8)
    for name in names:
        cls = getattr(module, name)
        assert cls.__module__ == module.__name__ and cls.__qualname__ == name
        assert "__slots__" in vars(cls)  # attrs.define's slotted class, not the declaration
        # (The envelopes name RawResponse for type checkers only.)
        hints = typing.get_type_hints(cls, localns={"RawResponse": RawResponse})
        assert set(hints) >= {field.name for field in attrs.fields(cls)}
    assert set(module.__all__) <= set(dir(module))
    assert not any(isinstance(getattr(module, name), enum.EnumMeta) for name in names)


def test_the_events_union_is_made_of_the_built_models() -> None:
    assert typing.get_args(components.Events) == (
        components.Attempt,
        components.Check,
        components.DeliveryStatus,
        components.BalanceUpdate,
        components.UnknownEvent,
    )
    hints = typing.get_type_hints(components.AuthenticationStatusResponse)
    assert hints["events"] == list[components.Events] | None


def test_a_base_of_a_lazy_model_must_be_built_at_import() -> None:
    models = LazyModels("tests.unit.nowhere")

    @models.define
    class Base:
        pass

    with pytest.raises(TypeError, match="base of a model"):

        @models.define
        class Child(Base):
            pass


def test_an_endpoint_looks_its_models_up_by_name_once() -> None:
    endpoint = Endpoint("check", "otp.check", "POST /check")
    assert "envelope" not in vars(endpoint)  # declaring looks nothing up
    assert endpoint.envelope is operations.CheckResponse
    assert vars(endpoint)["envelope"] is operations.CheckResponse  # cached
    assert endpoint.response_model is components.CreateCheckResponse
    assert endpoint.request_model is None
    assert endpoint.payload_field == "create_check_response"
    assert (endpoint.method, endpoint.path) == ("POST", "/check")
    assert not endpoint.idempotent
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        endpoint.nothing  # type: ignore[attr-defined]  # noqa: B018
    assert ep.CREATE_AUTHENTICATION.request_model is components.CreateAuthenticationRequest


def test_each_declared_endpoint_leads_to_the_envelope_its_annotation_names() -> None:
    """The annotation is what type checkers give a call's result; the name is what the
    client decodes into: they must agree, for every endpoint."""
    hints = typing.get_type_hints(ep, vars(ep))
    declared = {name: value for name, value in vars(ep).items() if isinstance(value, Endpoint)}
    assert len(declared) == 6
    for name, endpoint in declared.items():
        assert typing.get_args(hints[name]) == (endpoint.envelope,), name
        assert endpoint.payload_field in attrs.fields_dict(endpoint.envelope)
        assert endpoint.response_model.__module__ == components.__name__
        assert (endpoint.request_model is None) == endpoint.idempotent, name


def test_requests_still_omit_unset_fields_and_events_still_decode() -> None:
    request = components.CreateAuthenticationRequest(CUSTOMER_UUID, PHONE)
    assert request.to_dict() == {"customer_uuid": CUSTOMER_UUID, "phone_number": PHONE}
    status = components.AuthenticationStatusResponse.from_dict(
        {"events": [{"type": "attempt"}, {"type": "new_kind", "x": 1}]}
    )
    assert status.events is not None
    assert isinstance(status.events[0], components.Attempt)
    assert status.events[1] == components.UnknownEvent("new_kind", {"type": "new_kind", "x": 1})
    assert status.to_dict() == {"events": [{"type": "attempt"}, {"type": "new_kind", "x": 1}]}
