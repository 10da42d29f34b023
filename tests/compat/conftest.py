"""Fixtures for the drop-in tests: a real forward proxy process, the test CA as a PEM file
(the CA and the TLS origin are in tests/conftest.py), and an environment without a
developer's proxies or CA bundles."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

PROXY_SCRIPT = Path(__file__).with_name("_forward_proxy.py")


@pytest.fixture(autouse=True)
def _no_ca_bundles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests set exactly the variables they mean (this machine sets REQUESTS_CA_BUNDLE); the
    proxy variables are already cleared by tests/conftest.py."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


class ForwardProxy:
    """A `_forward_proxy.py` process on loopback; `log()` lists the requests it handled."""

    def __init__(self, tmp: Path, auth: str | None = None) -> None:
        self._log_path = tmp / f"proxy-{id(self)}.log"
        self._log_path.touch()
        args = [sys.executable, str(PROXY_SCRIPT), str(self._log_path)]
        if auth:
            args += ["--auth", auth]
        self._process = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()  # the port, once it listens
        if not line.strip():
            self.close()
            raise RuntimeError("the forward proxy did not start")
        self.port = int(line)

    def url(self, credentials: str = "") -> str:
        return f"http://{credentials + '@' if credentials else ''}127.0.0.1:{self.port}"

    def log(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self._log_path.read_text().splitlines()]

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(10)
        if self._process.stdout is not None:
            self._process.stdout.close()


@pytest.fixture
def start_proxy(tmp_path: Path) -> Iterator[Callable[..., ForwardProxy]]:
    started: list[ForwardProxy] = []

    def start(auth: str | None = None) -> ForwardProxy:
        proxy = ForwardProxy(tmp_path, auth)
        started.append(proxy)
        return proxy

    yield start
    for proxy in started:
        proxy.close()


@pytest.fixture
def ca_pem(ca: Any, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)
