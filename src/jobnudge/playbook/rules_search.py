"""Rules about the search as a whole rather than one opportunity: keep in touch with staffing
firms (seed 003), and add applications while waiting (seeds 000, 003)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from jobnudge.config import Settings
from jobnudge.domain import Channel, Contact, Event, EventType, Nudge, Stage
from jobnudge.mailboxes import is_desk
from jobnudge.playbook import calendar, wording
from jobnudge.plural import count


@dataclass(frozen=True)
class Search:
    """What the search-wide rules read: every opportunity's stage, each staffing-firm contact
    with the last time the user was in touch (None: never), and the firm's name; and, for the
    active opportunities, the interviews scheduled and held (to tell one with an interview
    ahead from one waiting on the employer)."""

    stages: Mapping[int, Stage] = field(default_factory=dict)
    staffing: Sequence[tuple[Contact, str, datetime | None]] = ()
    decisions: Sequence[Event] = ()  # nudge-* events not tied to an opportunity
    interviews: Mapping[int, Sequence[Event]] = field(default_factory=dict)
    accepted: Mapping[int, datetime] = field(default_factory=dict)
    """When each offer the user accepted (and still holds) was accepted: the search is over."""

    def over(self) -> datetime | None:
        """When the search ended with an accepted offer (the latest such), else None."""
        return max(self.accepted.values(), default=None)


def _nudge(
    rule: str,
    *,
    contact: Contact | None,
    channel: Channel | None,
    due: datetime,
    due_by: datetime | None,
    reason: str,
    tz: str,
    slot: str,
    message: str = "",
) -> Nudge:
    contact_part = str(contact.id) if contact else "-"
    return Nudge(
        key=f"{rule}:user:{contact_part}:{slot}",
        rule=rule,
        opportunity_id=None,
        contact_id=contact.id if contact else None,
        channel=channel,
        due=due,
        due_by=due_by,
        reason=reason,
        tz=tz,
        message=message,
    )


def staffing_keep_in_touch(search: Search, settings: Settings, now: datetime) -> list[Nudge]:
    """staffing.keep-in-touch: every so often while the search is active; any logged contact
    with the firm restarts the timer."""
    active = [s for s in search.stages.values() if s.is_active or s is Stage.LEAD]
    if not active or search.over() is not None:
        return []  # "while the search is active": an accepted offer ends it
    numbers = settings.playbook
    nudges = []
    for contact, firm, last in one_per_firm(search.staffing):
        tz = contact.tz or settings.profile.tz
        country = contact.country or settings.profile.country
        start = calendar.hour_clock(numbers.workday_start_hour)
        if last is None:
            due = calendar.working_day_at(calendar.local_day(now, tz), start, tz, country)
            since = "you have not logged any contact with them yet"
        else:
            day = calendar.local_day(last, tz) + timedelta(days=int(numbers.staffing_every_days))
            due = calendar.working_day_at(day, start, tz, country)
            since = f"last in touch on {wording.day(last, settings.profile.tz)}"
        nudges.append(
            _nudge(
                "staffing.keep-in-touch",
                contact=contact,
                channel=contact.prefers or Channel.EMAIL,
                due=due,
                due_by=due + timedelta(days=3),
                reason=(
                    f"{_at_firm(contact.name, firm)} works on your behalf; {since}. Staffing "
                    "firms work "
                    f"hardest for candidates who stay in touch (every "
                    f"{wording.days(numbers.staffing_every_days)})."
                ),
                tz=tz,
                slot=last.date().isoformat() if last else "never",
                message="Your availability, what changed, thanks.",
            )
        )
    return nudges


def one_per_firm(
    staffing: Sequence[tuple[Contact, str, datetime | None]],
) -> list[tuple[Contact, str, datetime | None]]:
    """Whom each firm's keep-in-touch goes to: one per firm (a contact at no company is a firm
    of their own), to a named recruiter rather than the firm's desk (``mailboxes.is_desk``),
    the one last in touch when there are several; the firm's last touch is its latest with
    anyone there, since any logged contact with the firm restarts the timer."""
    firms: dict[tuple[bool, int], list[tuple[Contact, str, datetime | None]]] = {}
    for entry in staffing:
        contact = entry[0]
        at = contact.company_id
        firms.setdefault((True, at) if at is not None else (False, contact.id), []).append(entry)
    chosen = []
    for entries in firms.values():
        people = [e for e in entries if not is_desk(e[0].name, e[0].email, e[1])] or entries
        contact, firm, _last = max(people, key=_recency)
        touches = [last for _c, _f, last in entries if last is not None]
        chosen.append((contact, firm, max(touches, default=None)))
    return chosen


def _recency(entry: tuple[Contact, str, datetime | None]) -> tuple[bool, datetime, int]:
    """The one last in touch; of those never in touch, the first recorded."""
    contact, _firm, last = entry
    return (last is not None, last or datetime.min.replace(tzinfo=UTC), -contact.id)


def _at_firm(name: str, firm: str) -> str:
    """The person and their firm, once only when the contact stands for the firm itself."""
    return name if name.casefold() == firm.casefold() else f"{name} ({firm})"


def interview_ahead(events: Sequence[Event], now: datetime) -> bool:
    """Whether an opportunity has an interview still to come at ``now``.

    A reschedule replaces the earlier time for its round (as logged, else the next round to
    happen); an interview logged as held (from 12 hours before its time on) is behind.
    """
    ordered = sorted(events, key=lambda e: (e.at, e.id))
    held = [e for e in ordered if e.type is EventType.INTERVIEWED]
    latest: dict[int, Event] = {}
    for event in ordered:
        if event.type is EventType.SCHEDULED and event.scheduled_for is not None:
            slot = event.round or len([i for i in held if i.at < event.at]) + 1
            latest[slot] = event
    for event in latest.values():
        when = event.scheduled_for
        assert when is not None
        if when <= now:
            continue
        if not any(i.at > event.at and i.at >= when - timedelta(hours=12) for i in held):
            return True
    return False


def withdraw_the_rest(search: Search, settings: Settings) -> list[Nudge]:
    """Once an offer is accepted the search is over (PLAYBOOK: a process closes with an offer
    or a withdrawal; seed 004: closure to every process): rather than check-ins and status
    checks, the other open applications are to be withdrawn, each employer told. One
    suggestion at once, under the rule that already means "close it rather than write again"
    (silence.move-on); each application's own follow-ups end when it is recorded as
    withdrawn."""
    ended = search.over()
    if ended is None:
        return []
    others = [
        oid
        for oid, stage in search.stages.items()
        if oid not in search.accepted and (stage.is_active or stage is Stage.OFFER)
    ]
    if not others:
        return []
    tz = settings.profile.tz
    return [
        _nudge(
            "silence.move-on",
            contact=None,
            channel=None,
            due=ended,
            due_by=ended + timedelta(days=7),
            reason=(
                f"You accepted an offer on {wording.day(ended, tz)}, so your search is over; "
                f"{count(len(others), 'other application')} still open. Withdraw from each "
                "and tell the employer, with thanks, rather than check in; record each as "
                "withdrawn and its follow-ups stop."
            ),
            tz=tz,
            slot=f"accepted-{min(search.accepted, key=lambda oid: search.accepted[oid])}",
        )
    ]


def pipeline_keep_looking(search: Search, settings: Settings, now: datetime) -> list[Nudge]:
    """pipeline.keep-looking: at the weekly review, when fewer than the minimum applications
    are active, or when every active one is waiting on the employer (no interview ahead).
    Keyed by week, so dismissing it quiets it until next week's review."""
    stages = search.stages
    active = [oid for oid, s in stages.items() if s.is_active]
    minimum = int(settings.playbook.pipeline_min_active)
    if not stages or search.over() is not None:
        return []  # an accepted offer: nothing more to add
    few = len(active) < minimum
    waiting = [oid for oid in active if not interview_ahead(search.interviews.get(oid, ()), now)]
    if not few and len(waiting) < len(active):
        return []
    tz = settings.profile.tz
    today = calendar.local_day(now, tz)
    review = today - timedelta(days=(today.weekday() - int(settings.playbook.review_weekday)) % 7)
    due = calendar.at_local(review, calendar.hour_clock(settings.playbook.workday_start_hour), tz)
    interviewing = sum(1 for oid in active if stages[oid] is Stage.INTERVIEWING)
    applications = count(len(active), "active application")
    if not active:
        reason = (
            f"No active application; the playbook suggests keeping at least {minimum} "
            "going: add the ones that fit you best."
        )
    elif few:
        reason = (
            f"Only {applications} ({interviewing} interviewing), fewer than {minimum}; while "
            "you wait to hear back, add applications that may fit even better."
        )
    else:
        every = "Your one active application is" if len(active) == 1 else f"All {applications} are"
        reason = (
            f"{every} waiting on the employer, with no interview coming up; while you wait to "
            "hear back, add applications that may fit even better."
        )
    return [
        _nudge(
            "pipeline.keep-looking",
            contact=None,
            channel=None,
            due=due,
            due_by=due + timedelta(days=6),
            reason=reason,
            tz=tz,
            slot=f"{review.isocalendar().year}-W{review.isocalendar().week:02d}",
        )
    ]
