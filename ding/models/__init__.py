"""Data only: request/response models (``components``), envelopes (``operations``), errors."""

from . import components, errors, operations

__all__ = ["components", "errors", "operations"]
