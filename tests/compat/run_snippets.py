"""Run the snippets of ``snippets/`` with whatever ``ding`` this interpreter imports.

    python tests/compat/run_snippets.py URL [--json] [--only NAME ...]

``URL`` is a running fake (``server_url``) that accepts the key ``YOUR_API_KEY``. Works under
the official client's venv as well as ours: it imports nothing from the repository but
``snippets/`` (loaded by path), so ``import ding`` is the installed one.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import sys
import threading
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

KEY = "YOUR_API_KEY"
CUSTOMER = "c9f826e0-deca-41ec-871f-ecd6e8efeb46"
PHONE = "+1234567890"
SNIPPET_TIMEOUT = 60.0


def load_snippets() -> ModuleType:
    """The ``snippets`` package next to this file, loaded by path (no ``tests`` package)."""
    name = "_ding_compat_snippets"
    if name in sys.modules:
        return sys.modules[name]
    package = Path(__file__).with_name("snippets")
    spec = importlib.util.spec_from_file_location(
        name, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and relative imports need it registered
    spec.loader.exec_module(module)
    return module


def run_snippet(code: str, url: str, name: str = "snippet") -> str | None:
    """Run one snippet in a fresh namespace; None if it passed, else the error as text.

    The environment is restored afterwards (snippets may unset ``DING_API_KEY``).
    """
    namespace: dict[str, Any] = {
        "__name__": f"snippet_{name}",
        "URL": url,
        "KEY": KEY,
        "CUSTOMER": CUSTOMER,
        "PHONE": PHONE,
    }
    saved = dict(os.environ)
    outcome: list[str | None] = []

    def target() -> None:
        try:
            exec(compile(code, f"<snippet {name}>", "exec"), namespace)
        except BaseException as exc:
            line = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            outcome.append(line.splitlines()[-1] if line else type(exc).__name__)
        else:
            outcome.append(None)

    thread = threading.Thread(target=target, name=f"snippet-{name}", daemon=True)
    thread.start()
    thread.join(SNIPPET_TIMEOUT)
    os.environ.clear()
    os.environ.update(saved)
    namespace.clear()
    gc.collect()
    if not outcome:
        return f"timed out after {SNIPPET_TIMEOUT:.0f} s"
    return outcome[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    snippets = load_snippets().SNIPPETS
    results: dict[str, str | None] = {}
    for item in snippets:
        if args.only and item.name not in args.only:
            continue
        results[item.name] = run_snippet(item.code, args.url, item.name)
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        for name, error in results.items():
            print(
                f"{'ok  ' if error is None else 'FAIL'} {name}"
                + ("" if error is None else f": {error}")
            )
        failed = sum(1 for e in results.values() if e is not None)
        print(f"{len(results) - failed}/{len(results)} passed")
    sys.stdout.flush()
    os._exit(0)  # a timed-out snippet's thread must not keep the process alive


if __name__ == "__main__":
    sys.exit(main())
