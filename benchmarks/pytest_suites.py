"""What a test with the fake costs next to a test with a mock (issue 19, item 4; DESIGN §6).

    python benchmarks/pytest_suites.py                   # 200 tests per suite, 7 runs each
    python benchmarks/pytest_suites.py --against 4222452 # adds the plugin as of that revision
    python benchmarks/pytest_suites.py --tests 200 --runs 9 --out FILE.md

Two generated pytest files, each of N tests that send a code and check it, sync:

* **fake**: this project's ``ding_client`` + ``fake_ding`` fixtures; the test reads the code
  from the fake (``fake_ding.code_for``), as a user's test does;
* **mock**: the official client, ``ding-api-client``, in its own virtualenv, its HTTP mocked
  with ``responses`` (the two answers registered in the test), a client built per test.

Each suite runs as a whole ``pytest`` process (plugin autoloading off, only what it needs
loaded), the suites alternating in an order that reverses every other run; the report gives
the median wall time of each, their ratio (target: at most 1.2x), and the cost per test
(the suite minus the same process collecting no test, divided by N). Run on a quiet machine:
the other work on the cores shows up in the spread, given beside each median.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from environment import OFFICIAL_REQUIREMENT, load_average, official_python
from processes import WORK_DIR, compile_project, isolated_env, project_env
from profile_start import export_revision

# The mocked suite's interpreter: the official client (which installs a package `ding` of
# its own, so it never shares a venv with this project) plus pytest and responses.
MOCK_REQUIREMENTS = (OFFICIAL_REQUIREMENT, "pytest==8.3.4", "responses==0.25.3")
MOCK_VENV = WORK_DIR / "venv-official-pytest"
URL = "http://ding.invalid/v1"
CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"

# The one test both suites run, as each would write it: only how the client is had and
# where the code comes from differ.
_TEST = f"""
import pytest
{{imports}}

{{preamble}}
@pytest.mark.parametrize("i", range({{{{n}}}}))
def test_send_and_check(i{{fixtures}}):
{{setup}}
    sent = client.otp.create_authentication(
        request=components.CreateAuthenticationRequest(
            customer_uuid="{CUSTOMER}", phone_number="+14155550100"
        )
    )
    auth = sent.create_authentication_response.authentication_uuid
    checked = client.otp.check(
        request=components.CreateCheckRequest(
            customer_uuid="{CUSTOMER}", authentication_uuid=auth, check_code={{code}}
        )
    )
    assert checked.create_check_response.status == "valid"
"""

FAKE_TESTS = _TEST.format(
    imports="from ding.models import components",
    preamble="",
    fixtures=", ding_client, fake_ding",
    setup="    client = ding_client",
    code="fake_ding.code_for(auth)",
)

_ANSWERS = """
AUTH = "5f6ae5a1-8b3e-4b59-a5d6-0c0f6a7a1f0e"
SENT = {{"authentication_uuid": AUTH, "status": "pending",
        "created_at": "2024-01-01T00:00:00.000Z", "expires_at": "2024-01-01T00:10:00.000Z"}}
CHECKED = {{"authentication_uuid": AUTH, "status": "valid"}}

@responses.activate"""

MOCK_TESTS = _TEST.format(
    imports="import responses\nimport ding\nfrom ding.models import components",
    preamble=_ANSWERS,
    fixtures="",
    setup=(
        f'    responses.post("{URL}/authentication", json=SENT)\n'
        f'    responses.post("{URL}/check", json=CHECKED)\n'
        f'    client = ding.Ding(api_key="k", server_url="{URL}")'
    ),
    code='"123456"',
)


def _pytest(
    python: Path, env: dict[str, str], test_file: Path, plugins: list[str]
) -> tuple[float, float]:
    """Wall and CPU (user + system, all threads) seconds of one whole pytest process; fails
    loudly unless every test passed."""
    command = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugins]
    env = {**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [*command, str(test_file)],
        cwd=test_file.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 5):  # 5: no test collected (the empty runs)
        raise RuntimeError(f"{test_file.name} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def _spread(values: list[float]) -> str:
    median = statistics.median(values)
    return f"±{(max(values) - min(values)) / median * 100:.0f}%"


def measure(tests: int, runs: int, against: str | None) -> str:
    start_load = load_average()
    compile_project()
    mock = official_python(MOCK_REQUIREMENTS, MOCK_VENV)
    cases: dict[str, tuple[Path, dict[str, str], str, list[str]]] = {}
    plugin = ["-p", "ding.testing.pytest_plugin"]
    cases["fake"] = (Path(sys.executable), project_env(), FAKE_TESTS, plugin)
    if against:
        cases[f"fake@{against}"] = (
            Path(sys.executable),
            export_revision(against),
            FAKE_TESTS,
            plugin,
        )
    cases["mock"] = (mock, isolated_env(), MOCK_TESTS, [])
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    empty: dict[str, list[float]] = {name: [] for name in cases}
    with tempfile.TemporaryDirectory(prefix="ding-pytest-bench-") as tmp:
        files = {}
        for name, (_, _, source, _) in cases.items():
            folder = Path(tmp) / name.replace("@", "_at_")
            folder.mkdir()
            full, none = folder / "test_full.py", folder / "test_empty.py"
            full.write_text(textwrap.dedent(source.format(n=tests)))
            none.write_text(textwrap.dedent(source.format(n=0)))
            files[name] = (full, none)
        names = list(cases)
        for _ in range(1):  # warm the page cache and the bytecode of every suite, untimed
            for name in names:
                python, env, _, plugins = cases[name]
                _pytest(python, env, files[name][0], plugins)
        for run in range(runs):
            for name in names if run % 2 == 0 else reversed(names):
                python, env, _, plugins = cases[name]
                wall, used = _pytest(python, env, files[name][0], plugins)
                times[name].append(wall)
                cpu[name].append(used)
                empty[name].append(_pytest(python, env, files[name][1], plugins)[0])
    mock_median = statistics.median(times["mock"])
    mock_each = (mock_median - statistics.median(empty["mock"])) / tests * 1e3
    mock_cpu = statistics.median(cpu["mock"])
    lines = [
        f"# pytest: a test with the fake against a test with a mock ({tests} tests, {runs} runs)",
        "",
        f"Load average: {start_load} at the start, {load_average()} at the end. Each test sends",
        "a code and checks it.",
        "",
        "| suite | wall s (median) | spread | per test ms | CPU s (median) "
        "| vs mock: wall | per test | CPU |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in cases:
        median = statistics.median(times[name])
        each = (median - statistics.median(empty[name])) / tests * 1e3
        used = statistics.median(cpu[name])
        lines.append(
            f"| {name} | {median:.2f} | {_spread(times[name])} | {each:.2f} | {used:.2f} | "
            f"{median / mock_median:.2f}x | {each / mock_each:.2f}x | {used / mock_cpu:.2f}x |"
        )
    lines += [
        "",
        "Target (issue 19): the fake suite within 1.2x of the mock suite (wall). `per test` is",
        "the suite minus the same pytest process collecting no test, divided by the number of",
        "tests. CPU is user + system time of the pytest process, all its threads: on a busy",
        "machine the wall time also measures the wait for a core, the CPU time does not.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--against", metavar="REV", help="add the plugin as of this git revision")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    args = parser.parse_args()
    text = measure(args.tests, args.runs, args.against)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
