"""mkdocs hook: the footer names the version being documented, read from the package."""

from __future__ import annotations

from typing import Any

import ding


def on_config(config: Any, **kwargs: Any) -> Any:
    config["copyright"] = f"ding {ding.__version__} · {config.get('copyright') or ''}".rstrip(" ·")
    return config
