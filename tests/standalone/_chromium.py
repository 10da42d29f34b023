"""Headless Chromium (the OS package), driven over the DevTools protocol with aiohttp.

Only what the inbox test needs: open a page at a phone's width, evaluate JavaScript in it.
The browser runs in a new empty profile, in its own process group, and is killed with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--remote-debugging-address=127.0.0.1",
)
START_TIMEOUT = 30.0


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Page:
    """One tab, through its DevTools websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._ids = itertools.count(1)

    async def send(self, method: str, timeout: float = 20.0, **params: Any) -> dict[str, Any]:
        number = next(self._ids)
        await self._ws.send_json({"id": number, "method": method, "params": params})
        return await asyncio.wait_for(self._reply(number, method), timeout)

    async def _reply(self, number: int, method: str) -> dict[str, Any]:
        async for message in self._ws:  # events in between are skipped
            data = json.loads(message.data)
            if data.get("id") == number:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                result: dict[str, Any] = data.get("result", {})
                return result
        raise RuntimeError(f"{method}: the browser closed the connection")

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def open(self, url: str, width: int, height: int) -> None:
        await self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=True,
        )
        await self.send("Page.navigate", url=url)
        await self.wait_for(
            "document.readyState === 'complete' && location.href === " + json.dumps(url)
        )

    async def wait_for(self, condition: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if await self.evaluate(f"Boolean({condition})"):
                    return
            except RuntimeError:
                pass  # the page is between two loads
            if time.monotonic() > deadline:
                raise TimeoutError(f"not true within {timeout} s: {condition}")
            await asyncio.sleep(0.1)


@asynccontextmanager
async def chromium_page(binary: str) -> AsyncIterator[Page]:
    """A tab of a fresh headless Chromium; the browser is gone when the block ends."""
    profile = tempfile.mkdtemp(prefix="ding-chromium-")
    process = _launch(binary, profile)
    try:
        port = await _devtools_port(Path(profile), process)
        async with aiohttp.ClientSession() as session:
            async with session.put(f"http://127.0.0.1:{port}/json/new?about:blank") as response:
                target = await response.json(content_type=None)
            async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                page = Page(ws)
                await page.send("Page.enable")
                await page.send("Runtime.enable")
                yield page
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the browser and its helper processes
        process.wait(10)
        shutil.rmtree(profile, ignore_errors=True)


def _launch(binary: str, profile: str) -> subprocess.Popen[bytes]:
    """Start the browser in its own process group, with a new empty profile (returns at once)."""
    return subprocess.Popen(
        [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


async def _devtools_port(profile: Path, process: subprocess.Popen[bytes]) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited at start with status {process.returncode}")
        try:
            return int(marker.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            await asyncio.sleep(0.1)
    raise TimeoutError(f"chromium did not open its DevTools port within {START_TIMEOUT} s")
