"""Deleting an opportunity, a contact or an event, and undoing it.

Each deletion is one transaction: the record and everything that depends on it go (see
``store/removal.py``: events, links, follow-ups, outbox entries; nothing left pointing at it),
the follow-ups of whatever it touched are planned again, and the rows as they were are kept
for :data:`KEEP_DAYS` days in the same transaction, so that `nudge undo` or the web app's Undo
puts them back with their own ids. After that they are gone for good.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jobnudge import eventwords
from jobnudge.domain import Contact, Event, Opportunity, Stage
from jobnudge.plural import count, noun
from jobnudge.services import nudges

if TYPE_CHECKING:
    from jobnudge.services.session import Session
    from jobnudge.store import Tx
    from jobnudge.store.removal import Kept, Snapshot

KEEP_DAYS = 30
UNSENT = ("queued", "failed", "unknown")


@dataclass(frozen=True)
class Impact:
    """What deleting a record takes with it and what stays: the confirmation's sentences."""

    summary: str
    goes: list[str] = field(default_factory=list)
    stays: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Deleted:
    """What a deletion did; ``deletion_id`` undoes it (None: nothing was kept)."""

    deletion_id: int | None
    kind: str
    summary: str
    opportunity: Opportunity | None = None  # an event's opportunity, after the deletion
    stage: Stage | None = None
    event: Event | None = None


@dataclass(frozen=True)
class Restored:
    """What an undo put back; the ids say where it is (an event: its opportunity)."""

    kind: str
    summary: str
    counts: dict[str, int]
    opportunity_id: int | None = None
    contact_id: int | None = None

    @property
    def replanned(self) -> str:
        """The confirmation's second half: a person's follow-ups are "their", a thing's "its"."""
        return (
            "their follow-ups are planned again"
            if self.kind == "contact"
            else ("its follow-ups are planned again")
        )


def opportunity_summary(opp: Opportunity) -> str:
    return f"{opp.company} — {opp.role}"


def event_summary(event: Event, opp: Opportunity | None, tz: str) -> str:
    """'“Interview scheduled” of 3 Mar 2026 on Acme — Data Analyst'."""
    title = eventwords.title(event)
    day = event.at.astimezone(ZoneInfo(tz))
    on = f" on {opportunity_summary(opp)}" if opp else ""
    return f"“{title}” of {day.day} {day:%b %Y}{on}"


class _DryRun(Exception):
    """Raised to roll a transaction back after reading what it would delete."""

    def __init__(self, doc: Snapshot) -> None:
        super().__init__("dry run")
        self.doc = doc


def _what_would_go(session: Session, remove: Any, record_id: int) -> Snapshot:
    """The snapshot a deletion would keep, from the same code in a transaction rolled back:
    the confirmation names exactly what the deletion takes."""
    try:
        with session.store.transaction(now=session.now) as tx:
            raise _DryRun(remove(tx, session.owner, record_id))
    except _DryRun as run:
        return run.doc


