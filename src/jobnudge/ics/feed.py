"""The iCalendar feed: interviews and pending follow-ups as VEVENTs.

Each VEVENT's UID is derived from the owner and the interview's event id or the nudge's key,
both stable, so a calendar app that re-reads the feed (or imports the file again) updates the
entry instead of adding a second one. Follow-ups carry their reason in DESCRIPTION and an alarm
at the due moment; interviews carry alarms the day before and an hour before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

INTERVIEW_LENGTH = timedelta(hours=1)
NUDGE_LENGTH = timedelta(minutes=30)
PRODID = "-//jobnudge//jobnudge calendar//EN"


@dataclass(frozen=True)
class Interview:
    event_id: int
    start: datetime  # aware
    tz: str  # the zone the interview was given in
    company: str
    role: str
    round: int | None = None
    format: str | None = None
    people: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class DueNudge:
    key: str
    short_id: str
    rule: str  # the rule id, kept in X-JOBNUDGE-RULE for programs
    title: str  # what the rule is called, for people: "Send a thank-you"
    due: datetime  # aware
    due_by: datetime | None
    tz: str
    reason: str
    message: str = ""
    company: str | None = None
    role: str | None = None
    contact: str | None = None
    channel: str | None = None


def uid(owner_seed: str, what: str) -> str:
    """A stable, opaque UID: the same owner and record always give the same one."""
    digest = hashlib.sha256(f"{owner_seed}\x00{what}".encode()).hexdigest()[:32]
    return f"{digest}@jobnudge"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def build(
    interviews: Sequence[Interview],
    nudges: Sequence[DueNudge],
    *,
    owner_seed: str,
    now: datetime,
    name: str = "jobnudge",
) -> bytes:
    """The calendar as RFC 5545 bytes (CRLF lines, folded at 75 octets by icalendar)."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-published-ttl", "PT1H")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    first: date = now.date() - timedelta(days=366)
    last: date = now.date() + timedelta(days=3 * 366)
    for item in interviews:
        start = item.start.astimezone(_zone(item.tz))
        first, last = min(first, start.date()), max(last, start.date())
        ev = Event()
        ev.add("uid", uid(owner_seed, f"interview:{item.event_id}"))
        ev.add("dtstamp", now)
        ev.add("dtstart", start)
        ev.add("dtend", start + INTERVIEW_LENGTH)
        details = ", ".join(
            x for x in (f"round {item.round}" if item.round else "", item.format or "") if x
        )
        ev.add(
            "summary",
            f"Interview: {item.company} — {item.role}" + (f" ({details})" if details else ""),
        )
        lines = []
        if item.people:
            lines.append("With " + ", ".join(item.people) + ".")
        if item.note:
            lines.append(item.note)
        lines.append("Recorded in jobnudge: log how it went with `nudge log ... interviewed`.")
        ev.add("description", "\n".join(lines))
        ev.add("categories", ["Interview"])
        ev.add("transp", "OPAQUE")
        for before, text in ((timedelta(days=-1), "tomorrow"), (timedelta(hours=-1), "in an hour")):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Interview with {item.company} {text}")
            alarm.add("trigger", before)
            ev.add_component(alarm)
        cal.add_component(ev)
    for nudge in nudges:
        start = nudge.due.astimezone(_zone(nudge.tz))
        first, last = min(first, start.date()), max(last, start.date())
        ev = Event()
        ev.add("uid", uid(owner_seed, f"nudge:{nudge.key}"))
        ev.add("dtstamp", now)
        ev.add("dtstart", start)
        ev.add("dtend", start + NUDGE_LENGTH)
        who = f" → {nudge.contact}" if nudge.contact else ""
        where = f"{nudge.company}: " if nudge.company else ""
        ev.add("summary", f"Follow up: {where}{nudge.title}{who}")
        ev.add("x-jobnudge-rule", nudge.rule)
        lines = [nudge.reason]
        if nudge.message:
            lines.append(f"What to say: {nudge.message}")
        if nudge.channel:
            lines.append(f"Channel: {nudge.channel}")
        if nudge.due_by is not None:
            latest = nudge.due_by.astimezone(_zone(nudge.tz))
            lines.append(f"Best done by {latest:%a %d %b %Y %H:%M} ({nudge.tz}).")
        lines.append(
            f"Done? `nudge done {nudge.short_id}`; later: `nudge snooze {nudge.short_id}`."
        )
        ev.add("description", "\n".join(lines))
        ev.add("categories", ["Follow-up"])
        ev.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", nudge.reason[:200])
        alarm.add("trigger", timedelta(0))
        ev.add_component(alarm)
        cal.add_component(ev)
    cal.add_missing_timezones(first_date=first, last_date=last + timedelta(days=1))
    data: bytes = cal.to_ical()
    return data
