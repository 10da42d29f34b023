"""The start-up sections of the runner: cold starts (http and HTTPS) and import timing."""

from __future__ import annotations

import contextlib
import subprocess
from typing import Any

import coldstart
import imports
from interpreters import Interpreters
from processes import Pinning, Server, isolated_env, project_env
from tls import TlsMaterial, make_tls_material


def measure_imports(
    reps: int, pinning: Pinning, pythons: Interpreters
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Import timings per case, and the modules `import ding` adds beyond its dependencies."""
    project = project_env()
    ding = imports.ImportCase(
        "ding", "`import ding`", imports.IMPORT_DING, pythons.project, project
    )
    baseline = imports.ImportCase(
        "baseline",
        "`import aiohttp, attrs, cattrs`",
        "import aiohttp, attrs, cattrs",
        pythons.project,
        project,
    )
    cases = [
        ding,
        baseline,
        imports.ImportCase(
            "requests", "`import requests`", "import requests", pythons.project, project
        ),
        imports.ImportCase(
            "prelude",
            "`import prelude_python_sdk`",
            "import prelude_python_sdk",
            pythons.project,
            project,
        ),
    ]
    if pythons.official is not None:
        cases.append(
            imports.ImportCase(
                "official",
                "`import ding` (ding-api-client)",
                imports.IMPORT_DING,
                pythons.official,
                isolated_env(),
            )
        )
    print(
        f"[import] timing {len(cases)} imports x {reps} fresh interpreters ...",
        flush=True,
    )
    timings = imports.time_imports(cases, reps, pinning)
    extra = (
        imports.extra_modules(ding, baseline, pinning) if "median_ms" in timings["ding"] else None
    )
    for case in timings.values():
        shown = (
            f"{case['median_ms']:.1f} ms" if "median_ms" in case else f"skipped ({case['skipped']})"
        )
        print(f"[import] {case['label']}: {shown}", flush=True)
    return timings, extra


def _coldstart_cases(
    pythons: Interpreters, tls: TlsMaterial | None
) -> list[tuple[str, coldstart.ColdStartCase]]:
    """(scheme, case) pairs; the https cases only when the TLS material could be made."""
    project = project_env()
    official = isolated_env()
    cases = [
        ("http", coldstart.ColdStartCase("ding", "ding (this project)", pythons.project, project)),
        (
            "http",
            coldstart.ColdStartCase(
                "floor",
                "aiohttp + attrs + cattrs imported, one raw aiohttp call (ding's floor)",
                pythons.project,
                project,
                script=coldstart.FLOOR_SCRIPT,
            ),
        ),
        (
            "http",
            coldstart.ColdStartCase(
                "pass", "`python -c pass` (ding's venv)", pythons.project, project, script=None
            ),
        ),
    ]
    if pythons.official is not None:
        cases += [
            (
                "http",
                coldstart.ColdStartCase(
                    "official", "ding-api-client (official)", pythons.official, official
                ),
            ),
            (
                "http",
                coldstart.ColdStartCase(
                    "official-pass",
                    "`python -c pass` (official venv)",
                    pythons.official,
                    official,
                    script=None,
                ),
            ),
        ]
    if tls is not None:
        cases.append(
            (
                "https",
                coldstart.ColdStartCase(
                    "ding-https", "ding over HTTPS", pythons.project, tls.project_env(project)
                ),
            )
        )
        if pythons.official is not None and tls.official_bundle is not None:
            cases.append(
                (
                    "https",
                    coldstart.ColdStartCase(
                        "official-https",
                        "ding-api-client over HTTPS",
                        pythons.official,
                        tls.official_env(official),
                    ),
                )
            )
    return cases


def measure_coldstart(
    reps: int, server: Server, pinning: Pinning, pythons: Interpreters
) -> dict[str, Any]:
    """Cold-start timings per case, over plain http (`server`) and, if possible, HTTPS."""
    tls: TlsMaterial | None = None
    tls_problem = ""
    try:
        tls = make_tls_material(pythons.official)
    except (ImportError, RuntimeError, OSError, subprocess.SubprocessError) as error:
        tls_problem = f"HTTPS rows skipped: {type(error).__name__}: {error}"
    cases = _coldstart_cases(pythons, tls)
    print(
        f"[coldstart] {len(cases)} cases x {reps} fresh processes ...",
        flush=True,
    )
    with contextlib.ExitStack() as stack:
        urls = {"http": server.url}
        if tls is not None:
            urls["https"] = stack.enter_context(
                Server(pinning, (tls.server_chain, tls.server_key))
            ).url
        results = coldstart.time_coldstarts(cases, reps, pinning, urls)
    if pythons.official is None:
        results["official"] = {"label": "official", "skipped": pythons.official_problem}
    if tls is None:
        results["ding-https"] = {"label": "ding over HTTPS", "skipped": tls_problem}
    for case in results.values():
        shown = (
            f"{case['median_ms']:.0f} ms" if "median_ms" in case else f"skipped ({case['skipped']})"
        )
        print(f"[coldstart] {case['label']}: {shown}", flush=True)
    return results
