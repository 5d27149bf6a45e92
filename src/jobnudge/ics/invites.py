"""Reading an interview invitation (.ics, METHOD:REQUEST) as Google Calendar, Outlook and Zoom
send them: when (in the event's own time zone), who organises it, who attends, where.

Outlook names zones the Windows way ("Pacific Standard Time"); those become IANA names
("America/Los_Angeles"). A time without a zone ("floating") is read in the user's zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jobnudge.bounds import is_digits
from jobnudge.errors import BadFile, UsageError
from jobnudge.maildomains import PUBLIC_DOMAINS
from jobnudge.text_safety import scrub_line, scrub_text
from jobnudge.zones import looks_like_zone

FREE_MAIL = PUBLIC_DOMAINS | {
    "zoom.us",
    "calendar.google.com",
    "resource.calendar.google.com",
    "group.calendar.google.com",
    "calendly.com",
}
"""Domains that say nothing about an employer: personal mail and calendar systems."""

_CONFERENCE = re.compile(
    r"https://[\w.-]*(?:zoom\.us|meet\.google\.com|teams\.microsoft\.com|teams\.live\.com|"
    r"webex\.com|whereby\.com|gotomeeting\.com)/[^\s<>\"')]*",
    re.IGNORECASE,
)
_ROUND = re.compile(
    r"\bround\s*(\d{1,2})\b|\b(\d{1,2})(?:st|nd|rd|th)\s+(?:round|interview)\b", re.IGNORECASE
)
_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|calendar|notifications?)@", re.IGNORECASE)


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    kind: str = "INDIVIDUAL"  # CUTYPE: ROOM and RESOURCE are not people

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2]

    @property
    def is_person(self) -> bool:
        return (
            self.kind in ("INDIVIDUAL", "")
            and "@" in self.email
            and not _NO_REPLY.match(self.email)
            and not self.domain.startswith("resource.")
            and "resource.calendar" not in self.domain
        )


@dataclass(frozen=True)
class Invite:
    uid: str
    method: str
    summary: str
    start: datetime  # aware, UTC
    tz: str  # IANA name of the zone the event was given in
    end: datetime | None
    organizer: Person | None
    attendees: tuple[Person, ...]
    location: str = ""
    description: str = ""
    conference: str = ""  # a video-call link, when there is one
    stamp: datetime | None = None  # DTSTAMP: when the invitation was sent
    sequence: int = 0

    @property
    def people(self) -> tuple[Person, ...]:
        """Organizer first, then attendees, each email once, rooms and robots left out."""
        seen: set[str] = set()
        out = []
        for person in (self.organizer, *self.attendees):
            if person is not None and person.is_person and person.email not in seen:
                seen.add(person.email)
                out.append(person)
        return tuple(out)

    @property
    def round(self) -> int | None:
        match = _ROUND.search(self.summary)
        if match is None:
            return None
        value = int(match.group(1) or match.group(2))
        return value if 1 <= value <= 20 else None

    @property
    def format(self) -> str | None:
        text = f"{self.summary} {self.location}".casefold()
        if self.conference or "video" in text:
            return "video"
        if "phone" in text or "call" in self.summary.casefold():
            return "phone"
        if "onsite" in text or "on-site" in text or "in person" in text or self.location:
            return "onsite"
        return None


def iana(tzid: str | None, value: datetime, fallback: str) -> str:
    """The IANA name for an event's zone: its TZID when IANA already, the mapped Windows name,
    the tail of a "globally unique" /vendor/Zone TZID, else ``fallback``."""
    key = getattr(value.tzinfo, "key", None)
    candidates = [key, tzid]
    if tzid:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

        candidates.append(WINDOWS_TO_OLSON.get(tzid.strip()))
        parts = tzid.strip("/").split("/")
        candidates += ["/".join(parts[i:]) for i in range(1, len(parts))]
    if value.utcoffset() == UTC.utcoffset(None) and not tzid:
        candidates.append("UTC")
    for name in candidates:
        if not name or ("/" not in name and name != "UTC") or not looks_like_zone(name):
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return fallback


def _email(address: Any) -> str:
    text = scrub_line(str(address or ""))
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def _person(address: Any) -> Person | None:
    if address is None:
        return None
    email = _email(address)
    params = getattr(address, "params", {})
    name = scrub_line(str(params.get("CN", "")).strip('"'))
    kind = str(params.get("CUTYPE", "INDIVIDUAL")).upper()
    if not email and not name:
        return None
    return Person(name=name[:200], email=email[:320], kind=kind)


def _text(value: Any) -> str:
    """A text property as data: someone else wrote it, so control characters are dropped."""
    return scrub_text(str(value)).strip() if value is not None else ""


def parse(data: bytes | str, *, user_tz: str, source: str = "the file") -> Invite:
    """The first event of an invitation; BadFile when it is no calendar, UsageError when it is
    a calendar message that is not an invitation (a cancellation, a reply)."""
    from icalendar import Calendar

    try:
        cal = Calendar.from_ical(data)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError... on garbage
        raise BadFile(
            f"{source}: is not an iCalendar file ({type(exc).__name__}: {exc})."
        ) from None
    if cal.name != "VCALENDAR":
        raise BadFile(f"{source}: holds a {cal.name}, not a VCALENDAR.")
    method = _text(cal.get("METHOD")).upper() or "PUBLISH"
    if method in ("CANCEL", "REPLY", "COUNTER", "DECLINECOUNTER", "REFRESH"):
        raise UsageError(
            f"{source}: is a calendar {method} message, not an invitation; only invitations "
            "(METHOD:REQUEST) schedule an interview. A cancelled interview: `nudge log ... note`."
        )
    try:
        events = [e for e in cal.walk("VEVENT") if e.get("DTSTART") is not None]
    except Exception as exc:  # a damaged component deep in the file
        raise BadFile(f"{source}: cannot be read ({type(exc).__name__}: {exc}).") from None
    if not events:
        raise BadFile(f"{source}: holds no event with a start time.")
    event = events[0]
    try:
        start_prop = event.get("DTSTART")
        value = start_prop.dt
        tzid = start_prop.params.get("TZID")
        end_prop = event.get("DTEND")
        end_value = end_prop.dt if end_prop is not None else None
        stamp_prop = event.get("DTSTAMP")
        stamp = stamp_prop.dt if stamp_prop is not None else None
        attendees_raw = event.get("ATTENDEE") or []
    except Exception as exc:  # a property icalendar cannot decode
        raise BadFile(
            f"{source}: the event cannot be read ({type(exc).__name__}: {exc})."
        ) from None
    if not isinstance(value, datetime):
        raise UsageError(
            f"{source}: the event lasts all day ({value}); an interview invitation has a time."
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(user_tz))
        zone = user_tz
    else:
        zone = iana(str(tzid) if tzid else None, value, user_tz)
    if not isinstance(attendees_raw, list):
        attendees_raw = [attendees_raw]
    attendees = tuple(p for p in (_person(a) for a in attendees_raw[:500]) if p is not None)
    description = _text(event.get("DESCRIPTION"))[:20_000]
    location = _text(event.get("LOCATION"))[:2_000]
    conference = _text(event.get("X-GOOGLE-CONFERENCE")) or _text(event.get("URL"))
    if not _CONFERENCE.match(conference):
        found = _CONFERENCE.search(f"{location}\n{description}")
        conference = found.group(0) if found else ""
    sequence_text = _text(event.get("SEQUENCE"))
    return Invite(
        uid=_text(event.get("UID"))[:500],
        method=method,
        summary=" ".join(_text(event.get("SUMMARY")).split())[:500],
        start=value.astimezone(UTC),
        tz=zone,
        end=end_value.astimezone(UTC)
        if isinstance(end_value, datetime) and end_value.tzinfo
        else None,
        organizer=_person(event.get("ORGANIZER")),
        attendees=attendees,
        location=location,
        description=description,
        conference=conference[:500],
        stamp=stamp.astimezone(UTC)
        if isinstance(stamp, datetime) and stamp.tzinfo is not None
        else None,
        sequence=int(sequence_text) if is_digits(sequence_text) else 0,
    )


def domain_matches(domain: str, known: str) -> bool:
    """``mail.acme.com`` and ``acme.com`` both belong to ``acme.com``."""
    return domain == known or domain.endswith("." + known)


def names_in(text: str, name: str) -> bool:
    """Whether ``name`` appears in ``text`` as whole words, ignoring case."""
    cleaned = name.strip()
    if len(cleaned) < 2:
        return False
    return re.search(rf"(?<!\w){re.escape(cleaned)}(?!\w)", text, re.IGNORECASE) is not None


def stem(name: str) -> str:
    """A company name reduced to what its web domain usually is: ``Acme Corp`` → ``acme``."""
    words = re.findall(r"\w+", name.casefold())
    filler = {"inc", "corp", "corporation", "llc", "ltd", "gmbh", "ag", "co", "company", "the"}
    kept = [w for w in words if w not in filler]
    return "".join(kept)


def day_of(value: datetime, tz: str) -> date:
    return value.astimezone(ZoneInfo(tz)).date()
