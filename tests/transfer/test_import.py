"""Spreadsheet import: encodings, delimiters, XLSX, dry runs, idempotence, one transaction, and
the follow-ups coming out as if the history had been typed in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jobnudge.domain import EventType, Stage
from jobnudge.errors import BadFile, NotFound, UsageError
from jobnudge.services import event_log, importing, records
from jobnudge.services.session import Session
from jobnudge.tabular import safety
from jobnudge.tabular.table import open_table

HEADER = ["Company", "Position", "Date applied", "Status", "Contact", "Email", "Notes"]
ROWS = [
    HEADER,
    ["Société Générale", "Analyste données", "02/03/2026", "Applied", "", "", "café"],
    ["Müller GmbH", "BI Developer", "15/02/2026", "phone screen", "Jürgen Weiß", "", ""],
    ["Acme Corp", "Data Analyst", "10/01/2026", "Rejected", "Dana Lee", "dana@acme.example", ""],
]


def names(session: Session) -> set[tuple[str, str, Stage]]:
    return {(o.company, o.role, s) for o, s in session.store.opportunities(session.owner)}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_any_common_encoding_and_delimiter(
    session: Session, write_csv: Callable[..., Path], encoding: str, delimiter: str
) -> None:
    path = write_csv(ROWS, encoding=encoding, delimiter=delimiter)
    named = None
    if encoding in ("cp1252", "latin-1"):  # no mark tells these apart: refused unless named
        with pytest.raises(BadFile, match=r"tracker\.csv: is not UTF-8 .* --encoding cp1252"):
            importing.import_file(session, path, dry_run=True)
        named = encoding
    report = importing.import_file(session, path, encoding=named)
    assert not report.rejected
    assert names(session) == {
        ("Société Générale", "Analyste données", Stage.APPLIED),
        ("Müller GmbH", "BI Developer", Stage.INTERVIEWING),
        ("Acme Corp", "Data Analyst", Stage.REJECTED),
    }
    assert "Jürgen Weiß" in {c.name for c in session.store.contacts(session.owner)}


def test_xlsx_with_real_dates_numbers_and_a_title_row(
    session: Session, write_xlsx: Callable[..., Path]
) -> None:
    path = write_xlsx(
        [
            [],
            ["Company", "Role", "Applied", "Stage", "Interview date", "Phone"],
            ["Acme Corp", "Data Analyst", datetime(2026, 3, 2), "Interview 2", None, 6175550142],
            ["Globex", "BI Developer", 46080, "applied", None, None],  # an Excel serial
            ["Initech", "Analyst", "3/1/2026", "", datetime(2026, 3, 24, 14, 30), None],
        ]
    )
    report = importing.import_file(session, path)
    assert report.kind.startswith("XLSX")
    assert not report.rejected, report.rejected
    by_company = {o.company: (o, s) for o, s in session.store.opportunities(session.owner)}
    assert by_company["Globex"][1] is Stage.APPLIED
    initech = by_company["Initech"][0]
    scheduled = [
        e for e in session.store.events(session.owner, initech.id) if e.scheduled_for is not None
    ]
    assert scheduled[0].type is EventType.SCHEDULED
    assert scheduled[0].scheduled_for == datetime(
        2026, 3, 24, 14, 30, tzinfo=ZoneInfo("America/New_York")
    )
    acme = by_company["Acme Corp"][0]
    rounds = [e.round for e in session.store.events(session.owner, acme.id)]
    assert rounds == [None, 2]


def test_dry_run_writes_nothing_and_lists_everything(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(
        [
            *ROWS,
            ["Bad Date Inc", "Analyst", "31/02/2026", "Applied", "", "", ""],
            ["Weird Status", "Analyst", "01/03/2026", "???", "", "", ""],
            ["", "No Company", "01/03/2026", "Applied", "", "", ""],
            ["Future Co", "Analyst", "01/12/2026", "Applied", "", "", ""],
        ]
    )
    report = importing.import_file(session, path, dry_run=True)
    assert report.counts["opportunities_new"] == 6  # only the row without a company is skipped
    assert report.rejected == [(7, "has no company")]
    assert report.warnings == [
        (5, "Date applied", "'31/02/2026' is not a day of the calendar; kept in the notes"),
        (8, "Date applied", "the date applied (2026-12-01) is in the future; kept in the notes"),
    ]
    assert report.unknown_statuses == {"???": [6]}
    assert session.store.opportunities(session.owner) == []
    assert session.store.count_events(session.owner) == 0
    data = report.as_json()
    assert data["dry_run"] is True and len(data["new"]) == 6
    assert data["unknown_statuses"] == [
        {"status": "???", "column": "Status", "rows": [6], "count": 1}
    ]


def test_the_same_file_twice_creates_nothing_new(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv([*ROWS, ROWS[1]])  # the last row repeats the first
    first = importing.import_file(session, path)
    assert first.counts["opportunities_new"] == 3
    assert first.counts["opportunities_existing"] == 1  # the repeated row
    events = session.store.count_events(session.owner)
    contacts = len(session.store.contacts(session.owner))
    again = importing.import_file(session, path)
    assert again.counts["opportunities_new"] == 0
    assert again.counts["events_new"] == 0
    assert again.counts["contacts_new"] == 0
    assert session.store.count_events(session.owner) == events
    assert len(session.store.contacts(session.owner)) == contacts
    dry = importing.import_file(session, path, dry_run=True)
    assert dry.counts["opportunities_existing"] == 4 and dry.counts["events_new"] == 0


def test_a_later_spreadsheet_adds_only_what_changed(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    importing.import_file(session, write_csv(ROWS, name="january.csv"))
    later = [list(r) for r in ROWS]
    later[1][3] = "Interview 2"  # Société Générale moved on
    report = importing.import_file(session, write_csv(later, name="march.csv"))
    assert report.counts["opportunities_new"] == 0
    assert report.counts["events_new"] == 1
    assert report.existing[0].events == ["interviewed (round 2), date unknown"]
    assert ("Société Générale", "Analyste données", Stage.INTERVIEWING) in names(session)


def test_typed_in_records_are_matched_by_company_and_role(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    applied = datetime(2026, 1, 10, 9, tzinfo=ZoneInfo("America/New_York"))
    records.add_opportunity(session, "ACME CORP", "data analyst", applied=applied)
    report = importing.import_file(session, write_csv(ROWS))
    assert report.counts["opportunities_new"] == 2
    assert report.counts["events_existing"] == 1  # the application, already typed in
    assert report.counts["events_new"] == 4


def test_import_is_one_transaction(
    session: Session, write_csv: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safety, "MAX_ROWS", 2)
    with pytest.raises(BadFile, match="more than 2 rows"):
        importing.import_file(session, write_csv(ROWS))
    assert session.store.opportunities(session.owner) == []
    assert session.store.companies(session.owner) == []


def test_nudges_are_as_if_typed_in(
    session: Session, other_session: Session, write_csv: Callable[..., Path]
) -> None:
    tz = ZoneInfo("America/New_York")
    importing.import_file(
        session,
        write_csv(
            [
                ["Company", "Role", "Applied", "Status", "Status date", "Contact"],
                ["Acme Corp", "Data Analyst", "2026-03-16", "Applied", "", "Dana Lee"],
                ["Globex", "BI Developer", "2026-03-02", "Interview 2", "2026-03-18", ""],
                ["Initech", "Analyst", "2026-02-20", "Rejected", "2026-03-19", ""],
            ]
        ),
    )
    typed = other_session
    records.add_opportunity(
        typed,
        "Acme Corp",
        "Data Analyst",
        applied=datetime(2026, 3, 16, 9, tzinfo=tz),
        contacts=["Dana Lee"],
    )
    records.add_opportunity(
        typed, "Globex", "BI Developer", applied=datetime(2026, 3, 2, 9, tzinfo=tz)
    )
    event_log.log_event(
        typed, "Globex", "interviewed", at=datetime(2026, 3, 18, 9, tzinfo=tz), round_=2
    )
    records.add_opportunity(
        typed, "Initech", "Analyst", applied=datetime(2026, 2, 20, 9, tzinfo=tz)
    )
    event_log.log_event(typed, "Initech", "rejected", at=datetime(2026, 3, 19, 9, tzinfo=tz))

    def agenda(s: Session) -> list[tuple[str, str | None, datetime]]:
        far = s.now.replace(year=2027)
        rows = s.store.agenda_rows(s.owner, far, s.now)
        return sorted((r.rule, r.company, r.due) for r in rows)

    assert agenda(session) == agenda(typed)
    assert {r for r, _c, _d in agenda(session)} >= {"apply.check-in", "interview.status-check"}


def test_missing_columns_and_saved_mappings(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv([["Where", "Role", "Applied"], ["Acme", "Analyst", "2026-03-02"]])
    with pytest.raises(UsageError, match=r"No column holds the company.*--map"):
        importing.import_file(session, path, dry_run=True)
    with pytest.raises(NotFound, match="no saved mapping 'mine'"):
        importing.import_file(session, path, mapping_name="mine")
    report = importing.import_file(session, path, overrides=["Where=company"], save_as="mine")
    assert report.saved_mapping == "mine"
    assert importing.saved_mappings(session)["mine"]["Where"] == "company"
    again = importing.import_file(session, path, mapping_name="mine")
    assert again.counts["opportunities_existing"] == 1
    assert again.columns[0]["field"] == "company"


def test_dates_option_overrides_the_country(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv([["Company", "Role", "Applied"], ["Acme", "Analyst", "03/02/2026"]])
    us = importing.import_file(session, path, dry_run=True)
    assert us.new[0].events == ["applied 2026-03-02"]  # month first in the US
    eu = importing.import_file(session, path, dry_run=True, dates="dmy")
    assert eu.new[0].events == ["applied 2026-02-03"]


def test_contacts_are_matched_by_email(session: Session, write_csv: Callable[..., Path]) -> None:
    path = write_csv(
        [
            ["Company", "Role", "Applied", "Recruiter", "Email"],
            ["Acme", "Analyst", "2026-03-02", "Dana Lee", "DANA@acme.example"],
            ["Acme", "Engineer", "2026-03-03", "D. Lee", "dana@acme.example"],
            ["Globex", "Analyst", "2026-03-03", "", "pat.kim@globex.example"],
        ]
    )
    importing.import_file(session, path)
    people = session.store.contacts(session.owner)
    assert sorted(c.name for c in people) == ["Dana Lee", "Pat Kim"]


def test_open_table_reads_lazily_and_counts_rows(write_csv: Callable[..., Path]) -> None:
    path = write_csv([HEADER, [], ["A", "B"], ["", ""], ["C", "D"]])
    with open_table(path) as table:
        assert table.headers == HEADER
        assert [n for n, _cells in table.rows] == [3, 5]
        _done, total = table.position()
        assert total == path.stat().st_size


def test_a_status_without_its_own_date_keeps_the_stage_with_the_date_unknown(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(
        [
            ["Company", "Role", "Applied", "Status", "Status date"],
            ["Acme", "Analyst", "2026-03-02", "Rejected", "2026-02-01"],
            ["Globex", "Analyst", "", "Ghosted", ""],
            ["Initech", "Analyst", "", "Wishlist", ""],
        ]
    )
    report = importing.import_file(session, path)
    assert report.rejected == []
    assert report.warnings == [
        (
            2,
            "Status date",
            "the rejected date (2026-02-01) is before the date applied (2026-03-02), so it is "
            "recorded with its date unknown; kept in the notes",
        )
    ]
    assert names(session) == {
        ("Acme", "Analyst", Stage.REJECTED),
        ("Globex", "Analyst", Stage.NO_RESPONSE),
        ("Initech", "Analyst", Stage.LEAD),
    }
    by_company = {o.company: o for o, _s in session.store.opportunities(session.owner)}
    acme = session.store.events(session.owner, by_company["Acme"].id)
    assert [(e.type, e.date_unknown) for e in acme] == [
        (EventType.APPLIED, False),
        (EventType.REJECTED, True),
    ]
    assert "Status date: 2026-02-01" in by_company["Acme"].notes
    globex = session.store.events(session.owner, by_company["Globex"].id)
    assert [(e.type, e.date_unknown) for e in globex] == [
        (EventType.APPLIED, True),
        (EventType.NO_RESPONSE, True),
    ]


def test_extra_columns_land_in_the_notes(session: Session, write_csv: Callable[..., Path]) -> None:
    path = write_csv(
        [
            ["Company", "Role", "Applied", "Salary", "Location", "Follow-up", "Notes", "Source"],
            [
                "Acme",
                "Analyst",
                "2026-03-02",
                "$80k",
                "Remote",
                "2026-03-09",
                "Nice team",
                "Indeed",
            ],
        ]
    )
    importing.import_file(session, path)
    opp = session.store.opportunities(session.owner)[0][0]
    assert opp.source == "Indeed"
    assert opp.notes.splitlines() == [
        "Nice team",
        "Salary: $80k",
        "Location: Remote",
        "Follow-up planned in the spreadsheet: 2026-03-09",
    ]
