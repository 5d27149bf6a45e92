"""Rules for the people around an application: the referrer, the references, and the notes
that close a process well (offer thanks, a gracious note after a rejection, a later reconnect)."""

from __future__ import annotations

from datetime import datetime, timedelta

from jobnudge.domain import Channel, Contact, Event, EventType, Nudge, Stage
from jobnudge.playbook import calendar, wording
from jobnudge.playbook.facts import DECIDED, Facts

_WEEK = timedelta(days=7)
_TWO_WEEKS = timedelta(days=14)

_MILESTONE = {
    EventType.APPLIED: "you applied",
    EventType.SCHEDULED: "an interview was scheduled",
    EventType.INTERVIEWED: "you interviewed",
    EventType.OFFER: "you received an offer",
    EventType.ACCEPTED: "you accepted the offer",
    EventType.DECLINED: "you declined the offer",
    EventType.REJECTED: "they chose another candidate",
    EventType.WITHDRAWN: "you withdrew",
    EventType.NO_RESPONSE: "you closed it after no response",
}


def referral_update(f: Facts) -> list[Nudge]:
    """referral.update: tell the referrer when you apply, follow up, move a stage and at the
    outcome (seed 003). One pending update at a time: the latest news."""
    referrer = f.contact(f.opportunity.referrer_id)
    if referrer is None:
        return []
    news: list[tuple[Event, str]] = [(e, _MILESTONE[e.type]) for e in f.of_type(*_MILESTONE)]
    news += [(e, "you followed up") for e in f.employer_follow_ups()]
    if not news:
        return []
    event, what = max(news, key=lambda pair: (pair[0].at, pair[0].id))
    if f.sent_to_after(referrer.id, event):
        return []
    return [
        f.nudge(
            "referral.update",
            contact=referrer,
            channel=referrer.prefers or Channel.EMAIL,
            due=event.at,
            due_by=f.end_of_local_day(event.at, f.numbers.referral_update_days, referrer),
            reason=(
                f"{referrer.name} referred you to {f.opportunity.company}; on "
                f"{f.day(event.at)} {what}. Keep them informed, with thanks."
            ),
            anchor=event,
            message=f"What happened ({what}), and thanks for the referral.",
        )
    ]


def references(f: Facts) -> list[Nudge]:
    """references.heads-up the same day they are handed over (seed 003); references.thanks
    within a few days of the outcome. An offer is not the outcome yet: references are often
    called before it is final, so heads-ups stay due until it is accepted or declined, and the
    thanks wait for that decision."""
    nudges: list[Nudge] = []
    given = f.of_type(EventType.REFERENCES)
    outcome = f.last(*DECIDED)
    for event in given:
        for person in f.people(event.contact_ids):
            channel = person.prefers or Channel.EMAIL
            if not f.sent_to_after(person.id, event) and (outcome is None or outcome.at < event.at):
                due, due_by, when = _heads_up_window(f, event, person, channel)
                nudges.append(
                    f.nudge(
                        "references.heads-up",
                        contact=person,
                        channel=channel,
                        due=due,
                        due_by=due_by,
                        reason=(
                            f"You gave {person.name} as a reference to {f.opportunity.company} "
                            f"on {f.day(event.at)}; let them know {when}"
                        ),
                        anchor=event,
                        message="Which employer and role, that they may be contacted, thanks.",
                        per_person=True,
                    )
                )
    if outcome is not None and given:
        seen: set[int] = set()
        for event in given:
            if event.at > outcome.at:
                continue  # handed over after the outcome: for a process reopened since
            for person in f.people(event.contact_ids):
                if person.id in seen or f.sent_to_after(person.id, outcome):
                    continue
                seen.add(person.id)
                nudges.append(
                    f.nudge(
                        "references.thanks",
                        contact=person,
                        channel=person.prefers or Channel.EMAIL,
                        due=outcome.at,
                        due_by=f.end_of_local_day(
                            outcome.at, f.numbers.references_thanks_days, person
                        ),
                        reason=(
                            f"{person.name} stood as your reference for {f.opportunity.company}; "
                            f"the process ended on {f.day(outcome.at)} "
                            f"({_MILESTONE[outcome.type]}). Tell them the outcome and thank them."
                        ),
                        anchor=outcome,
                        message="The outcome, and thanks for their time.",
                        per_person=True,
                    )
                )
    return nudges


def _heads_up_window(
    f: Facts, event: Event, person: Contact, channel: Channel
) -> tuple[datetime, datetime, str]:
    """When a reference hears of it: the same day, and by phone only inside their call hours
    (guard.call-hours), a live call preferably within their working day and a voicemail
    outside it when that part of the day is still to come. A call the rest of whose day is
    outside the call hours waits for their next call window, and the words offer an email or
    text today instead."""
    what = "that they may be contacted, and about which role."
    end_of_day = f.end_of_local_day(event.at, 0, person)
    if not channel.is_voice:
        return event.at, end_of_day, f"today {what}"
    numbers = f.numbers
    tz, country = f.tz_of(person), f.country_of(person)
    hours = (numbers.call_start, numbers.call_end)
    work = (
        calendar.hour_clock(numbers.workday_start_hour),
        calendar.hour_clock(numbers.workday_end_hour),
    )
    voicemail = channel is Channel.VOICEMAIL
    preferred = calendar.voice_hours(hours, work, voicemail)
    due = calendar.next_preferred(event.at, hours, preferred, tz, country)
    closes = calendar.at_local(calendar.local_day(due, tz), numbers.call_end, tz)
    if due <= end_of_day:
        how = (
            "Leave the voicemail inside their call hours, best outside their working day"
            if voicemail
            else "Call inside their call hours, best within their working day"
        )
        return due, closes, f"today {what} {how}, by {f.moment_for(closes, person)}."
    return (
        due,
        closes,
        f"{what} Their call hours today are over: call from {f.moment_for(due, person)}, "
        "or email or text them today instead.",
    )


