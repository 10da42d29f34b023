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
        "`ding` and each overwrote the other's files. Uninstall both "
        "(pip uninstall -y ding ding-api-client), then install again the one you want."
    )

from typing import TYPE_CHECKING

from ._lazy_names import lazy_names as _lazy_names
from ._version import __version__

if TYPE_CHECKING:
    from ._async_client import AsyncDing
    from ._call_hooks import CallEvent, Hooks
    from ._call_settings import CallOptions
    from ._client_options import ClientOptions
    from ._servers import SERVERS
    from ._sync_client import Ding, Lookup, Otp
    from .models import components, errors, operations
    from .utils import RetryConfig

__all__ = [
    "SERVERS",
    "AsyncDing",
    "CallEvent",
    "CallOptions",
    "ClientOptions",
    "Ding",
    "Hooks",
    "Lookup",
    "Otp",
    "RetryConfig",
    "__version__",
    "components",
    "errors",
    "operations",
]

# Where each public name lives. `import ding` runs no more than this file, `_version` and
# `_lazy_names`: the client (and aiohttp with it) loads when a name is first used, so
# `import ding.models.components`, the CLI's --help and the pytest plugin do not pay for what
# they do not use.
_NAMES = {
    "AsyncDing": "._async_client",
    "CallEvent": "._call_hooks",
    "CallOptions": "._call_settings",
    "ClientOptions": "._client_options",
    "SERVERS": "._servers",
    "Ding": "._sync_client",
    "Hooks": "._call_hooks",
    "Lookup": "._sync_client",
    "Otp": "._sync_client",
    "RetryConfig": ".utils",
    "components": ".models",
    "errors": ".models",
    "operations": ".models",
}
# Submodules reachable as attributes after `import ding`: the official client's module paths
# (its `import ding` imports them) and the subpackages `import ding` used to load eagerly.
_SUBMODULES = frozenset({"sdk", "otp", "lookup", "sdkconfiguration", "models", "utils"})


# Run time only: type checkers read the names from the imports above, so a misspelt one is
# flagged rather than typed by __getattr__ (and `pyright --verifytypes` sees no untyped name).
if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy_names(__name__, _NAMES, _SUBMODULES)
