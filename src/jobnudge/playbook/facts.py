"""What the rules ask of an opportunity's history: who was met, what was sent, what came back.

``Facts`` is built once per plan and read by every rule, so each rule stays a few lines of
policy rather than a loop over events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

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
    stage_of,
)
from jobnudge.playbook import calendar, wording

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


@dataclass(frozen=True)
class Facts:
    opportunity: Opportunity
    events: tuple[Event, ...]
    contacts: Mapping[int, Contact]
    settings: Settings
    numbers: Playbook  # the user's playbook with this opportunity's overrides
    stage: Stage

    @classmethod
    def of(cls, history: History, contacts: Mapping[int, Contact], settings: Settings) -> Facts:
        events = tuple(sorted(history.events, key=lambda e: (e.at, e.id)))
        return cls(
            opportunity=history.opportunity,
            events=events,
            contacts=contacts,
            settings=settings,
            numbers=settings.playbook.with_overrides(history.opportunity.settings),
            stage=stage_of(events),
        )

    # --- time and place -------------------------------------------------------------------

    @property
    def user_tz(self) -> str:
        return self.settings.profile.tz

    def tz_of(self, contact: Contact | None) -> str:
        return contact.tz if contact and contact.tz else self.user_tz

    def country_of(self, contact: Contact | None) -> str:
        return contact.country if contact and contact.country else self.settings.profile.country

    def working_morning(
        self, instant: datetime, days_later: float, contact: Contact | None
    ) -> datetime:
        """Start of the contact's working day ``days_later`` calendar days after ``instant``,
        moved past weekends and public holidays (guard.working-days)."""
        tz = self.tz_of(contact)
        day = calendar.local_day(instant, tz) + timedelta(days=int(days_later))
        clock = calendar.hour_clock(self.numbers.workday_start_hour)
        return calendar.working_day_at(day, clock, tz, self.country_of(contact))

    def end_of_local_day(
        self, instant: datetime, days_later: float, contact: Contact | None
    ) -> datetime:
        tz = self.tz_of(contact)
        day = calendar.local_day(instant, tz) + timedelta(days=int(days_later))
        return calendar.end_of_day(day, tz)

    def on_day(self, iso_day: str, contact: Contact | None) -> datetime:
        """Noon of a stated day ("2027-01-15") on the contact's calendar: an instant that
        stands for the whole day in every zone's arithmetic."""
        day = date.fromisoformat(iso_day)
        return calendar.at_local(day, time(12), self.tz_of(contact))

    def at_hour(self, instant: datetime, hour: float, contact: Contact | None) -> datetime:
        tz = self.tz_of(contact)
        return calendar.at_local(calendar.local_day(instant, tz), calendar.hour_clock(hour), tz)

    def day(self, instant: datetime) -> str:
        """A date as the user reads it, on their own calendar."""
        return wording.day(instant, self.user_tz)

    def moment(self, instant: datetime) -> str:
        return wording.moment(instant, self.user_tz)

    def _elsewhere(self, instant: datetime, contact: Contact | None) -> str:
        """The contact's first name when their clock reads otherwise than the user's at
        ``instant``, else "" (no zone of their own, or the same hour)."""
        if contact is None or not contact.tz or not contact.name.strip():
            return ""
        if calendar.offset(instant, contact.tz) == calendar.offset(instant, self.user_tz):
            return ""
        return contact.name.split()[0]

    def day_for(self, instant: datetime, contact: Contact | None) -> str:
        """The user's day, and the contact's when their calendar names another one:
        'Tue 8 Dec (Wed 9 Dec for Kenji)'."""
        mine, who = self.day(instant), self._elsewhere(instant, contact)
        theirs = wording.day(instant, self.tz_of(contact)) if who else mine
        return mine if theirs == mine else f"{mine} ({theirs} for {who})"

    def moment_for(self, instant: datetime, contact: Contact | None) -> str:
        """The user's clock, and the contact's beside it when it reads otherwise:
        'Tue 8 Dec 21:00 (Wed 9 Dec 11:00 for Kenji)' (the app's "9:00 am for Oliver")."""
        mine, who = self.moment(instant), self._elsewhere(instant, contact)
        if not who:
            return mine
        return f"{mine} ({wording.moment(instant, self.tz_of(contact))} for {who})"

    def due_day(self, due: datetime, contact: Contact | None) -> str:
        """The day a due instant falls on in the contact's calendar (whose working days set
        it), saying whose and when that is for the user when the clocks differ:
        'Tue 8 Dec for Kenji, from Mon 7 Dec 19:00 your time'."""
        tz, who = self.tz_of(contact), self._elsewhere(due, contact)
        if not who:
            return wording.day(due, tz)
        return f"{wording.day(due, tz)} for {who}, from {self.moment(due)} your time"

    # --- the events -------------------------------------------------------------------------

    def of_type(self, *types: EventType) -> list[Event]:
        return [e for e in self.events if e.type in types]

    def last(self, *types: EventType) -> Event | None:
        found = self.of_type(*types)
        return found[-1] if found else None

    def after(self, moment: datetime, *types: EventType) -> list[Event]:
        return [e for e in self.events if e.type in types and e.at > moment]

    def following(self, event: Event, *types: EventType) -> list[Event]:
        """Events of ``types`` recorded after ``event`` in the history's order (time, then
        recording order): two events logged at the same moment still come one after the
        other, as an offer and its acceptance logged together do."""
        place = self.events.index(event)
        return [e for e in self.events[place + 1 :] if e.type in types]

    def received_after(self, moment: datetime) -> list[Event]:
        """The employer's replies after ``moment`` (not messages from referrers or references)."""
        found = self.after(moment, EventType.RECEIVED, EventType.OFFER, EventType.REJECTED)
        return [e for e in found if not self._to_network_only(e)]

    def heard_from_employer(self) -> list[Event]:
        """Messages received from the employer (not from referrers or references)."""
        return [e for e in self.of_type(EventType.RECEIVED) if not self._to_network_only(e)]

    def sent_to_after(
        self, contact_id: int | None, moment: datetime, kinds: Iterable[MessageKind] | None = None
    ) -> list[Event]:
        """Messages the user sent after ``moment``, of one of ``kinds`` (a message logged
        without a kind counts as any kind), to:

        - ``contact_id``: that person, named on the message. A message logged without a person
          went to the employer in general (the hiring team), so it completes nothing aimed at
          one person: not the update to the referrer, a reference's heads-up or thanks, nor the
          thank-you of each person met;
        - None: anyone at the employer, a message to nobody in particular included (not one
          only to referrers or references), for the rules aimed at the employer as a whole.
        """
        wanted = set(kinds) if kinds is not None else None
        found = []
        for event in self.after(moment, EventType.SENT):
            if contact_id is not None and contact_id not in event.contact_ids:
                continue
            if contact_id is None and self._to_network_only(event):
                continue
            if wanted is not None and event.kind is not None and event.kind not in wanted:
                continue
            found.append(event)
        return found

    def sent_to_employer_after(
        self, moment: datetime, kinds: Iterable[MessageKind] | None = None
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

    def employer_follow_ups(self) -> list[Event]:
        """Status questions the user sent the employer (follow-ups in any channel)."""
        return [
            e
            for e in self.of_type(EventType.SENT)
            if e.kind in (MessageKind.FOLLOW_UP, None)
            and not self._to_network_only(e)
            and e.channel is not Channel.IN_PERSON
        ]

    def people(self, ids: Iterable[int]) -> list[Contact]:
        return [self.contacts[i] for i in ids if i in self.contacts]

    def contact(self, contact_id: int | None) -> Contact | None:
        return self.contacts.get(contact_id) if contact_id is not None else None

    def round_of(self, event: Event) -> int:
        """The interview's round: as logged, else its position among the interviews."""
        if event.round:
            return event.round
        interviews = self.of_type(EventType.INTERVIEWED)
        return interviews.index(event) + 1 if event in interviews else 1

    def round_of_scheduled(self, event: Event) -> int:
        """The round a scheduled interview is for: as logged, else the next one to happen."""
        if event.round:
            return event.round
        return len([i for i in self.of_type(EventType.INTERVIEWED) if i.at < event.at]) + 1

    # --- whom and how -----------------------------------------------------------------------

    def employer_contact(self, preferred: Sequence[int] = ()) -> Contact | None:
        """Whom to write to at the employer: someone named on the triggering event, else the
        recruiter, else HR, else anyone at the company."""
        for cid in preferred:
            if cid in self.contacts:
                return self.contacts[cid]
        opp = self.opportunity
        recruiter = self.contact(opp.recruiter_id)
        if recruiter is not None and opp.staffing_firm_id is None:
            return recruiter
        at_company = [c for c in self.contacts.values() if c.company_id == opp.company_id]
        for role in (Role.RECRUITER, Role.HR, Role.INTERVIEWER):
            for c in at_company:
                if role in c.roles:
                    return c
        return at_company[0] if at_company else None

    def firm_recruiter(self) -> Contact | None:
        """The staffing firm's recruiter an opportunity goes through: the one on record, else
        someone at the firm (a recruiter first). None when no staffing firm is involved."""
        opp = self.opportunity
        if opp.staffing_firm_id is None:
            return None
        recruiter = self.contact(opp.recruiter_id)
        if recruiter is not None:
            return recruiter
        at_firm = [c for c in self.contacts.values() if c.company_id == opp.staffing_firm_id]
        for role in (Role.STAFFING, Role.RECRUITER):
            for c in at_firm:
                if role in c.roles:
                    return c
        return at_firm[0] if at_firm else None

    def status_contact(self, preferred: Sequence[int] = ()) -> Contact | None:
        """Whom to ask where things stand: through a staffing firm, always its recruiter (going
        around them to the employer is a classic mistake); else as ``employer_contact``."""
        return self.firm_recruiter() or self.employer_contact(preferred)

    def arranging_contact(self, preferred: Sequence[int] = ()) -> Contact | None:
        """Whom to confirm an interview with: someone named on the scheduling, else the
        staffing firm's recruiter who arranged it, else as ``employer_contact``."""
        for cid in preferred:
            if cid in self.contacts:
                return self.contacts[cid]
        return self.status_contact()

    def through_firm(self, contact: Contact | None) -> str:
        """A sentence for reasons when a status question goes through the recruiter."""
        if contact is None or contact is not self.firm_recruiter():
            return ""
        return f" Ask through {contact.name}, your recruiter, not the employer directly."

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
        return opp.posting_says("no_calls") or opp.posting_says("shortlist_only")

    def stated_preference(self) -> Channel | None:
        """The follow-up channel the employer asked for, latest statement first."""
        for event in reversed(self.events):
            if event.prefers is not None and event.type in (
                EventType.INTERVIEWED,
                EventType.RECEIVED,
                EventType.SCHEDULED,
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
        contact_part = (str(contact.id) if contact else "-") if per_person else "*"
        anchor_part = str(anchor.id) if anchor else "-"
        key = f"{rule}:{self.opportunity.id}:{contact_part}:{anchor_part}"
        if due_by is not None and due_by < due:
            due_by = due
        return Nudge(
            key=key,
            rule=rule,
            opportunity_id=self.opportunity.id,
            contact_id=contact.id if contact else None,
            channel=channel,
            due=due,
            due_by=due_by,
            reason=reason,
            tz=self.tz_of(contact),
            expires=expires,
            anchor_event_id=anchor.id if anchor else None,
            message=message,
        )


def clock(hour: float) -> time:
    return calendar.hour_clock(hour)
