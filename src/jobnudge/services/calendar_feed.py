"""Calendars: the feed of interviews and follow-ups (for ``nudge calendar`` and the web app's
``/calendar.ics``), and scheduling an interview from an invitation (``nudge import-invite``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobnudge.domain import (
    Company,
    Contact,
    Event,
    EventType,
    InterviewFormat,
    Opportunity,
    Role,
    Stage,
)
from jobnudge.domain.provenance import user_words
from jobnudge.errors import Ambiguous, NotFound
from jobnudge.playbook import wording
from jobnudge.plural import count
from jobnudge.services import nudges

if TYPE_CHECKING:
    from jobnudge.ics.feed import DueNudge, Interview
    from jobnudge.ics.invites import Invite
    from jobnudge.services.session import Session

HORIZON_DAYS = 366
"""Pending follow-ups due within this many days are in the feed."""


def feed_items(session: Session) -> tuple[list[Interview], list[DueNudge]]:
    """The interviews and pending follow-ups the feed shows.

    Interviews: every scheduled interview, except one rescheduled later (a newer ``scheduled``
    event for the same round replaces it) and future ones of a closed opportunity.
    """
    from jobnudge.ics.feed import DueNudge, Interview

    store, owner = session.store, session.owner
    people = {c.id: c.name for c in store.contacts(owner)}
    interviews: list[Interview] = []
    for opp, stage in store.opportunities(owner):
        latest: dict[int | None, Event] = {}
        for event in store.events(owner, opp.id):
            if event.type is EventType.SCHEDULED and event.scheduled_for is not None:
                previous = latest.get(event.round)
                if previous is None or previous.id < event.id:
                    latest[event.round] = event
        for event in latest.values():
            assert event.scheduled_for is not None
            if stage.is_closed and event.scheduled_for > session.now:
                continue
            interviews.append(
                Interview(
                    event_id=event.id,
                    start=event.scheduled_for,
                    tz=event.tz,
                    company=opp.company,
                    role=opp.role,
                    round=event.round,
                    format=event.format.value if event.format else None,
                    people=tuple(people.get(i, f"#{i}") for i in event.contact_ids),
                    note=user_words(event.note),
                )
            )
    interviews.sort(key=lambda i: (i.start, i.event_id))
    until = session.now + timedelta(days=HORIZON_DAYS)
    dues = [
        DueNudge(
            key=row.key,
            short_id=row.short_id,
            rule=row.rule,
            title=wording.title(row.rule),
            due=row.due,
            due_by=row.due_by,
            tz=row.tz,
            reason=row.reason,
            message=row.message,
            company=row.company,
            role=row.role,
            contact=row.contact,
            channel=row.channel.value if row.channel else None,
        )
        for row in store.agenda_rows(owner, until, session.now)
    ]
    return interviews, dues


def ics_feed(session: Session) -> bytes:
    """The user's calendar as iCalendar bytes (``text/calendar``): what ``/calendar.ics``
    serves and ``nudge calendar FILE`` writes. UIDs are stable across calls."""
    from jobnudge.ics.feed import build

    interviews, dues = feed_items(session)
    user = f"user-{session.owner}"
    name = f"jobnudge — {session.settings.profile.name}" if session.settings.profile.name else ""
    return build(interviews, dues, owner_seed=user, now=session.now, name=name or "jobnudge")


def write_calendar(session: Session, path: Path) -> str:
    from jobnudge.ics.feed import build
    from jobnudge.services.exporting import write_file

    interviews, dues = feed_items(session)
    user = f"user-{session.owner}"
    write_file(path, build(interviews, dues, owner_seed=user, now=session.now))
    return (
        f"Wrote {count(len(interviews), 'interview')} and {count(len(dues), 'follow-up')} to "
        f"{path}. Import it "
        "again after changes: entries update in place."
    )


# Invitations


@dataclass
class InviteOutcome:
    opportunity: Opportunity
    event: Event | None  # None when the same interview was already scheduled
    invite: Invite
    created_contacts: list[Contact] = field(default_factory=list)
    matched_by: str = ""
    rescheduled: bool = False

    def as_json(self, tz: str) -> dict[str, Any]:
        from zoneinfo import ZoneInfo

        return {
            "opportunity_id": self.opportunity.id,
            "company": self.opportunity.company,
            "role": self.opportunity.role,
            "event_id": self.event.id if self.event else None,
            "already_scheduled": self.event is None,
            "rescheduled": self.rescheduled,
            "scheduled_for": self.invite.start.astimezone(ZoneInfo(self.invite.tz)).isoformat(),
            "tz": self.invite.tz,
            "matched_by": self.matched_by,
            "created_contacts": [c.name for c in self.created_contacts],
            "in_your_zone": self.invite.start.astimezone(ZoneInfo(tz)).isoformat(),
        }


def _own_domain(session: Session) -> str:
    return session.settings.profile.email.strip().lower().rpartition("@")[2]


def match(session: Session, invite: Invite) -> tuple[Opportunity, str]:
    """The opportunity an invitation is about, and how it was recognised.

    Evidence, strongest first: an organiser's or attendee's email domain among a company's
    domains; the company's name (or an alias) in the title; a domain that spells the company's
    name (``acme.com`` for "Acme Corp"). Open opportunities win over closed ones; among several
    at one company, the one whose role is in the title.
    """
    from jobnudge.ics import invites as ics

    own = session.settings.profile.email.strip().lower()
    own_domain = _own_domain(session)
    domains = {
        p.domain
        for p in invite.people
        if p.email != own and p.domain not in ics.FREE_MAIL and p.domain != own_domain
    }
    companies = {c.id: c for c in session.store.companies(session.owner)}
    scores: dict[int, tuple[int, list[str]]] = {}
    for company in companies.values():
        why: list[str] = []
        score = 0
        by_domain = sorted(
            d for d in domains if any(ics.domain_matches(d, k) for k in company.domains)
        )
        if by_domain:
            score += 4
            why.append(f"email domain {by_domain[0]}")
        named = [n for n in company.names if ics.names_in(invite.summary, n)]
        if named:
            score += 2
            why.append(f"'{named[0]}' in the title")
        stem = ics.stem(company.name)
        if not by_domain and stem and any(d.split(".")[-2:][0] == stem for d in domains):
            score += 1
            why.append("its name in the email domain")
        if score:
            scores[company.id] = (score, why)
    candidates: list[tuple[int, Opportunity, Stage, list[str]]] = []
    for opp, stage in session.store.opportunities(session.owner):
        for company_id in (opp.company_id, opp.staffing_firm_id):
            if company_id in scores:
                score, why = scores[company_id]
                bonus = 0 if stage.is_closed else 8
                if ics.names_in(invite.summary, opp.role):
                    bonus += 1
                candidates.append((score + bonus, opp, stage, why))
                break
    if not candidates:
        active = [(o, s) for o, s in session.store.opportunities(session.owner) if not s.is_closed]
        listed = "; ".join(f"#{o.id} {o.company} — {o.role}" for o, _s in active[:10])
        hint = f" Your open opportunities: {listed}." if listed else ""
        raise NotFound(
            f"No opportunity matches the invitation '{invite.summary}' (organiser "
            f"{invite.organizer.email if invite.organizer else 'unknown'}): no company has its "
            "email domain or appears in its title. Name it with --opportunity ID, or add the "
            f"company's domain.{hint}"
        )
    best = max(c[0] for c in candidates)
    top = [c for c in candidates if c[0] == best]
    if len(top) > 1:
        listed = "; ".join(f"#{o.id} {o.company} — {o.role} ({s.value})" for _n, o, s, _w in top)
        raise Ambiguous(
            f"The invitation '{invite.summary}' could be about {count(len(top), 'opportunity')}: "
            f"{listed}. Say which with --opportunity ID."
        )
    _score, opp, _stage, why = top[0]
    return opp, " and ".join(why)


def import_invite(
    session: Session, path: Path, *, opportunity_ref: str | None = None
) -> InviteOutcome:
    """Schedule the interview an invitation describes on its opportunity; its people (not you)
    become contacts with the interviewer role. Importing the same invitation again changes
    nothing; an updated invitation (same UID, new time) records the new time."""
    from jobnudge.ics import invites as ics
    from jobnudge.services import records
    from jobnudge.services.importing import read_text
    from jobnudge.tabular import safety

    text = read_text(path, safety.MAX_ICS_BYTES, "iCalendar")
    invite = ics.parse(text, user_tz=session.tz, source=str(path))
    if opportunity_ref:
        opp, _stage = records.opportunity(session, opportunity_ref)
        how = "--opportunity"
    else:
        opp, how = match(session, invite)
    owner = session.owner
    own = session.settings.profile.email.strip().lower()
    marker = f"ics-uid:{invite.uid}" if invite.uid else ""
    outcome = InviteOutcome(opportunity=opp, event=None, invite=invite, matched_by=how)
    with session.store.transaction() as tx:
        company = tx.company(owner, opp.company_id)
        firm: Company | None = (
            tx.company(owner, opp.staffing_firm_id) if opp.staffing_firm_id else None
        )
        _learn_domain(session, tx, company, invite, own)
        everyone = tx.contacts(owner)
        by_email = {c.email.casefold(): c for c in everyone if c.email}
        people: list[int] = []
        for person in invite.people:
            if person.email == own:
                continue
            found = by_email.get(person.email)
            if found is None:
                at_firm = firm is not None and any(
                    ics.domain_matches(person.domain, d) for d in firm.domains
                )
                name = person.name or _name_from(person.email)
                is_organizer = invite.organizer is not None and person == invite.organizer
                found = tx.add_contact(
                    owner,
                    name=name,
                    company_id=firm.id if at_firm and firm else company.id,
                    email=person.email,
                    tz=invite.tz if is_organizer and invite.tz != "UTC" else None,
                    roles=frozenset({Role.INTERVIEWER}),
                )
                by_email[person.email] = found
                outcome.created_contacts.append(found)
            people.append(found.id)
            tx.link_contact(owner, opp.id, found.id)
        history = tx.events(owner, opp.id)
        same = [
            e for e in history if e.type is EventType.SCHEDULED and e.scheduled_for == invite.start
        ]
        if not same:
            outcome.rescheduled = bool(marker) and any(
                e.type is EventType.SCHEDULED and marker in e.body for e in history
            )
            fmt = invite.format
            note = invite.summary
            if outcome.rescheduled:
                note = f"Rescheduled: {note}"
            outcome.event = tx.add_event(
                owner,
                opportunity_id=opp.id,
                type=EventType.SCHEDULED,
                at=min(invite.stamp or session.now, session.now),
                tz=invite.tz,
                contact_ids=people,
                round=invite.round,
                format=InterviewFormat(fmt) if fmt else None,
                scheduled_for=invite.start,
                note=note[:500],
                body="\n".join(x for x in (marker, invite.location, invite.conference) if x),
            )
        nudges.refresh(session.store, tx, owner, opp.id, session.settings)
        nudges.refresh_search(session.store, tx, owner, session.settings, session.now)
        outcome.opportunity = tx.opportunity(owner, opp.id)
    return outcome


def _learn_domain(session: Session, tx: Any, company: Company, invite: Invite, own: str) -> None:
    """Remember the organiser's domain on a company recognised by name, so the next
    invitation from it matches by domain."""
    from jobnudge.ics import invites as ics

    organizer = invite.organizer
    if organizer is None or not organizer.is_person or organizer.email == own:
        return
    domain = organizer.domain
    if domain in ics.FREE_MAIL or domain == _own_domain(session) or not domain:
        return
    if any(ics.domain_matches(domain, d) for d in company.domains):
        return
    if not (ics.names_in(invite.summary, company.name) or ics.stem(company.name) in domain):
        return
    tx.update_company(session.owner, company.id, domains=[*company.domains, domain])


def _name_from(email: str) -> str:
    from jobnudge.tabular.rows import name_from_email

    return name_from_email(email)
