"""ding: the async-first Python client for the Ding OTP API.

``ding.AsyncDing`` is the async core; ``ding.Ding`` is the thread-safe sync facade over it.
Models live in ``ding.models`` (``components``, ``operations``, ``errors``), retry settings
in ``ding.utils``, webhook events in ``ding.webhooks``, and an offline fake of the API in
``ding.testing``. The official client's module paths (``ding.sdk``, ``ding.otp``,
``ding.lookup``, ``ding.sdkconfiguration``, ``ding.utils.retries``) work too; they are
imported on first use.
"""

import os as _os

# Installed over the official `ding-api-client`, the two distributions' files are mixed in
# one `ding` directory and the result would fail deep inside. One stat tells (a file only
# the official client has, so stray empty directories do not count).
if _os.path.exists(_os.path.join(_os.path.dirname(__file__), "_hooks", "sdkhooks.py")):
    raise ImportError(
        "ding: this `ding` package mixes the files of two distributions, `ding` and the "
        "official `ding-api-client` (its ding/_hooks/ is present): both install the package "
        "`ding` and each overwrote the other's files. Uninstall both, then reinstall the one "
        "you want: pip uninstall -y ding ding-api-client && pip install ding"
    )

from ._async_client import AsyncDing
from ._config import SERVERS
from ._options import CallOptions, ClientOptions
from ._sync_client import Ding, Lookup, Otp
from ._version import __version__
from .models import components, errors, operations
from .utils import RetryConfig

__all__ = [
    "SERVERS",
    "AsyncDing",
    "CallOptions",
    "ClientOptions",
    "Ding",
    "Lookup",
    "Otp",
    "RetryConfig",
    "__version__",
    "components",
    "errors",
    "operations",
]

_OFFICIAL_MODULES = frozenset({"sdk", "otp", "lookup", "sdkconfiguration"})


def __getattr__(name: str) -> object:
    # `import ding; ding.otp.Otp` works as with the official client, whose `import ding`
    # imports these modules; here they load on first use, keeping `import ding` cheap.
    if name in _OFFICIAL_MODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
