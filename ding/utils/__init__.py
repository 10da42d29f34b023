"""Retry settings in the shape the official client defines them (times in milliseconds).

``ding.utils.RetryConfig`` and ``ding.utils.retries.RetryConfig`` are the same class.
"""

from .retries import BackoffStrategy, RetryConfig

__all__ = ["BackoffStrategy", "RetryConfig"]
