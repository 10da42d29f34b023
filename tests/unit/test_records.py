"""The client's settings records (named tuples) and the official-shaped retry settings."""

from __future__ import annotations

import copy
import pickle

import pytest

from ding._call_settings import CallSettings
from ding._client_setup import build_config
from ding._retry import RetryPolicy
from ding.utils import BackoffStrategy, RetryConfig


def test_a_record_is_changed_only_through_replace() -> None:
    policy = RetryPolicy()
    changed = policy._replace(max_retries=5, retry_ambiguous=True)
    assert (changed.max_retries, changed.retry_ambiguous) == (5, True)
    assert (policy.max_retries, policy.retry_ambiguous) == (2, False)  # the original stays
    assert changed.initial_interval == policy.initial_interval
    with pytest.raises(AttributeError):
        policy.max_retries = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del policy.exponent
    # An unknown field is refused: ValueError before Python 3.13, TypeError since.
    with pytest.raises((ValueError, TypeError), match="max_retry"):
        policy._replace(max_retry=1)  # type: ignore[call-arg]


def test_records_copy_and_pickle_with_every_field() -> None:
    settings = CallSettings(
        "https://api.example/v1",
        RetryPolicy(max_retries=None, exponent=3.0),
        timeout=1.5,
        connect_timeout=None,
        extra_headers={"x-trace": "1"},
    )
    for clone in (pickle.loads(pickle.dumps(settings)), copy.deepcopy(settings)):
        assert repr(clone) == repr(settings)
        assert clone.timeout == 1.5 and clone.connect_timeout is None
        assert clone.retry.exponent == 3.0 and clone.extra_headers == {"x-trace": "1"}


def test_the_config_repr_never_shows_the_key() -> None:
    config = build_config("secret-key-123", {})
    assert "secret-key-123" not in repr(config)
    assert "settings=CallSettings(" in repr(config)


def test_retry_config_is_mutable_and_hashable_by_identity_as_the_official_one() -> None:
    backoff = BackoffStrategy(500, 5000, 1.5, 30_000)
    config = RetryConfig("backoff", backoff, False)
    same_values = RetryConfig("backoff", backoff, False)
    assert config != same_values and len({config, same_values}) == 2
    config.strategy = "none"
    backoff.max_interval = 10_000
    assert config.strategy == "none" and config.backoff is backoff
    with pytest.raises(AttributeError):
        config.typo = 1  # type: ignore[attr-defined]
    assert repr(config) == (
        "RetryConfig(strategy='none', backoff=BackoffStrategy(initial_interval=500, "
        "max_interval=10000, exponent=1.5, max_elapsed_time=30000), "
        "retry_connection_errors=False)"
    )
    assert RetryConfig("backoff").backoff is None
    assert RetryConfig("backoff").retry_connection_errors is True
    restored = pickle.loads(pickle.dumps(config))
    assert repr(restored) == repr(config)
