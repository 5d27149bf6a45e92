"""Everything a draft may say, gathered from the records once, so templates never look things up.

``context_for`` is the bridge from the playbook's ``Nudge`` to a template: it picks the interview
the nudge is about, who was met, what was discussed and what the employer said about timing.
Templates only see what is here; anything missing becomes a marked ``[[...]]`` slot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from jobnudge.config import Profile, Settings
from jobnudge.domain.enums import Channel, EventType, InterviewFormat, Stage
from jobnudge.domain.provenance import user_words
from jobnudge.domain.records import (
    Company,
    Contact,
    Event,
    History,
    Nudge,
    Opportunity,
    stage_of,
)

_STEPS = (
    EventType.APPLIED,
    EventType.SCHEDULED,
    EventType.INTERVIEWED,
    EventType.OFFER,
    EventType.ACCEPTED,
    EventType.DECLINED,
    EventType.REJECTED,
    EventType.WITHDRAWN,
    EventType.NO_RESPONSE,
)

_NOT_TO_EMPLOYER = frozenset(
    {"referral.update", "references.heads-up", "references.thanks", "staffing.keep-in-touch"}
)


@dataclass(frozen=True, slots=True)
class DraftContext:
    """The facts a draft for one nudge may use. Frozen: a draft is a pure function of it."""

    rule: str
    profile: Profile
    now: datetime  # aware; dates are worded relative to it
    opportunity: Opportunity | None = None
    company: Company | None = None  # the employer
    staffing_firm: Company | None = None
    contact: Contact | None = None  # the addressee; None writes to the hiring team
    people_met: tuple[Contact, ...] = ()
    # People met who get no thank-you of their own (the user dismissed it): the addressee is
    # asked to pass thanks on to them. Everyone else met is thanked in their own message.
    pass_thanks_to: tuple[Contact, ...] = ()
    interview_at: datetime | None = None  # aware; when the interview was (or will be)
    interview_tz: str = "UTC"  # the zone the interview time was given in
    interview_round: int | None = None
    interview_format: InterviewFormat | None = None
    interview_where: str = ""  # place or link, from the scheduling note
    applied_at: datetime | None = None
    decision_by: date | None = None  # the timeline the employer stated
    topics: str = ""  # what was discussed, from the interview's note
    referrer: Contact | None = None
    references: tuple[Contact, ...] = ()
    message: str = ""  # what the playbook says the message should carry
    step: EventType | None = None  # the latest step (a referral update: the news it reports)
    step_at: datetime | None = None  # aware; when that step happened
    stage: Stage = Stage.LEAD
    pipeline: tuple[Company, ...] = ()  # every employer the user is talking to
    seed: str = ""  # picks wording variants, so a draft reads the same each time it is made
    variant_offset: int = 0  # shifts variants so thank-yous for one interview differ
    blocked_by: tuple[str, ...] = ()  # guards the playbook says forbid acting now
    suggested_channel: Channel | None = None  # the nudge's channel, used when none is asked
    posting_focus: str = ""  # the posting's sentence on what the role is about, if one is kept

    @property
    def people(self) -> tuple[Contact, ...]:
        """Everyone the draft may name, the addressee first, without repeats."""
        found: dict[int, Contact] = {}
        candidates = [self.contact, *self.people_met, self.referrer, *self.references]
        for person in candidates:
            if person is not None and person.id not in found:
                found[person.id] = person
        return tuple(found.values())

    @property
    def addressee_company(self) -> Company | None:
        """The company the addressee works for (employer or staffing firm), when known.

        A contact recorded without a company is taken to be the employer's in messages to the
        employer, and nobody's in messages to referrers, references or staffing firms.
        """
        if self.contact is None:
            return self.company
        company_id = self.contact.company_id
        if company_id is None:
            return None if self.rule in _NOT_TO_EMPLOYER else self.company
        for company in (self.company, self.staffing_firm, *self.pipeline):
            if company is not None and company.id == company_id:
                return company
        return None


def _latest(events: Iterable[Event], *types: EventType) -> Event | None:
    chosen = [e for e in events if e.type in types]
    return chosen[-1] if chosen else None


_FOLLOW_UPS = frozenset({EventType.SENT})
"""Events a referral update can be about besides a step: the user followed up (a message,
a call or a voicemail to the employer)."""


def _anchor(nudge: Nudge, events: list[Event]) -> Event | None:
    """The event the nudge is about, when it names one still in the history."""
    if nudge.anchor_event_id is None:
        return None
    return next((e for e in events if e.id == nudge.anchor_event_id), None)


def _news(nudge: Nudge, events: list[Event]) -> Event | None:
    """What a referral update reports: the event the nudge is about, else the latest step.
    The referrer has heard of everything before it, so it is the only news to tell."""
    anchor = _anchor(nudge, events)
    if anchor is not None and (anchor.type in _STEPS or anchor.type in _FOLLOW_UPS):
        return anchor
    return _latest(events, *_STEPS)


def _interview_event(nudge: Nudge, events: list[Event], news: Event | None) -> Event | None:
    """The interview the nudge is about: its anchor when that is one, else the latest (for a
    referral update, the latest booked or held, so a new booking is not told as the last
    round)."""
    anchor = _anchor(nudge, events)
    if anchor is not None and anchor.type in (EventType.SCHEDULED, EventType.INTERVIEWED):
        return anchor
    if nudge.rule == "interview.confirm":
        return _latest(events, EventType.SCHEDULED)
    if nudge.rule == "referral.update":
        if news is not None and news.type in (EventType.SCHEDULED, EventType.INTERVIEWED):
            return news
        return _latest(events, EventType.SCHEDULED, EventType.INTERVIEWED)
    return _latest(events, EventType.INTERVIEWED)


def _round_of(event: Event, events: list[Event]) -> int:
    """The round when recorded, else its position among the interviews of its kind."""
    if event.round is not None:
        return event.round
    same = [e for e in events if e.type is event.type]
    return same.index(event) + 1


def _not_thanked(interview: Event, people: tuple[Contact, ...], events: list[Event]) -> set[int]:
    """Who met at ``interview`` gets no thank-you of their own: the user dismissed it."""
    dismissed = set()
    for event in events:
        if event.type is not EventType.NUDGE_DISMISSED or not event.nudge_key:
            continue
        rule, _, person, anchor = [*event.nudge_key.split(":"), "", "", ""][:4]
        if rule == "interview.thank-you" and anchor == str(interview.id):
            dismissed.add(person)
    return {p.id for p in people if str(p.id) in dismissed}


def _contacts(ids: Iterable[int], contacts: Mapping[int, Contact]) -> tuple[Contact, ...]:
    seen: dict[int, Contact] = {}
    for contact_id in ids:
        if contact_id in contacts and contact_id not in seen:
            seen[contact_id] = contacts[contact_id]
    return tuple(seen.values())


def context_for(
    nudge: Nudge,
    history: History | None,
    contacts: Mapping[int, Contact],
    settings: Settings,
    now: datetime,
    *,
    pipeline: Iterable[Company] | None = None,
) -> DraftContext:
    """The draft context for ``nudge``: the records it concerns, read from ``history``.

    ``pipeline`` lists every employer the user is in touch with (for the wrong-company check);
    without it, the companies in ``history`` are used. ``history`` may be None only for nudges
    that concern no opportunity (a staffing firm check-in).
    """
    contact = contacts.get(nudge.contact_id) if nudge.contact_id is not None else None
    if history is None:
        firm = None
        if contact is not None and contact.company_id is not None and pipeline is not None:
            firm = next((c for c in pipeline if c.id == contact.company_id), None)
        return DraftContext(
            rule=nudge.rule,
            profile=settings.profile,
            now=now,
            contact=contact,
            staffing_firm=firm,
            message=nudge.message,
            pipeline=tuple(pipeline or ()),
            seed=nudge.key,
            blocked_by=nudge.blocked_by,
            suggested_channel=nudge.channel,
        )
    opportunity = history.opportunity
    companies = history.companies
    company = companies.get(opportunity.company_id) or Company(
        id=opportunity.company_id, name=opportunity.company
    )
    firm_id = opportunity.staffing_firm_id
    all_companies = [*(pipeline if pipeline is not None else companies.values())]
    firm = companies.get(firm_id) if firm_id is not None else None
    if firm is None and firm_id is not None:
        firm = next((c for c in all_companies if c.id == firm_id), None)
    events = sorted(history.events, key=lambda e: (e.at, e.id))
    news = _news(nudge, events) if nudge.rule == "referral.update" else None
    interview = _interview_event(nudge, events, news)
    people_met: tuple[Contact, ...] = ()
    pass_thanks_to: tuple[Contact, ...] = ()
    seed, offset = nudge.key, 0
    interview_at = None
    where = topics = ""
    if interview is not None:
        people_met = _contacts(interview.contact_ids, contacts)
        scheduled = interview.type is EventType.SCHEDULED
        interview_at = interview.scheduled_for if scheduled else interview.at
        if interview.date_unknown:
            interview_at = None  # imported without a date: no day to name in a message
        said = user_words(interview.note)  # never the import's record of its file and row
        where = said if scheduled else ""
        topics = "" if scheduled else said.rstrip(".")
        if nudge.rule == "interview.thank-you":
            unthanked = _not_thanked(interview, people_met, events)
            pass_thanks_to = tuple(
                p for p in people_met if p.id in unthanked and p.id != nudge.contact_id
            )
            seed = f"{opportunity.id}:{interview.id}"
            ids = [p.id for p in people_met]
            offset = ids.index(contact.id) if contact is not None and contact.id in ids else 0
    decided = [e.decision_by for e in events if e.decision_by is not None]
    applied = _latest(events, EventType.APPLIED)
    references = _contacts(
        (i for e in events if e.type is EventType.REFERENCES for i in e.contact_ids), contacts
    )
    step_event = news if news is not None else _latest(events, *_STEPS)
    pipeline_companies = tuple(companies.values() if pipeline is None else all_companies)
    return DraftContext(
        rule=nudge.rule,
        profile=settings.profile,
        now=now,
        opportunity=opportunity,
        company=company,
        staffing_firm=firm,
        contact=contact,
        people_met=people_met,
        pass_thanks_to=pass_thanks_to,
        interview_at=interview_at,
        interview_tz=interview.tz if interview is not None else settings.profile.tz,
        interview_round=_round_of(interview, events) if interview is not None else None,
        interview_format=interview.format if interview is not None else None,
        interview_where=where,
        applied_at=applied.at if applied is not None and not applied.date_unknown else None,
        decision_by=decided[-1] if decided else None,
        topics=topics,
        referrer=contacts.get(opportunity.referrer_id)
        if opportunity.referrer_id is not None
        else None,
        references=references,
        message=nudge.message,
        step=step_event.type if step_event is not None else None,
        step_at=step_event.at if step_event is not None and not step_event.date_unknown else None,
        stage=stage_of(events),
        pipeline=pipeline_companies,
        seed=seed,
        variant_offset=offset,
        blocked_by=nudge.blocked_by,
        suggested_channel=nudge.channel,
    )
