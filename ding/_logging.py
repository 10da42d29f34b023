"""The ``ding`` logger: quiet by default, switched on with ``DING_LOG=debug|info``.

Log lines carry method, path, status, attempt and elapsed time. The API key is never
logged; phone numbers and OTP codes are masked (personal data and a credential).
"""

from __future__ import annotations

import logging
import os
import re

logger = logging.getLogger("ding")
logger.addHandler(logging.NullHandler())

_PHONE_IN_PATH = re.compile(r"(%2B|\+)(\d{2})\d+(\d{2})")


def configure_from_env() -> None:
    """Honour ``DING_LOG`` once: attach a stderr handler at that level."""
    level_name = os.environ.get("DING_LOG", "").strip().upper()
    if not level_name or getattr(logger, "_ding_configured", False):
        return
    level = logging.getLevelName(level_name)
    if not isinstance(level, int):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger._ding_configured = True  # type: ignore[attr-defined]


def mask_phone(value: str) -> str:
    """'+33612345678' -> '+33*******78'."""
    if len(value) <= 5:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 5) + value[-2:]


def mask_path(path: str) -> str:
    """Mask a phone number inside a request path (the lookup endpoint carries one)."""
    return _PHONE_IN_PATH.sub(lambda m: m.group(1) + m.group(2) + "*" * 4 + m.group(3), path)
