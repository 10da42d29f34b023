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
    """Base of the request, response and event models (adds no fields)."""

    __slots__ = ()

    def to_dict(self, encode_json: bool = False) -> dict[str, Any]:
        """The JSON object of this model (``encode_json`` is accepted for compatibility:
        the values are always JSON-ready)."""
        from ._converter import to_wire  # the converter imports the models: import late

        return to_wire(self)

    def to_json(self, **kwargs: Any) -> str:
        """``to_dict()`` as a JSON string; keyword arguments go to ``json.dumps``."""
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, kvs: Any, *, infer_missing: bool = False) -> Self:
        """Build the model from a JSON object (unknown fields are ignored)."""
        from ._converter import structure

        return structure(kvs, cls)

    @classmethod
    def from_json(cls, s: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Build the model from JSON text; keyword arguments other than ``infer_missing``
        go to ``json.loads``."""
        kwargs.pop("infer_missing", None)
        return cls.from_dict(json.loads(s, **kwargs))
