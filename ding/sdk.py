"""The official client's module path of the client class: ``from ding.sdk import Ding``."""

from ._sync_client import Ding
from .utils.retries import RetryConfig

__all__ = ["Ding", "RetryConfig"]
