"""The helpers every model shares, named as the official client's ``dataclasses_json`` ones.

``to_dict`` / ``to_json`` give the wire's field names and values (unset fields left out,
enums as their values, date-times in RFC 3339); ``from_dict`` / ``from_json`` build a model
from them. All go through the one converter of ``_converter``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self


class Model:
    """What every request, response and event model has besides its fields: the official
    client's helpers to go to and from the wire's JSON."""

    __slots__ = ()

    def to_dict(self, encode_json: bool = False) -> dict[str, Any]:
        """The JSON object of this model (``encode_json`` is accepted for compatibility:
        the values are always JSON-ready)."""
        from ._converter import to_wire  # on first use: cattrs stays off `import ding.models`

        return to_wire(self)

    def to_json(self, **kwargs: Any) -> str:
        """``to_dict()`` as a JSON string; keyword arguments go to ``json.dumps``."""
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, kvs: Any, *, infer_missing: bool = False) -> Self:
        """Build the model from a JSON object (unknown fields are ignored). A value of the
        wrong type, or a required field missing, raises ``ValidationError`` naming the field.
        """
        from ._converter import structure

        try:
            return structure(kvs, cls)
        except Exception as exc:  # cattrs raises several types; all mean "wrong shape"
            raise _invalid(cls, exc) from exc

    @classmethod
    def from_json(cls, s: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Build the model from JSON text; keyword arguments other than ``infer_missing``
        go to ``json.loads``. Text that is not JSON raises ``ValidationError``."""
        kwargs.pop("infer_missing", None)
        try:
            data = json.loads(s, **kwargs)
        except (ValueError, TypeError, RecursionError) as exc:
            from .errors import ValidationError

            raise ValidationError(
                cls.__name__, "JSON text", got=f"{type(s).__name__} that is not JSON ({exc})"
            ) from exc
        return cls.from_dict(data)


def _invalid(cls: type, exc: Exception) -> Exception:
    from ._structure_errors import expected_and_got, first_failure
    from .errors import ValidationError

    path, leaf = first_failure(exc)
    expected, got = expected_and_got(leaf)
    expected = expected.replace(f" for {cls.__name__}", "")  # the field already names it
    return ValidationError(f"{cls.__name__}.{path}" if path else cls.__name__, expected, got=got)
