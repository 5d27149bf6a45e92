"""Importing again: a sheet that now gives the date of an event recorded with its date unknown
dates that event (no second copy), says so in the report, and the follow-ups start from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from jobnudge.domain import EventType
from jobnudge.services import importing
from jobnudge.services.session import Session


def _events(session: Session, company: str) -> list[tuple[EventType, bool]]:
    for opp, _stage in session.store.opportunities(session.owner):
        if session.store.company(session.owner, opp.company_id).name == company:
            return [(e.type, e.date_unknown) for e in session.store.events(session.owner, opp.id)]
    raise AssertionError(company)


def test_a_readable_date_dates_the_undated_event(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    header = ["Company", "Role", "Date applied", "Status"]
    first = write_csv(
        [header, ["Pinecrest", "Analyst", "sometime", "Applied"], ["Acme", "Dev", "", "Applied"]],
        name="first.csv",
    )
    importing.import_file(session, first)
    assert _events(session, "Pinecrest") == [(EventType.APPLIED, True)]
    second = write_csv(
        [header, ["Pinecrest", "Analyst", "3/3/2026", "Applied"], ["Acme", "Dev", "", "Applied"]],
        name="second.csv",
    )
    dry = importing.import_file(session, second, dry_run=True)
    assert dry.counts["events_dated"] == 1 and dry.counts["events_new"] == 0
    report = importing.import_file(session, second)
    assert report.counts["events_dated"] == 1
    assert report.counts["events_new"] == 0
    assert report.counts["events_existing"] == 1  # Acme's undated application
    assert report.counts["opportunities_existing"] == 2
    assert _events(session, "Pinecrest") == [(EventType.APPLIED, False)]
    assert _events(session, "Acme") == [(EventType.APPLIED, True)]
    pinecrest = next(
        o for o, _s in session.store.opportunities(session.owner) if o.role == "Analyst"
    )
    far = session.now + timedelta(days=400)
    rules = {
        n.rule
        for n in session.store.nudges(session.owner, until=far, now=session.now)
        if n.opportunity_id == pinecrest.id
    }
    assert "apply.check-in" in rules
    again = importing.import_file(session, second)
    assert again.counts["events_dated"] == 0 and again.counts["events_existing"] == 2
