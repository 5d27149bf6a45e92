"""The calendar feed, interview invitations, and vCards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jobnudge.domain import EventType, InterviewFormat, Role
from jobnudge.errors import Ambiguous, NotFound
from jobnudge.services import calendar_feed, demo, event_log, exporting, importing, records
from jobnudge.services.session import Session

from .conftest import CORPUS


def parse(data: bytes) -> list[dict[str, object]]:
    from icalendar import Calendar

    cal = Calendar.from_ical(data)
    out = []
    for ev in cal.walk("VEVENT"):
        out.append(
            {
                "uid": str(ev["UID"]),
                "summary": str(ev["SUMMARY"]),
                "description": str(ev.get("DESCRIPTION", "")),
                "start": ev["DTSTART"].dt,
                "tzid": ev["DTSTART"].params.get("TZID"),
                "alarms": len(ev.walk("VALARM")),
            }
        )
    return out


def test_feed_holds_interviews_and_pending_nudges(session: Session) -> None:
    demo.load(session)
    data = calendar_feed.ics_feed(session)
    events = parse(data)
    interviews = [e for e in events if str(e["summary"]).startswith("Interview")]
    follow_ups = [e for e in events if str(e["summary"]).startswith("Follow up")]
    far = session.now + timedelta(days=calendar_feed.HORIZON_DAYS)
    pending = session.store.agenda_rows(session.owner, far, session.now)
    assert len(follow_ups) == len(pending) > 0
    assert {r.reason for r in pending} <= {
        str(e["description"]).splitlines()[0] for e in follow_ups
    }
    assert all(e["alarms"] == 1 for e in follow_ups)
    assert interviews and all(e["alarms"] == 2 for e in interviews)
    assert all(e["tzid"] for e in events)  # times carry their zone
    assert len({e["uid"] for e in events}) == len(events)
    assert b"BEGIN:VTIMEZONE" in data


def test_uids_are_stable_across_recomputation(session: Session) -> None:
    demo.load(session)
    before = {e["summary"]: e["uid"] for e in parse(calendar_feed.ics_feed(session))}
    from jobnudge.services import nudges

    nudges.refresh_all(session)
    session.now += timedelta(minutes=5)
    after = {e["summary"]: e["uid"] for e in parse(calendar_feed.ics_feed(session))}
    assert before == after


def test_a_rescheduled_interview_replaces_the_old_one(session: Session) -> None:
    tz = ZoneInfo("America/New_York")
    records.add_opportunity(session, "Acme", "Analyst", applied=datetime(2026, 3, 2, 9, tzinfo=tz))
    for day in (24, 26):
        event_log.log_event(
            session,
            "Acme",
            "scheduled",
            at=session.now,
            scheduled_for=datetime(2026, 3, day, 10, tzinfo=tz),
            round_=1,
        )
    interviews = [
        e for e in parse(calendar_feed.ics_feed(session)) if "Interview" in str(e["summary"])
    ]
    assert [e["start"].day for e in interviews] == [26]  # type: ignore[attr-defined]


def test_an_imported_interview_says_nothing_of_its_file_in_the_calendar(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    rows = [
        ["Company", "Role", "Date applied", "Status", "Interview", "Contact"],
        ["Acme", "Analyst", "2026-03-10", "Interview", "2026-03-24", "Dana Lee"],
    ]
    importing.import_file(session, write_csv(rows))
    interviews = [
        e for e in parse(calendar_feed.ics_feed(session)) if "Interview" in str(e["summary"])
    ]
    assert interviews
    assert not any("Imported from" in str(e) or "tracker.csv" in str(e) for e in interviews)


@pytest.mark.parametrize(
    ("fixture", "company", "zone", "local", "fmt", "round_", "people"),
    [
        (
            "google.ics",
            "Northwind Analytics",
            "America/Denver",
            datetime(2026, 3, 24, 10, 0),
            InterviewFormat.VIDEO,
            2,
            {"Dana Lee", "Sofia Alvarez"},
        ),
        (
            "outlook.ics",
            "Cobalt Retail",
            "America/Los_Angeles",
            datetime(2026, 3, 25, 14, 0),
            InterviewFormat.ONSITE,
            2,
            {"Leo Martins", "Chen, Wei"},
        ),
        (
            "zoom.ics",
            "Quellwerk GmbH",
            "Europe/Berlin",
            datetime(2026, 3, 26, 9, 0),
            InterviewFormat.VIDEO,
            None,
            {"Hannah Becker"},
        ),
    ],
)
def test_invitations_schedule_the_interview(
    session: Session,
    fixture: str,
    company: str,
    zone: str,
    local: datetime,
    fmt: InterviewFormat,
    round_: int | None,
    people: set[str],
) -> None:
    demo.load(session)
    before = {c.email for c in session.store.contacts(session.owner)}
    out = calendar_feed.import_invite(session, CORPUS / fixture)
    assert out.opportunity.company == company
    assert out.event is not None
    event = out.event
    assert event.type is EventType.SCHEDULED
    assert event.tz == zone
    assert event.scheduled_for == local.replace(tzinfo=ZoneInfo(zone))
    assert event.format is fmt
    assert event.round == round_
    named = {session.store.contact(session.owner, i).name for i in event.contact_ids}
    assert named == people
    new = [c for c in session.store.contacts(session.owner) if c.email not in before]
    assert all(Role.INTERVIEWER in c.roles for c in new)
    assert "alex.morgan@gmail.com" not in {c.email for c in session.store.contacts(session.owner)}
    again = calendar_feed.import_invite(session, CORPUS / fixture)
    assert again.event is None  # the same invitation twice: already scheduled


def test_matching_by_name_learns_the_domain(session: Session) -> None:
    tz = ZoneInfo("America/New_York")
    records.add_opportunity(
        session, "Northwind Analytics", "Data Analyst", applied=datetime(2026, 3, 2, 9, tzinfo=tz)
    )
    out = calendar_feed.import_invite(session, CORPUS / "google.ics")
    assert "in the title" in out.matched_by
    company = session.store.company(session.owner, out.opportunity.company_id)
    assert company.domains == ("northwind.example",)


def test_ambiguous_and_unmatched_invitations_list_candidates(session: Session) -> None:
    tz = ZoneInfo("America/New_York")
    applied = datetime(2026, 3, 2, 9, tzinfo=tz)
    records.add_opportunity(session, "Northwind Analytics", "Data Analyst", applied=applied)
    records.add_opportunity(session, "Northwind Analytics", "BI Engineer", applied=applied)
    with pytest.raises(Ambiguous, match=r"#1 Northwind Analytics — Data Analyst.*--opportunity"):
        calendar_feed.import_invite(session, CORPUS / "google.ics")
    out = calendar_feed.import_invite(session, CORPUS / "google.ics", opportunity_ref="2")
    assert out.opportunity.role == "BI Engineer"
    with pytest.raises(NotFound, match=r"No opportunity matches.*#1 Northwind"):
        calendar_feed.import_invite(session, CORPUS / "outlook.ics")


def test_vcards_round_trip_in_both_versions(session: Session, tmp_path: Path) -> None:
    from .conftest import make_session

    demo.load(session)

    def content(s: Session) -> list[tuple[object, ...]]:
        firms = {c.id: c.name for c in s.store.companies(s.owner)}
        return sorted(
            (
                c.name,
                firms.get(c.company_id or 0),
                c.title,
                c.email,
                c.phone,
                c.tz,
                c.country,
                c.prefers,
                c.first_name_ok,
                c.roles,
                c.salutation,
                c.notes,
            )
            for c in s.store.contacts(s.owner)
        )

    for version in ("3.0", "4.0"):
        path = tmp_path / f"contacts-{version}.vcf"
        path.write_bytes(exporting.contacts_vcf(session, version))
        assert path.read_bytes().count(b"VERSION:" + version.encode()) == 10
        fresh = make_session(f"sqlite:///{tmp_path / version / 'db.sqlite'}", tmp_path)
        try:
            report = importing.import_vcards(fresh, path)
            assert len(report.created) == 10 and not report.rejected
            mine, theirs = content(session), content(fresh)
            if version == "4.0":  # phone numbers travel as tel: URIs, without spaces
                mine = [
                    (*m[:4], "".join(ch for ch in str(m[4]) if ch in "+0123456789"), *m[5:])
                    for m in mine
                ]
            assert theirs == mine
            again = importing.import_vcards(fresh, path)
            assert len(again.unchanged) == 10 and not again.created
        finally:
            fresh.close()


def test_vcards_from_address_books(session: Session) -> None:
    for name in ("google.vcf", "apple.vcf", "v4.vcf"):
        report = importing.import_vcards(session, CORPUS / name)
        assert report.created and not report.rejected, (name, report.rejected)
    people = {c.name: c for c in session.store.contacts(session.owner)}
    assert people["Priya Nair"].roles == {Role.RECRUITER}
    assert people["Sam Okafor"].roles == {Role.REFERRER, Role.REFERENCE}
    maria = people["María Gómez"]
    assert maria.roles == {Role.HR} and maria.tz == "America/New_York"
    assert maria.salutation == "Ms." and maria.email == "mgomez@blueharbor.example"
    oliver = people["Oliver Grant"]
    assert oliver.phone == "+44-20-7946-0958" and oliver.country == "GB"
    assert oliver.roles == {Role.INTERVIEWER} and oliver.tz == "Europe/London"
    companies = {c.name for c in session.store.companies(session.owner)}
    assert {"Lumen Logistics", "Blue Harbor Health", "Fenwick & Co"} <= companies


def test_a_broken_card_is_reported_and_the_others_read(session: Session) -> None:
    report = importing.import_vcards(session, CORPUS / "broken.vcf")
    assert report.created == ["Chris Wong"]
    assert [n for n, _why in report.rejected] == [2, 3] or [n for n, _w in report.rejected] == [3]
    assert any("no name" in why for _n, why in report.rejected)


def test_existing_contacts_get_blank_fields_filled(session: Session) -> None:
    records.add_contact(session, "Priya Nair", company="Lumen Logistics")
    report = importing.import_vcards(session, CORPUS / "google.vcf")
    assert report.updated == ["Priya Nair"]
    priya = next(c for c in session.store.contacts(session.owner) if c.name == "Priya Nair")
    assert priya.email == "priya@lumenlogistics.example" and priya.title == "Recruiter"
