"""The official client's module path of the server list: ``from ding.sdkconfiguration
import SERVERS``."""

from ._servers import SERVERS

__all__ = ["SERVERS"]
