"""Fixtures for the import/export tests: a session on a real SQLite file (or PostgreSQL), the
real `nudge` command (re-exported from tests/cli), and builders for spreadsheets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jobnudge.config import Profile, Settings
from jobnudge.services.session import Session, open_session
from tests.cli.conftest import Nudge, nudge

__all__ = ["NOW", "Nudge", "nudge"]

CORPUS = Path(__file__).parent / "corpus"
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=ZoneInfo("America/New_York"))
SETTINGS = Settings(
    profile=Profile(
        name="Alex Morgan", email="alex.morgan@gmail.com", tz="America/New_York", country="US"
    )
)


def make_session(url: str | None, data_dir: Path, now: datetime = NOW) -> Session:
    session = open_session(url, settings=SETTINGS, data_dir=data_dir)
    session.now = now
    return session


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = make_session(None, tmp_path / "data")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def other_session(tmp_path: Path) -> Iterator[Session]:
    """A second, empty SQLite database (to restore or re-type into)."""
    opened = make_session(f"sqlite:///{tmp_path / 'other' / 'jobnudge.sqlite'}", tmp_path)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (skipped without a server, a failure under CI)."""
    from tests.store.conftest import _database

    with _database() as url:
        yield url


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """``write_csv(rows, name=..., encoding=..., delimiter=...)`` → the file's path."""

    def write(
        rows: list[list[str]],
        name: str = "tracker.csv",
        encoding: str = "utf-8",
        delimiter: str = ",",
    ) -> Path:
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        path = tmp_path / name
        path.write_bytes(buffer.getvalue().encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    def write(rows: list[list[object]], name: str = "tracker.xlsx") -> Path:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        path = tmp_path / name
        book.save(path)
        return path

    return write
