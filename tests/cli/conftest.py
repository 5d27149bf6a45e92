"""Drive the installed `nudge` command as a user would, on a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.pinned import PINNED_NOW, as_env

NUDGE = str(Path(sys.executable).parent / "nudge")

PROFILE = """
[profile]
name = "Alex Morgan"
tz = "America/New_York"
country = "US"
"""


class Nudge:
    """Runs `nudge` with a private data dir and settings file, at the suite's pinned moment
    unless ``now`` names another."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {
            **os.environ,
            "NUDGE_DATA_DIR": str(home / "data"),
            "NUDGE_CONFIG": str(home / "config.toml"),
            "COLUMNS": "80",
            "NO_COLOR": "1",
            "NUDGE_NOW": as_env(PINNED_NOW),
        }
        self.env.pop("NUDGE_DB", None)
        (home / "config.toml").write_text(PROFILE, encoding="utf-8")

    def __call__(
        self, *args: str, now: str | None = None, ok: bool = True, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = dict(self.env)
        if now:
            env["NUDGE_NOW"] = now
        result = subprocess.run(
            [NUDGE, *args], env=env, capture_output=True, text=True, timeout=60, input=stdin
        )
        if ok:
            assert result.returncode == 0, f"nudge {' '.join(args)} failed:\n{result.stderr}"
        return result

    def json(self, *args: str, now: str | None = None) -> Any:
        return json.loads(self("--json", *args, now=now).stdout)


@pytest.fixture
def nudge(tmp_path: Path) -> Nudge:
    home = tmp_path / "home"
    home.mkdir()
    return Nudge(home)


Run = Callable[..., subprocess.CompletedProcess[str]]
