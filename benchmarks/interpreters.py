"""Which Python runs which benchmark process: this one, or the official client's venv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from clients import Style
from environment import official_python
from processes import isolated_env, project_env


class Interpreters:
    """Which Python runs which style: this one, or the official client's private venv."""

    def __init__(self, need_official: bool) -> None:
        self.project = Path(sys.executable)
        self.official: Path | None = None
        self.official_problem = ""
        if need_official:
            try:
                self.official = official_python()
            except (OSError, subprocess.CalledProcessError) as error:
                self.official_problem = f"could not create the official client's venv: {error}"

    def for_style(self, style: Style) -> tuple[Path | None, dict[str, str]]:
        if style.venv == "official":
            return self.official, isolated_env()
        return self.project, project_env()
