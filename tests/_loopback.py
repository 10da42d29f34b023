"""Loopback ports for every suite."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port nobody listens on: connecting is refused at once, binding works."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
