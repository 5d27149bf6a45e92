"""Rules around interviews: confirm the day before, thank everyone met, ask for the timeline,
and check on the status when the stated date or the usual wait has passed."""

from __future__ import annotations

from datetime import datetime, timedelta

from jobnudge.domain import (
    Channel,
    Contact,
    Event,
    EventType,
    InterviewFormat,
    MessageKind,
    Nudge,
    Stage,
)
from jobnudge.playbook import calendar, wording
from jobnudge.playbook.facts import Facts


def confirm(f: Facts) -> list[Nudge]:
    """interview.confirm: the working day before each upcoming interview (seed 003)."""
    if f.stage.is_closed or f.stage is Stage.OFFER:
        return []
    nudges: list[Nudge] = []
    latest_by_slot: dict[int, Event] = {}
    for event in f.of_type(EventType.SCHEDULED):
        if event.scheduled_for is not None:
            latest_by_slot[f.round_of_scheduled(event)] = event  # a reschedule replaces it
    for event in latest_by_slot.values():
        when = event.scheduled_for
        assert when is not None
        if any(
            i.at >= when - timedelta(hours=12) for i in f.after(event.at, EventType.INTERVIEWED)
        ):
            continue  # it took place
        if any(e.kind is MessageKind.CONFIRMATION for e in f.after(event, EventType.SENT)):
            continue
        contact = f.arranging_contact(event.contact_ids)
        tz, country = f.tz_of(contact), f.country_of(contact)
        day_before = calendar.local_day(when, tz)
        for _ in range(max(1, int(f.numbers.confirm_working_days_before))):
            day_before = calendar.previous_working_day(day_before, country)
        due = calendar.at_local(day_before, calendar.hour_clock(f.numbers.workday_start_hour), tz)
        due = max(due, event.at)
        due_by = min(
            max(
                calendar.at_local(day_before, calendar.hour_clock(f.numbers.workday_end_hour), tz),
                due,
            ),
            when,
        )
        met = f.people(event.contact_ids)
        who = f" with {wording.names(met)}" if met else ""
        fmt = f" {event.format.value}" if event.format else ""
        if calendar.local_day(event.at, tz) > day_before:
            # Scheduled after the day to confirm on: that day is gone, the nudge is due now.
            confirm = (
                "the working day before has passed, so confirm the date, time, place or link now"
            )
        else:
            confirm = (
                "confirm the date, time, place or link the working day before"
                f" ({f.due_day(due, contact)})"
            )
        reason = (
            f"{fmt.strip().capitalize() or 'Interview'}{' interview' if fmt else ''}{who} on "
            f"{f.moment_for(when, contact)}; {confirm}."
        )
        nudges.append(
            f.nudge(
                "interview.confirm",
                contact=contact,
                channel=event.channel or f.channel_for(contact),
                due=due,
                due_by=due_by,
                reason=reason,
                anchor=event,
                expires=when,
                message="Confirm the date, time, place or link, and who you will meet.",
            )
        )
    return nudges


def thank_you(f: Facts) -> list[Nudge]:
    """interview.thank-you: one per person met and one for the staffing firm (seeds 002, 003).

    Once the process has an outcome the offer thanks or the gracious note takes over, and a
    thank-you not sent within a week of the interview is no longer worth sending.
    """
    nudges: list[Nudge] = []
    if not f.stage.is_active:
        return []
    firm = f.contact(f.opportunity.recruiter_id) if f.opportunity.staffing_firm_id else None
    numbers = f.numbers
    after_first_hour = calendar.span(minutes=numbers.thank_you_min_minutes)
    at_the_latest = calendar.span(hours=numbers.thank_you_max_hours)
    for event in f.of_type(EventType.INTERVIEWED):
        recipients = f.people(event.contact_ids)
        if firm is not None and firm not in recipients:
            recipients.append(firm)
        targets: list[Contact | None] = [*recipients] or [None]
        round_number = f.round_of(event)
        label = wording.interview_label(event, round_number)
        for person in targets:
            pid = person.id if person else None
            if f.sent_to_after(pid, event, [MessageKind.THANK_YOU]):
                continue
            due_by = event.at + at_the_latest
            due, when = _thank_you_due(f, event, person, event.at + after_first_hour, due_by)
            is_firm = person is not None and person is firm
            if is_firm:
                why = (
                    f"{label} on {f.moment_for(event.at, person)} was arranged through "
                    f"{person.name if person else 'the staffing firm'}; "
                    "thank the firm too."
                )
            else:
                met = person.name if person else "the interviewer"
                why = (
                    f"{label} with {met} on {f.moment_for(event.at, person)}; send the thank-you "
                    f"{when}, not within the first hour, and no later than {f.moment(due_by)}."
                )
            nudges.append(
                f.nudge(
                    "interview.thank-you",
                    contact=person,
                    channel=Channel.EMAIL,
                    due=due,
                    due_by=due_by,
                    reason=why,
                    anchor=event,
                    per_person=True,
                    expires=due_by + _SIX_DAYS,
                    message="Thanks, one thing learned or discussed, continued interest.",
                )
            )
    return nudges


