"""Rules about applications and silence: check in a week after applying, retry once a full week
after an unanswered follow-up, and suggest moving on when silence persists."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from jobnudge.domain import EventType, Nudge, Stage
from jobnudge.playbook import wording
from jobnudge.playbook.facts import Facts
from jobnudge.plural import count


def apply_check_in(f: Facts) -> list[Nudge]:
    """apply.check-in: about a week after applying, never before the posting's stated
    response time has passed (seeds 003, 001, 000)."""
    if f.stage is not Stage.APPLIED:
        return []
    applied = f.last(EventType.APPLIED)
    if applied is None:
        return []
    if f.received_after(applied) or f.after(applied, EventType.SCHEDULED):
        return []
    if any(e.at > applied.at for e in f.employer_follow_ups()):
        return []  # checked in already: silence.retry takes over
    contact = f.status_contact()
    due = f.working_morning(applied.at, f.numbers.apply_check_in_days, contact)
    due_by = f.end_of_local_day(applied.at, f.numbers.apply_check_in_window_days, contact)
    applied_on = f.happened_on(applied, None)
    reason = (
        f"Applied {applied_on} and heard nothing since; a check-in falls due "
        f"{_about_a_week(f.numbers.apply_check_in_days, f.numbers.apply_check_in_window_days)}."
        f"{f.counted_from_record(applied)}"
    )
    opp = f.opportunity
    stated = opp.responds_within_days
    if stated:
        not_before = f.working_morning(applied.at, stated + 1, contact)
        if not_before > due:
            due = not_before
            due_by = max(due_by, f.end_of_local_day(not_before, 2, contact))
            said = opp.posting_says("responds_within")
            told = f'"{said}"' if said else f"they respond within {wording.days(stated)}"
            reason = (
                f"Applied {applied_on}; the posting says {told}, so the check-in "
                f"waits until {f.due_day(not_before, contact)}: nothing before the time they gave."
            )
    terms = opp.posting_terms
    wait_until = terms.get("wait_until", {}).get("value") if terms else None
    if isinstance(wait_until, str) and wait_until:
        not_before = f.working_morning(f.on_day(wait_until, contact), 1, contact)
        if not_before > due:
            due = not_before
            due_by = max(due_by, f.end_of_local_day(not_before, 2, contact))
            reason = (
                f"Applied {applied_on}; the posting says "
                f'"{opp.posting_says("wait_until")}", so the check-in waits until '
                f"{f.due_day(not_before, contact)}: nothing before the time they gave."
            )
    if applied.decision_by is not None:  # a decision date stated when they took it
        stated_day = f.on_day(applied.decision_by.isoformat(), contact)
        not_before = f.working_morning(stated_day, 1, contact)
        if not_before > due:
            due = not_before
            due_by = max(due_by, f.end_of_local_day(not_before, 2, contact))
            reason = (
                f"Applied {applied_on}; they stated a decision by "
                f"{f.due_day(stated_day, contact)}, so the check-in waits until "
                f"{f.due_day(not_before, contact)}: nothing before the time they gave."
            )
    channel = f.channel_for(contact)
    only_email = f.no_calls_sentence()
    if only_email:
        reason += f' The posting says "{only_email}": check in by email only, never by phone.'
    elif channel.is_voice:
        reason += " A short call inside their call hours is fine."
    reason += f.through_firm(contact)
    return [
        f.nudge(
            "apply.check-in",
            contact=contact,
            channel=channel,
            due=due,
            due_by=due_by,
            reason=reason,
            anchor=applied,
            message="Your interest in the role, one key skill that fits, a request to take a look.",
        )
    ]


@lru_cache(maxsize=64, typed=True)
def _about_a_week(days: float, window_days: float) -> str:
    """'about a week after applying (7–10 days)': the same words for every opportunity."""
    return f"about a week after applying ({int(days)}–{wording.days(int(window_days))})"


def silence(f: Facts) -> list[Nudge]:
    """silence.retry a full week after an unanswered follow-up (seed 003); silence.move-on once
    the unanswered follow-ups reach the limit (seeds 001, 000)."""
    if not f.stage.is_active:
        return []
    follow_ups = f.employer_follow_ups()
    if not follow_ups:
        return []
    last = follow_ups[-1]
    if f.received_after(last) or f.after(last, EventType.SCHEDULED, EventType.INTERVIEWED):
        return []
    # The unanswered run: follow-ups since the employer last spoke or met the user.
    spoke = [
        e.at
        for e in (*f.heard_from_employer(), *f.of_type(EventType.SCHEDULED, EventType.INTERVIEWED))
    ]
    since = max(spoke) if spoke else None
    unanswered = [e for e in follow_ups if since is None or e.at > since]
    if not unanswered:
        return []  # they spoke at the very moment of the last follow-up (logged with one time)
    retries_sent = len(unanswered) - 1
    contact = f.status_contact(last.contact_ids)
    wait = max(f.numbers.silence_retry_days, f.numbers.cooldown_days)
    due = f.working_morning(last.at, wait, contact)
    first = unanswered[0]
    if retries_sent >= f.numbers.silence_move_on_after:
        return [
            f.nudge(
                "silence.move-on",
                contact=None,
                channel=None,
                due=due,
                due_by=due + timedelta(days=7),
                reason=(
                    f"{count(len(unanswered), 'follow-up')} since {f.day(first.at)} went "
                    f"unanswered (the last on {f.day(last.at)}); continued silence "
                    "usually means they moved on. Close this as 'no response' rather than write "
                    "again (`nudge log ... no-response`)."
                ),
                anchor=last,
            )
        ]
    return [
        f.nudge(
            "silence.retry",
            contact=contact,
            channel=f.channel_for(contact, f.stated_preference()),
            due=due,
            due_by=f.end_of_local_day(last.at, wait + 3, contact),
            reason=(
                f"Your follow-up of {f.day(last.at)} has had no answer; wait a full "
                f"week, then one more polite note "
                f"(retry {retries_sent + 1} of {int(f.numbers.silence_move_on_after)})."
                + f.through_firm(contact)
            ),
            anchor=last,
            message="Polite and short: a reminder of who you are and your continued interest.",
        )
    ]
