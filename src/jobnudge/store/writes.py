"""Writes, available only inside ``with store.transaction() as tx:``.

A :class:`Tx` is one database transaction: everything done through it commits together when the
``with`` block ends, or not at all if it raises. It also has every read method, running inside
the same transaction, so a service can write an event, read the history back and store the
recomputed nudges atomically. References to another user's records are refused with
:class:`NotFound`, exactly as if they did not exist. After a :class:`Conflict` or any database
error the transaction is finished (PostgreSQL refuses further statements): let it propagate.

The first read or write for a user takes that user's write lock (``store.locking``), so two
transactions writing one search run one after the other, never interleaved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from jobnudge.domain.enums import (
    Channel,
    EventType,
    InterviewFormat,
    MessageKind,
)
from jobnudge.domain.records import (
    Event,
    Nudge,
    short_id,
)
from jobnudge.errors import Conflict, StoreError, UsageError
from jobnudge.store import convert
from jobnudge.store.tables import (
    contacts,
    event_contacts,
    events,
    nudges,
)
from jobnudge.store.write_base import is_unique_violation, new_id
from jobnudge.store.write_opportunities import OpportunityWrites


class Tx(OpportunityWrites):
    """The write methods (and all the reads) of one open transaction.

    Layered by what they write: ``store.write_base`` (connection, locks, users),
    ``store.write_people`` (companies, contacts), ``store.write_opportunities``; events and
    nudges here.
    """

    # Events

    def add_event(
        self,
        owner: int,
        *,
        opportunity_id: int | None,
        type: EventType,
        at: datetime,
        tz: str = "UTC",
        contact_ids: Iterable[int] = (),
        channel: Channel | None = None,
        kind: MessageKind | None = None,
        round: int | None = None,
        format: InterviewFormat | None = None,
        scheduled_for: datetime | None = None,
        decision_by: date | None = None,
        prefers: Channel | None = None,
        note: str = "",
        nudge_key: str | None = None,
        until: datetime | None = None,
        body: str = "",
        date_unknown: bool = False,
    ) -> Event:
        """Record an event (the database assigns its id) and refresh the opportunity's stage.

        ``opportunity_id`` None records an event about contacts alone (a staffing firm) or a
        decision about a search-wide nudge. Keyword names are those of :class:`Event`.
        """
        self.touch(owner)
        if opportunity_id is not None:
            self.opportunity(owner, opportunity_id)
        else:
            self._require_owner(owner)
        people = tuple(dict.fromkeys(contact_ids))
        self._require(contacts, owner, people, "contact_ids")
        if decision_by is not None and (
            isinstance(decision_by, datetime) or not isinstance(decision_by, date)
        ):
            raise UsageError(f"decision_by must be a date, not {decision_by!r}.")
        values = {
            "owner_id": owner,
            "opportunity_id": opportunity_id,
            "type": convert.member(EventType, type, "type"),
            "at": convert.aware(at, "at"),
            "date_unknown": bool(date_unknown),
            "tz": convert.zone(tz, "tz"),
            "contact_ids": list(people),
            "channel": convert.maybe_member(Channel, channel, "channel"),
            "kind": convert.maybe_member(MessageKind, kind, "kind"),
            "round": convert.maybe_whole(round, "round", minimum=1),
            "format": convert.maybe_member(InterviewFormat, format, "format"),
            "scheduled_for": convert.maybe_aware(scheduled_for, "scheduled_for"),
            "decision_by": decision_by,
            "prefers": convert.maybe_member(Channel, prefers, "prefers"),
            "note": convert.clean_text(note, "note"),
            "nudge_key": nudge_key,
            "until": convert.maybe_aware(until, "until"),
            "body": convert.clean_text(body, "body"),
            "created_at": self._now,
        }
        event_id = new_id(self._execute(insert(events).values(**values)))
        if people:
            self._execute(
                insert(event_contacts),
                [{"owner_id": owner, "event_id": event_id, "contact_id": c} for c in people],
            )
        if opportunity_id is not None:
            self.refresh_stage(owner, opportunity_id)
        return self.event(owner, event_id)

    def delete_event(self, owner: int, event_id: int) -> Event:
        """Remove an event (an undo), refresh the stage, and return what was removed."""
        self.touch(owner)
        removed = self.event(owner, event_id)
        self._execute(
            delete(event_contacts).where(
                event_contacts.c.owner_id == owner, event_contacts.c.event_id == event_id
            )
        )
        self._execute(delete(events).where(events.c.owner_id == owner, events.c.id == event_id))
        if removed.opportunity_id is not None:
            self.refresh_stage(owner, removed.opportunity_id)
        return removed

    # Nudges

    def replace_nudges(self, owner: int, opportunity_id: int | None, new: Sequence[Nudge]) -> None:
        """Make ``new`` the pending nudges of one opportunity (``None``: the user-level ones).

        The opportunity's previous rows are deleted first, so recomputing is idempotent. Every
        nudge must belong to that opportunity; keys must be unique for the user.
        """
        self.touch(owner)
        self._require_owner(owner)
        if opportunity_id is not None:
            self.opportunity(owner, opportunity_id)
        for item in new:
            if item.opportunity_id != opportunity_id:
                raise ValueError(
                    f"nudge {item.key!r} belongs to opportunity {item.opportunity_id}, "
                    f"not {opportunity_id}"
                )
        self._require(contacts, owner, (n.contact_id for n in new), "contact_id")
        rows = [
            {
                "owner_id": owner,
                "key": item.key,
                "short_id": short_id(item.key),
                "rule": item.rule,
                "opportunity_id": item.opportunity_id,
                "contact_id": item.contact_id,
                "channel": convert.maybe_member(Channel, item.channel, "channel"),
                "due": convert.aware(item.due, "due"),
                "due_by": convert.maybe_aware(item.due_by, "due_by"),
                "expires": convert.maybe_aware(item.expires, "expires"),
                "tz": convert.zone(item.tz, "tz"),
                "reason": item.reason,
                "message": item.message,
                "anchor_event_id": item.anchor_event_id,
                "computed_at": self._now,
            }
            for item in new
        ]
        scope = (
            nudges.c.opportunity_id.is_(None)
            if opportunity_id is None
            else nudges.c.opportunity_id == opportunity_id
        )
        if len({row["key"] for row in rows}) < len(rows):
            raise Conflict(
                "Two follow-ups computed together share a key (keys must be unique for a "
                "user); this is a bug in the rule that made them."
            )
        self._execute(delete(nudges).where(nudges.c.owner_id == owner, scope))
        if rows:
            try:
                self._conn.execute(insert(nudges), rows)
            except IntegrityError as exc:
                if not is_unique_violation(exc):
                    raise
                raise StoreError(
                    "A follow-up with the same key was already stored for this user, by "
                    "another program writing at the same moment or for another opportunity; "
                    "nothing was written. Run the command again; if this repeats, run "
                    "`nudge replan`."
                ) from exc
