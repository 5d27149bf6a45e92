"""Keeping the materialised nudges true to the events, and reading the agenda.

Every write that changes an opportunity's events calls :func:`refresh` inside the same
transaction, so the stored nudges never disagree with the history they come from.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from jobnudge import bounds
from jobnudge.config import Settings
from jobnudge.domain import (
    Channel,
    Company,
    Contact,
    Event,
    EventType,
    Nudge,
    Role,
    Stage,
    stage_of,
)
from jobnudge.errors import Ambiguous, NotFound
from jobnudge.playbook import guards, wording
from jobnudge.store.rows import AgendaRow

if TYPE_CHECKING:
    from jobnudge.playbook.rules_search import Search
    from jobnudge.services.session import Session
    from jobnudge.store import Store, Tx
    from jobnudge.store.batch import UserRecords

SEARCH_WIDE = None  # the opportunity id under which search-wide nudges are stored


def refresh(store: Store, tx: Tx, owner: int, opportunity_id: int, settings: Settings) -> Stage:
    """Recompute one opportunity's nudges and stage from its events; return the stage."""
    from jobnudge.playbook.engine import derive

    history = tx.history(owner, opportunity_id)
    contacts = {c.id: c for c in tx.opportunity_contacts(owner, opportunity_id)}
    stage = stage_of(history.events)
    tx.set_stage(owner, opportunity_id, stage)
    tx.replace_nudges(owner, opportunity_id, derive(history, contacts, settings))
    return stage


def refresh_search(store: Store, tx: Tx, owner: int, settings: Settings, now: datetime) -> None:
    """Recompute the search-wide nudges (staffing firms, the weekly pipeline review)."""
    from jobnudge.playbook.engine import derive_search
    from jobnudge.store import batch

    stages = batch.stages(tx, owner)
    people = tx.contacts(owner)
    companies = batch.companies_of(tx, owner, (c.company_id for c in people if c.company_id))
    firms = [(c, _staffing_firm(c, companies)) for c in people]
    touched = batch.last_touches(tx, owner, [c.id for c, firm in firms if firm is not None])
    staffing = [(c, firm, touched.get(c.id)) for c, firm in firms if firm is not None]
    active = [s for s in Stage if s.is_active]
    offers = tx.interview_events(owner, [Stage.OFFER], (EventType.ACCEPTED,))
    search = _search(
        stages,
        staffing,
        tx.events(owner, None),
        tx.interview_events(owner, active),
        {oid: found[-1].at for oid, found in offers.items() if found},
    )
    tx.replace_nudges(owner, SEARCH_WIDE, derive_search(search, settings, now))


def _staffing_firm(contact: Contact, companies: Mapping[int, Company]) -> str | None:
    """The firm's name when ``contact`` works for a staffing firm (or is one), else None."""
    firm = companies.get(contact.company_id) if contact.company_id else None
    if Role.STAFFING in contact.roles or (firm is not None and firm.is_staffing_firm):
        return firm.name if firm else "staffing firm"
    return None


def _search(
    stages: Mapping[int, Stage],
    staffing: Sequence[tuple[Contact, str, datetime | None]],
    loose: Sequence[Event],
    interviews: Mapping[int, Sequence[Event]],
    accepted: Mapping[int, datetime],
) -> Search:
    from jobnudge.playbook.rules_search import Search

    decisions = [e for e in loose if e.type in DECISIONS]
    return Search(
        stages=stages,
        staffing=staffing,
        decisions=decisions,
        interviews=interviews,
        accepted=accepted,
    )


DECISIONS = (EventType.NUDGE_DONE, EventType.NUDGE_DISMISSED, EventType.NUDGE_SNOOZED)
INTERVIEWS = (EventType.SCHEDULED, EventType.INTERVIEWED)


