"""Fixtures for every test: nothing ever reads or writes the user's real directories."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the data dir and the settings file at a fresh temporary directory."""
    home = tmp_path / "nudge-home"
    monkeypatch.setenv("NUDGE_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("NUDGE_CONFIG", str(home / "config.toml"))
    monkeypatch.delenv("NUDGE_NOW", raising=False)
