"""The ``ding`` logger: quiet by default, switched on with ``DING_LOG=debug|info``.

Records name the operation and carry the method, the URL template, the status, the attempt
and the elapsed time, in the message and as structured fields (``_telemetry``). The API key,
phone numbers and OTP codes are never in them (a credential, personal data, a credential).
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger("ding")
logger.addHandler(logging.NullHandler())


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
