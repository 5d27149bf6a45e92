"""The batch paths write exactly what the one-at-a-time paths write.

Generated spreadsheets are imported twice into fresh databases, once with ``one_by_one`` (each
event written and each opportunity re-planned on its own) and once through the batch paths;
every table must come out the same, row for row and id for id. Then the search is re-planned
with other settings one opportunity at a time and in bulk (``refresh_many``): the same stages
and follow-ups. On a real SQLite file and a real PostgreSQL database. An import that fails
midway (a row the database refuses in the middle of a COPY or of the INSERTs, after thousands were
written in bulk, or one the store's checks refuse while the rows stream) leaves nothing behind.
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
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from jobnudge.errors import UsageError
from jobnudge.services import importing, nudges
from jobnudge.services.session import Session
from jobnudge.store import bulk
from jobnudge.store.tables import OWNED_TABLES
from jobnudge.store.tables import events as events_table

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


def _six_thousand_rows(folder: Path) -> Path:
    rows = [
        [f"Firm {n}", "Analyst", "2026-01-05", "Applied"] + [""] * (len(HEADER) - 4)
        for n in range(6_000)
    ]
    return _write(folder, rows)


def _failing_midway(
    monkeypatch: pytest.MonkeyPatch, spoil: Callable[[tuple[int, int, Any], int], Any]
) -> dict[str, int]:
    """Make the import's event insert write 3,000 events, count them in the transaction,
    then stream the rest with the 1,500th spoiled by ``spoil(row, first id)``; what was seen
    is returned (filled in as the import runs)."""
    real = bulk.add_events
    seen = {"before": 0, "sent": 0}

    def failing(tx: Any, owner: int, new: Any) -> None:
        new = list(new)
        real(tx, owner, new[:3_000])
        seen["before"] = tx._conn.scalar(select(func.count()).select_from(events_table))
        rest = new[3_000:]
        rest[1_500] = spoil(rest[1_500], new[0][0])

        def sent() -> Iterator[Any]:
            for row in rest:
                seen["sent"] += 1
                yield row

        real(tx, owner, sent())

    monkeypatch.setattr(bulk, "add_events", failing)
    return seen


def _still_works(session: Session, folder: Path) -> None:
    """After the failed import the same store takes a good one."""
    good = _write(
        folder / "good", [["Acme", "Analyst", "2026-01-05", "Applied"] + [""] * (len(HEADER) - 4)]
    )
    importing.import_file(session, good)
    assert len(_dump(session)["opportunities"]) == 1


def test_an_import_refused_in_the_middle_of_a_stream_writes_nothing(
    fresh: Callable[[Path], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """3,000 events are in the transaction and 1,500 more were sent in the next stream (a
    COPY on PostgreSQL, multi-row INSERTs on SQLite) when the database refuses an event whose
    id is taken: the whole import is rolled back, and the store goes on working."""
    seen = _failing_midway(monkeypatch, lambda row, taken: (taken, *row[1:]))
    with tempfile.TemporaryDirectory() as folder, fresh(Path(folder)) as session:
        path = _six_thousand_rows(Path(folder))
        with pytest.raises(IntegrityError):
            importing.import_file(session, path)
        assert seen["before"] == 3_000
        assert seen["sent"] > 1_500
        assert all(not rows for rows in _dump(session).values())
        monkeypatch.undo()
        _still_works(session, Path(folder))


def test_an_import_that_fails_while_streaming_rows_writes_nothing(
    fresh: Callable[[Path], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row that fails the store's own checks while the rows are being streamed (an event in
    an unknown time zone, in the middle of the COPY): nothing is left, with the message that
    names the field."""
    seen = _failing_midway(
        monkeypatch, lambda row, _taken: (*row[:2], row[2]._replace(tz="Nowhere/Else"))
    )
    with tempfile.TemporaryDirectory() as folder, fresh(Path(folder)) as session:
        path = _six_thousand_rows(Path(folder))
        with pytest.raises(UsageError, match="tz: 'Nowhere/Else' is not an IANA time zone"):
            importing.import_file(session, path)
        assert seen["before"] == 3_000
        assert seen["sent"] == 1_501
        assert all(not rows for rows in _dump(session).values())
        monkeypatch.undo()
        _still_works(session, Path(folder))
