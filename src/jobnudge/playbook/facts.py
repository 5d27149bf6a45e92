"""What the rules ask of an opportunity's history: who was met, what was sent, what came back.

``Facts`` is built once per plan and read by every rule, so each rule stays a few lines of
policy rather than a loop over events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from operator import attrgetter

from jobnudge.config import Playbook, Settings
from jobnudge.domain import (
    Channel,
    Contact,
    Event,
    EventType,
    History,
    MessageKind,
    Nudge,
    Opportunity,
    Role,
    Stage,
)
from jobnudge.domain.records import stage_in
from jobnudge.playbook.facts_time import Timing
from jobnudge.playbook.facts_whom import UNSET, Whom

CLOSING = (EventType.OFFER, EventType.REJECTED, EventType.WITHDRAWN, EventType.NO_RESPONSE)
"""Events that give a process its outcome (an offer included)."""
DECIDED = (
    EventType.ACCEPTED,
    EventType.DECLINED,
    EventType.REJECTED,
    EventType.WITHDRAWN,
    EventType.NO_RESPONSE,
)
"""Events that end a process for good. An offer is not one: until it is accepted or declined
(or rescinded), the references' heads-ups stay due and there is a decision to make."""


_ORDER = attrgetter("at", "id")
"""The history's order: time, then recording order."""


def _later_than(moment: datetime | Event) -> Callable[[Event], bool]:
    """Whether an event comes after ``moment``: a time, or an event in the history's order
    (two logged with the same time, as a message sent in the minute of what it answers, come
    in recording order)."""
    if isinstance(moment, datetime):
        return lambda e: e.at > moment
    at, record = moment.at, moment.id
    return lambda e: e.at > at or (e.at == at and e.id > record)


