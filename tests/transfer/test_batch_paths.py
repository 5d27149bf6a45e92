"""The batch paths write exactly what the one-at-a-time paths write.

Generated spreadsheets are imported twice into fresh databases, once with ``one_by_one`` (each
event written and each opportunity re-planned on its own) and once through the batch paths;
every table must come out the same, row for row and id for id. Then the search is re-planned
with other settings one opportunity at a time and in bulk (``refresh_many``): the same stages
and follow-ups. On a real SQLite file and a real PostgreSQL database. An import that fails
midway (a row the store refuses after thousands were written in bulk) leaves nothing behind.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError

from jobnudge.services import importing, nudges
from jobnudge.services.session import Session
from jobnudge.store import bulk
from jobnudge.store.tables import OWNED_TABLES

from .conftest import SETTINGS, make_session
from .test_messy_properties import HEADER, ROW

SOME = st.sampled_from(
    [
        ["Acme", "Analyst", "2026-01-05", "Applied", "", "", "", "Dana Lee", "dana@acme.com"],
        ["Acme", "Analyst", "2026-02-01", "Interview 2", "", "2026-03-25", "", "Dana Lee", ""],
        ["Globex", "Engineer", "2025-11-10", "Rejected", "2026-01-02", "", "", "Sam Rivera", ""],
        ["Pinecrest", "Analyst", "", "Offer", "", "", "", "Ben Ross", "ben@pinecrest.com"],
        ["Initech", "Engineer", "2026-03-01", "phone screen", "", "", "2026-03-22", "", ""],
        ["Hooli", "Lead", "2026-02-14", "Ghosted", "", "", "", "Kim", ""],
        # Sam Rivera's address filled in, then another one kept in the notes.
        ["Globex", "Engineer", "2025-11-10", "Applied", "", "", "", "Sam Rivera", "sam@globex.com"],
        ["Globex", "Engineer", "", "Offer", "", "", "", "Sam Rivera", "rivera@elsewhere.com"],
        ["Pinecrest", "Analyst", "2026-01-10", "Offer", "2026-02-01", "", "", "Ben Ross", ""],
    ]
).map(lambda r: r + [""] * (len(HEADER) - len(r)))
ROWS = st.lists(st.one_of(ROW, SOME, SOME), min_size=1, max_size=12)
OTHER = replace(SETTINGS, playbook=replace(SETTINGS.playbook, apply_check_in_days=5))


def _dump(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every owned table's rows, in a stable order."""
    found = {}
    with session.store.engine.connect() as conn:
        for table in OWNED_TABLES:
            rows = conn.execute(select(table)).all()
            found[table.name] = sorted(tuple(map(repr, r)) for r in rows)
    return found


def _write(folder: Path, rows: list[list[str]]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "tracker.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh(request: pytest.FixtureRequest) -> Iterator[Callable[[Path], Any]]:
    """Opens an empty database on each call: a new SQLite file, or the test's PostgreSQL
    database emptied with its id sequences restarted (so ids compare)."""
    url: str | None = None
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")

    @contextmanager
    def opened(folder: Path) -> Iterator[Session]:
        session = make_session(url, folder / "data")
        try:
            if url is not None:
                with session.store.engine.begin() as conn:
                    names = ", ".join(t.name for t in OWNED_TABLES)
                    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            yield session
        finally:
            session.close()

    yield opened


def _import(open_db: Callable[[Path], Any], path: Path, one_by_one: bool, *more: Path) -> Any:
    """Import ``path`` (then each of ``more``) into an empty database, then re-plan it with
    other settings: the counts, the tables after the imports and after the re-plan."""
    with tempfile.TemporaryDirectory() as folder, open_db(Path(folder)) as session:
        for each in (path, *more):
            report = importing.import_file(
                session, each, overrides=["Follow-up date=follow_up_on"], one_by_one=one_by_one
            )
        imported = _dump(session)
        session.settings = OTHER
        with session.store.transaction(now=session.now) as tx:
            if one_by_one:
                for oid in tx.all_opportunity_ids(session.owner):
                    nudges.refresh(session.store, tx, session.owner, oid, session.settings)
            else:
                nudges.refresh_many(session.store, tx, session.owner, session.settings)
        return report.counts, imported, _dump(session)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ROWS, ROWS)
