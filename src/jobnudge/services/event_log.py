"""Logging an event on an opportunity: the words a person types for it, the checks that refuse a
duplicate interview or a second answer to a settled offer, and the re-plan that follows. Apart
from the records it names (services.records) since this is the one write most commands make."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from jobnudge import bounds
from jobnudge.domain import (
    Channel,
    Event,
    EventType,
    InterviewFormat,
    MessageKind,
    Opportunity,
    Role,
    words,
)
from jobnudge.errors import Conflict, UsageError
from jobnudge.services import nudges
from jobnudge.services.lookup import Outcome, contact_or_new, opportunity
from jobnudge.services.message_kinds import KindPick, held_as_scheduled, pick
from jobnudge.timeparse import happened

if TYPE_CHECKING:
    from jobnudge.services.session import Session
    from jobnudge.store import Tx


EVENT_WORDS = words.EVENT_WORDS


# The role a person named on an event gets when the name is new.
_ROLE_FOR = {
    EventType.SCHEDULED: Role.INTERVIEWER,
    EventType.INTERVIEWED: Role.INTERVIEWER,
    EventType.REFERENCES: Role.REFERENCE,
}


@dataclass
class Logged(Outcome):
    """What logging an event did, with what was decided for the user (said back to them)."""

    as_scheduled: Event | None = None  # the scheduled interview whose time dates this one
    kind: KindPick | None = None  # how a message logged without its kind was recorded


class DuplicateInterview(Conflict):
    """An interview is already scheduled for that minute on that opportunity."""

    def __init__(self, message: str, existing: Event) -> None:
        super().__init__(message)
        self.existing = existing


def same_minute(a: datetime, b: datetime) -> bool:
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


def _refuse_duplicate(session: Session, tx: Tx, opp: Opportunity, moment: datetime) -> None:
    from jobnudge.playbook.wording import moment as spoken

    for existing in tx.events(session.owner, opp.id):
        if (
            existing.type is EventType.SCHEDULED
            and existing.scheduled_for is not None
            and same_minute(existing.scheduled_for, moment)
        ):
            raise DuplicateInterview(
                f"--for: an interview on {opp.company} — {opp.role} is already scheduled for "
                f"{spoken(moment, session.tz)} (entry #{existing.id}); to record a second one "
                "at the same time anyway, add --again.",
                existing,
            )


def log_event(
    session: Session,
    ref: str,
    word: str,
    *,
    at: datetime | None = None,
    with_: Sequence[str] = (),
    round_: int | None = None,
    kind: str | None = None,
    scheduled_for: datetime | None = None,
    decision_by: date | None = None,
    prefers: Channel | None = None,
    channel: Channel | None = None,
    note: str = "",
    body: str = "",
    again: bool = False,
) -> Logged:
    """Record what happened on an opportunity; the playbook re-plans its follow-ups.

    An interview logged without ``at`` the same day after one was scheduled took place at the
    scheduled time; a message logged without its kind completes a pending follow-up only when
    it can be no other (``services.message_kinds``); ``Logged`` says which.

    A second interview scheduled for the same minute as one already recorded is refused with
    :class:`DuplicateInterview` (usually the same invitation logged twice) unless ``again``.
    """
    from jobnudge.services import validate

    key = validate.event(word)
    event_type, default_channel = EVENT_WORDS[key]
    fmt: InterviewFormat | None = None
    message_kind: MessageKind | None = None
    if event_type in (EventType.SCHEDULED, EventType.INTERVIEWED):
        fmt = validate.interview_format(kind)
    elif event_type in (EventType.SENT, EventType.RECEIVED):
        message_kind = validate.message_kind(kind)
    elif kind:
        raise UsageError(f"--kind: '{key}' events take no kind; leave --kind out.")
    if event_type is EventType.SCHEDULED and scheduled_for is None:
        raise UsageError(
            "--for: say when the interview takes place, e.g. --for 'next tuesday 10am'."
        )
    if scheduled_for is not None and event_type is not EventType.SCHEDULED:
        raise UsageError("--for: only a 'scheduled' interview has a --for time; use --at instead.")
    if round_ is not None and round_ < 1:
        raise UsageError("--round: rounds count from 1.")
    if round_ is not None:
        bounds.whole(round_, "--round", minimum=1, maximum=bounds.MAX_ROUND)
    if event_type is EventType.REFERENCES and not with_:
        raise UsageError("--with: name the references you gave, e.g. --with 'Pat Kim'.")
    if key in ("called", "voicemail") and channel not in (None, default_channel):
        raise UsageError(f"--channel: '{key}' is always by {default_channel}; leave --channel out.")
    opp, _stage = opportunity(session, ref)
    out = Logged()
    if event_type is EventType.INTERVIEWED and at is None:
        out.as_scheduled = held_as_scheduled(
            session.store.events(session.owner, opp.id), session.now, session.tz
        )
        at = out.as_scheduled.scheduled_for if out.as_scheduled else None
    moment = at or session.now
    happened(
        moment,
        field="--at",
        now=session.now,
        tz=session.tz,
        advice="a future interview is `scheduled --for WHEN`"
        if event_type is EventType.INTERVIEWED
        else "",
    )
    if scheduled_for is not None and scheduled_for < moment:
        raise UsageError(
            "--for: that time had already passed when it was scheduled; an interview that took "
            "place is logged as `interviewed --at WHEN`."
        )
    _decided_after(decision_by, moment, session.tz)
    with session.store.transaction() as tx:
        if event_type in (EventType.ACCEPTED, EventType.DECLINED):
            _require_open_offer(tx.events(session.owner, opp.id), opp, key, moment)
        role = _ROLE_FOR.get(event_type, Role.RECRUITER)
        company_id = None if event_type is EventType.REFERENCES else opp.company_id
        people = [
            contact_or_new(
                session,
                tx,
                validate.name(n, "--with"),
                company_id=company_id,
                role=role,
                made=out.created_contacts,
            )
            for n in with_
        ]
        if event_type is EventType.SCHEDULED and scheduled_for is not None and not again:
            _refuse_duplicate(session, tx, opp, scheduled_for)
        for person in people:
            tx.link_contact(session.owner, opp.id, person.id)
        if event_type is EventType.SENT and message_kind is None:
            out.kind = pick(tx, session.owner, opp.id, people, moment)
            message_kind = out.kind.kind
        out.event = tx.add_event(
            session.owner,
            opportunity_id=opp.id,
            type=event_type,
            at=moment,
            tz=session.tz,
            contact_ids=tuple(p.id for p in people),
            channel=channel or default_channel,
            kind=message_kind,
            round=round_,
            format=fmt,
            scheduled_for=scheduled_for,
            decision_by=decision_by,
            prefers=prefers,
            note=note,
            body=body,
        )
        out.stage = nudges.refresh(session.store, tx, session.owner, opp.id, session.settings)
        nudges.refresh_search(session.store, tx, session.owner, session.settings, session.now)
        out.opportunity = opp
    return out


def _decided_after(decision_by: date | None, moment: datetime, tz: str) -> None:
    """Refuse a decision date on or before the day it was stated: nobody says "we decide by
    Friday" meaning that same day or one already gone, so it is a slip of the date."""
    from zoneinfo import ZoneInfo

    from jobnudge.weekdays import shown

    said = moment.astimezone(ZoneInfo(tz)).date()
    if decision_by is None or decision_by > said:
        return
    raise UsageError(
        f"--decision-by: {shown(decision_by)} is not after the day it was said "
        f"({shown(said)}); give the day they will decide by, e.g. 'next friday' or "
        f"'{(said + timedelta(days=7)).isoformat()}'."
    )


def _require_open_offer(
    events: Sequence[Event], opp: Opportunity, word: str, moment: datetime
) -> None:
    """Accepting or declining answers an offer: one must have been made before ``moment`` and
    not already be answered, rescinded or withdrawn from."""
    before = [e for e in events if e.at <= moment]
    offers = [e for e in before if e.type is EventType.OFFER]
    ended = {
        EventType.ACCEPTED: "accepted",
        EventType.DECLINED: "declined",
        EventType.REJECTED: "rescinded",
        EventType.WITHDRAWN: "withdrawn from",
        EventType.NO_RESPONSE: "closed",
    }
    if not offers:
        raise UsageError(
            f"EVENT: '{word}' answers an offer, and #{opp.id} {opp.company} has none before "
            f"that moment; log the offer first (`nudge log {opp.id} offer`)."
        )
    answered = [e for e in before if e.at >= offers[-1].at and e.type in ended]
    if answered:
        raise UsageError(
            f"EVENT: the offer from {opp.company} was already {ended[answered[-1].type]}; "
            "delete that entry first if it was a mistake."
        )