def search_of(records: UserRecords, stages: Mapping[int, Stage]) -> Search:
    """What :func:`refresh_search` reads, taken from a whole-user read (``batch.read_user``)
    and the stages just computed: no query of its own."""
    staffing = []
    for contact in records.contacts:
        firm = _staffing_firm(contact, records.companies)
        if firm is not None:
            staffing.append((contact, firm, records.last_touch.get(contact.id)))
    interviews: dict[int, list[Event]] = {}
    accepted: dict[int, datetime] = {}
    for history, _people in records.plans:
        oid = history.opportunity.id
        if stages[oid].is_active:
            held = [e for e in history.events if e.type in INTERVIEWS]
            if held:
                interviews[oid] = held
        elif stages[oid] is Stage.OFFER:
            yes = [e.at for e in history.events if e.type is EventType.ACCEPTED]
            if yes:
                accepted[oid] = max(yes)
    return _search(dict(stages), staffing, records.loose, interviews, accepted)


SMALL = 20
"""Up to this many opportunities are refreshed one by one; more are read and written in bulk
(``store.batch``), which reads the whole user once."""


def refresh_many(
    store: Store, tx: Tx, owner: int, settings: Settings, only: Collection[int] | None = None
) -> int:
    """Recompute the nudges and stages of many opportunities (all of the user's with ``only``
    None) in bulk: the user's records read once, stages and nudges written in one statement
    each. Gives exactly what :func:`refresh` gives one by one; returns the count."""
    from jobnudge.playbook.engine import derive
    from jobnudge.store import batch

    if only is not None and len(only) <= SMALL:
        for opportunity_id in sorted(only):
            refresh(store, tx, owner, opportunity_id, settings)
        return len(only)
    plans = batch.read_plans(tx, owner, only)
    stages: dict[int, Stage] = {}
    planned: dict[int, list[Nudge]] = {}
    for history, contacts in plans:
        oid = history.opportunity.id
        stages[oid] = stage_of(history.events)
        planned[oid] = derive(history, contacts, settings)
    batch.write_plans(tx, owner, stages, planned)
    return len(plans)


def refresh_all(session: Session) -> int:
    """Recompute every opportunity of the user (after a settings change), and the search-wide
    nudges; return the count. The user's records are read once (``batch.read_user``: the
    search-wide rules read the same records, not queries of their own) and every stage and
    nudge written in a handful of statements (``batch.write_plans``)."""
    from jobnudge.store import batch

    with session.store.transaction() as tx:
        records = batch.read_user(tx, session.owner)
        return replan_records(tx, session.owner, records, session.settings, session.now)


def replan_records(
    tx: Tx, owner: int, records: UserRecords, settings: Settings, now: datetime
) -> int:
    """Plan the whole user from ``records`` (read in ``tx``: ``batch.read_user``, or many users'
    at once in ``batch_users.read_users``) and store it in ``tx``; the opportunities' count."""
    from jobnudge.playbook.engine import derive, derive_search
    from jobnudge.store import batch

    stages: dict[int, Stage] = {}
    planned: dict[int, list[Nudge]] = {}
    for history, contacts in records.plans:
        oid = history.opportunity.id
        stages[oid] = stage_of(history.events)
        planned[oid] = derive(history, contacts, settings)
    search = derive_search(search_of(records, stages), settings, now)
    batch.write_plans(
        tx,
        owner,
        stages,
        planned,
        search_wide=search,
        stored_stages=records.stored_stages,
    )
    return len(records.plans)


def replan_after_settings(session: Session, *, settings_stored: bool) -> int:
    """Re-plan after the user's settings changed; the number of opportunities concerned.

    With the job queue on (``services.jobs``) and the settings kept in the database (accounts,
    where a worker can read them), the re-plan is queued as a ``replan`` job for the workers
    and the page returns at once; otherwise it runs here, as before."""
    from jobnudge.services import jobs

    if settings_stored and jobs.queue_on(session.store):
        jobs.submit(session.store, "replan", owner=session.owner)
        return len(session.store.all_opportunity_ids(session.owner))
    return refresh_all(session)


@dataclass(frozen=True)
class AgendaItem:
    """A nudge as the agenda shows it: the names to read and whether to act now."""

    row: AgendaRow
    nudge: Nudge
    group: str  # "overdue", "today" or "upcoming"

    @property
    def ok_now(self) -> bool:
        return self.nudge.ok_now