def offer_thanks(f: Facts) -> list[Nudge]:
    """offer.thank-you: within a day of an offer (seed 003), whatever the user decides; not
    once the offer is rescinded or the user withdrew. The thanks are the employer's: a note to
    the staffing firm's recruiter does not do them, unless nobody at the employer is known.
    Then the recruiter, who usually brought the offer, is thanked and asked to pass the thanks
    on (seed 003: thank the staffing firm too), rather than a hiring team with no address."""
    offer = f.last(EventType.OFFER)
    if offer is None or f.following(
        offer, EventType.REJECTED, EventType.WITHDRAWN, EventType.NO_RESPONSE
    ):
        return []
    contact = f.employer_contact(offer.contact_ids) or f.firm_recruiter()
    through = f.at_firm(contact)
    if f.sent_to_employer_after(offer):
        return []
    if through and contact is not None and f.sent_to_after(contact.id, offer):
        return []
    # guard.working-days: an offer that came on a weekend or a public holiday is thanked for
    # on the next working day, a day's time from then.
    due = max(offer.at, f.working_morning(offer.at, 0, contact))
    company = f.opportunity.company
    if through and contact is not None:
        reason = (
            f"{company} made you an offer on {f.day(offer.at)}; thank {contact.name}, who put "
            f"you forward, within a day and ask them to pass your thanks on to {company}, "
            "whatever you decide."
        )
        message = "Thanks for putting you forward, and for passing your thanks on to the employer."
    else:
        reason = (
            f"{company} made you an offer on {f.day(offer.at)}; "
            "thank them and share your enthusiasm within a day, whatever you decide."
        )
        message = "Thanks and enthusiasm for the offer."
    return [
        f.nudge(
            "offer.thank-you",
            contact=contact,
            channel=Channel.EMAIL,
            due=due,
            due_by=due + calendar.span(hours=f.numbers.offer_thank_you_hours),
            reason=reason,
            anchor=offer,
            message=message,
            expires=offer.at + _WEEK,
        )
    ]


def offer_decide(f: Facts) -> list[Nudge]:
    """offer.decide: an offer with a date to answer by (logged with it, or given later in a
    reply or a note) reminds the user to decide before that date, until they accept or
    decline it (our reading of 003 and 004: answer within the time they gave)."""
    offer = f.last(EventType.OFFER)
    if offer is None or f.following(offer, *DECIDED):
        return []
    deadline = offer.decision_by
    for later in f.following(offer, EventType.RECEIVED, EventType.NOTE):
        if later.decision_by is not None:
            deadline = later.decision_by  # an extension, or a new date
    if deadline is None:
        return []
    contact = f.employer_contact(offer.contact_ids)
    tz, country = f.tz_of(contact), f.country_of(contact)
    ready_by = deadline
    for _ in range(int(f.numbers.offer_decide_days_before)):
        ready_by = calendar.previous_working_day(ready_by, country)
    due = max(
        calendar.at_local(ready_by, calendar.hour_clock(f.numbers.workday_start_hour), tz),
        offer.at,
    )
    return [
        f.nudge(
            "offer.decide",
            contact=contact,
            channel=None,
            due=due,
            due_by=calendar.end_of_day(deadline, tz),
            reason=(
                f"{f.opportunity.company} made you an offer on {f.day(offer.at)} and asked "
                f"for your answer by {wording.day(deadline)}; decide and tell them before "
                "then, and record whether you accepted or declined."
            ),
            anchor=offer,
            message="Your decision on the offer, with thanks.",
        )
    ]


def rejection(f: Facts) -> list[Nudge]:
    """rejection.gracious-note within a day or two (seeds 001, 004); rejection.reconnect months
    after that note (our reading of 001)."""
    if f.stage is not Stage.REJECTED:
        return []
    rejected = f.last(EventType.REJECTED)
    if rejected is None:
        return []
    contact = f.employer_contact(rejected.contact_ids or _last_interviewers(f))
    notes = f.sent_to_employer_after(rejected)
    if not notes:
        return [
            f.nudge(
                "rejection.gracious-note",
                contact=contact,
                channel=Channel.EMAIL,
                due=rejected.at,
                due_by=f.end_of_local_day(rejected.at, f.numbers.rejection_note_days, contact),
                reason=(
                    f"{f.opportunity.company} chose another candidate on "
                    f"{f.day(rejected.at)}; a gracious note thanking them for their "
                    "time and asking to be kept in mind may make you the next choice."
                ),
                anchor=rejected,
                message="Thanks for their time; ask to be kept in mind for future openings.",
                expires=rejected.at + _TWO_WEEKS,
            )
        ]
    note = notes[0]
    if len(notes) > 1:
        return []  # reconnected already
    due = f.working_morning(note.at, f.numbers.reconnect_days, contact)
    return [
        f.nudge(
            "rejection.reconnect",
            contact=contact,
            channel=Channel.EMAIL,
            due=due,
            due_by=due + _TWO_WEEKS,
            reason=(
                f"You sent {f.opportunity.company} a gracious note on {f.day(note.at)} "
                f"after their decision; {wording.days(f.numbers.reconnect_days)} on, a light "
                "check-in about new openings keeps the door open."
            ),
            anchor=note,
            message="A light check-in about new openings.",
        )
    ]


def _last_interviewers(f: Facts) -> tuple[int, ...]:
    interview = f.last(EventType.INTERVIEWED)
    return interview.contact_ids if interview else ()
