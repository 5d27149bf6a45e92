"""Fixtures for every test: nothing ever reads or writes the user's real directories, and
every test runs at one pinned moment (``tests.pinned``), never at the machine's time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import settings

from tests.pinned import PINNED_NOW, as_env

# No per-example deadline: a loaded machine (two xdist workers beside PostgreSQL and Dovecot)
# makes a first call slow without anything being wrong; speed is measured in bench/ instead.
settings.register_profile("jobnudge", deadline=None)
settings.load_profile("jobnudge")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the data dir and the settings file at a fresh temporary directory."""
    home = tmp_path / "nudge-home"
    monkeypatch.setenv("NUDGE_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("NUDGE_CONFIG", str(home / "config.toml"))


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """``NUDGE_NOW`` pins ``jobnudge.clock`` here and in every command a test starts."""
    monkeypatch.setenv("NUDGE_NOW", as_env(PINNED_NOW))


@pytest.fixture
def pinned_now() -> datetime:
    """The moment every test runs at: an aware UTC instant."""
    return PINNED_NOW
