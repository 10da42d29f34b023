"""How hypothesis runs in the hostile-input tests."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    database=None,  # no .hypothesis/ directory left behind by CI runs
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
