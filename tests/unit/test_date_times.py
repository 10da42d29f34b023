"""``format: date-time`` is RFC 3339: any number of fraction digits, ``Z`` or an offset.

Found with Prism's generated bodies (``"1938-05-15T16:58:41.0Z"``): Python 3.10's
``datetime.fromisoformat`` takes a fraction of exactly 3 or 6 digits, so such a 200 failed
with ResponseValidationError. Go services (``time.RFC3339Nano``) send 1 to 9 digits.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ding.models import components as c
from ding.models._converter import structure

UTC = timezone.utc
NOON = datetime(2024, 5, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T12:00:00Z", NOON),
        ("2024-05-01T12:00:00.5Z", NOON.replace(microsecond=500000)),
        ("2024-05-01T12:00:00.0Z", NOON),
        ("2024-05-01T12:00:00.12Z", NOON.replace(microsecond=120000)),
        ("2024-05-01T12:00:00.123Z", NOON.replace(microsecond=123000)),
        ("2024-05-01T12:00:00.1234Z", NOON.replace(microsecond=123400)),
        ("2024-05-01T12:00:00.123456Z", NOON.replace(microsecond=123456)),
        ("2024-05-01T12:00:00.123456789Z", NOON.replace(microsecond=123456)),
        ("2024-05-01T14:00:00.5+02:00", NOON.replace(microsecond=500000)),
        ("2024-05-01T12:00:00.25z", NOON.replace(microsecond=250000)),
    ],
)
def test_rfc3339_date_times_decode_on_every_python(text: str, expected: datetime) -> None:
    res = structure({"created_at": text, "expires_at": text}, c.CreateAuthenticationResponse)
    assert res.created_at == expected
    assert res.created_at is not None
    assert res.created_at.utcoffset() is not None
    if text.endswith("+02:00"):
        assert res.created_at.utcoffset() == timedelta(hours=2)
