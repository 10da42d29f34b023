"""Issue 18 item 4: every field of every public model is documented where editors read it
(an attribute docstring under the field, as jedi, pyright and the reference read it), and
where the spec describes a field the docstring says what the spec says.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import re
import textwrap
from functools import cache
from pathlib import Path

import attrs
import pytest
import yaml

from ding.models import components, errors, operations

SPEC = Path(__file__).resolve().parents[2] / "spec" / "ding-openapi.yaml"


@cache
def _attribute_docstrings(cls: type) -> dict[str, str]:
    """The docstrings under the attributes of ``cls``'s class body and of the
    ``self.x = ...`` assignments of its ``__init__``, as tools read them."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    (body,) = tree.body
    assert isinstance(body, ast.ClassDef)
    found: dict[str, str] = {}
    statements = list(body.body)
    for node in body.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            statements += node.body
    for statement, after in itertools.pairwise(statements):
        if not (isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)):
            continue
        target = statement.target if isinstance(statement, ast.AnnAssign) else None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        if isinstance(target, ast.Name):
            found[target.id] = str(after.value.value)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            found[target.attr] = str(after.value.value)
    return found


def docstring_of(cls: type, name: str) -> str:
    for owner in cls.__mro__:
        if owner.__module__.startswith("ding.") and name in _attribute_docstrings(owner):
            return _attribute_docstrings(owner)[name]
    return ""


def _public_models() -> list[type]:
    models = []
    for module in (components, operations):
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and attrs.has(value) and value.__name__ == name:
                models.append(value)
    return models


MODELS = _public_models()
ERRORS = [
    error
    for error in (getattr(errors, name) for name in errors.__all__)
    if isinstance(error, type) and issubclass(error, errors.DingError)
]


def test_the_walk_finds_every_model() -> None:
    assert len(MODELS) >= 20 and components.Signals in MODELS
    assert operations.CheckResponse in MODELS and operations.LookupRequest in MODELS


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_field_has_a_docstring(model: type) -> None:
    missing = [f.name for f in attrs.fields(model) if not docstring_of(model, f.name).strip()]
    assert not missing, f"{model.__name__}: no docstring under {missing}"


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
def test_every_error_attribute_has_a_docstring(error: type) -> None:
    attributes = [*inspect.signature(error).parameters, "message", "attempts"]
    missing = [name for name in attributes if not docstring_of(error, name).strip()]
    assert not missing, f"{error.__name__}: no docstring under {missing}"


def test_every_code_has_a_meaning() -> None:
    meanings = _attribute_docstrings(errors.Code)
    assert [name for name in errors.Code.__members__ if not meanings.get(name)] == []


def _first_sentence(text: str) -> str:
    text = " ".join(text.replace("`", "``").split())
    return re.split(r"(?<=\.) |:\s", text, maxsplit=1)[0].rstrip(".")


def _spec_descriptions() -> list[tuple[type, str, str]]:
    schemas = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["components"]["schemas"]
    found = []
    for name, schema in schemas.items():
        model = getattr(components, name, None) or getattr(errors, name)
        for field, definition in schema.get("properties", {}).items():
            if "description" in definition:
                found.append((model, field, definition["description"]))
    return found


@pytest.mark.parametrize(
    ("model", "field", "description"), _spec_descriptions(), ids=lambda v: getattr(v, "__name__", v)
)
def test_a_field_the_spec_describes_says_what_the_spec_says(
    model: type, field: str, description: str
) -> None:
    documented = " ".join(docstring_of(model, field).split())
    assert documented.lower().startswith(_first_sentence(description).lower()), (
        f"{model.__name__}.{field}: {documented!r} does not start with the spec's "
        f"{_first_sentence(description)!r}"
    )
