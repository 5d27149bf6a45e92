"""A coach's caseload: one row per job seeker who consented, ordered by who needs help first,
and what a coach does for one of them (private notes, a comment or a suggested follow-up the
job seeker sees on Today).

Who needs help first: the longest-overdue follow-up first, then the most overdue follow-ups,
then the longest silence (days since the last thing the seeker logged), then the name. A
seeker with nothing overdue and recent activity sorts last. :func:`order` and :func:`pick`
are pure; :func:`rows` reads the whole caseload in a handful of grouped queries.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jobnudge.domain import EventType, Stage
from jobnudge.errors import NotFound, UsageError
from jobnudge.services.review import FADED_AFTER

if TYPE_CHECKING:
    from jobnudge.domain.records import Event, Opportunity
    from jobnudge.store import Store
    from jobnudge.store.caseloads import Comment, Link, Note
    from jobnudge.store.orgs import Member

FILTERS = {
    "all": "Everyone",
    "overdue": "Follow-ups overdue",
    "quiet": "Quiet for 14 days or more",
    "interviews": "Interviews this week",
    "offers": "With an offer",
}
QUIET_DAYS = 14
MAX_TEXT = 2_000


@dataclass(frozen=True)
class Row:
    seeker_id: int
    name: str  # user name
    full_name: str
    overdue: int
    overdue_days: int  # how long the oldest overdue follow-up has waited past its deadline
    idle_days: int | None  # days since the last logged activity; None: nothing logged yet
    active: int
    waiting: int  # active, the ball in the employer's court
    interviews_this_week: int
    offers: int
    closed: int  # ended clearly: offer, rejection, withdrawal, "no response"
    faded: int  # active but silent for 30 days

    @property
    def closure_share(self) -> float | None:
        ended = self.closed + self.faded
        return self.closed / ended if ended else None


def order(rows: Sequence[Row]) -> list[Row]:
    """Who needs help first (see the module's docstring)."""
    return sorted(
        rows,
        key=lambda r: (
            -r.overdue_days,
            -r.overdue,
            -(r.idle_days if r.idle_days is not None else 10_000),
            r.name,
        ),
    )


def pick(rows: Sequence[Row], show: str, search: str) -> list[Row]:
    """The rows a filter (one of :data:`FILTERS`) and a search (name or user name) leave."""
    words = search.strip().casefold()
    tests: dict[str, Callable[[Row], bool]] = {
        "all": lambda r: True,
        "overdue": lambda r: r.overdue > 0,
        "quiet": lambda r: r.idle_days is None or r.idle_days >= QUIET_DAYS,
        "interviews": lambda r: r.interviews_this_week > 0,
        "offers": lambda r: r.offers > 0,
    }
    keep = tests.get(show, tests["all"])
    return [
        r
        for r in rows
        if keep(r) and (not words or words in r.name.casefold() or words in r.full_name.casefold())
    ]


def week_bounds(now: datetime, tz: str) -> tuple[datetime, datetime]:
    """This week, Monday to Monday, in ``tz``."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, time(0), zone)
    return start, start + timedelta(days=7)


def rows(store: Store, coach: int, now: datetime, tz: str) -> list[Row]:
    """The caseload of ``coach`` (consented, active), ordered by who needs help first."""
    from jobnudge.services.orgs import coach_of
    from jobnudge.store import caseloads

    coach_of(store, coach)
    return rows_of(store, caseloads.caseload(store, coach), now, tz)


def rows_of(
    store: Store, people: Sequence[tuple[int, str, str]], now: datetime, tz: str
) -> list[Row]:
    """The rows of ``people`` (a caseload as ``store.caseloads.caseload`` reads it, already
    scoped to the coach), ordered by who needs help first: one statement per 100 seekers."""
    from jobnudge.store import caseload_reads

    if not people:
        return []
    numbers = caseload_reads.caseload_numbers(
        store, [sid for sid, _, _ in people], now, week_bounds(now, tz), now - FADED_AFTER
    )
    out = []
    for sid, name, full_name in people:
        found = numbers.get(sid)
        if found is None:  # gone between the two reads (deleted): as a seeker with nothing
            found = caseload_reads.Numbers(0, 0, 0, 0, 0, 0, None, None, 0)
        oldest, seen = found.oldest_deadline, found.last_action
        out.append(
            Row(
                seeker_id=sid,
                name=name,
                full_name=full_name,
                overdue=found.overdue,
                overdue_days=max(0, (now - oldest).days) if found.overdue and oldest else 0,
                idle_days=max(0, (now - seen).days) if seen else None,
                active=found.active,
                waiting=found.waiting,
                interviews_this_week=found.interviews,
                offers=found.offers,
                closed=found.closed,
                faded=found.faded,
            )
        )
    return order(out)


@dataclass(frozen=True)
class View:
    """What the caseload page shows besides each seeker's numbers, read once per request: the
    coach's membership, who is in the caseload, and the requests with where each stands."""

    me: Member
    people: tuple[tuple[int, str, str], ...]  # (user id, user name, full name)
    links: tuple[Link, ...]

    def built_from(self, store: Store) -> Hashable:
        """The kept page's key: this view with each seeker's revision (raised by every write
        to their search). The page is kept while this is unchanged."""
        return (
            self.me,
            self.people,
            tuple(store.revision(s) for s, _, _ in self.people),
            self.links,
        )

    @property
    def asked(self) -> list[Link]:
        """The requests still waiting for the job seeker's answer."""
        return [link for link in self.links if link.state == "asked"]


def view_of(store: Store, coach: int) -> View:
    """The caseload page's :class:`View` for ``coach`` (NotFound for anyone else)."""
    from jobnudge.services.orgs import coach_of
    from jobnudge.store import caseloads

    me = coach_of(store, coach)
    return View(
        me, tuple(caseloads.caseload(store, coach)), tuple(caseloads.links_of_coach(store, coach))
    )


def built_from(store: Store, coach: int) -> Hashable:
    """What the caseload page shows besides the clock and the coach's settings
    (:meth:`View.built_from`)."""
    return view_of(store, coach).built_from(store)


def requests_of(store: Store, coach: int) -> list[Link]:
    """The coach's caseload requests, with where each stands."""
    from jobnudge.services.orgs import coach_of
    from jobnudge.store import caseloads

    coach_of(store, coach)
    return caseloads.links_of_coach(store, coach)


def seeker_of(store: Store, coach: int, seeker: int) -> tuple[int, str, str]:
    """The seeker, if in ``coach``'s caseload; else NotFound (as for any unknown id)."""
    from jobnudge.services.orgs import coach_of
    from jobnudge.store import caseloads

    coach_of(store, coach)
    for found in caseloads.caseload(store, coach):
        if found[0] == seeker:
            return found
    raise NotFound(f"No job seeker with id {seeker} in your caseload.")


def notes(store: Store, coach: int, seeker: int) -> list[Note]:
    from jobnudge.store import caseloads

    seeker_of(store, coach, seeker)
    return caseloads.notes(store, coach, seeker)


def _text(text: str, field: str) -> str:
    """A note or comment as every note field of the app takes it (``text_safety.text``):
    control characters refused, one that shows nothing (zero-width spaces) refused as empty."""
    from jobnudge import text_safety

    cleaned = text_safety.trim(text_safety.text(text, field))
    if text_safety.is_blank(cleaned):
        raise UsageError(f"{field}: type something first.")
    if len(cleaned) > MAX_TEXT:
        raise UsageError(f"{field}: keep it under {MAX_TEXT} characters.")
    return cleaned


def add_note(store: Store, coach: int, seeker: int, text: str, now: datetime) -> None:
    """A private note: only the coach who wrote it ever sees it."""
    from jobnudge.store import caseloads

    seeker_of(store, coach, seeker)
    caseloads.add_note(store, coach, seeker, _text(text, "note"), now)


def comment(
    store: Store,
    coach: int,
    seeker: int,
    text: str,
    now: datetime,
    *,
    opportunity_id: int | None = None,
    due_on: date | None = None,
) -> None:
    """A comment (or, with ``due_on``, a suggested follow-up) for the seeker's Today page."""
    from jobnudge.store import caseloads

    seeker_of(store, coach, seeker)
    body = _text(text, "comment")
    if due_on is not None:
        from jobnudge import bounds

        bounds.day(due_on, "due_on")
    if opportunity_id is not None and opportunity_id not in store.all_opportunity_ids(seeker):
        raise UsageError("opportunity: choose one of the job seeker's opportunities.")
    kind = "follow-up" if due_on is not None else "comment"
    caseloads.add_comment(
        store,
        coach,
        seeker,
        kind,
        body,
        opportunity_id,
        due_on.isoformat() if due_on else None,
        now,
    )


def comments_left(store: Store, coach: int, seeker: int) -> list[Comment]:
    from jobnudge.store import caseloads

    seeker_of(store, coach, seeker)
    return caseloads.comments(store, seeker, coach=coach)


def for_today(store: Store, seeker: int) -> list[Comment]:
    """What coaches left for ``seeker`` to read on Today, from coaches they still consent to."""
    from jobnudge.store import caseloads

    consenting = {
        link.coach_id
        for link in caseloads.links_of_seeker(store, seeker)
        if link.state == caseloads.CONSENTED
    }
    return [c for c in caseloads.comments(store, seeker) if c.coach_id in consenting]


def put_away(store: Store, seeker: int, comment_id: int, now: datetime) -> None:
    from jobnudge.store import caseloads

    caseloads.dismiss_comment(store, seeker, comment_id, now)


LAST_EVENTS = 12


def opportunities(store: Store, coach: int, seeker: int) -> list[tuple[Opportunity, Stage]]:
    """The seeker's opportunities with their stages, for their coach to read."""
    seeker_of(store, coach, seeker)
    return store.opportunities(seeker)


def recent(store: Store, coach: int, seeker: int) -> list[Event]:
    """The seeker's latest events (what they did and what happened), newest first: those
    with their day unknown stand where their recorded moment (the import's) puts them, and
    the page shows them as "date unknown"."""
    from jobnudge.store.insights import all_events

    seeker_of(store, coach, seeker)
    return [e for e in reversed(all_events(store, seeker)) if e.type is not EventType.NOTE][
        :LAST_EVENTS
    ]
