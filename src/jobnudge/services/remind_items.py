"""What a morning digest can carry at a moment: today's and overdue follow-ups, the interviews
before the next digest (with whether a confirmation is still to send), and the weekly review on
its day; each item keyed so that a channel carries it once (``services.reminding``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from jobnudge.playbook import calendar, wording
from jobnudge.remind import schedule
from jobnudge.remind.digest import Item

if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.store.reads import Reader


def _link(settings: Settings, short_id: str, rule: str, web_url: str) -> str:
    from jobnudge.services.compose import is_message

    if web_url:
        return f"{web_url}/nudges/{short_id}/draft" if is_message(rule) else f"{web_url}/"
    return f"nudge draft {short_id}" if is_message(rule) else "nudge"


def _next_send_day(settings: Settings, today: date) -> date:
    day = today + timedelta(days=1)
    for _ in range(schedule.LOOKAHEAD_DAYS):
        if schedule.is_send_day(settings.remind, day, settings.profile.country):
            return day
        day += timedelta(days=1)
    return day


def _clock_or_day(moment: datetime, today: date, tz: str) -> str:
    """'17:00' on ``today``, else 'Wed 25 Nov 08:30'."""
    if calendar.local_day(moment, tz) == today:
        return f"{calendar.local_clock(moment, tz):%H:%M}"
    return wording.moment(moment, tz)


def collect(
    reader: Reader, owner: int, settings: Settings, now: datetime, web_url: str
) -> list[Item]:
    """Everything a digest at ``now`` could carry: today's and overdue follow-ups, the
    interviews before the next digest, and the weekly review on its day."""
    from jobnudge.domain import EventType, Stage
    from jobnudge.services.nudges import assess

    tz = settings.profile.tz
    today = calendar.local_day(now, tz)
    rows = reader.agenda_rows(owner, calendar.end_of_day(today, tz), now)
    items: list[Item] = []
    confirm: dict[int, str] = {}
    for agenda in assess(rows, settings, now):
        row = agenda.row
        if agenda.group not in ("overdue", "today"):
            continue
        if row.rule == "interview.confirm" and row.opportunity_id is not None:
            confirm[row.opportunity_id] = _link(settings, row.short_id, row.rule, web_url)
        who = f" → {row.contact}" if row.contact else ""
        context = " · ".join(p for p in (row.company, row.role) if p)
        if agenda.group == "overdue":
            when = f"since {wording.day(row.due, tz)}"
        elif row.due_by is not None:
            when = f"by {_clock_or_day(row.due_by, today, tz)}"
        else:
            when = f"from {_clock_or_day(row.due, today, tz)}" if row.due > now else "today"
        items.append(
            Item(
                key=f"nudge:{row.key}@{row.due:%Y%m%dT%H%M}",
                section="overdue" if agenda.group == "overdue" else "due",
                title=f"{wording.title(row.rule)}{who}",
                context=context,
                when=when,
                why=row.reason,
                link=_link(settings, row.short_id, row.rule, web_url),
            )
        )
    start = calendar.at_local(today + timedelta(days=1), calendar.hour_clock(0), tz)
    end = calendar.end_of_day(_next_send_day(settings, today), tz)
    scheduled = reader.interview_events(owner, [s for s in Stage if s.is_active])
    upcoming = [
        e
        for events in scheduled.values()
        for e in events
        if e.type == EventType.SCHEDULED
        and e.scheduled_for is not None
        and start <= e.scheduled_for <= end
    ]
    if upcoming:
        opportunities = {o.id: o for o, _stage in reader.opportunities(owner)}
        people = {c.id: c.name for c in reader.contacts(owner)}
        for event in sorted(upcoming, key=lambda e: (e.scheduled_for, e.id)):
            assert event.scheduled_for is not None and event.opportunity_id is not None
            opp = opportunities.get(event.opportunity_id)
            names = ", ".join(people[i] for i in event.contact_ids if i in people)
            link = confirm.get(event.opportunity_id, "")
            why = (
                "Not confirmed yet: send the confirmation today."
                if link
                else "No confirmation is pending."
            )
            items.append(
                Item(
                    key=f"interview:{event.id}@{event.scheduled_for:%Y%m%dT%H%M}",
                    section="interview",
                    title=f"Interview at {opp.company}" if opp else "Interview",
                    context=" · ".join(p for p in (opp.role if opp else "", names) if p),
                    when=wording.moment(event.scheduled_for, tz),
                    why=why,
                    link=link,
                )
            )
    if today.weekday() == int(settings.playbook.review_weekday):
        week = today - timedelta(days=today.weekday())
        items.append(
            Item(
                key=f"review:{week.isoformat()}",
                section="review",
                title="Your weekly review",
                context="",
                when="today",
                why="Look back at the week's applications, answers and follow-ups, and plan "
                "the next one.",
                link=f"{web_url}/review" if web_url else "nudge serve, then Review",
            )
        )
    return items
