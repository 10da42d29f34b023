"""ding: the async-first Python client for the Ding OTP API.

``ding.AsyncDing`` is the async core; ``ding.Ding`` is the thread-safe sync facade over it.
Models live in ``ding.models`` (``components``, ``operations``, ``errors``), retry settings
in ``ding.utils``, and an offline fake of the API in ``ding.testing``.
"""

from ._async_client import AsyncDing
from ._config import SERVERS
from ._options import CallOptions, ClientOptions
from ._sync_client import Ding
from ._version import __version__
from .models import components, errors, operations

__all__ = [
    "SERVERS",
    "AsyncDing",
    "CallOptions",
    "ClientOptions",
    "Ding",
    "__version__",
    "components",
    "errors",
    "operations",
]
