"""Read queries, shared by the Store (a short read transaction per call) and by Tx (inside the
write transaction, so a service sees its own writes before committing).

Every query filters by ``owner_id``; another user's id behaves exactly like an id that does
not exist (:class:`NotFound` or an empty result).

The reads are layered by what they read: ``store.read_people`` (users, companies, contacts),
``store.read_opportunities`` (opportunities, postings), then events and nudges here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, and_, func, or_, select

from jobnudge.bounds import known_id
from jobnudge.domain.enums import EventType, Stage
from jobnudge.domain.records import (
    Contact,
    Event,
    History,
    Nudge,
)
from jobnudge.errors import NotFound
from jobnudge.store import convert, plain_rows
from jobnudge.store.read_opportunities import OpportunityReads

# store.batch builds on the opportunity query: it stays importable from here.
from jobnudge.store.read_opportunities import _opportunity_select as _opportunity_select
from jobnudge.store.rows import AgendaRow
from jobnudge.store.tables import (
    companies,
    contacts,
    event_contacts,
    events,
    nudges,
    opportunities,
    opportunity_contacts,
)

_HEX = frozenset("0123456789abcdef")


_O, _C, _CT, _N = (
    opportunities.alias("o"),
    companies.alias("c"),
    contacts.alias("ct"),
    nudges.alias("n"),
)


def agenda_select(owner: int, until: datetime, now: datetime) -> Select[Any]:
    """Pending nudges due by ``until``, not expired at ``now``, with the names to show.

    A range scan of the ``(owner_id, due)`` index: its cost follows the agenda's length, not the
    size of the user's history. ``fastread`` runs the same statement through :mod:`sqlite3`.
    """
    o, c, ct, n = _O, _C, _CT, _N
    return (
        select(
            n.c.key,
            n.c.short_id,
            n.c.rule,
            n.c.opportunity_id,
            c.c.name.label("company"),
            o.c.role,
            n.c.contact_id,
            ct.c.name.label("contact"),
            ct.c.tz.label("contact_tz"),
            ct.c.country.label("contact_country"),
            n.c.channel,
            n.c.due,
            n.c.due_by,
            n.c.expires,
            n.c.tz,
            n.c.reason,
            n.c.message,
        )
        .select_from(n)
        .outerjoin(o, and_(o.c.owner_id == n.c.owner_id, o.c.id == n.c.opportunity_id))
        .outerjoin(c, and_(c.c.owner_id == o.c.owner_id, c.c.id == o.c.company_id))
        .outerjoin(ct, and_(ct.c.owner_id == n.c.owner_id, ct.c.id == n.c.contact_id))
        .where(
            n.c.owner_id == owner,
            n.c.due <= until,
            or_(n.c.expires.is_(None), n.c.expires > now),
        )
        .order_by(n.c.due, n.c.key)
    )


def nudges_select(owner: int, until: datetime, now: datetime) -> Select[Any]:
    """The agenda as bare nudges: the same filter and order as :func:`agenda_select`."""
    return (
        select(nudges)
        .where(
            nudges.c.owner_id == owner,
            nudges.c.due <= until,
            or_(nudges.c.expires.is_(None), nudges.c.expires > now),
        )
        .order_by(nudges.c.due, nudges.c.key)
    )


class Reader(OpportunityReads):
    """The read methods; subclasses say which connection they run on."""

    # Events

    def events(self, owner: int, opportunity_id: int | None) -> list[Event]:
        """An opportunity's events in time order (ties by id, i.e. recording order).

        ``None`` gives the events tied to no opportunity (a call with a staffing firm, a
        decision about a search-wide nudge).
        """
        with self._connect(owner) as conn:
            if opportunity_id is not None:
                self._opportunity_row(conn, owner, opportunity_id)
            return self._events(conn, owner, opportunity_id)

    def events_by_opportunity(self, owner: int) -> dict[int, list[Event]]:
        """Every event tied to an opportunity, by opportunity, each list in :meth:`events`'s
        order: one query where an import matching thousands of rows asked once a row."""
        with self._connect(owner) as conn:
            rows = conn.execute(
                select(events)
                .where(events.c.owner_id == owner, events.c.opportunity_id.is_not(None))
                .order_by(events.c.at, events.c.id)
            )
            found: dict[int, list[Event]] = {}
            for row in rows:
                event = convert.event(row)
                found.setdefault(row.opportunity_id, []).append(event)
            return found

    def _events(self, conn: Connection, owner: int, opportunity_id: int | None) -> list[Event]:
        scope = (
            events.c.opportunity_id.is_(None)
            if opportunity_id is None
            else events.c.opportunity_id == opportunity_id
        )
        rows = conn.execute(
            select(events)
            .where(events.c.owner_id == owner, scope)
            .order_by(events.c.at, events.c.id)
        )
        return [convert.event(r) for r in rows]

    def interview_events(
        self,
        owner: int,
        stages: Collection[Stage],
        types: Collection[EventType] = (EventType.SCHEDULED, EventType.INTERVIEWED),
    ) -> dict[int, list[Event]]:
        """The interviews scheduled and held (or the events of other ``types``) on the user's
        opportunities in ``stages``, by opportunity, in time order: what tells an opportunity
        with an interview ahead from one waiting on the employer, and an accepted offer from
        one still to decide."""
        with self._connect(owner) as conn:
            in_stages = select(opportunities.c.id).where(
                opportunities.c.owner_id == owner,
                opportunities.c.stage.in_([Stage(s) for s in stages]),
            )
            # Read without the column types (``plain_rows``): after a large import this is
            # tens of thousands of events, and the records are the same.
            rows = plain_rows.fetch(
                conn,
                plain_rows.event_select(
                    events.c.owner_id == owner,
                    events.c.opportunity_id.in_(in_stages),
                    events.c.type.in_(list(types)),
                ).order_by(events.c.opportunity_id, events.c.at, events.c.id),
            )
            found: dict[int, list[Event]] = {}
            for event in plain_rows.events_of(rows):
                if event.opportunity_id is not None:
                    found.setdefault(event.opportunity_id, []).append(event)
            return found

    def events_with_contact(self, owner: int, contact_id: int) -> list[Event]:
        """Every event naming the contact, on any opportunity or none, in time order."""
        with self._connect(owner) as conn:
            self._contact(conn, owner, contact_id)
            rows = conn.execute(
                select(events)
                .join(
                    event_contacts,
                    and_(
                        event_contacts.c.owner_id == events.c.owner_id,
                        event_contacts.c.event_id == events.c.id,
                    ),
                )
                .where(
                    event_contacts.c.owner_id == owner, event_contacts.c.contact_id == contact_id
                )
                .order_by(events.c.at, events.c.id)
            )
            return [convert.event(r) for r in rows]

    def event(self, owner: int, event_id: int) -> Event:
        with self._connect(owner) as conn:
            return self._event(conn, owner, event_id)

    def _event(self, conn: Connection, owner: int, event_id: int) -> Event:
        row = (
            None
            if not known_id(event_id)
            else conn.execute(
                select(events).where(events.c.owner_id == owner, events.c.id == event_id)
            ).first()
        )
        if row is None:
            raise NotFound(
                f"No event with id {event_id} for this user; check the id against the "
                "opportunity's history."
            )
        return convert.event(row)

    def count_events(self, owner: int) -> int:
        with self._connect(owner) as conn:
            count: int = (
                conn.scalar(
                    select(func.count()).select_from(events).where(events.c.owner_id == owner)
                )
                or 0
            )
            return count

    def history(self, owner: int, opportunity_id: int) -> History:
        """The opportunity, its events and the companies it involves (employer, staffing firm),
        read in one transaction so they agree with each other.
        """
        with self._connect(owner) as conn:
            opportunity = convert.opportunity(self._opportunity_row(conn, owner, opportunity_id))
            history_events = self._events(conn, owner, opportunity_id)
            ids = {opportunity.company_id, opportunity.staffing_firm_id} - {None}
            rows = conn.execute(
                select(companies).where(companies.c.owner_id == owner, companies.c.id.in_(ids))
            )
            involved = {r.id: convert.company(r) for r in rows}
        return History(opportunity=opportunity, events=tuple(history_events), companies=involved)

    def opportunity_contacts(self, owner: int, opportunity_id: int) -> list[Contact]:
        """Everyone involved in an opportunity, by name: linked contacts, contacts named in its
        events, its referrer and recruiter, and the people of its company and staffing firm.
        """
        with self._connect(owner) as conn:
            row = self._opportunity_row(conn, owner, opportunity_id)
            ids: set[int] = set(
                conn.scalars(
                    select(opportunity_contacts.c.contact_id).where(
                        opportunity_contacts.c.owner_id == owner,
                        opportunity_contacts.c.opportunity_id == opportunity_id,
                    )
                )
            )
            # A subquery on the opportunity's events, not a join: SQLite would otherwise walk
            # every event-contact row of the user (quadratic across a re-plan of all of them).
            its_events = select(events.c.id).where(
                events.c.owner_id == owner, events.c.opportunity_id == opportunity_id
            )
            ids.update(
                conn.scalars(
                    select(event_contacts.c.contact_id).where(
                        event_contacts.c.owner_id == owner,
                        event_contacts.c.event_id.in_(its_events),
                    )
                )
            )
            ids.update(i for i in (row.referrer_id, row.recruiter_id) if i is not None)
            firms = [i for i in (row.company_id, row.staffing_firm_id) if i is not None]
            found = conn.execute(
                select(contacts)
                .where(
                    contacts.c.owner_id == owner,
                    or_(contacts.c.id.in_(ids), contacts.c.company_id.in_(firms)),
                )
                .order_by(contacts.c.name_key, contacts.c.id)
            )
            return [convert.contact(r) for r in found]

    # Nudges

    def nudges(self, owner: int, *, until: datetime, now: datetime) -> list[Nudge]:
        """The agenda: pending nudges due by ``until`` and not expired at ``now``, by due."""
        query = nudges_select(owner, convert.aware(until, "until"), convert.aware(now, "now"))
        with self._connect(owner) as conn:
            return [convert.nudge(r) for r in conn.execute(query)]

    def agenda_rows(self, owner: int, until: datetime, now: datetime) -> list[AgendaRow]:
        """The agenda with company, role and contact names (what ``fastread`` returns)."""
        query = agenda_select(owner, convert.aware(until, "until"), convert.aware(now, "now"))
        with self._connect(owner) as conn:
            return [convert.agenda_row(r) for r in conn.execute(query)]

    def nudge(self, owner: int, key: str) -> Nudge:
        with self._connect(owner) as conn:
            row = conn.execute(
                select(nudges).where(nudges.c.owner_id == owner, nudges.c.key == key)
            ).first()
        if row is None:
            raise NotFound(f"No pending nudge '{key}'; it may be done or recomputed away.")
        return convert.nudge(row)

    def nudge_by_short_id(self, owner: int, prefix: str) -> list[Nudge]:
        """Pending nudges whose short id starts with ``prefix`` (several means ambiguous)."""
        wanted = prefix.strip().lower()
        if not wanted or not set(wanted) <= _HEX:
            return []
        upper = wanted[:-1] + chr(ord(wanted[-1]) + 1)
        with self._connect(owner) as conn:
            rows = conn.execute(
                select(nudges)
                .where(
                    nudges.c.owner_id == owner,
                    nudges.c.short_id >= wanted,
                    nudges.c.short_id < upper,
                )
                .order_by(nudges.c.short_id, nudges.c.key)
            )
            return [convert.nudge(r) for r in rows]

    def opportunity_nudges(self, owner: int, opportunity_id: int | None) -> list[Nudge]:
        """The pending nudges of one opportunity (``None``: the user-level ones), by due."""
        where = (
            nudges.c.opportunity_id.is_(None)
            if opportunity_id is None
            else nudges.c.opportunity_id == opportunity_id
        )
        with self._connect(owner) as conn:
            if opportunity_id is not None:
                self._opportunity_row(conn, owner, opportunity_id)
            rows = conn.execute(
                select(nudges)
                .where(nudges.c.owner_id == owner, where)
                .order_by(nudges.c.due, nudges.c.key)
            )
            return [convert.nudge(r) for r in rows]


def ids_present(conn: Connection, table: Any, owner: int, ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` name rows of ``owner`` in ``table``."""
    wanted = set(ids)
    if not wanted:
        return set()
    return set(
        conn.scalars(select(table.c.id).where(table.c.owner_id == owner, table.c.id.in_(wanted)))
    )
