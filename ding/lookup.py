"""The official client's module path of ``s.lookup``'s class: ``from ding.lookup import
Lookup`` (``mock.patch("ding.lookup.Lookup.lookup")`` patches every client's lookup)."""

from ._sync_client import Lookup

__all__ = ["Lookup"]