def _rows(doc: Snapshot, table: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = doc["rows"].get(table, [])
    return found


def _outbox_lines(doc: Snapshot, to_whom: str) -> list[str]:
    outbox = _rows(doc, "mail_outbox")
    unsent = sum(1 for r in outbox if r["state"] in UNSENT)
    lines = []
    if unsent:
        lines.append(
            f"{count(unsent, 'approved message')} {to_whom} not sent yet: "
            f"{noun(unsent, 'it')} will not be sent"
        )
    if len(outbox) > unsent:
        lines.append(f"the outbox record of {count(len(outbox) - unsent, 'earlier message')}")
    return lines


def opportunity_impact(session: Session, opp: Opportunity) -> Impact:
    from jobnudge.store.removal import remove_opportunity

    doc = _what_would_go(session, remove_opportunity, opp.id)
    store, owner = session.store, session.owner
    timeline = [e for e in _rows(doc, "events") if not e["type"].startswith("nudge-")]
    pending = store.opportunity_nudges(owner, opp.id)
    goes = [count(len(timeline), "entry") + " on its timeline"] if timeline else []
    if pending:
        goes.append(count(len(pending), "pending follow-up"))
    goes += _outbox_lines(doc, "about it")
    people = [c.name for c in store.opportunity_contacts(owner, opp.id)]
    stays = (
        [f"{_names(people)} {noun(len(people), 'stays', 'stay')} in your contacts"]
        if people
        else []
    )
    return Impact(opportunity_summary(opp), goes, stays)


def contact_impact(session: Session, person: Contact) -> Impact:
    from jobnudge.store.removal import remove_contact

    doc = _what_would_go(session, remove_contact, person.id)
    store, owner = session.store, session.owner
    involved = {r["opportunity_id"] for r in _rows(doc, "opportunity_contacts")}
    involved |= {r["opportunity_id"] for r in doc["links"].get("opportunity_person", [])}
    named = doc["links"].get("event_person", [])
    on_events = {e.opportunity_id for e in store.events_with_contact(owner, person.id)}
    involved |= {i for i in on_events if i is not None}
    titles = [
        opportunity_summary(o) for o, _stage in store.opportunities(owner) if o.id in involved
    ]
    goes = []
    if titles:
        them = noun(len(titles), "opportunity stays", "opportunities stay")
        goes.append(f"their link to {_names(titles)} (the {them})")
    if named:
        them = noun(len(named), "event stays", "events stay")
        goes.append(f"their name on {count(len(named), 'event')} (the {them})")
    alone = _rows(doc, "events")
    if alone:
        goes.append(count(len(alone), "entry") + " about them alone")
    goes += _outbox_lines(doc, "to them")
    return Impact(person.name, goes, [])


def event_impact(session: Session, event: Event) -> Impact:
    opp = (
        session.store.opportunity(session.owner, event.opportunity_id)
        if event.opportunity_id is not None
        else None
    )
    summary = event_summary(event, opp, session.tz)
    return Impact(summary, [], ["its follow-ups are planned again without it"])


def _names(names: list[str]) -> str:
    shown = names[:3]
    if len(names) > 3:
        shown.append(count(len(names) - 3, "other"))
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _keep(session: Session, tx: Tx, kind: str, summary: str, doc: Snapshot) -> int:
    from jobnudge.store.removal import keep

    drop_before = session.now - timedelta(days=KEEP_DAYS)
    return keep(tx, session.owner, kind, summary, doc, drop_before=drop_before)


def _replan(session: Session, tx: Tx, opportunity_ids: set[int]) -> None:
    """Re-plan the opportunities a deletion or an undo touched that still exist, and the
    search-wide follow-ups."""
    existing = {o.id for o, _stage in tx.opportunities(session.owner)}
    for opportunity_id in sorted(opportunity_ids & existing):
        nudges.refresh(session.store, tx, session.owner, opportunity_id, session.settings)
    nudges.refresh_search(session.store, tx, session.owner, session.settings, session.now)


def delete_opportunity(session: Session, opportunity_id: int) -> Deleted:
    """Delete an opportunity with its timeline, follow-ups and outbox entries (one
    transaction); its contacts stay. Another user's id answers NotFound."""
    from jobnudge.store.removal import remove_opportunity

    with session.store.transaction(now=session.now) as tx:
        opp = tx.opportunity(session.owner, opportunity_id)
        summary = opportunity_summary(opp)
        doc = remove_opportunity(tx, session.owner, opp.id)
        _replan(session, tx, set())
        kept = _keep(session, tx, "opportunity", summary, doc)
    return Deleted(kept, "opportunity", summary)


def delete_contact(session: Session, contact_id: int) -> Deleted:
    """Delete a contact; the opportunities and events they were part of stay, without them,
    and their follow-ups are planned again."""
    from jobnudge.store.removal import affected, remove_contact

    with session.store.transaction(now=session.now) as tx:
        person = tx.contact(session.owner, contact_id)
        involved = _involving(tx, session.owner, person)
        doc = remove_contact(tx, session.owner, person.id)
        _replan(session, tx, involved | affected(doc)[0])
        kept = _keep(session, tx, "contact", person.name, doc)
    return Deleted(kept, "contact", person.name)


def _involving(tx: Tx, owner: int, person: Contact) -> set[int]:
    """The opportunities whose follow-ups may name this person (to re-plan without them)."""
    found = {e.opportunity_id for e in tx.events_with_contact(owner, person.id)}
    for opp, _stage in tx.opportunities(owner):
        if person.id in (opp.referrer_id, opp.recruiter_id) or person.company_id in (
            opp.company_id,
            opp.staffing_firm_id,
        ):
            found.add(opp.id)
    return {i for i in found if i is not None}


def delete_event(session: Session, event_id: int, *, keep: bool = True) -> Deleted:
    """Delete one event and re-plan its opportunity. ``keep=False`` for an Undo (the board's
    move taken back), which is not itself kept to be undone."""
    from jobnudge.store.removal import remove_event

    store, owner = session.store, session.owner
    with store.transaction(now=session.now) as tx:
        event = tx.event(owner, event_id)
        opp = tx.opportunity(owner, event.opportunity_id) if event.opportunity_id else None
        summary = event_summary(event, opp, session.tz)
        doc = remove_event(tx, owner, event.id)
        stage = None
        if opp is not None:
            stage = nudges.refresh(store, tx, owner, opp.id, session.settings)
            opp = tx.opportunity(owner, opp.id)
        nudges.refresh_search(store, tx, owner, session.settings, session.now)
        kept = _keep(session, tx, "event", summary, doc) if keep else None
    return Deleted(kept, "event", summary, opportunity=opp, stage=stage, event=event)


def kept(session: Session) -> list[Kept]:
    """What can be undone, newest first."""
    from jobnudge.store.removal import kept as kept_rows

    since = session.now - timedelta(days=KEEP_DAYS)
    return kept_rows(session.store, session.owner, since=since)


def undo(session: Session, deletion_id: int | None = None) -> Restored:
    """Put back a deletion (the latest when none is named) and re-plan what it touched."""
    from jobnudge.errors import NotFound
    from jobnudge.store.putback import hand_over, put_back
    from jobnudge.store.removal import affected, take_kept

    if deletion_id is None:
        latest = kept(session)
        if not latest:
            raise NotFound(f"Nothing to undo: nothing was deleted in the last {KEEP_DAYS} days.")
        deletion_id = latest[0].id
    with session.store.transaction(now=session.now) as tx:
        row, doc = take_kept(tx, session.owner, deletion_id)
        if row.created_at < session.now - timedelta(days=KEEP_DAYS):
            raise NotFound(f"That deletion is older than {KEEP_DAYS} days and is gone for good.")
        counts, dropped = put_back(tx, session.owner, doc)
        hand_over(tx, session.owner, dropped)
        opportunity_ids, contact_ids = affected(doc)
        for person in tx.contacts(session.owner):
            if person.id in contact_ids:
                opportunity_ids |= _involving(tx, session.owner, person)
        _replan(session, tx, opportunity_ids)
    opportunity_id = min(opportunity_ids, default=None) if row.kind != "contact" else None
    contact_id = min(contact_ids, default=None) if row.kind == "contact" else None
    return Restored(row.kind, row.summary, counts, opportunity_id, contact_id)
