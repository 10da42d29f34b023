"""Issue 18: what an editor shows, probed with jedi (IPython's completer, and the editors that
do not use Pylance) exactly as a user meets it: a signature after ``s.otp.check(``,
completions after ``res.``, the docstring of each field, in a file (``jedi.Script``) and in a
live session (``jedi.Interpreter``, what IPython calls), for the sync and the async client.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import attrs
import jedi
import pytest

import ding
from ding.models import components, operations

from ..conftest import BASE_URL

# A user's program, up to the point where the editor is asked. The async one awaits.
PROGRAM = """\
import ding
from ding.models import components, errors

s = ding.{client}(api_key="k")
res = {aw}s.otp.create_authentication(
    request=components.CreateAuthenticationRequest(customer_uuid="c", phone_number="+1")
)
auth = res.create_authentication_response
chk = {aw}s.otp.check({{"customer_uuid": "c", "authentication_uuid": "a", "check_code": "1"}})
looked = {aw}s.lookup.lookup("+14155550100", "c")
status = {aw}s.otp.get_authentication_status("a")
"""
CLIENTS = {"sync": ("Ding", ""), "async": ("AsyncDing", "await ")}
OPERATIONS = {
    "otp.create_authentication": ("request", operations.CreateAuthenticationResponse),
    "otp.check": ("request", operations.CheckResponse),
    "otp.feedback": ("request", operations.FeedbackResponse),
    "otp.retry": ("request", operations.RetryResponse),
    "otp.get_authentication_status": ("auth_uuid", operations.GetAuthenticationStatusResponse),
    "lookup.lookup": ("phone_number", operations.LookupResponse),
}
ENVELOPE = {"content_type", "status_code", "raw_response", "attempts"}


def _fields(cls: type) -> set[str]:
    return {field.name for field in attrs.fields(cls)}


def _script(style: str, tail: str) -> tuple[jedi.Script, int, int]:
    client, aw = CLIENTS[style]
    code = PROGRAM.format(client=client, aw=aw) + tail
    lines = code.splitlines()
    return jedi.Script(code, path="user_program.py"), len(lines), len(lines[-1])


def completions(style: str, tail: str) -> dict[str, jedi.api.classes.Completion]:
    script, line, column = _script(style, tail)
    return {c.name: c for c in script.complete(line, column) if not c.name.startswith("_")}


def signatures(style: str, tail: str) -> list[str]:
    script, line, column = _script(style, tail)
    return [s.to_string() for s in script.get_signatures(line, column)]


@pytest.mark.parametrize("style", CLIENTS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_each_operation_shows_one_real_signature(style: str, operation: str) -> None:
    first, envelope = OPERATIONS[operation]
    shown = signatures(style, f"s.{operation}(")
    assert len(shown) == 1, shown
    name = operation.split(".")[1]
    assert shown[0].startswith(f"{name}({first}: "), shown
    assert shown[0].endswith(f"-> operations.{envelope.__name__}"), shown
    assert "**options: Unpack[CallOptions]" in shown[0]


@pytest.mark.parametrize("style", CLIENTS)
def test_each_operation_shows_its_docstring(style: str) -> None:
    for operation in OPERATIONS:
        resource, name = operation.split(".")
        found = completions(style, f"s.{resource}.{name[:-1]}")[name]
        doc = found.docstring(raw=True)
        assert ":param" in doc and ":returns:" in doc and ":raises" in doc, operation
        assert f"client.{operation}(" in doc  # the example


@pytest.mark.parametrize("style", CLIENTS)
@pytest.mark.parametrize(
    ("expression", "model"),
    [
        ("res.", operations.CreateAuthenticationResponse),
        ("auth.", components.CreateAuthenticationResponse),
        ("chk.create_check_response.", components.CreateCheckResponse),
        ("looked.lookup_response.", components.LookupResponse),
        ("status.authentication_status_response.", components.AuthenticationStatusResponse),
        ("status.authentication_status_response.signals.", components.Signals),
    ],
)
def test_the_results_complete_with_every_field(style: str, expression: str, model: type) -> None:
    """The probes of the issue: 0 completions on the sync client before (the official
    client: 4, 4, 2 and 9 for the first four)."""
    found = completions(style, expression)
    assert _fields(model) <= set(found), sorted(found)
    for name in _fields(model):
        assert found[name].docstring(raw=True).strip(), (
            f"{model.__name__}.{name} shows no docstring"
        )


@pytest.mark.parametrize("style", CLIENTS)
def test_the_raw_response_completes_with_what_it_offers(style: str) -> None:
    found = completions(style, "res.raw_response.")
    assert {"status_code", "headers", "json", "text", "content", "request", "elapsed"} <= set(found)
    assert {"method", "url", "headers", "body"} <= set(
        completions(style, "res.raw_response.request.")
    )


def test_an_error_completes_with_its_attributes() -> None:
    tail = "try:\n    pass\nexcept errors.ValidationError as e:\n    e."
    found = completions("sync", tail)
    wanted = {"code", "message", "doc_url", "status_code", "body", "headers", "raw_response"}
    assert wanted | {"retry_after", "attempts", "field", "expected", "got"} <= set(found)
    for name in ("code", "doc_url", "field", "expected", "retry_after", "raw_response"):
        assert found[name].docstring(raw=True).strip(), name


# --- a live session: what IPython's completer sees ----------------------------------------


@pytest.fixture(scope="module")
def session() -> Iterator[dict[str, Any]]:
    with ding.Ding("k", server_url=BASE_URL) as sync_client:
        yield {
            "s": sync_client,
            "a": ding.AsyncDing("k", server_url=BASE_URL),
            "components": components,
        }


@pytest.mark.parametrize("client", ["s", "a"])
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_live_session_shows_each_signature_once(
    session: dict[str, Any], client: str, operation: str
) -> None:
    shown = jedi.Interpreter(f"{client}.{operation}(", [session]).get_signatures()
    assert len(shown) == 1, [s.to_string() for s in shown]
    text = shown[0].to_string()
    assert "timeout: 'float | None'" in text  # the options spelled out, as inspect shows them
    assert "'Any'" not in text.replace("Mapping[str, Any]", "")


def test_model_constructors_show_real_types_at_run_time(session: dict[str, Any]) -> None:
    for name in components.__all__:
        model = getattr(components, name)
        if not (isinstance(model, type) and attrs.has(model)):
            continue
        shown = str(inspect.signature(model))
        assert ": 'Any'" not in shown, f"{name}{shown}"
        probe = jedi.Interpreter(f"components.{name}(", [session]).get_signatures()
        assert len(probe) == 1, name
