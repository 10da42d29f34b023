"""A griffe extension for the API reference: Sphinx roles in docstrings become code spans.

The docstrings are written for readers of the source and use ``:class:`Name``` now and then;
Markdown would print the role literally.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|data|attr|mod|exc|obj):`~?([^`]+)`")


class SphinxRolesToCode(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(r"`\1`", obj.docstring.value)
