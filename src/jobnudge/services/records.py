"""Recording the search: opportunities, contacts and events, each write one transaction that
also brings the nudges up to date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from jobnudge import bounds, typography
from jobnudge.domain import (
    Channel,
    Company,
    Contact,
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
from jobnudge.services.lookup import Outcome as Outcome
from jobnudge.services.lookup import contact as contact
from jobnudge.services.lookup import contact_or_new
from jobnudge.services.lookup import opportunity as opportunity
from jobnudge.timeparse import happened

EVENT_WORDS = words.EVENT_WORDS

if TYPE_CHECKING:
    from jobnudge.postings.findings import Reading
    from jobnudge.services.session import Session
    from jobnudge.store import Tx


# The role a person named on an event gets when the name is new.
_ROLE_FOR = {
    EventType.SCHEDULED: Role.INTERVIEWER,
    EventType.INTERVIEWED: Role.INTERVIEWER,
    EventType.REFERENCES: Role.REFERENCE,
}


def add_opportunity(
    session: Session,
    company: str,
    role: str,
    *,
    applied: datetime | None = None,
    via: Channel | None = None,
    posting: str = "",
    source: str = "",
    responds_within: int | None = None,
    prefers: Channel | None = None,
    referred_by: str | None = None,
    staffing_firm: str | None = None,
    recruiter: str | None = None,
    contacts: Sequence[str] = (),
    priority: int = 0,
    notes: str = "",
    again: bool = False,
    reading: Reading | None = None,
) -> Outcome:
    """Track an opportunity; with ``reading`` (a posting the user confirmed) its values fill
    what was not given and the posting is kept with it."""
    from jobnudge.services import postings, validate

    if reading is not None:
        company = company or str(reading.value("company", ""))
        role = role or str(reading.value("title", ""))
        posting = posting or reading.url
        said = reading.value("responds_within")
        if responds_within is None and isinstance(said, int):
            responds_within = said
        if prefers is None and reading.value("prefers"):
            prefers = validate.channel(str(reading.value("prefers")), "prefers")
        name = reading.value("contact_name")
        if name and not any(typography.same_name(c, str(name)) for c in contacts):
            contacts = [*contacts, str(name)]
    if not company:
        raise UsageError(
            "COMPANY: the posting does not name the employer; give it: "
            'nudge add "Company" "Role" --posting ...'
        )
    if not role:
        raise UsageError(
            'ROLE: the posting does not name the role; give it: nudge add "Company" "Role" ...'
        )
    company = validate.name(company, "COMPANY")
    role = validate.name(role, "ROLE")
    if applied is not None:
        happened(applied, field="--applied", now=session.now, tz=session.tz)
    if recruiter and not staffing_firm:
        staffing_firm = None  # a recruiter at the employer itself
    out = Outcome()
    with session.store.transaction() as tx:
        firm = tx.find_company(session.owner, company)
        if not again:
            same = postings.duplicates(
                session,
                tx,
                company=company,
                role=role,
                url=posting,
                text=reading.text if reading is not None else "",
                firm=staffing_firm or "",
                location=str(reading.value("location", "")) if reading is not None else "",
            )
            if same:
                raise Conflict(postings.warning(same, session.tz))
        employer = firm or tx.add_company(session.owner, company)
        fields: dict[str, Any] = {
            "company_id": employer.id,
            "role": role,
            "posting_url": posting,
            "source": source,
            "responds_within_days": responds_within,
            "prefers": prefers,
            "priority": priority,
            "notes": notes,
        }
        if reading is not None:
            fields["posting_terms"] = postings.terms_of(reading.findings)
        if referred_by:
            person = contact_or_new(
                session,
                tx,
                validate.name(referred_by, "--referred-by"),
                company_id=None,
                role=Role.REFERRER,
                made=out.created_contacts,
            )
            fields["referrer_id"] = person.id
        if staffing_firm:
            agency = tx.get_or_add_company(
                session.owner,
                validate.name(staffing_firm, "--staffing-firm"),
                is_staffing_firm=True,
            )
            fields["staffing_firm_id"] = agency.id
        if recruiter:
            person = contact_or_new(
                session,
                tx,
                validate.name(recruiter, "--recruiter"),
                company_id=fields.get("staffing_firm_id", employer.id),
                role=Role.STAFFING if staffing_firm else Role.RECRUITER,
                made=out.created_contacts,
            )
            fields["recruiter_id"] = person.id
        elif staffing_firm:
            desk = _firm_desk(session, tx, agency, out)
            fields["recruiter_id"] = desk.id
        created = tx.add_opportunity(session.owner, **fields)
        if reading is not None:
            tx.keep_posting(
                session.owner,
                created.id,
                url=reading.url or posting,
                text=reading.text,
                page=reading.page,
                findings=postings.findings_doc(reading.findings),
            )
        linked = [fields.get("referrer_id"), fields.get("recruiter_id")]
        for name in contacts:
            person = contact_or_new(
                session,
                tx,
                validate.name(name, "--contact"),
                company_id=employer.id,
                role=Role.RECRUITER,
                made=out.created_contacts,
            )
            linked.append(person.id)
        for contact_id in linked:
            if contact_id is not None:
                tx.link_contact(session.owner, created.id, contact_id)
        if applied is not None:
            out.event = tx.add_event(
                session.owner,
                opportunity_id=created.id,
                type=EventType.APPLIED,
                at=applied,
                tz=session.tz,
                channel=via,
            )
        out.stage = nudges.refresh(session.store, tx, session.owner, created.id, session.settings)
        nudges.refresh_search(session.store, tx, session.owner, session.settings, session.now)
        out.opportunity = tx.opportunity(session.owner, created.id)
    return out


def _firm_desk(session: Session, tx: Tx, firm: Company, out: Outcome) -> Contact:
    """Whom to reach at a staffing firm when no recruiter is named: someone already on record
    there (a staffing contact first), else the firm itself as the addressee. Follow-ups through
    a firm go to the firm (PLAYBOOK), so it must be someone the plan can address."""
    at_firm = tx.contacts(session.owner, company_id=firm.id)
    for c in at_firm:
        if Role.STAFFING in c.roles:
            return c
    if at_firm:
        return at_firm[0]
    created = tx.add_contact(
        session.owner, name=firm.name, company_id=firm.id, roles=frozenset({Role.STAFFING})
    )
    out.created_contacts.append(created)
    return created


def add_contact(
    session: Session, name: str, *, company: str | None = None, **fields: Any
) -> Outcome:
    from jobnudge.services import validate

    name = validate.name(name, "NAME")
    with session.store.transaction() as tx:
        same = [
            c for c in tx.find_contacts(session.owner, name) if typography.same_name(c.name, name)
        ]
        company_id = None
        if company:
            company_id = tx.get_or_add_company(
                session.owner, validate.name(company, "--company")
            ).id
        if any(c.company_id == company_id for c in same):
            raise Conflict(
                f"NAME: {name} is already a contact; change them with "
                f'`nudge contact edit "{name}" ...`.'
            )
        created = tx.add_contact(session.owner, name=name, company_id=company_id, **fields)
        _refresh_involving(session, tx, created)
    return Outcome(contact=created)


def edit_contact(
    session: Session, ref: str, *, company: str | None = None, **fields: Any
) -> Outcome:
    """Change a contact; the nudges of every opportunity they take part in follow."""
    with session.store.transaction() as tx:
        person = contact(session, ref, tx)
        if company:
            fields["company_id"] = tx.get_or_add_company(session.owner, company).id
        changed = tx.update_contact(session.owner, person.id, **fields)
        _refresh_involving(session, tx, changed)
    return Outcome(contact=changed)


def tune_opportunity(
    session: Session, ref: str, changes: Mapping[str, float | None]
) -> tuple[Opportunity, dict[str, float]]:
    """Override playbook numbers for one opportunity (None removes an override) and re-plan."""
    from dataclasses import replace

    from jobnudge.config import check_numbers, check_pairs
    from jobnudge.errors import ConfigError

    opp, _stage = opportunity(session, ref)
    merged = {k: float(v) for k, v in opp.settings.items()}
    try:
        merged.update(check_numbers({k: v for k, v in changes.items() if v is not None}, "SETTING"))
    except ConfigError as exc:
        raise UsageError(exc.message) from None
    for name, value in changes.items():
        if value is None:
            merged.pop(name, None)
    try:  # the overrides with the user's other numbers must not contradict each other
        check_pairs(replace(session.settings.playbook, **merged), "SETTING")
    except ConfigError as exc:
        raise UsageError(exc.message) from None
    with session.store.transaction() as tx:
        tx.update_opportunity(session.owner, opp.id, settings=merged)
        nudges.refresh(session.store, tx, session.owner, opp.id, session.settings)
        changed = tx.opportunity(session.owner, opp.id)
    return changed, merged


def _refresh_involving(session: Session, tx: Tx, person: Contact) -> None:
    """Re-plan every opportunity this person may take part in: whom to write to, their zone
    and their holidays all shape the nudges."""
    for opp, _stage in tx.opportunities(session.owner):
        involved = person.company_id in (opp.company_id, opp.staffing_firm_id) or any(
            c.id == person.id for c in tx.opportunity_contacts(session.owner, opp.id)
        )
        if involved:
            nudges.refresh(session.store, tx, session.owner, opp.id, session.settings)
    nudges.refresh_search(session.store, tx, session.owner, session.settings, session.now)


def _kind_from_pending(
    tx: Tx, owner: int, opportunity_id: int, people: Sequence[Contact]
) -> MessageKind | None:
    """The kind of a message logged without one: what the soonest pending nudge to those people
    asks for (a thank-you after an interview, a status question after silence), else unknown."""
    from jobnudge.services.drafting import KIND_FOR_RULE

    wanted = {p.id for p in people}
    pending = [
        n
        for n in tx.opportunity_nudges(owner, opportunity_id)
        if n.rule in KIND_FOR_RULE and (not wanted or n.contact_id in wanted)
    ]
    soonest = min(pending, key=lambda n: n.due, default=None)
    return KIND_FOR_RULE[soonest.rule] if soonest else None


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
) -> Outcome:
    """Record what happened on an opportunity; the playbook re-plans its follow-ups.

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
    moment = at or session.now
    happened(
        moment,
        field="--at",
        now=session.now,
        tz=session.tz,
        advice="a future interview is `scheduled --for WHEN`",
    )
    if scheduled_for is not None and scheduled_for < moment:
        raise UsageError(
            "--for: that time had already passed when it was scheduled; an interview that took "
            "place is logged as `interviewed --at WHEN`."
        )
    opp, _stage = opportunity(session, ref)
    out = Outcome()
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
            message_kind = _kind_from_pending(tx, session.owner, opp.id, people)
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
