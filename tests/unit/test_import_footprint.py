"""What `import ding` loads: its own modules on top of aiohttp, attrs and cattrs, nothing more.

Every module imported at `import ding` is start-up time paid by every CLI call, cron script,
serverless cold start and test process. The fake server, the CLI, the demo, aiohttp's server
side and the optional numbering data are for other uses and must load only when asked for.
(How long the import takes is measured by benchmarks/, never asserted here.)
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ding import _endpoints as ep
from ding._wire import build_request

_PROBE = """
import json, sys
import aiohttp, attrs, cattrs
before = set(sys.modules)
import ding
ding.Ding, ding.AsyncDing  # the package loads its names on first use
print(json.dumps(sorted(set(sys.modules) - before)))
"""
# What a fresh interpreter loads for `code`, beyond what it had at start-up.
_LOADED_BY = """
import json, sys
before = set(sys.modules)
{code}
print(json.dumps(sorted(set(sys.modules) - before)))
"""

# Loaded only by the features that need them.
_NEVER_AT_IMPORT = ("ding.testing", "ding.cli", "ding.webhooks", "aiohttp.web", "phonenumbers")


def _modules_loaded_by_import_ding() -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    loaded: list[str] = json.loads(completed.stdout)
    return loaded


def test_import_ding_loads_only_its_own_modules_beyond_its_dependencies() -> None:
    loaded = _modules_loaded_by_import_ding()
    assert "ding" in loaded
    foreign = [name for name in loaded if name != "ding" and not name.startswith("ding.")]
    assert foreign == [], (
        f"`import ding` loads {foreign}, which aiohttp, attrs and cattrs do not: import it "
        "where it is needed instead"
    )
    unwanted = [name for name in loaded if name.startswith(_NEVER_AT_IMPORT)]
    assert unwanted == []


def _loaded_by(code: str) -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-c", _LOADED_BY.format(code=code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded: list[str] = json.loads(completed.stdout)
    return loaded


@pytest.mark.parametrize(
    "code",
    [
        "import ding",
        # What pytest loads in every test run of a project that has ding installed.
        "import ding.testing.pytest_plugin",
        # `ding --help` and usage errors: the parser only.
        "import ding.cli; ding.cli.build_parser().format_help()",
        # The models alone (a webhook handler, a type annotation).
        "import ding.models.components",
    ],
)
def test_what_does_not_call_the_api_loads_no_client(code: str) -> None:
    loaded = _loaded_by(code)
    heavy = ("aiohttp", "cattrs", "ding._transport", "ding._sync_client", "ding.testing._")
    assert [name for name in loaded if name.startswith(heavy)] == []


def test_names_and_subpackages_load_on_first_use() -> None:
    loaded = _loaded_by(
        "import ding\n"
        "assert ding.models.components.Check.__name__ == 'Check'\n"
        "assert ding.utils.retries.RetryConfig is ding.RetryConfig\n"
        "assert ding.otp.Otp is ding.Otp and ding.sdk.Ding is ding.Ding\n"
        "assert {'Ding', 'AsyncDing', 'models', 'otp', 'components'} <= set(dir(ding))\n"
        "from ding import *\n"
        "assert AsyncDing is ding.AsyncDing and SERVERS is ding.sdkconfiguration.SERVERS\n"
    )
    assert "ding._sync_client" in loaded


def test_endpoints_are_read_only() -> None:
    with pytest.raises(AttributeError, match="read-only"):
        ep.CHECK.path = "/elsewhere"
    with pytest.raises(AttributeError, match="read-only"):
        del ep.CHECK.method
    assert ep.CHECK.path == "/check"
    assert "check" in repr(ep.CHECK)


def test_prepared_request_repr_leaves_the_headers_out() -> None:
    prepared = build_request(
        ep.GET_AUTHENTICATION_STATUS,
        base_url="https://api.example/v1",
        headers={"x-api-key": "secret-key"},
        path_params={"auth_uuid": "8f1196d5-806e-4b71-9b24-5f96ec052808"},
    )
    assert "secret-key" not in repr(prepared)
    assert prepared.fixed_url is False
    assert prepared.body is None


def test_calls_load_no_tracing_package_the_application_did_not() -> None:
    """ding's own tracing (the ``otel`` extra) costs nothing unless the application uses
    OpenTelemetry: calls, hooks and DEBUG logging included, nothing of it is imported."""
    loaded = _loaded_by(
        "import logging\n"
        "import ding\n"
        "from ding.testing import FakeDing\n"
        "logging.getLogger('ding').setLevel(logging.DEBUG)\n"
        "with FakeDing.running() as fake, ding.Ding(\n"
        "    'k', server_url=fake.url, hooks=ding.Hooks(on_attempt_end=id)\n"
        ") as client:\n"
        "    client.lookup.lookup('+14155550100', 'c9f826e0-deca-41ec-871f-ecd6e8efeb46')\n"
    )
    assert [name for name in loaded if name.startswith(("opentelemetry", "ding._otel"))] == []


def test_a_call_that_succeeds_without_hooks_loads_no_failure_or_hook_module() -> None:
    """What only a failed attempt (``_failures``) or a client's hooks (``_call_hooks``) need
    is imported there: start-up instructions of every process whose calls succeed."""
    loaded = _loaded_by(
        "import ding\n"
        "from ding.testing import FakeDing\n"
        "with FakeDing.running() as fake, ding.Ding('k', server_url=fake.url) as client:\n"
        "    client.lookup.lookup('+14155550100', 'c9f826e0-deca-41ec-871f-ecd6e8efeb46')\n"
    )
    assert "ding._sync_client" in loaded
    assert [name for name in loaded if name in ("ding._failures", "ding._call_hooks")] == []
