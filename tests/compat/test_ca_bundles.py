"""Issue 10 item 6: CA bundles from the environment, against a TLS origin with a private CA.

``REQUESTS_CA_BUNDLE`` and ``CURL_CA_BUNDLE`` are honoured (as ``requests`` does) on top of
the default trust, which ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` keep shaping. The default trust
is built when aiohttp is imported, so those two are checked in a fresh interpreter.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import ding
from ding._proxy import tls_for_env_bundle
from ding.models import errors

from ..reliability._servers import ScriptServer

CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
ROOT = Path(__file__).resolve().parents[2]


def call(server_url: str, **options: Any) -> Any:
    try:
        with ding.Ding("k", server_url=server_url, max_retries=0, **options) as client:
            return client.lookup.lookup("+14155550123", CUSTOMER)
    except errors.DingError as exc:
        return exc


def test_an_unknown_ca_is_refused_by_default(tls_server: ScriptServer) -> None:
    assert isinstance(call(tls_server.url), errors.APIConnectionError)


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_the_bundle_requests_users_set_is_honoured(
    monkeypatch: pytest.MonkeyPatch, tls_server: ScriptServer, ca_pem: str, variable: str
) -> None:
    monkeypatch.setenv(variable, ca_pem)
    res = call(tls_server.url)
    assert not isinstance(res, Exception), repr(res)
    # The bundle adds to the default trust; trust_env=False leaves it out.
    assert isinstance(call(tls_server.url, trust_env=False), errors.APIConnectionError)


def test_an_explicit_ssl_setting_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, tls_server: ScriptServer, ca_pem: str
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_pem)
    assert isinstance(
        call(tls_server.url, ssl=ssl.create_default_context()), errors.APIConnectionError
    )


def test_a_bundle_the_default_trust_already_loads_is_not_loaded_twice() -> None:
    default = ssl.get_default_verify_paths().cafile
    if default is None or not os.path.exists(default):
        pytest.skip("no default CA file on this system")  # nothing to compare with
    assert tls_for_env_bundle(default) is True


def test_an_unreadable_bundle_is_named(
    monkeypatch: pytest.MonkeyPatch, tls_server: ScriptServer, tmp_path: Path
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
    err = call(tls_server.url)
    assert isinstance(err, errors.ValidationError) and err.field == "REQUESTS_CA_BUNDLE"


_FRESH = textwrap.dedent(
    """
    import sys, ding
    for url in sys.argv[1:]:
        with ding.Ding("k", server_url=url, max_retries=0) as client:
            assert client.lookup.lookup("+14155550123", "{customer}").status_code == 200
    print("ok")
    """
).format(customer=CUSTOMER)


def _fresh_interpreter(env: dict[str, str], *urls: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if "PROXY" not in k.upper()}
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        base.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", _FRESH, *urls],
        env={**base, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_ssl_cert_file_keeps_working(tls_server: ScriptServer, ca_pem: str) -> None:
    done = _fresh_interpreter({"SSL_CERT_FILE": ca_pem}, tls_server.url)
    assert done.returncode == 0, done.stderr[-2000:]


def test_ssl_cert_file_and_requests_ca_bundle_both_count(ca_pem: str, tmp_path: Path) -> None:
    """Two origins with two private CAs: one in SSL_CERT_FILE, one in REQUESTS_CA_BUNDLE."""
    import trustme

    other = trustme.CA()
    other_pem = tmp_path / "other.pem"
    other.cert_pem.write_to_path(str(other_pem))
    contexts = []
    for authority in (trustme.CA(), other):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert("127.0.0.1").configure_cert(context)
        contexts.append((authority, context))
    first_pem = tmp_path / "first.pem"
    contexts[0][0].cert_pem.write_to_path(str(first_pem))
    with (
        ScriptServer(ssl_context=contexts[0][1]) as first,
        ScriptServer(ssl_context=contexts[1][1]) as second,
    ):
        env = {"SSL_CERT_FILE": str(first_pem), "REQUESTS_CA_BUNDLE": str(other_pem)}
        done = _fresh_interpreter(env, first.url, second.url)
        assert done.returncode == 0, done.stderr[-2000:]
        # Without the bundle the second origin is refused: the variable made the difference.
        refused = _fresh_interpreter({"SSL_CERT_FILE": str(first_pem)}, second.url)
        assert refused.returncode != 0
