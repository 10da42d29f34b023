"""One tool, the whole workload, everything the tool would have sent: as JSON on a file.

``python -m tests.observability._run TOOL OUT.json`` (the environment carries the tool's own
settings: ``OTEL_SEMCONV_STABILITY_OPT_IN``, header capture). Run as a subprocess by the
tests, because every tool installs itself process-wide.
"""

from __future__ import annotations

import json
import sys
import time

from ._fake_process import fake_in_a_process
from ._tools import TOOLS
from ._workload import CASES, Workload


def main(tool_name: str, out: str, cases: tuple[str, ...] = CASES) -> None:
    tool = TOOLS[tool_name]()  # installed before any client or session exists
    started = time.monotonic()
    with fake_in_a_process() as fake:
        workload = Workload(fake, around=tool.around, on_error=tool.on_error, cases=cases)
        record = workload.run()
        server_headers = fake.request_headers()
    result = {
        "tool": tool_name,
        "canaries": record.canaries.as_json(),
        "calls": record.calls,
        "errors": record.errors,
        "documents": tool.documents(),
        "names": tool.names(),
        "server_headers": server_headers,
        "seconds": time.monotonic() - started,
        "version": getattr(tool, "version", ""),
    }
    with open(out, "w", encoding="utf-8") as file:
        json.dump(result, file)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], tuple(sys.argv[3:]) or CASES)
