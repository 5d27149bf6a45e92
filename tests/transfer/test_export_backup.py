"""Exports (XLSX, CSV, the activity report) and the backup that restores exactly, on SQLite
and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from jobnudge.errors import BadFile, Conflict
from jobnudge.services import (
    activity_report,
    backup,
    demo,
    exporting,
    importing,
    records,
    restoring,
)
from jobnudge.services.session import Session

from .conftest import make_session


def test_workbook_has_four_sheets_formatted_for_reading(session: Session, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    demo.load(session)
    path = tmp_path / "search.xlsx"
    exporting.export(session, path)
    book = load_workbook(path)
    assert book.sheetnames == ["Opportunities", "Contacts", "Events", "Nudges"]
    opportunities = book["Opportunities"]
    assert opportunities.freeze_panes == "A2"
    assert opportunities["A1"].font.b
    assert opportunities.max_row == 13
    assert opportunities.column_dimensions["B"].width >= len("Northwind Analytics")
    applied = [r[4] for r in opportunities.iter_rows(min_row=2, values_only=True) if r[4]]
    assert applied and all(isinstance(v, datetime) for v in applied)
    events = book["Events"]
    assert events.max_row == 1 + session.store.count_events(session.owner)
    decided = [r[10] for r in events.iter_rows(min_row=2, values_only=True) if r[10]]
    assert decided and all(isinstance(v, datetime | date) for v in decided)
    nudges = book["Nudges"]
    assert nudges.max_row > 1 and nudges["I1"].value == "Reason"


def test_formula_cells_are_neutralised_in_every_export(
    session: Session, tmp_path: Path, write_csv: Callable[..., Path]
) -> None:
    from openpyxl import load_workbook

    evil = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2", "@SUM(A1)"]
    rows = [["Company", "Role", "Notes", "Applied"]]
    rows += [[e, "Analyst", e, "2026-03-02"] for e in evil]
    importing.import_file(session, write_csv(rows))
    exporting.export(session, tmp_path / "all.xlsx")
    sheet = load_workbook(tmp_path / "all.xlsx")["Opportunities"]
    got = sorted((r[1], r[13]) for r in sheet.iter_rows(min_row=2, values_only=True))
    assert got == sorted(("'" + e, "'" + e) for e in evil)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    exporting.export(session, tmp_path / "opps.csv")
    text = (tmp_path / "opps.csv").read_text(encoding="utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    assert sorted((r[1], r[13]) for r in parsed[1:]) == got


def test_tabs_and_carriage_returns_are_neutralised_too(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from jobnudge.tabular.export import Sheet, to_csv, to_xlsx

    table = Sheet("T", ["=A", "B"], [["\tcmd", "\rcmd"], ["ok", "a\x01b"]])
    path = tmp_path / "t.xlsx"
    path.write_bytes(to_xlsx([table]))
    values = list(load_workbook(path)["T"].iter_rows(values_only=True))
    # A carriage return comes back as itself, or as a line feed where the XML parser folds it
    # (the standard library's does; lxml, when installed, keeps it).
    assert values[1][1] in ("'\ncmd", "'\rcmd")
    assert values == [("'=A", "B"), ("'\tcmd", values[1][1]), ("ok", "ab")]
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows == [["'=A", "B"], ["'\tcmd", "'\rcmd"], ["ok", "a\x01b"]]


def test_csv_of_each_sheet(session: Session, tmp_path: Path) -> None:
    demo.load(session)
    for name in exporting.SHEETS:
        path = tmp_path / f"{name}.csv"
        exporting.export(session, path, name=name)
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert header[0] == "ID"


def test_activity_report(session: Session, tmp_path: Path) -> None:
    demo.load(session)
    start, end = date(2026, 1, 1), date(2026, 3, 20)
    rows = activity_report.activity(session, start, end)
    assert rows and all(start <= a.day <= end for a in rows)
    assert {"Application", "Interview, round 2", "Thank-you note"} <= {a.activity for a in rows}
    granite = [a for a in rows if a.employer == "Granite Insurance"]
    assert granite[0].outcome.startswith("rejected (")
    harbor = [a for a in rows if a.employer.startswith("Harbor & Pine")]
    assert harbor[0].employer == "Harbor & Pine (through Beacon Staffing)"
    activity_report.report(session, tmp_path / "r.csv", start, end)
    table = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))))
    assert table[0] == list(activity_report.REPORT_HEADERS) and len(table) == len(rows) + 1
    activity_report.report(session, tmp_path / "r.html", start, end)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Harbor &amp; Pine" in page and "@page" in page and "Alex Morgan" in page
    assert "<script" not in page and "<link" not in page and "src=" not in page


def content(session: Session) -> dict[str, Any]:
    """Every record of the user, references resolved to names, ids left out."""
    store, owner = session.store, session.owner
    companies = {c.id: c.name for c in store.companies(owner)}
    people = {c.id: (c.name, c.email) for c in store.contacts(owner)}
    opportunities = store.opportunities(owner)
    label = {o.id: (o.company, o.role) for o, _s in opportunities}
    events: list[Any] = []
    for opp, _stage in [*opportunities, (None, None)]:
        for e in store.events(owner, opp.id if opp else None):
            events.append(
                (
                    label.get(e.opportunity_id or 0),
                    e.type,
                    e.at,
                    e.tz,
                    tuple(people[i] for i in e.contact_ids),
                    e.channel,
                    e.kind,
                    e.round,
                    e.format,
                    e.scheduled_for,
                    e.decision_by,
                    e.prefers,
                    e.note,
                    e.nudge_key.split(":")[0] if e.nudge_key else None,
                    e.until,
                    e.body,
                )
            )
    far = session.now.replace(year=session.now.year + 5)
    return {
        "settings": store.user_settings(owner),
        "companies": sorted(
            (c.name, c.aliases, c.domains, c.is_staffing_firm) for c in store.companies(owner)
        ),
        "contacts": sorted(
            (
                c.name,
                companies.get(c.company_id or 0),
                c.title,
                c.email,
                c.phone,
                c.tz,
                c.country,
                c.prefers,
                c.first_name_ok,
                tuple(sorted(c.roles)),
                c.salutation,
                c.notes,
            )
            for c in store.contacts(owner)
        ),
        "opportunities": sorted(
            (
                o.company,
                o.role,
                s,
                o.posting_url,
                o.source,
                o.responds_within_days,
                o.prefers,
                people.get(o.referrer_id or 0),
                companies.get(o.staffing_firm_id or 0),
                people.get(o.recruiter_id or 0),
                o.priority,
                o.notes,
                tuple(sorted(o.settings.items())),
                tuple(sorted(people[c.id] for c in store.opportunity_contacts(owner, o.id))),
            )
            for o, s in opportunities
        ),
        "events": sorted(events, key=repr),
        "nudges": sorted(
            (
                r.rule,
                r.company,
                r.role,
                r.contact,
                r.channel,
                r.due,
                r.due_by,
                r.expires,
                r.tz,
                r.reason,
                r.message,
            )
            for r in store.agenda_rows(owner, far, session.now)
        ),
    }


def _round_trip(session: Session, target: Session, tmp_path: Path) -> None:
    demo.load(session)
    rows = session.store.agenda_rows(session.owner, session.now.replace(year=2030), session.now)
    from jobnudge.domain import EventType
    from jobnudge.services import nudges

    nudges.decide(
        session, rows[0].short_id, EventType.NUDGE_SNOOZED, until=session.now.replace(day=27)
    )
    with session.store.transaction() as tx:
        tx.set_user_settings(session.owner, {"import_mappings": {"mine": {"Firm": "company"}}})
    path = tmp_path / "backup.json"
    path.write_bytes(backup.backup_json(session))
    counts = restoring.restore(target, path)
    assert counts["opportunities"] == 12
    assert content(target) == content(session)
    restored = json.loads(backup.backup_json(target))
    original = json.loads(path.read_bytes())
    for doc in (restored, original):
        doc.pop("exported_at")
    assert len(restored["events"]) == len(original["events"])


def test_backup_restores_exactly_on_sqlite(
    session: Session, other_session: Session, tmp_path: Path
) -> None:
    _round_trip(session, other_session, tmp_path)


@pytest.mark.postgres
def test_backup_restores_exactly_on_postgresql(
    session: Session, pg_url: str, tmp_path: Path
) -> None:
    target = make_session(pg_url, tmp_path)
    try:
        _round_trip(session, target, tmp_path)
    finally:
        target.close()


@pytest.mark.postgres
def test_postgresql_backup_restores_into_sqlite(
    session: Session, pg_url: str, tmp_path: Path
) -> None:
    source = make_session(pg_url, tmp_path)
    try:
        _round_trip(source, session, tmp_path)
    finally:
        source.close()


def test_restore_refuses_a_database_that_holds_a_search(
    session: Session, other_session: Session, tmp_path: Path
) -> None:
    demo.load(session)
    demo.load(other_session)
    path = tmp_path / "b.json"
    path.write_bytes(backup.backup_json(session))
    with pytest.raises(Conflict, match="empty database"):
        restoring.restore(other_session, path)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("not json", "not valid JSON"),
        ("[]", "not a jobnudge backup"),
        ('{"format": "jobnudge-backup", "version": 99}', "newer jobnudge"),
        ('{"format": "jobnudge-backup"}', "no valid format version"),
        (
            '{"format": "jobnudge-backup", "version": 1, "companies": [{"id": 1}]}',
            r"companies\[0\]\.name is missing",
        ),
        (
            '{"format": "jobnudge-backup", "version": 1, "contacts": [{"id": 1, "name": "X", '
            '"company_id": 7}]}',
            r"contacts\[0\]\.roles is missing",
        ),
        (
            '{"format": "jobnudge-backup", "version": 1, "opportunities": [{"id": 1, '
            '"company_id": 7, "settings": {}}]}',
            "refers to id 7",
        ),
        ('{"format": "jobnudge-backup", "version": 1, "events": "x"}', "must be a list"),
    ],
)
def test_broken_backups_are_refused_and_restore_nothing(
    other_session: Session, tmp_path: Path, text: str, match: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadFile, match=match):
        restoring.restore(other_session, path)
    assert other_session.store.companies(other_session.owner) == []


def test_nudge_keys_are_re_pointed() -> None:
    assert (
        restoring.remap_key("interview.thank-you:3:7:12", {3: 30}, {7: 70}, {12: 120})
        == "interview.thank-you:30:70:120"
    )
    assert restoring.remap_key("apply.check-in:3:*:-", {3: 4}, {}, {}) == "apply.check-in:4:*:-"
    assert (
        restoring.remap_key("search.review:user:-:2026-W12", {}, {}, {2026: 1})
        == "search.review:user:-:2026-W12"
    )


def test_a_backup_holding_accent_twins_restores_them_apart(
    session: Session, other_session: Session, tmp_path: Path
) -> None:
    """A backup from before revision 0020 may hold "Müller GmbH" beside "Muller GmbH": both
    come back, each with its own records; a name typed later finds the first."""
    records.add_opportunity(session, "Müller GmbH", "Analyst")
    doc = backup.backup(session)
    twin = dict(doc["companies"][0], id=doc["companies"][0]["id"] + 100, name="Muller GmbH")
    doc["companies"].append(twin)
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    restoring.restore(other_session, path)
    names = [c.name for c in other_session.store.companies(other_session.owner)]
    assert sorted(names) == ["Muller GmbH", "Müller GmbH"]
    found = other_session.store.find_company(other_session.owner, "MULLER GMBH")
    assert found is not None and found.name == "Müller GmbH"
