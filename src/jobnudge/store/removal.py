"""Deleting an opportunity, a contact or an event with everything that depends on it, and
the ``deletions`` table that keeps what went for an undo.

The ``remove_*`` functions write inside the caller's transaction and return a snapshot: the
rows deleted, exactly as they were (JSON-ready), the references taken out of rows that stay
(a contact's id in another opportunity's events, a seen message's opportunity) and the rows
they need that stay (their company). Nothing is left pointing at a deleted row; a company that
no opportunity or contact refers to any more goes too. ``store/putback.py`` puts a snapshot
back with the same ids (ids are never reused, so they are still free). Nudges are not kept:
the caller recomputes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, or_, select, update

from jobnudge.errors import Conflict, NotFound
from jobnudge.store.mail_tables import mail_messages, mail_outbox, mail_review
from jobnudge.store.reads import Reader
from jobnudge.store.revision import HEAD
from jobnudge.store.tables import (
    companies,
    contacts,
    deletions,
    event_contacts,
    events,
    nudges,
    opportunities,
    opportunity_contacts,
    postings,
)
from jobnudge.store.writes import Tx

# Deleted rows, in the order they are put back (referenced tables first).
KEPT = (
    companies,
    contacts,
    opportunities,
    postings,
    opportunity_contacts,
    events,
    event_contacts,
    mail_outbox,
)
SENDING = "sending"

Snapshot = dict[str, Any]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class _Removal:
    """One deletion in progress: what it saved, and the statements that remove it."""

    def __init__(self, conn: Connection, owner: int, kind: str) -> None:
        self.conn, self.owner = conn, owner
        self.doc: Snapshot = {
            "schema": HEAD,
            "kind": kind,
            "rows": {},
            "links": {},
            "context": {},
        }

    def rows(self, table: Table, *where: Any) -> list[dict[str, Any]]:
        found = self.conn.execute(select(table).where(table.c.owner_id == self.owner, *where))
        return [dict(r._mapping) for r in found]

    def take(self, table: Table, *where: Any) -> list[dict[str, Any]]:
        """Save the matching rows, then delete them."""
        found = self.rows(table, *where)
        if found:
            saved = self.doc["rows"].setdefault(table.name, [])
            saved += [{k: _encode(v) for k, v in row.items() if k != "owner_id"} for row in found]
            self.conn.execute(delete(table).where(table.c.owner_id == self.owner, *where))
        return found

    def context(self, table: Table, ids: Iterable[int | None]) -> None:
        """Save rows the deleted ones refer to and that stay (their company), so an undo can
        bring them back too if something else removed them meanwhile."""
        wanted = sorted({i for i in ids if i is not None})
        if wanted:
            saved = self.doc["context"].setdefault(table.name, [])
            for row in self.rows(table, table.c.id.in_(wanted)):
                saved.append({k: _encode(v) for k, v in row.items() if k != "owner_id"})

    def link(self, kind: str, **values: Any) -> None:
        """Note a reference taken out of a row that stays, to restore it on undo."""
        self.doc["links"].setdefault(kind, []).append({k: _encode(v) for k, v in values.items()})

    def refuse_if_sending(self, *where: Any) -> None:
        busy = self.rows(mail_outbox, mail_outbox.c.state == SENDING, *where)
        if busy:
            raise Conflict(
                f"A message to {busy[0]['to_name'] or busy[0]['to_address']} is being sent at "
                "this moment; try again in a minute, once the server has answered."
            )

    def forget_events(self, ids: Iterable[int]) -> None:
        """Take references to these events out of the mail tables (the events are going)."""
        gone = sorted(set(ids))
        if not gone:
            return
        for row in self.rows(mail_messages, mail_messages.c.event_id.in_(gone)):
            self.link("message_event", message_id=row["message_id"], event_id=row["event_id"])
        for row in self.rows(mail_outbox, mail_outbox.c.event_id.in_(gone)):
            self.link("outbox_event", id=row["id"], event_id=row["event_id"])
        for row in self.rows(mail_review, mail_review.c.event_id.in_(gone)):
            self.link("review_event", id=row["id"], event_id=row["event_id"])
        for table in (mail_messages, mail_outbox, mail_review):
            self.conn.execute(
                update(table)
                .where(table.c.owner_id == self.owner, table.c.event_id.in_(gone))
                .values(event_id=None)
            )

    def forget_outbox(self, ids: Iterable[int]) -> None:
        gone = sorted(set(ids))
        if not gone:
            return
        for row in self.rows(mail_messages, mail_messages.c.outbox_id.in_(gone)):
            self.link("message_outbox", message_id=row["message_id"], outbox_id=row["outbox_id"])
        self.conn.execute(
            update(mail_messages)
            .where(mail_messages.c.owner_id == self.owner, mail_messages.c.outbox_id.in_(gone))
            .values(outbox_id=None)
        )

    def drop_lonely_companies(self, ids: Iterable[int | None]) -> None:
        """Delete the companies nothing refers to any more (they were only this record's)."""
        for company_id in sorted({i for i in ids if i is not None}):
            used = self.conn.scalar(
                select(opportunities.c.id)
                .where(
                    opportunities.c.owner_id == self.owner,
                    or_(
                        opportunities.c.company_id == company_id,
                        opportunities.c.staffing_firm_id == company_id,
                    ),
                )
                .limit(1)
            )
            if used is None:
                used = self.conn.scalar(
                    select(contacts.c.id)
                    .where(contacts.c.owner_id == self.owner, contacts.c.company_id == company_id)
                    .limit(1)
                )
            if used is None:
                self.take(companies, companies.c.id == company_id)


def _event_ids(removal: _Removal, opportunity_id: int) -> list[int]:
    return [
        int(i)
        for i in removal.conn.scalars(
            select(events.c.id).where(
                events.c.owner_id == removal.owner, events.c.opportunity_id == opportunity_id
            )
        )
    ]


def remove_opportunity(tx: Tx, owner: int, opportunity_id: int) -> Snapshot:
    """Delete an opportunity, its events, links, follow-ups and unsent or sent outbox entries.

    Its contacts stay. Messages already seen stay seen (so a sync never logs them again) but
    no longer point at it; review items no longer propose it.
    """
    opp = tx.opportunity(owner, opportunity_id)
    tx.touch(owner)
    with tx._connect(owner) as conn:
        return _remove_opportunity(
            _Removal(conn, owner, "opportunity"), opp.id, opp.company_id, opp.staffing_firm_id
        )


def _remove_opportunity(
    removal: _Removal, opportunity_id: int, company_id: int, staffing_firm_id: int | None
) -> Snapshot:
    owner = removal.owner
    on_it = mail_outbox.c.opportunity_id == opportunity_id
    removal.refuse_if_sending(on_it)
    removal.context(companies, [company_id, staffing_firm_id])
    gone_events = _event_ids(removal, opportunity_id)
    removal.forget_events(gone_events)
    removal.forget_outbox(r["id"] for r in removal.rows(mail_outbox, on_it))
    for row in removal.rows(mail_messages, mail_messages.c.opportunity_id == opportunity_id):
        removal.link(
            "message_opportunity", message_id=row["message_id"], opportunity_id=opportunity_id
        )
    removal.conn.execute(
        update(mail_messages)
        .where(mail_messages.c.owner_id == owner, mail_messages.c.opportunity_id == opportunity_id)
        .values(opportunity_id=None)
    )
    for row in removal.rows(mail_review):
        candidates = [c for c in row["candidates"] if c != opportunity_id]
        mine = row["opportunity_id"] == opportunity_id
        if mine or len(candidates) != len(row["candidates"]):
            removal.link(
                "review_opportunity",
                id=row["id"],
                opportunity_id=row["opportunity_id"],
                candidates=row["candidates"],
            )
            removal.conn.execute(
                update(mail_review)
                .where(mail_review.c.owner_id == owner, mail_review.c.id == row["id"])
                .values(
                    candidates=candidates, opportunity_id=None if mine else row["opportunity_id"]
                )
            )
    removal.conn.execute(
        delete(nudges).where(nudges.c.owner_id == owner, nudges.c.opportunity_id == opportunity_id)
    )
    removal.take(mail_outbox, on_it)
    if gone_events:
        removal.take(event_contacts, event_contacts.c.event_id.in_(gone_events))
        removal.take(events, events.c.id.in_(gone_events))
    removal.take(opportunity_contacts, opportunity_contacts.c.opportunity_id == opportunity_id)
    removal.take(postings, postings.c.opportunity_id == opportunity_id)
    removal.take(opportunities, opportunities.c.id == opportunity_id)
    removal.drop_lonely_companies([company_id, staffing_firm_id])
    return removal.doc


def remove_contact(tx: Tx, owner: int, contact_id: int) -> Snapshot:
    """Delete a contact. Opportunities and their events stay: the contact's links to them, their
    name on events and their role as referrer or recruiter are taken out; an event about them
    alone (no opportunity) goes with them, and so do messages to them not yet sent."""
    person = tx.contact(owner, contact_id)
    tx.touch(owner)
    with tx._connect(owner) as conn:
        return _remove_contact(_Removal(conn, owner, "contact"), contact_id, person.company_id)


def _remove_contact(removal: _Removal, contact_id: int, company_id: int | None) -> Snapshot:
    owner = removal.owner
    to_them = mail_outbox.c.contact_id == contact_id
    removal.refuse_if_sending(to_them)
    removal.context(companies, [company_id])
    removal.conn.execute(
        delete(nudges).where(nudges.c.owner_id == owner, nudges.c.contact_id == contact_id)
    )
    removal.take(opportunity_contacts, opportunity_contacts.c.contact_id == contact_id)
    for field in ("referrer_id", "recruiter_id"):
        column = opportunities.c[field]
        for row in removal.rows(opportunities, column == contact_id):
            removal.link(
                "opportunity_person", opportunity_id=row["id"], field=field, contact_id=contact_id
            )
        removal.conn.execute(
            update(opportunities)
            .where(opportunities.c.owner_id == owner, column == contact_id)
            .values({field: None})
        )
    named = [
        int(i)
        for i in removal.conn.scalars(
            select(event_contacts.c.event_id).where(
                event_contacts.c.owner_id == owner, event_contacts.c.contact_id == contact_id
            )
        )
    ]
    alone: list[int] = []
    for row in removal.rows(events, events.c.id.in_(named)) if named else []:
        others = [c for c in row["contact_ids"] if c != contact_id]
        if row["opportunity_id"] is None and not others:
            alone.append(row["id"])
            continue
        removal.link("event_person", event_id=row["id"], contact_ids=row["contact_ids"])
        removal.conn.execute(
            update(events)
            .where(events.c.owner_id == owner, events.c.id == row["id"])
            .values(contact_ids=others)
        )
    key_part = f":user:{contact_id}:"
    for row in removal.rows(events, events.c.opportunity_id.is_(None)):
        if row["nudge_key"] and key_part in row["nudge_key"] and row["id"] not in alone:
            alone.append(row["id"])  # a decision about a follow-up to this person alone
    removal.forget_events(alone)
    removal.forget_outbox(r["id"] for r in removal.rows(mail_outbox, to_them))
    removal.take(mail_outbox, to_them)
    for table, kind in ((mail_messages, "message_contact"), (mail_review, "review_contact")):
        key = "message_id" if table is mail_messages else "id"
        for row in removal.rows(table, table.c.contact_id == contact_id):
            removal.link(kind, **{key: row[key]}, contact_id=contact_id)
        removal.conn.execute(
            update(table)
            .where(table.c.owner_id == owner, table.c.contact_id == contact_id)
            .values(contact_id=None)
        )
    if alone:
        removal.take(event_contacts, event_contacts.c.event_id.in_(alone))
        removal.take(events, events.c.id.in_(alone))
    removal.take(event_contacts, event_contacts.c.contact_id == contact_id)
    removal.take(contacts, contacts.c.id == contact_id)
    removal.drop_lonely_companies([company_id])
    return removal.doc


def remove_event(tx: Tx, owner: int, event_id: int) -> Snapshot:
    """Delete one event (the caller re-plans its opportunity)."""
    tx.event(owner, event_id)
    tx.touch(owner)
    with tx._connect(owner) as conn:
        removal = _Removal(conn, owner, "event")
        removal.forget_events([event_id])
        removal.take(event_contacts, event_contacts.c.event_id == event_id)
        removal.take(events, events.c.id == event_id)
        return removal.doc


def affected(doc: Snapshot) -> tuple[set[int], set[int]]:
    """The opportunities and contacts a snapshot touches (to re-plan after either way)."""
    rows: Mapping[str, list[dict[str, Any]]] = doc.get("rows", {})
    links: Mapping[str, list[dict[str, Any]]] = doc.get("links", {})
    opps = {r["id"] for r in rows.get("opportunities", [])}
    opps |= {r["opportunity_id"] for r in rows.get("events", []) if r["opportunity_id"]}
    opps |= {r["opportunity_id"] for r in rows.get("opportunity_contacts", [])}
    opps |= {r["opportunity_id"] for r in links.get("opportunity_person", [])}
    people = {r["id"] for r in rows.get("contacts", [])}
    return opps, people


@dataclass(frozen=True, slots=True)
class Kept:
    """A deletion that can still be undone."""

    id: int
    kind: str
    summary: str
    created_at: datetime


def keep(
    tx: Tx, owner: int, kind: str, summary: str, doc: Snapshot, *, drop_before: datetime
) -> int:
    """Store a snapshot for undo (in the deletion's transaction); forget those before
    ``drop_before``. Returns the deletion's id."""
    tx.touch(owner)
    with tx._connect(owner) as conn:
        conn.execute(
            delete(deletions).where(
                deletions.c.owner_id == owner, deletions.c.created_at < drop_before
            )
        )
        result = conn.execute(
            insert(deletions).values(
                owner_id=owner, kind=kind, summary=summary, document=doc, created_at=tx.now
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def kept(reader: Reader, owner: int, *, since: datetime) -> list[Kept]:
    """The deletions that can be undone, newest first."""
    query = (
        select(deletions.c.id, deletions.c.kind, deletions.c.summary, deletions.c.created_at)
        .where(deletions.c.owner_id == owner, deletions.c.created_at >= since)
        .order_by(deletions.c.created_at.desc(), deletions.c.id.desc())
    )
    with reader._connect(owner) as conn:
        return [Kept(r.id, r.kind, r.summary, r.created_at) for r in conn.execute(query)]


def take_kept(tx: Tx, owner: int, deletion_id: int) -> tuple[Kept, Snapshot]:
    """A kept deletion, removed from the list (it is being undone)."""
    tx.touch(owner)
    with tx._connect(owner) as conn:
        row = conn.execute(
            select(deletions).where(deletions.c.owner_id == owner, deletions.c.id == deletion_id)
        ).first()
        if row is None:
            raise NotFound(
                f"DELETION: nothing deleted with number {deletion_id} can be undone; "
                "`nudge undo --list` shows what can."
            )
        conn.execute(
            delete(deletions).where(deletions.c.owner_id == owner, deletions.c.id == deletion_id)
        )
    return Kept(row.id, row.kind, row.summary, row.created_at), dict(row.document)
