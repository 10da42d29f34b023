"""Serving an aiohttp app on a socket of our own, and closing it without leaking a connection.

The fake and the webhook receiver both serve this way. Closing stops accepting first: asyncio
accepts a connection in one step and attaches it to its server in a later one, so a server
closed between the two fails the attach ("Error on transport creation for incoming
connection", an ``AssertionError`` inside asyncio) and leaks the socket -- under ``-W error``
a test failure, and at interpreter exit a traceback on the user's terminal.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

__all__ = ["Listener"]

# Loop steps after the listener stops accepting: an accept completed a moment ago attaches to
# the server in the first of them (one task step); the others are margin.
_ATTACH_STEPS = 3


@dataclass(frozen=True)
class Listener:
    """One app served on one listening socket of the running loop."""

    runner: web.AppRunner
    site: web.SockSite
    sock: socket.socket

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    @classmethod
    async def start(
        cls, app: web.Application, host: str, port: int, *, shutdown_timeout: float
    ) -> Listener:
        """Serve ``app`` on ``host:port`` (port 0: an ephemeral one)."""
        runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=shutdown_timeout
        )
        await runner.setup()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            sock = socket.create_server((host, port), family=family)
        except BaseException:
            await runner.cleanup()
            raise
        site = web.SockSite(runner, sock)
        try:
            await site.start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        return cls(runner, site, sock)

    async def close(self, before_cleanup: Callable[[], None] | None = None) -> None:
        """Close in the order that leaks nothing:

        1. stop accepting, and let the connections accepted a moment ago attach to the server;
        2. close the server and its socket, so clients that reconnect when step 4 drops them
           are refused;
        3. ``before_cleanup`` (the fake wakes the handlers sleeping in a delay fault here, and
           they close their connections);
        4. let aiohttp close the remaining connections.
        """
        asyncio.get_running_loop().remove_reader(self.sock)
        for _ in range(_ATTACH_STEPS):
            await asyncio.sleep(0)
        await self.site.stop()
        self.sock.close()
        if before_cleanup is not None:
            before_cleanup()
        await self.runner.cleanup()
