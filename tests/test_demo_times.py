"""The demo's moments are plausible in every zone they are shown in: each interview, for the
hour it lasts, falls inside the working hours of the user and of everyone met, on a working day
of each; a message from someone falls inside their own working day. At any moment the demo may
be loaded, for a user in any zone (a person whose working day never meets the user's is moved
to the user's zone for the demo)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.config import Playbook, Profile, Settings
from jobnudge.domain import EventType
from jobnudge.playbook import calendar
from jobnudge.services import demo
from jobnudge.services.demo_data import PEOPLE
from jobnudge.services.session import open_session
from tests.pinned import PINNED_NOW

ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("SystemV"))
COUNTRIES = ("US", "GB", "DE", "JP", "IN", "AU", "BR", "NZ")
HOURS = Playbook()
START, END = HOURS.workday_start_hour, HOURS.workday_end_hour
MEETING = timedelta(hours=1)  # an interview ends inside the working day too
MESSAGE = timedelta(minutes=30)


class Place(NamedTuple):
    tz: str
    country: str


def inside(at: datetime, place: Place, length: timedelta) -> bool:
    """``at`` to ``at + length`` inside the working hours of a working day at ``place``."""
    local = at.astimezone(ZoneInfo(place.tz))
    finish = (at + length).astimezone(ZoneInfo(place.tz))
    return (
        calendar.is_working_day(local.date(), place.country)
        and local.date() == finish.date()
        and local.hour * 60 + local.minute >= START * 60
        and finish.hour * 60 + finish.minute <= END * 60
    )


def problems(now: datetime, zone: str, country: str) -> list[str]:
    """Every demo moment outside someone's working hours, described."""
    user = Place(zone, country)
    planned = demo.plan(now, zone, country, HOURS)
    found = []
    for events in planned.events:
        for event in events:
            theirs = [Place(*(planned.places[n] or user)) for n in event.people]
            moments = [event.fields["scheduled_for"]] if "scheduled_for" in event.fields else []
            if event.word is EventType.INTERVIEWED:
                moments.append(event.at)
            for at in moments:  # an interview: the user and everyone met
                for who, place in [("you", user), *zip(event.people, theirs, strict=True)]:
                    if not inside(at, place, MEETING):
                        found.append(f"interview {at:%a %Y-%m-%d %H:%M}Z for {who} in {place}")
            if event.word in demo.FROM_THEM:  # a message: inside its sender's working day
                for who, place in zip(event.people, theirs, strict=True):
                    if not inside(event.at, place, MESSAGE):
                        found.append(f"{event.word} {event.at:%a %H:%M}Z from {who} in {place}")
            if event.at > now:
                found.append(f"{event.word} after now")
    return found


@settings(max_examples=150, deadline=None)
@given(
    now=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
    country=st.sampled_from(COUNTRIES),
)
def test_every_demo_interview_is_in_working_hours_in_both_zones(
    now: datetime, zone: str, country: str
) -> None:
    assert problems(now, zone, country) == []


def test_the_quick_starts_demo_around_midnight_utc() -> None:
    """The trial's moment, 00:44 UTC, where the interviewers in Denver once met at 04:00."""
    now = datetime(2026, 12, 8, 0, 44, tzinfo=UTC)
    for zone in ("Etc/UTC", "America/Los_Angeles", "Asia/Tokyo", "Europe/Berlin", PEOPLE[0].tz):
        assert zone is not None
        assert problems(now, zone, "US") == [], zone
    near = demo.plan(now, "Etc/UTC", "US", HOURS).places["Dana Lee"]
    assert near is not None and (near.tz, near.country) == ("America/Denver", "US")
    far = demo.plan(now, "Asia/Tokyo", "JP", HOURS).places["Dana Lee"]  # never meets Tokyo
    assert far is not None and (far.tz, far.country) == ("Asia/Tokyo", "JP")


def test_the_loaded_demo_keeps_the_planned_moments(tmp_path: Path) -> None:
    """What the database holds: the interviews and the zones of the people met."""
    zone = "Etc/UTC"
    config = Settings(profile=Profile(name="Alex Morgan", tz=zone, country="US"))
    session = open_session(None, settings=config, data_dir=tmp_path / "data")
    try:
        session.now = PINNED_NOW.replace(hour=0, minute=44)
        demo.load(session)
        store, owner = session.store, session.owner
        people = {c.id: c for c in store.contacts(owner)}
        seen = 0
        for opp, _stage in store.opportunities(owner):
            for event in store.events(owner, opp.id):
                if event.type is not EventType.INTERVIEWED:
                    continue
                seen += 1
                assert inside(event.at, Place(zone, "US"), MEETING), event
                for cid in event.contact_ids:
                    met = people[cid]
                    place = Place(met.tz or zone, met.country or "US")
                    assert inside(event.at, place, MEETING), (met.name, event.at)
        assert seen >= 5
    finally:
        session.close()