def anchor_of(key: str) -> int | None:
    """The event a nudge is about, from its key (``rule:opportunity:contact:anchor``): the
    agenda's rows do not carry it, and a draft must speak of that event, not the latest one.
    Search-wide keys (``rule:user:contact:slot``) have none."""
    parts = key.split(":")
    if len(parts) != 4 or parts[1] == "user" or not bounds.is_digits(parts[3]):
        return None
    return int(parts[3])


def nudge_of(row: AgendaRow) -> Nudge:
    return Nudge(
        key=row.key,
        rule=row.rule,
        opportunity_id=row.opportunity_id,
        contact_id=row.contact_id,
        channel=row.channel,
        due=row.due,
        due_by=row.due_by,
        reason=row.reason,
        tz=row.tz,
        expires=row.expires,
        message=row.message,
        anchor_event_id=anchor_of(row.key),
    )


def assess(rows: Sequence[AgendaRow], settings: Settings, now: datetime) -> list[AgendaItem]:
    """Attach to each row the guards acting now would break, and its agenda group."""
    from jobnudge.playbook import acting

    today_end = acting.today_end(now, settings.profile.tz)
    items = []
    for row in rows:
        nudge = guards.assess(
            nudge_of(row), row.contact_country or settings.profile.country, settings.playbook, now
        )
        group = acting.group(row.due, row.due_by, now, today_end)
        items.append(AgendaItem(row=row, nudge=nudge, group=group))
    return items


def assess_in(row: AgendaRow, channel: Channel | None, settings: Settings, now: datetime) -> Nudge:
    """``row``'s nudge with the guards acting now would break when it is done through
    ``channel`` rather than its own (a call or voicemail asked for instead of an email keeps
    to the contact's call hours, guard.call-hours); its own channel when ``channel`` is None."""
    from dataclasses import replace

    nudge = nudge_of(row) if channel is None else replace(nudge_of(row), channel=channel)
    country = row.contact_country or settings.profile.country
    return guards.assess(nudge, country, settings.playbook, now)


def agenda(session: Session, days: int = 7) -> list[AgendaItem]:
    until = session.now + timedelta(days=days)
    rows = session.store.agenda_rows(session.owner, until, session.now)
    return assess(rows, session.settings, session.now)


def find(session: Session, handle: str) -> AgendaRow:
    """A pending nudge by the short id shown in the agenda (any unambiguous prefix)."""
    cleaned = handle.strip().lower()
    if len(cleaned) < 3:
        raise NotFound(
            f"NUDGE: '{handle}' is too short; type at least 3 characters of the id "
            "shown by `nudge today`."
        )
    far = session.now + timedelta(days=3660)
    rows = [
        r
        for r in session.store.agenda_rows(session.owner, far, session.now)
        if r.short_id.startswith(cleaned)
    ]
    if not rows:
        raise NotFound(
            f"NUDGE: no pending follow-up has the id '{handle}'; "
            "`nudge today` and `nudge list --all` show the ids."
        )
    if len(rows) > 1:
        listed = "; ".join(
            f"{r.short_id} “{wording.title(r.rule)}” ({r.company or 'search'})" for r in rows
        )
        raise Ambiguous(
            f"NUDGE: '{handle}' matches several follow-ups: {listed}. Type more of the id."
        )
    return rows[0]


def decide(
    session: Session,
    handle: str,
    decision: EventType,
    *,
    until: datetime | None = None,
    note: str = "",
) -> AgendaRow:
    """Mark a nudge done, snooze it or dismiss it: recorded as an event, like everything else."""
    row = find(session, handle)
    with session.store.transaction() as tx:
        tx.add_event(
            session.owner,
            opportunity_id=row.opportunity_id,
            type=decision,
            at=session.now,
            tz=session.tz,
            nudge_key=row.key,
            until=until,
            note=note,
        )
        if row.opportunity_id is None:
            refresh_search(session.store, tx, session.owner, session.settings, session.now)
        else:
            refresh(session.store, tx, session.owner, row.opportunity_id, session.settings)
    return row
