"""A tracker kept by hand imports whole: a row is skipped only without a company or a role;
every other cell that cannot be read is kept in the notes with a warning naming its row and
column; a status jobnudge does not know keeps its row; what the file does not say (the day of
a status given without one) stays unknown, and only a status question's wait is timed from it,
counted from when it was recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.config import Settings
from jobnudge.domain import Event, EventType, History, Opportunity
from jobnudge.playbook import guards
from jobnudge.playbook.engine import derive
from jobnudge.services import importing
from jobnudge.services.session import Session
from jobnudge.tabular.people import read_person

from .conftest import NOW

MESSY = [
    ["Company", "Position", "Date applied", "Status", "Follow up?", "Contact", "Email", "Notes"],
    ["Pinecrest", "Analyst", "2026-03-02", "Offer", "send thanks", "Ben Ross", "ben@pinecrest", ""],
    ["Acme", "Engineer", "2026-03-01", "Interview 2", "yes", "Dana Lee <dana@acme.com>", "", ""],
    ["Globex", "Analyst", "2026-02-20", "Rejected", "", "Sam Rivera, Head of Talent", "", ""],
    ["Initech", "Dev", "2026-02-10", "Waiting on HR", "no", "kim@initech.com", "", "call"],
    ["Hooli", "PM", "", "waiting on hr", "", "Lee Park (lee@hooli.com)", "", ""],
    ["Umbrella", "Ops", "2026-12-01", "Applied", "", "", "", ""],
]


def _opportunities(session: Session) -> dict[str, tuple[Opportunity, list[Event]]]:
    owner = session.owner
    return {
        o.company: (o, session.store.events(owner, o.id))
        for o, _stage in session.store.opportunities(owner)
    }


def test_the_messy_tracker_loses_no_row_and_invents_no_date(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    report = importing.import_file(session, write_csv(MESSY))
    assert report.rejected == []
    assert report.counts["opportunities_new"] == 6
    # "Follow up?" holds words, not dates: read as notes, and the dry run says so.
    follow = next(c for c in report.columns if c["header"] == "Follow up?")
    assert follow["field"] == "notes" and follow["how"] == "demoted"
    assert "0 of its 3 values are dates" in str(follow["why"])
    assert report.warnings == [
        (2, "Email", "'ben@pinecrest' is not an email address; kept in the notes"),
        (7, "Date applied", "the date applied (2026-12-01) is in the future; kept in the notes"),
    ]
    assert report.unknown_statuses == {"Waiting on HR": [5, 6]}  # one status, any case
    found = _opportunities(session)

    offer, offer_events = found["Pinecrest"]  # the user's offer is in
    assert [(e.type, e.date_unknown) for e in offer_events] == [
        (EventType.APPLIED, False),
        (EventType.OFFER, True),  # "Offer" gave no day of its own: not the day applied
    ]
    assert "Email: ben@pinecrest" in offer.notes and "Follow up?: send thanks" in offer.notes
    interview = [e for e in found["Acme"][1] if e.type is EventType.INTERVIEWED]
    assert [(e.round, e.date_unknown) for e in interview] == [(2, True)]
    initech, initech_events = found["Initech"]
    assert [e.type for e in initech_events] == [EventType.APPLIED]
    assert "Status: Waiting on HR" in initech.notes and initech.notes.startswith("call")
    assert found["Hooli"][1] == []  # an unknown status and no date: nothing certain but a lead
    assert [(e.type, e.date_unknown) for e in found["Umbrella"][1]] == [(EventType.APPLIED, True)]
    assert "Date applied: 2026-12-01" in found["Umbrella"][0].notes

    people = {c.name: c for c in session.store.contacts(session.owner)}
    assert people["Dana Lee"].email == "dana@acme.com"
    assert people["Sam Rivera"].title == "Head of Talent"
    assert people["Lee Park"].email == "lee@hooli.com"
    assert people["Kim"].email == "kim@initech.com"
    assert people["Ben Ross"].email == ""

    # Nothing but a status question's wait is timed from a date nobody gave.
    unknown = {e.id for _o, events in found.values() for e in events if e.date_unknown}
    pending = session.store.nudges(
        session.owner, until=NOW + timedelta(days=400), now=NOW.astimezone(UTC)
    )
    assert pending
    assert {n.rule for n in pending if n.anchor_event_id in unknown} <= guards.WAITS
    rules = {(n.rule, n.opportunity_id) for n in pending}
    assert ("offer.thank-you", offer.id) not in rules
    assert not [r for r, o in rules if o == found["Globex"][0].id]


def test_the_dry_run_lists_each_unknown_status_once_with_the_way_to_map_it(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    rows = [MESSY[0], *(MESSY[4] for _ in range(30))]
    rows = [rows[0], *([f"Co {i}", *r[1:]] for i, r in enumerate(rows[1:]))]
    report = importing.import_file(session, write_csv(rows), dry_run=True)
    assert list(report.unknown_statuses) == ["Waiting on HR"]
    assert report.unknown_counts == {"Waiting on HR": 30}
    assert len(report.unknown_statuses["Waiting on HR"]) == importing.LISTED_ROWS
    assert '--map "Status=notes"' in report.status_hint()
    assert report.as_json()["unknown_statuses"][0]["count"] == 30


def test_a_date_column_the_user_mapped_stays_dates(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(MESSY)
    report = importing.import_file(
        session, path, dry_run=True, overrides=["Follow up?=follow-up-on"]
    )
    follow = next(c for c in report.columns if c["header"] == "Follow up?")
    assert follow["field"] == "follow_up_on" and follow["how"] == "corrected"
    assert (2, "Follow up?", "'send thanks' is not a date I can read; kept in the notes") in (
        report.warnings
    )
    assert report.rejected == []


def test_a_mostly_dated_column_keeps_its_odd_cells_as_notes(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    rows = [["Company", "Role", "Applied", "Interview date"]]
    rows += [[f"Co {i}", "Analyst", "2026-03-02", "2026-03-05"] for i in range(5)]
    rows += [["Odd Co", "Analyst", "2026-03-02", "tbc"]]
    report = importing.import_file(session, write_csv(rows))
    assert {c["header"]: c["field"] for c in report.columns}["Interview date"] == "interview_on"
    assert report.warnings == [
        (7, "Interview date", "'tbc' is not a date I can read; kept in the notes")
    ]
    odd = _opportunities(session)["Odd Co"]
    assert "Interview date: tbc" in odd[0].notes
    assert [e.type for e in odd[1]] == [EventType.APPLIED]


@pytest.mark.parametrize(
    ("cell", "name", "email", "title"),
    [
        ("Dana Lee <dana@acme.com>", "Dana Lee", "dana@acme.com", ""),
        ('"Dana Lee" <Dana@Acme.com>', "Dana Lee", "dana@acme.com", ""),
        ("Dana Lee (dana@acme.com)", "Dana Lee", "dana@acme.com", ""),
        ("dana@acme.com", "", "dana@acme.com", ""),
        ("mailto:dana@acme.com", "", "dana@acme.com", ""),
        ("Dana Lee, Head of Talent", "Dana Lee", "", "Head of Talent"),
        ("Dana Lee - Recruiter", "Dana Lee", "", "Recruiter"),
        ("Dana Lee", "Dana Lee", "", ""),
        ("Anne-Marie O'Neil", "Anne-Marie O'Neil", "", ""),
    ],
)
def test_a_contact_cell_gives_name_email_and_title(
    cell: str, name: str, email: str, title: str
) -> None:
    found = read_person(cell)
    assert (found.name, found.email, found.title) == (name, email, title)


def test_an_address_that_is_not_one_is_reported_not_guessed() -> None:
    found = read_person("Ben <ben@pinecrest>")
    assert (found.name, found.email, found.bad_email) == ("Ben", "", "ben@pinecrest")


def test_the_playbook_times_only_the_waits_from_an_unknown_date() -> None:
    """Every rule that anchors on an event: given that event with its date unknown, only a
    status question comes from it (a window from a day nobody gave would open at a made-up
    moment; a wait counted from when the event was recorded is late, never early)."""
    opp = Opportunity(id=1, company_id=1, company="Acme", role="Analyst")
    at = datetime(2026, 3, 10, 14, tzinfo=UTC)
    applied = Event(id=1, opportunity_id=1, type=EventType.APPLIED, at=at - timedelta(days=9))
    config = Settings()
    for kind in (EventType.INTERVIEWED, EventType.OFFER, EventType.REJECTED, EventType.APPLIED):
        known = Event(id=2, opportunity_id=1, type=kind, at=at)
        unknown = Event(id=2, opportunity_id=1, type=kind, at=at, date_unknown=True)
        dated = derive(History(opp, (applied, known)), {}, config)
        assert [n for n in dated if n.anchor_event_id == 2], kind
        undated = derive(History(opp, (applied, unknown)), {}, config)
        assert {n.rule for n in undated if n.anchor_event_id == 2} <= guards.WAITS, kind
    interview = Event(id=2, opportunity_id=1, type=EventType.INTERVIEWED, at=at, date_unknown=True)
    (check,) = derive(History(opp, (applied, interview)), {}, config)
    assert check.rule == "interview.status-check" and "on a day not recorded" in check.reason
    assert "counts from Tue 10 Mar, when it was recorded" in check.reason


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from([EventType.APPLIED, EventType.INTERVIEWED]),
    days_before=st.integers(min_value=0, max_value=80),
    hour=st.integers(min_value=0, max_value=23),
)
def test_a_wait_from_an_unknown_day_never_falls_due_before_the_true_one(
    kind: EventType, days_before: int, hour: int
) -> None:
    """Whatever day the event really took place on (by the moment it was recorded), the
    status question timed from the record is due no earlier than the one timed from the truth
    (guard.not-too-early)."""
    opp = Opportunity(id=1, company_id=1, company="Acme", role="Analyst")
    recorded = datetime(2026, 3, 10, hour, tzinfo=UTC)
    truth = recorded - timedelta(days=days_before)
    history = (
        []
        if kind is EventType.APPLIED
        else [Event(id=1, opportunity_id=1, type=EventType.APPLIED, at=truth - timedelta(days=20))]
    )
    known = Event(id=2, opportunity_id=1, type=kind, at=truth)
    unknown = Event(id=2, opportunity_id=1, type=kind, at=recorded, date_unknown=True)
    (true_due,) = [
        n.due
        for n in derive(History(opp, (*history, known)), {}, Settings())
        if n.rule in guards.WAITS
    ]
    (recorded_due,) = [
        n.due
        for n in derive(History(opp, (*history, unknown)), {}, Settings())
        if n.rule in guards.WAITS
    ]
    assert recorded_due >= true_due


def test_a_second_copy_of_the_sheet_adds_no_second_undated_stage(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(MESSY)
    importing.import_file(session, path)
    again = importing.import_file(session, path)
    assert again.counts["events_new"] == 0 and again.counts["opportunities_new"] == 0


def test_a_later_round_without_a_date_is_news_and_the_same_one_is_not(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    header = ["Company", "Role", "Applied", "Status", "Interview date"]
    importing.import_file(
        session,
        write_csv([header, ["Acme", "Analyst", "2026-03-02", "Phone screen", "2026-03-05"]]),
    )
    later = write_csv([header, ["Acme", "Analyst", "2026-03-02", "Interview 2", ""]], name="b.csv")
    report = importing.import_file(session, later)
    assert report.existing[0].events == ["interviewed (round 2), date unknown"]
    assert importing.import_file(session, later).counts["events_new"] == 0
    events = _opportunities(session)["Acme"][1]
    assert [(e.round, e.date_unknown) for e in events if e.type is EventType.INTERVIEWED] == [
        (1, False),
        (2, True),
    ]


def test_date_unknown_survives_backup_and_shows_in_the_timeline(
    session: Session, other_session: Session, write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    from jobnudge.services import activity_report, backup, exporting, restoring

    importing.import_file(session, write_csv(MESSY))
    path = tmp_path / "backup.json"
    path.write_bytes(backup.backup_json(session))
    restoring.restore(other_session, path)
    flags = sorted(
        (o.company, e.type.value, e.date_unknown)
        for o, events in _opportunities(other_session).values()
        for e in events
    )
    assert flags == sorted(
        (o.company, e.type.value, e.date_unknown)
        for o, events in _opportunities(session).values()
        for e in events
    )
    sheet = exporting.sheet_csv(session, "events").decode("utf-8-sig")
    assert "date unknown" in sheet
    report = activity_report.activity(session, date(2026, 1, 1), date(2026, 3, 20))
    assert all(a.day != NOW.date() for a in report)  # no undated event placed on the import day