def test_batch_import_and_replan_write_what_one_by_one_writes(
    fresh: Callable[[Path], Any], first: list[list[str]], again: list[list[str]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), first + again)
        slow = _import(fresh, path, one_by_one=True)
        fast = _import(fresh, path, one_by_one=False)
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    assert fast[2] == slow[2]


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ROWS, ROWS)
def test_a_second_import_writes_what_one_by_one_writes(
    fresh: Callable[[Path], Any], first: list[list[str]], second: list[list[str]]
) -> None:
    """A file imported into a search that has records: rows matching them add events to
    recorded opportunities, fill or keep addresses, date events recorded undated."""
    with tempfile.TemporaryDirectory() as folder:
        one = _write(Path(folder) / "1", first)
        two = _write(Path(folder) / "2", second + first)
        slow = _import(fresh, one, True, two)
        fast = _import(fresh, one, False, two)
    assert fast == slow


def test_a_second_import_that_changes_recorded_people_and_events(
    fresh: Callable[[Path], Any],
) -> None:
    """The paths a second file takes through recorded records, each at least once: an address
    filled in and another kept in the notes, for a person recorded and for one new in the same
    file; an offer recorded undated, now dated."""
    pad = [""] * (len(HEADER) - 9)
    first = [
        ["Pinecrest", "Analyst", "", "Offer", "", "", "", "Ben Ross", ""],
        ["Globex", "Engineer", "2025-11-10", "Applied", "", "", "", "Sam Rivera", ""],
    ]
    second = [
        ["Pinecrest", "Analyst", "2026-01-10", "Offer", "2026-02-01", "", "", "Ben Ross", ""],
        ["Globex", "Engineer", "", "Rejected", "2026-01-02", "", "", "Sam Rivera", "s@globex.com"],
        ["Globex", "Engineer", "", "", "", "", "", "Sam Rivera", "rivera@elsewhere.com"],
        ["Hooli", "Lead", "2026-02-14", "Applied", "", "", "", "Kim", ""],
        ["Hooli", "Lead", "", "", "", "", "", "Kim", "kim@hooli.com"],
        ["Hooli", "Lead", "", "", "", "", "", "Kim", "k@elsewhere.com"],
    ]
    with tempfile.TemporaryDirectory() as folder:
        one = _write(Path(folder) / "1", [r + pad for r in first])
        two = _write(Path(folder) / "2", [r + pad for r in second])
        slow = _import(fresh, one, True, two)
        fast = _import(fresh, one, False, two)
    counts = fast[0]
    assert counts["contacts_updated"] == 2 and counts["events_dated"] >= 1
    notes = [row for row in fast[1]["opportunities"] if "elsewhere.com" in "".join(row)]
    assert len(notes) == 2
    assert fast == slow


def test_batch_replan_covers_more_than_the_small_path(fresh: Callable[[Path], Any]) -> None:
    """Above ``SMALL`` opportunities the bulk reads and writes are what runs: the same nudges."""
    rows = [
        [
            f"Firm {n}",
            "Analyst",
            f"2026-0{1 + n % 3}-{1 + n % 27:02d}",
            "Applied",
            "",
            "",
            "",
            f"Person {n % 7}",
            "",
        ]
        + [""] * (len(HEADER) - 9)
        for n in range(nudges.SMALL * 3)
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), rows)
        slow = _import(fresh, path, one_by_one=True)
        fast = _import(fresh, path, one_by_one=False)
    assert slow[1]["nudges"] and fast[1:] == slow[1:]


def test_an_import_that_fails_midway_writes_nothing(
    fresh: Callable[[Path], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of events are already inserted in bulk when the database refuses a later
    chunk (an event whose id is taken): the whole import is rolled back."""
    rows = [
        [f"Firm {n}", "Analyst", "2026-01-05", "Applied"] + [""] * (len(HEADER) - 4)
        for n in range(6_000)
    ]
    monkeypatch.setattr(bulk, "CHUNK", 1_000)
    real = bulk.add_events

    def failing(tx: Any, owner: int, new: Any) -> None:
        new = list(new)
        _event_id, opportunity_id, bad = new[3_500]  # in the fourth chunk
        new[3_500] = (new[0][0], opportunity_id, bad)
        real(tx, owner, new)

    monkeypatch.setattr(bulk, "add_events", failing)
    with tempfile.TemporaryDirectory() as folder, fresh(Path(folder)) as session:
        inserts: list[int] = []

        def count(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
            if statement.startswith("INSERT INTO events"):
                inserts.append(len(params))

        event.listen(session.store.engine, "before_cursor_execute", count)
        path = _write(Path(folder), rows)
        with pytest.raises(IntegrityError):
            importing.import_file(session, path)
        assert inserts == [1_000] * 4  # three chunks were in the transaction, the fourth failed
        assert all(not rows for rows in _dump(session).values())