def _thank_you_due(
    f: Facts, event: Event, person: Contact | None, earliest: datetime, latest: datetime
) -> tuple[datetime, str]:
    """When a thank-you lands, on the interviewer's clock (seed 002): towards the end of their
    working day on the interview's day; when that day's work was over by the earliest moment
    allowed (an evening interview, or one far across time zones), towards the end of their next
    working day if that is still inside the limit; otherwise the first moment of their daytime
    (the call hours: never in their night). With the words that say which."""
    numbers = f.numbers
    tz, country = f.tz_of(person), f.country_of(person)
    closing = numbers.workday_end_hour - 1
    if earliest <= f.at_hour(event.at, numbers.workday_end_hour, person):
        return max(
            earliest, f.at_hour(event.at, closing, person)
        ), "towards the end of their working day"
    next_day = calendar.next_working_day(calendar.local_day(event.at, tz) + _ONE_DAY, country)
    next_end = calendar.at_local(next_day, calendar.hour_clock(closing), tz)
    if next_end <= latest:
        return max(earliest, next_end), (
            "towards the end of their next working day"
            f" ({f.due_day(next_end, person)}; theirs was over by then)"
        )
    daytime = calendar.next_inside(earliest, (numbers.call_start, numbers.call_end), tz)
    due = daytime if daytime <= latest else earliest
    return due, (
        f"from {f.moment_for(due, person)} (their working day was over by then, and their "
        "next one ends after a day has passed)"
    )


_SIX_DAYS = timedelta(days=6)
_ONE_DAY = timedelta(days=1)
_TWO_DAYS = timedelta(days=2)


def ask_timeline(f: Facts) -> list[Nudge]:
    """interview.ask-timeline: an interview logged without the timeline they gave (seed 001)."""
    event = f.last(EventType.INTERVIEWED)
    if event is None or f.stage.is_closed or f.stage is Stage.OFFER:
        return []
    if event.decision_by is not None or event.prefers is not None:
        return []
    later = f.after(event, EventType.RECEIVED, EventType.NOTE, EventType.SCHEDULED)
    if any(e.decision_by is not None or e.prefers is not None for e in later):
        return []
    return [
        f.nudge(
            "interview.ask-timeline",
            contact=None,
            channel=None,
            due=event.at,
            due_by=event.at + _ONE_DAY,
            expires=event.at + calendar.span(f.numbers.later_round_status_min_days),
            reason=(
                f"The interview on {f.day(event.at)} was logged without a decision "
                "date or a preferred follow-up channel; record what they said (the date they "
                "gave, the channel they prefer) so the status check lands at the right time."
            ),
            anchor=event,
        )
    ]


def status_check(f: Facts) -> list[Nudge]:
    """interview.status-check: by the stated date, else by stage (seeds 000, 002, 004)."""
    if not f.stage.is_active:
        return []
    interview = f.last(EventType.INTERVIEWED)
    if interview is None:
        return []
    if f.after(interview, EventType.SCHEDULED):
        return []  # the next round is already set: they answered
    replies = f.received_after(interview)
    anchor: Event = interview
    stated = interview.decision_by
    if replies:
        dated = [r for r in replies if r.decision_by is not None]
        if not dated or dated[-1] is not replies[-1]:
            return []  # they answered; nothing to chase until the user logs more
        anchor, stated = replies[-1], replies[-1].decision_by
    for later in f.after(anchor, EventType.NOTE):
        if later.decision_by is not None:
            stated = later.decision_by
    # Once a status question has been sent after this point, silence.retry takes over.
    if any(e.at > anchor.at for e in f.employer_follow_ups()):
        return []
    contact = f.status_contact(interview.contact_ids)
    tz, country = f.tz_of(contact), f.country_of(contact)
    round_number = f.round_of(interview)
    label = wording.interview_label(interview, round_number)
    met = f.people(interview.contact_ids)
    with_whom = f" with {wording.names(met)}" if met else ""
    start = calendar.hour_clock(f.numbers.workday_start_hour)
    if stated is not None:
        first_after = calendar.next_working_day(stated + _ONE_DAY, country)
        due = calendar.at_local(first_after, start, tz)
        due_by = calendar.end_of_day(first_after + _TWO_DAYS, tz)
        said = "they" if anchor is interview else "their reply"
        reason = (
            f"{label}{with_whom} {f.happened_on(interview, contact)}; {said} stated a decision "
            f"by {wording.day(stated)}, so the status check waits for the first working day after "
            f"it ({f.due_day(due, contact)})."
        )
    elif round_number <= 1 or interview.format is InterviewFormat.PHONE:
        local = calendar.local_day(interview.at, tz)
        due_day = calendar.add_working_days(local, int(f.numbers.first_round_status_days), country)
        due = calendar.at_local(due_day, start, tz)
        due_by = calendar.end_of_day(due_day + _TWO_DAYS, tz)
        reason = (
            f"{label}{with_whom} {f.happened_on(interview, contact)}; no reply since; after a "
            f"first or phone round, check on the status within the week "
            f"({wording.counted(int(f.numbers.first_round_status_days), 'working day')})."
            f"{f.counted_from_record(interview)}"
        )
    else:
        due = f.working_morning(interview.at, f.numbers.later_round_status_min_days, contact)
        due_by = f.end_of_local_day(interview.at, f.numbers.later_round_status_max_days, contact)
        reason = (
            f"{label}{with_whom} {f.happened_on(interview, contact)}; no reply since; the status "
            f"check falls due {int(f.numbers.later_round_status_min_days)}–"
            f"{wording.days(int(f.numbers.later_round_status_max_days))} after a later-round "
            f"interview.{f.counted_from_record(interview)}"
        )
    stated_channel = f.stated_preference()
    channel = f.channel_for(contact, stated_channel)
    if channel.is_voice:
        reason += " Keep a call to a brief message inside their call hours."
    reason += f.through_firm(contact)
    return [
        f.nudge(
            "interview.status-check",
            contact=contact,
            channel=channel,
            due=due,
            due_by=due_by,
            reason=reason,
            anchor=anchor,
            message=(
                "Who you are, the role, the interview date, thanks, and a request for the "
                "status and next steps."
            ),
        )
    ]
