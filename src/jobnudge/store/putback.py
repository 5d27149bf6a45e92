"""Putting a deletion back (undo): the rows a snapshot of ``store/removal.py`` holds, with
their own ids, and the references that were taken out of rows that stayed.

Deletions can be undone in any order and still end where they started. A saved row or
reference that needs a record deleted since (an event of an opportunity deleted after it, a
contact's name on an event) is not lost: it is handed to the kept deletion that holds that
record (:func:`hand_over`), so undoing that one brings it back too. Only a record deleted for
good (kept no longer, or taken back by the board's Undo) leaves its references out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Connection, Date, Table, insert, select, update

from jobnudge.errors import Conflict
from jobnudge.store.mail_tables import mail_messages, mail_outbox, mail_review
from jobnudge.store.removal import KEPT, Snapshot
from jobnudge.store.revision import HEAD
from jobnudge.store.tables import (
    companies,
    contacts,
    deletions,
    event_contacts,
    events,
    opportunities,
    opportunity_contacts,
    postings,
)
from jobnudge.store.types import UTCDateTime
from jobnudge.store.writes import Tx
from jobnudge.typography import name_key

Link = dict[str, Any]
Dropped = list[tuple[str, int, str, Link]]
"""What could not go back yet: (table, id of the missing record, where it goes in the
deletion that holds that record: a link kind or "rows:<table>", the saved link or row)."""

# Links that set one column of a row that stayed: (kind, table, key, column, target table).
COLUMN_LINKS = (
    ("message_event", mail_messages, "message_id", "event_id", events),
    ("outbox_event", mail_outbox, "id", "event_id", events),
    ("review_event", mail_review, "id", "event_id", events),
    ("message_outbox", mail_messages, "message_id", "outbox_id", mail_outbox),
    ("message_opportunity", mail_messages, "message_id", "opportunity_id", opportunities),
    ("message_contact", mail_messages, "message_id", "contact_id", contacts),
    ("review_contact", mail_review, "id", "contact_id", contacts),
    ("outbox_contact", mail_outbox, "id", "contact_id", contacts),
    ("outbox_opportunity", mail_outbox, "id", "opportunity_id", opportunities),
)


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def put_back(tx: Tx, owner: int, doc: Snapshot) -> tuple[dict[str, int], Dropped]:
    """Re-insert a snapshot's rows with their ids and restore its references where both ends
    exist. Returns how many rows of each table came back, and what has to wait for a record
    that is still deleted (for :func:`hand_over`)."""
    if doc.get("schema") != HEAD:
        raise Conflict(
            "This deletion was kept by another version of jobnudge, so it cannot be put back."
        )
    tx.touch(owner)
    rows: Mapping[str, list[dict[str, Any]]] = doc.get("rows", {})
    context: Mapping[str, list[dict[str, Any]]] = doc.get("context", {})
    counts: dict[str, int] = {}
    with tx._connect(owner) as conn:
        back = _Back(conn, owner)
        for table in KEPT:
            for saved in [*context.get(table.name, []), *rows.get(table.name, [])]:
                row = {k: _decode(table.c[k], v) for k, v in saved.items() if k in table.c}
                if back.fits(table, row, saved):
                    conn.execute(insert(table).values(owner_id=owner, **row))
                    counts[table.name] = counts.get(table.name, 0) + 1
                    if table is events:
                        back.name_people(row["id"], row["contact_ids"])
        back.links(doc.get("links", {}))
    return counts, back.dropped


def hand_over(tx: Tx, owner: int, dropped: Dropped) -> None:
    """Add each reference or row that could not go back to the kept deletion holding the
    record it needs; one whose record is deleted for good is left out."""
    if not dropped:
        return
    with tx._connect(owner) as conn:
        for kept in conn.execute(select(deletions).where(deletions.c.owner_id == owner)):
            doc = dict(kept.document)
            held = doc.get("rows", {})
            mine = [
                (where, item)
                for table, record, where, item in dropped
                if any(r.get("id") == record for r in held.get(table, []))
            ]
            if not mine:
                continue
            for where, item in mine:
                kind, _, table = where.partition(":")
                if kind == "rows":
                    held.setdefault(table, []).append(item)
                else:
                    doc.setdefault("links", {}).setdefault(where, []).append(item)
            conn.execute(
                update(deletions)
                .where(deletions.c.owner_id == owner, deletions.c.id == kept.id)
                .values(document=doc)
            )


class _Back:
    """One put-back in progress: which saved rows and links fit the search as it is now."""

    def __init__(self, conn: Connection, owner: int) -> None:
        self.conn, self.owner = conn, owner
        self.moved_company: dict[int, int] = {}
        self.dropped: Dropped = []

    def exists(self, table: Table, value: Any) -> bool:
        return value is not None and (
            self.conn.scalar(
                select(table.c.id).where(table.c.owner_id == self.owner, table.c.id == value)
            )
            is not None
        )

    def known(self, table: Table, ids: Iterable[int]) -> set[int]:
        wanted = set(ids)
        if not wanted:
            return set()
        found = self.conn.scalars(
            select(table.c.id).where(table.c.owner_id == self.owner, table.c.id.in_(wanted))
        )
        return {int(i) for i in found}

    def wait(self, table: Table, record: int, where: str, item: Link) -> None:
        self.dropped.append((table.name, record, where, item))

    def needs(self, table: Table, record: Any, where: str, item: Link) -> bool:
        """Whether ``record`` exists; if not, ``item`` waits for it (see hand_over)."""
        if record is None or self.exists(table, record):
            return True
        self.wait(table, record, where, item)
        return False

    # Rows

    def fits(self, table: Table, row: dict[str, Any], saved: dict[str, Any]) -> bool:
        """Whether a saved row can go back now; a row that needs a record still deleted waits
        for it, and a reference to a contact still deleted is left out until they are back."""
        if table is companies:
            return self._company_fits(row)
        for column in ("company_id", "staffing_firm_id"):
            if row.get(column) is not None:
                row[column] = self.moved_company.get(row[column], row[column])
        if table is contacts:
            row["name_key"] = name_key(row["name"])  # as for companies
            if not self.exists(companies, row["company_id"]):
                row["company_id"] = None
            return not self.exists(contacts, row["id"])
        if table is opportunities:
            return self._opportunity_fits(row)
        if table is postings:
            return self.needs(
                opportunities, row["opportunity_id"], "rows:postings", saved
            ) and not self._has_posting(row["opportunity_id"])
        if table is opportunity_contacts:
            link = {"opportunity_id": row["opportunity_id"], "contact_id": row["contact_id"]}
            return (
                self.needs(opportunities, row["opportunity_id"], "opportunity_link", link)
                and self.needs(contacts, row["contact_id"], "opportunity_link", link)
                and not self._linked(row["opportunity_id"], row["contact_id"])
            )
        if table is events:
            if self.exists(events, row["id"]) or not self.needs(
                opportunities, row["opportunity_id"], "rows:events", saved
            ):
                return False
            row["contact_ids"] = self._people(row["id"], row["contact_ids"])
            return True
        if table is event_contacts:
            return False  # made from each event's contact_ids as it goes back (name_people)
        if table is mail_outbox:
            return self._outbox_fits(row)
        raise ValueError(f"no rule for putting back rows of {table.name}")

    def _has_posting(self, opportunity_id: int) -> bool:
        found = self.conn.scalar(
            select(postings.c.opportunity_id).where(
                postings.c.owner_id == self.owner, postings.c.opportunity_id == opportunity_id
            )
        )
        return found is not None

    def _company_fits(self, row: dict[str, Any]) -> bool:
        if self.exists(companies, row["id"]):
            return False
        row["name_key"] = name_key(row["name"])  # kept by a version that keyed names otherwise
        same = self.conn.scalar(
            select(companies.c.id).where(
                companies.c.owner_id == self.owner, companies.c.name_key == row["name_key"]
            )
        )
        if same is not None:  # a company of that name was added since: use it instead
            self.moved_company[row["id"]] = int(same)
            return False
        return True

    def _opportunity_fits(self, row: dict[str, Any]) -> bool:
        if self.exists(opportunities, row["id"]):
            return False
        for column in ("referrer_id", "recruiter_id"):
            link = {"opportunity_id": row["id"], "field": column, "contact_id": row[column]}
            if not self.needs(contacts, row[column], "opportunity_person", link):
                row[column] = None
        if not self.exists(companies, row["staffing_firm_id"]):
            row["staffing_firm_id"] = None
        return self.exists(companies, row["company_id"])

    def _outbox_fits(self, row: dict[str, Any]) -> bool:
        if self.exists(mail_outbox, row["id"]):
            return False
        for column, target, kind in (
            ("opportunity_id", opportunities, "outbox_opportunity"),
            ("contact_id", contacts, "outbox_contact"),
        ):
            link = {"id": row["id"], column: row[column]}
            if not self.needs(target, row[column], kind, link):
                row[column] = None
        link = {"id": row["id"], "event_id": row["event_id"]}
        if not self.needs(events, row["event_id"], "outbox_event", link):
            row["event_id"] = None
        return True

    def _people(self, event_id: int, saved: list[int]) -> list[int]:
        """The event's people who exist; each one still deleted gets their name back on the
        event when they are put back."""
        known = self.known(contacts, saved)
        for person in saved:
            if person not in known:
                self.wait(
                    contacts, person, "event_person", {"event_id": event_id, "contact_ids": saved}
                )
        return [c for c in saved if c in known]

    def _linked(self, opportunity_id: int, contact_id: int) -> bool:
        found = self.conn.scalar(
            select(opportunity_contacts.c.contact_id).where(
                opportunity_contacts.c.owner_id == self.owner,
                opportunity_contacts.c.opportunity_id == opportunity_id,
                opportunity_contacts.c.contact_id == contact_id,
            )
        )
        return found is not None

    # Links

    def _set(self, table: Table, key: str, key_value: Any, **values: Any) -> None:
        self.conn.execute(
            update(table)
            .where(table.c.owner_id == self.owner, table.c[key] == key_value)
            .values(**values)
        )

    def links(self, links: Mapping[str, list[Link]]) -> None:
        """Restore the references taken out of rows that stayed, or let each wait for the
        record it needs."""
        for link in links.get("opportunity_person", []):
            if self.needs(
                opportunities, link["opportunity_id"], "opportunity_person", link
            ) and self.needs(contacts, link["contact_id"], "opportunity_person", link):
                values = {link["field"]: link["contact_id"]}
                self._set(opportunities, "id", link["opportunity_id"], **values)
        for link in links.get("opportunity_link", []):
            if (
                self.needs(opportunities, link["opportunity_id"], "opportunity_link", link)
                and self.needs(contacts, link["contact_id"], "opportunity_link", link)
                and not self._linked(link["opportunity_id"], link["contact_id"])
            ):
                self.conn.execute(insert(opportunity_contacts).values(owner_id=self.owner, **link))
        for link in links.get("event_person", []):
            if self.needs(events, link["event_id"], "event_person", link):
                self._event_people(link["event_id"], link["contact_ids"])
        for kind, table, key, column, target in COLUMN_LINKS:
            for link in links.get(kind, []):
                if table is mail_outbox and not self.needs(mail_outbox, link[key], kind, link):
                    continue
                if self.needs(target, link[column], kind, link):
                    self._set(table, key, link[key], **{column: link[column]})
        for link in links.get("review_opportunity", []):
            self._review(link)

    def _event_people(self, event_id: int, saved: list[int]) -> None:
        current = self.conn.scalar(
            select(events.c.contact_ids).where(
                events.c.owner_id == self.owner, events.c.id == event_id
            )
        )
        people = self._people(event_id, saved)
        people += [c for c in current or [] if c not in people]
        self._set(events, "id", event_id, contact_ids=people)
        self.name_people(event_id, people)

    def name_people(self, event_id: int, people: list[int]) -> None:
        """The event_contacts rows of an event's people (the index of its contact_ids)."""
        have = set(
            self.conn.scalars(
                select(event_contacts.c.contact_id).where(
                    event_contacts.c.owner_id == self.owner, event_contacts.c.event_id == event_id
                )
            )
        )
        missing = [p for p in people if p not in have]
        if missing:
            self.conn.execute(
                insert(event_contacts),
                [{"owner_id": self.owner, "event_id": event_id, "contact_id": p} for p in missing],
            )

    def _review(self, link: Link) -> None:
        """A review item proposes the opportunities it proposed, in its order, again."""
        current = self.conn.execute(
            select(mail_review.c.candidates, mail_review.c.opportunity_id).where(
                mail_review.c.owner_id == self.owner, mail_review.c.id == link["id"]
            )
        ).first()
        if current is None:
            return
        there = self.known(opportunities, link["candidates"])
        for missing in [c for c in link["candidates"] if c not in there]:
            self.wait(opportunities, missing, "review_opportunity", link)
        candidates = [c for c in link["candidates"] if c in there]
        candidates += [c for c in current.candidates if c not in candidates]
        chosen = current.opportunity_id
        if chosen is None and link["opportunity_id"] in there:
            chosen = link["opportunity_id"]
        self._set(mail_review, "id", link["id"], candidates=candidates, opportunity_id=chosen)
