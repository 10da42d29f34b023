"""Certificates for the cold-start rows over HTTPS, trusted the way production trusts a server.

In production both clients load a full CA bundle before their first HTTPS request: aiohttp
loads the system's when it is imported, requests loads certifi's when it opens its first
HTTPS connection. Over plain http only aiohttp pays that, which tilts the plain-http cold
start against any aiohttp-based client. So the HTTPS rows give each client its usual bundle
with the benchmark's own CA appended: this project reads it through `SSL_CERT_FILE` (which
`ssl.create_default_context()` honours), the official client through a `requests.Session`
whose `verify` is the bundle (`coldstart_call.py` builds it when `BENCH_CA_BUNDLE` is set).

Needs `trustme` (installed by `nox -s bench`); without it the HTTPS rows are skipped.
"""

from __future__ import annotations

import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path

from processes import WORK_DIR, isolated_env

TLS_DIR = WORK_DIR / "tls"


@dataclass(frozen=True)
class TlsMaterial:
    server_chain: Path
    server_key: Path
    project_bundle: Path
    """The system CA bundle plus the benchmark CA (for this project's interpreter)."""
    official_bundle: Path | None
    """certifi's bundle plus the benchmark CA (for the official client's venv)."""

    def project_env(self, env: dict[str, str]) -> dict[str, str]:
        return {**env, "SSL_CERT_FILE": str(self.project_bundle)}

    def official_env(self, env: dict[str, str]) -> dict[str, str]:
        assert self.official_bundle is not None
        return {**env, "BENCH_CA_BUNDLE": str(self.official_bundle)}


def _system_bundle() -> Path:
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise RuntimeError("no system CA bundle file found (ssl.get_default_verify_paths())")


def _certifi_bundle(official_python: Path) -> Path:
    completed = subprocess.run(
        [str(official_python), "-c", "import certifi; print(certifi.where())"],
        env=isolated_env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return Path(completed.stdout.strip())


def make_tls_material(official_python: Path | None) -> TlsMaterial:
    """Create the CA, the server certificate for 127.0.0.1 and the two bundles."""
    import trustme  # only here: the rest of the benchmark runs without it

    TLS_DIR.mkdir(parents=True, exist_ok=True)
    authority = trustme.CA()
    server = authority.issue_cert("127.0.0.1")
    chain, key = TLS_DIR / "server-chain.pem", TLS_DIR / "server-key.pem"
    server.private_key_pem.write_to_path(str(key))
    chain.write_bytes(b"".join(blob.bytes() for blob in server.cert_chain_pems))
    ca_pem = authority.cert_pem.bytes()
    project_bundle = TLS_DIR / "project-bundle.pem"
    project_bundle.write_bytes(_system_bundle().read_bytes() + b"\n" + ca_pem)
    official_bundle = None
    if official_python is not None:
        official_bundle = TLS_DIR / "official-bundle.pem"
        official_bundle.write_bytes(_certifi_bundle(official_python).read_bytes() + b"\n" + ca_pem)
    return TlsMaterial(chain, key, project_bundle, official_bundle)