class Facts(Timing, Whom):
    """One opportunity's history as the rules read it, with its events indexed by type once
    (the rules ask for events of one type several hundred thousand times in a large import)."""

    __slots__ = (
        "_by_type",
        "_follow_ups",
        "contacts",
        "events",
        "home_country",
        "numbers",
        "opportunity",
        "settings",
        "stage",
        "undated",
        "user_tz",
    )

    def __init__(
        self, history: History, contacts: Mapping[int, Contact], settings: Settings
    ) -> None:
        opportunity = history.opportunity
        events = history.events
        events = tuple(sorted(events, key=_ORDER)) if len(events) > 1 else tuple(events)
        self.opportunity: Opportunity = opportunity
        self.events = events  # in the history's order
        self.contacts = contacts
        self.settings = settings
        # the user's playbook with this opportunity's overrides
        overrides = opportunity.settings
        self.numbers: Playbook = (
            settings.playbook.with_overrides(overrides) if overrides else settings.playbook
        )
        self.stage: Stage = stage_in(events)
        self.user_tz: str = settings.profile.tz
        self.home_country: str = settings.profile.country
        by_type: dict[EventType, list[Event]] = {}
        undated = False
        for event in events:
            found = by_type.get(event.type)
            if found is None:
                by_type[event.type] = [event]
            else:
                found.append(event)
            undated = undated or event.date_unknown
        self._by_type = by_type
        self.undated = undated  # some event's day is unknown (see guards.known_dates)
        # None: not looked for yet; no message sent, none of them a follow-up
        self._follow_ups: tuple[Event, ...] | None = None if EventType.SENT in by_type else ()
        self._employer = UNSET
        self._firm = UNSET

    @classmethod
    def of(cls, history: History, contacts: Mapping[int, Contact], settings: Settings) -> Facts:
        return cls(history, contacts, settings)

    @property
    def types(self) -> frozenset[EventType]:
        """The event types the history holds."""
        return frozenset(self._by_type)

    # --- the events -------------------------------------------------------------------------

    def of_type(self, *types: EventType) -> list[Event]:
        if len(types) == 1:
            found = self._by_type.get(types[0])
            return found.copy() if found else []
        return [e for e in self.events if e.type in types]

    def last(self, *types: EventType) -> Event | None:
        if len(types) == 1:
            found = self._by_type.get(types[0])
            return found[-1] if found else None
        for event in reversed(self.events):
            if event.type in types:
                return event
        return None

    def after(self, moment: datetime | Event, *types: EventType) -> list[Event]:
        """Events of ``types`` after ``moment``; after an event, those recorded after it in the
        history's order: a message logged in the same minute as the event it answers (an
        interview, references handed over) still comes after it."""
        found = self._by_type.get(types[0]) if len(types) == 1 else None
        candidates = found if len(types) == 1 else self.events
        if not candidates:
            return []
        later = _later_than(moment)
        return [e for e in candidates if e.type in types and later(e)]

    def following(self, event: Event, *types: EventType) -> list[Event]:
        """Events of ``types`` recorded after ``event`` in the history's order (time, then
        recording order): two events logged at the same moment still come one after the
        other, as an offer and its acceptance logged together do."""
        events = self.events
        for place, candidate in enumerate(events):
            # ``events.index(event)``, without comparing every field of each earlier event
            if candidate is event or (candidate.id == event.id and candidate == event):
                return [e for e in events[place + 1 :] if e.type in types]
        raise ValueError(f"{event!r} is not in the history")

    def received_after(self, moment: datetime | Event) -> list[Event]:
        """The employer's replies after ``moment`` (not messages from referrers or references)."""
        by_type = self._by_type
        if not (
            EventType.RECEIVED in by_type
            or EventType.OFFER in by_type
            or EventType.REJECTED in by_type
        ):
            return []
        found = self.after(moment, EventType.RECEIVED, EventType.OFFER, EventType.REJECTED)
        return [e for e in found if not self._to_network_only(e)]

    def heard_from_employer(self) -> list[Event]:
        """Messages received from the employer (not from referrers or references)."""
        found = self._by_type.get(EventType.RECEIVED)
        return [e for e in found if not self._to_network_only(e)] if found else []

    def sent_to_after(
        self,
        contact_id: int | None,
        moment: datetime | Event,
        kinds: Iterable[MessageKind] | None = None,
    ) -> list[Event]:
        """Messages the user sent after ``moment`` (after an event: recorded after it, a
        message sent in the same minute included), of one of ``kinds`` (a message logged
        without a kind counts as any kind), to:

        - ``contact_id``: that person, named on the message. A message logged without a person
          went to the employer in general (the hiring team), so it completes nothing aimed at
          one person: not the update to the referrer, a reference's heads-up or thanks, nor the
          thank-you of each person met;
        - None: anyone at the employer, a message to nobody in particular included (not one
          only to referrers or references), for the rules aimed at the employer as a whole.
        """
        sent = self._by_type.get(EventType.SENT)
        if not sent:
            return []
        wanted = set(kinds) if kinds is not None else None
        later = _later_than(moment)
        found = []
        for event in sent:
            if not later(event):
                continue
            if contact_id is not None and contact_id not in event.contact_ids:
                continue
            if contact_id is None and self._to_network_only(event):
                continue
            if wanted is not None and event.kind is not None and event.kind not in wanted:
                continue
            found.append(event)
        return found

    def sent_to_employer_after(
        self, moment: datetime | Event, kinds: Iterable[MessageKind] | None = None
    ) -> list[Event]:
        """Messages to the employer itself after ``moment``: one to nobody in particular (the
        hiring team) or naming someone at the employer. A message only to the staffing firm's
        recruiter, a referrer or a reference is not the employer's thanks or gracious note."""
        return [
            e
            for e in self.sent_to_after(None, moment, kinds)
            if not e.contact_ids or any(self._at_employer(cid) for cid in e.contact_ids)
        ]

    def _at_employer(self, contact_id: int) -> bool:
        """Someone at the employer: recorded at its company, or recorded at no company without
        being the user's network or the staffing firm's recruiter."""
        contact = self.contacts.get(contact_id)
        if contact is None:
            return False
        opp = self.opportunity
        if contact.company_id is not None:
            return contact.company_id == opp.company_id
        if contact_id == opp.recruiter_id and opp.staffing_firm_id is not None:
            return False
        return not (contact.roles & {Role.REFERRER, Role.REFERENCE, Role.STAFFING})

    def _to_network_only(self, event: Event) -> bool:
        """A message only to or from referrers or references is not one with the employer."""
        if not event.contact_ids:
            return False
        network = {Role.REFERRER, Role.REFERENCE}
        return all(
            (c := self.contacts.get(cid)) is not None and c.roles and c.roles <= network
            for cid in event.contact_ids
        )

    def employer_follow_ups(self) -> tuple[Event, ...]:
        """Status questions the user sent the employer (follow-ups in any channel)."""
        found = self._follow_ups
        if found is None:
            sent = self._by_type.get(EventType.SENT, ())
            found = self._follow_ups = tuple(
                e
                for e in sent
                if e.kind in (MessageKind.FOLLOW_UP, None)
                and not self._to_network_only(e)
                and e.channel is not Channel.IN_PERSON
            )
        return found

    def people(self, ids: Iterable[int]) -> list[Contact]:
        return [self.contacts[i] for i in ids if i in self.contacts]

    def round_of(self, event: Event) -> int:
        """The interview's round: as logged, else its position among the interviews."""
        if event.round:
            return event.round
        interviews = self._by_type.get(EventType.INTERVIEWED, [])
        return interviews.index(event) + 1 if event in interviews else 1

    def round_of_scheduled(self, event: Event) -> int:
        """The round a scheduled interview is for: as logged, else the next one to happen."""
        if event.round:
            return event.round
        interviews = self._by_type.get(EventType.INTERVIEWED, [])
        return len([i for i in interviews if i.at < event.at]) + 1

    # --- whom and how -----------------------------------------------------------------------

    def channel_for(self, contact: Contact | None, stated: Channel | None = None) -> Channel:
        """guard.channel: what they asked for, else the channel they last used, else email."""
        if stated is not None:
            return stated
        chosen = self._usual_channel(contact)
        if chosen.is_voice and self.no_calls_sentence():
            return Channel.EMAIL  # the posting asked for no calls
        return chosen

    def _usual_channel(self, contact: Contact | None) -> Channel:
        heard = self.heard_from_employer()
        last_in = heard[-1] if heard else None
        if last_in is not None and last_in.channel in (Channel.TEXT, Channel.CALL):
            return last_in.channel
        if contact is not None and contact.prefers is not None:
            return contact.prefers
        if self.opportunity.prefers is not None:
            return self.opportunity.prefers
        return Channel.EMAIL

    def no_calls_sentence(self) -> str:
        """The posting's sentence that rules out calls ("no phone calls", or "only shortlisted
        candidates will be contacted": they will call you, not the other way round)."""
        opp = self.opportunity
        if not opp.posting_terms:
            return ""
        return opp.posting_says("no_calls") or opp.posting_says("shortlist_only")

    def stated_preference(self) -> Channel | None:
        """The follow-up channel the employer asked for, latest statement first (a note is
        where the user records what they said in an interview: interview.ask-timeline)."""
        for event in reversed(self.events):
            if event.prefers is not None and event.type in (
                EventType.INTERVIEWED,
                EventType.RECEIVED,
                EventType.SCHEDULED,
                EventType.NOTE,
            ):
                return event.prefers
        return None

    # --- nudges -----------------------------------------------------------------------------

    def nudge(
        self,
        rule: str,
        *,
        contact: Contact | None,
        channel: Channel | None,
        due: datetime,
        due_by: datetime | None,
        reason: str,
        anchor: Event | None,
        message: str = "",
        expires: datetime | None = None,
        per_person: bool = False,
    ) -> Nudge:
        """A nudge with a key that stays the same as long as its situation does.

        Only rules that write to several people at once (a thank-you to each person met) put the
        person in the key; for the others, learning who the right contact is must not turn the
        nudge into a new one (and lose a snooze).
        """
        opportunity_id = self.opportunity.id
        if contact is None:
            contact_id, tz = None, self.user_tz
            contact_part = "-" if per_person else "*"
        else:
            contact_id, tz = contact.id, contact.tz or self.user_tz
            contact_part = str(contact_id) if per_person else "*"
        anchor_id = anchor.id if anchor is not None else None
        key = f"{rule}:{opportunity_id}:{contact_part}:{'-' if anchor_id is None else anchor_id}"
        if due_by is not None and due_by < due:
            due_by = due
        # By position, in the order of Nudge's fields: an import makes a few hundred thousand,
        # and matching a dozen keywords to the parameters cost as much as the rest of the call.
        return Nudge(
            key,
            rule,
            opportunity_id,
            contact_id,
            channel,
            due,
            due_by,
            reason,
            tz,
            expires,
            anchor_id,
            message,
        )
