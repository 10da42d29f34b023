"""A real forward proxy for the proxy tests, run as its own process (stdlib only).

    python _forward_proxy.py LOG_FILE [--auth USER:PASSWORD]

Prints its port, then serves 127.0.0.1: absolute-form requests (``GET http://host/path``) are
forwarded to the origin, ``CONNECT host:port`` opens a tunnel (HTTPS through the proxy). With
``--auth`` every request needs ``Proxy-Authorization: Basic ...`` for those credentials, else
407. Each request is appended to LOG_FILE as one JSON line: method, target, whether it was
authorised, and the status the proxy answered.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import sys
from urllib.parse import urlsplit

HEAD_LIMIT = 65536


class Proxy:
    def __init__(self, log_path: str, auth: str | None) -> None:
        self._log_path = log_path
        self._expected = "Basic " + base64.b64encode(auth.encode()).decode() if auth else None

    def _log(self, method: str, target: str, authorised: bool, status: int) -> None:
        line = {"method": method, "target": target, "authorised": authorised, "status": status}
        with open(self._log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps(line) + "\n")

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, version = lines[0].split(" ", 2)
            headers = [line.split(":", 1) for line in lines[1:] if line]
            lookup = {name.strip().lower(): value.strip() for name, value in headers}
            length = int(lookup.get("content-length", "0") or 0)
            body = await reader.readexactly(length) if length else b""
            authorised = self._expected is None or lookup.get("proxy-authorization") == (
                self._expected
            )
            if not authorised:
                self._log(method, target, False, 407)
                writer.write(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                    b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n'
                )
                await writer.drain()
                continue
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
                up_reader, up_writer = await asyncio.open_connection(host, int(port))
                self._log(method, target, True, 200)
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
                await self._tunnel(reader, writer, up_reader, up_writer)
                return
            await self._forward(method, target, version, headers, body, writer)
            return  # the answer ended with "Connection: close"

    async def _forward(
        self,
        method: str,
        target: str,
        version: str,
        headers: list[list[str]],
        body: bytes,
        writer: asyncio.StreamWriter,
    ) -> None:
        parts = urlsplit(target)
        if parts.scheme != "http" or not parts.hostname:
            self._log(method, target, True, 400)
            writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            return
        path = parts.path + ("?" + parts.query if parts.query else "")
        kept = [
            f"{name}:{value}"
            for name, value in headers
            if name.strip().lower()
            not in ("proxy-authorization", "proxy-connection", "connection", "keep-alive")
        ]
        request = "\r\n".join([f"{method} {path} {version}", *kept, "Connection: close", "", ""])
        up_reader, up_writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
        up_writer.write(request.encode("latin-1") + body)
        await up_writer.drain()
        answer = await up_reader.read()  # Connection: close: the origin ends the answer
        up_writer.close()
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
        self._log(method, target, True, status)
        writer.write(answer)
        await writer.drain()

    @staticmethod
    async def _tunnel(
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        up_reader: asyncio.StreamReader,
        up_writer: asyncio.StreamWriter,
    ) -> None:
        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except ConnectionError:
                pass
            finally:
                with contextlib.suppress(Exception):
                    dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--auth")
    args = parser.parse_args()
    proxy = Proxy(args.log, args.auth)
    server = await asyncio.start_server(proxy.serve, "127.0.0.1", 0, limit=HEAD_LIMIT)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        # Serve until the test closes our stdin (or kills us).
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(main())
