"""Retry settings in the shape the official client defines them (times in milliseconds)."""

from ._retry_config import BackoffStrategy, RetryConfig

__all__ = ["BackoffStrategy", "RetryConfig"]
