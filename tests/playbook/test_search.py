"""staffing.keep-in-touch and pipeline.keep-looking, through ``derive_search``."""

from __future__ import annotations

from datetime import datetime

from jobnudge.domain import Channel, Event, EventType, Stage
from jobnudge.playbook.engine import Search, derive_search

from .builders import at, local, of_rule, only, settings, staffing_recruiter

CHICAGO = "America/Chicago"
RITA = staffing_recruiter(5, "Rita Gomez", tz=CHICAGO, prefers=Channel.CALL)
FIRM = "Brightpath Staffing"


def staffing(last: datetime | None, *stages: Stage, decisions: tuple[Event, ...] = ()) -> Search:
    return Search(
        stages=dict(enumerate(stages or (Stage.APPLIED,), start=1)),
        staffing=[(RITA, FIRM, last)],
        decisions=decisions,
    )


def decision(
    type_: EventType, key: str, when: datetime, until: datetime | None = None, event_id: int = 900
) -> Event:
    return Event(id=event_id, opportunity_id=None, type=type_, at=when, nudge_key=key, until=until)


# --- staffing.keep-in-touch -------------------------------------------------------------------


def test_staffing_firm_is_due_a_check_in_14_days_after_the_last_contact() -> None:
    search = staffing(at("2026-11-03 15:00", CHICAGO))

    nudge = only(
        derive_search(search, settings(), at("2026-11-05 12:00")), "staffing.keep-in-touch"
    )

    assert local(nudge.due, CHICAGO) == "2026-11-17 09:00"
    assert nudge.tz == CHICAGO and nudge.channel is Channel.CALL and nudge.contact_id == RITA.id
    assert "Rita Gomez" in nudge.reason and FIRM in nudge.reason and "Tue 3 Nov" in nudge.reason


def test_any_logged_contact_restarts_the_staffing_timer_under_a_new_key() -> None:
    now = at("2026-11-12 12:00")
    before = only(
        derive_search(staffing(at("2026-11-03 15:00", CHICAGO)), settings(), now),
        "staffing.keep-in-touch",
    )
    after = only(
        derive_search(staffing(at("2026-11-10 15:00", CHICAGO)), settings(), now),
        "staffing.keep-in-touch",
    )

    assert local(after.due, CHICAGO) == "2026-11-24 09:00"
    assert after.key != before.key


def test_the_staffing_check_in_moves_past_a_holiday() -> None:
    search = staffing(at("2026-11-12 15:00", CHICAGO))  # 14 days on is Thanksgiving

    nudge = only(
        derive_search(search, settings(), at("2026-11-13 12:00")), "staffing.keep-in-touch"
    )

    assert local(nudge.due, CHICAGO) == "2026-11-27 09:00"


def test_a_staffing_firm_never_contacted_is_due_now() -> None:
    now = at("2026-11-05 12:00")

    nudge = only(derive_search(staffing(None), settings(), now), "staffing.keep-in-touch")

    assert local(nudge.due, CHICAGO) == "2026-11-05 09:00"


def test_no_staffing_check_in_once_every_opportunity_is_closed() -> None:
    search = staffing(at("2026-11-03 15:00", CHICAGO), Stage.REJECTED, Stage.WITHDRAWN)

    assert (
        of_rule(derive_search(search, settings(), at("2026-11-20 12:00")), "staffing.keep-in-touch")
        == []
    )


def test_the_staffing_cadence_is_a_setting() -> None:
    search = staffing(at("2026-11-03 15:00", CHICAGO))

    nudge = only(
        derive_search(search, settings(staffing_every_days=7), at("2026-11-05 12:00")),
        "staffing.keep-in-touch",
    )

    assert local(nudge.due, CHICAGO) == "2026-11-10 09:00"


# --- pipeline.keep-looking ------------------------------------------------------------------


def interview(
    opportunity_id: int,
    scheduled: datetime,
    for_: datetime,
    *,
    event_id: int = 500,
    round_: int | None = None,
) -> Event:
    return Event(
        id=event_id,
        opportunity_id=opportunity_id,
        type=EventType.SCHEDULED,
        at=scheduled,
        scheduled_for=for_,
        round=round_,
    )


def held(opportunity_id: int, when: datetime, *, event_id: int = 600) -> Event:
    return Event(id=event_id, opportunity_id=opportunity_id, type=EventType.INTERVIEWED, at=when)


# Opportunity 2 has an interview on Mon 9 Nov, after the Thu 5 Nov the tests look from.
AHEAD = {2: (interview(2, at("2026-11-02 10:00"), at("2026-11-09 10:00")),)}


def few_active() -> Search:
    return Search(
        stages={1: Stage.APPLIED, 2: Stage.INTERVIEWING, 3: Stage.REJECTED}, interviews=AHEAD
    )


def test_below_the_minimum_active_count_the_weekly_review_suggests_more_applications() -> None:
    nudge = only(
        derive_search(few_active(), settings(), at("2026-11-05 12:00")), "pipeline.keep-looking"
    )

    assert local(nudge.due) == "2026-11-02 09:00"  # this week's review, Monday
    assert local(nudge.due_by) == "2026-11-08 09:00"
    assert "Only 2 active applications (1 interviewing), fewer than 5" in nudge.reason


def test_with_nothing_active_the_reason_does_not_count_zero() -> None:
    closed = Search(stages={1: Stage.REJECTED})
    nudge = only(derive_search(closed, settings(), at("2026-11-05 12:00")), "pipeline.keep-looking")
    assert nudge.reason.startswith("No active application")
    assert "Only 0" not in nudge.reason


def test_the_pipeline_nudge_is_keyed_by_week_so_a_dismissal_lasts_the_week() -> None:
    this_week = only(
        derive_search(few_active(), settings(), at("2026-11-05 12:00")), "pipeline.keep-looking"
    )
    dismissed = Search(
        stages=few_active().stages,
        decisions=(decision(EventType.NUDGE_DISMISSED, this_week.key, at("2026-11-05 12:05")),),
    )

    assert derive_search(dismissed, settings(), at("2026-11-08 20:00")) == []
    next_week = only(
        derive_search(dismissed, settings(), at("2026-11-09 10:00")), "pipeline.keep-looking"
    )
    assert next_week.key != this_week.key
    assert local(next_week.due) == "2026-11-09 09:00"


def test_enough_active_applications_one_with_an_interview_ahead_need_no_pipeline_nudge() -> None:
    stages = {**dict.fromkeys(range(1, 6), Stage.APPLIED), 2: Stage.INTERVIEWING}
    search = Search(stages=stages, interviews=AHEAD)

    assert derive_search(search, settings(), at("2026-11-05 12:00")) == []


def test_six_applications_all_waiting_on_the_employer_prompt_the_user_to_keep_looking() -> None:
    stages = {**dict.fromkeys(range(1, 7), Stage.APPLIED), 2: Stage.INTERVIEWING}
    # Opportunity 2's interview took place last week: it too waits on the employer now.
    past = {2: (interview(2, at("2026-10-26 10:00"), at("2026-10-29 10:00")),)}

    nudge = only(
        derive_search(Search(stages=stages, interviews=past), settings(), at("2026-11-05 12:00")),
        "pipeline.keep-looking",
    )

    assert "All 6 active applications are waiting on the employer" in nudge.reason
    assert local(nudge.due) == "2026-11-02 09:00"


def test_an_interview_held_or_moved_into_the_past_no_longer_counts_as_ahead() -> None:
    now = at("2026-11-05 12:00")
    scheduled = interview(2, at("2026-11-02 10:00"), at("2026-11-09 10:00"), event_id=500)
    moved = interview(2, at("2026-11-03 10:00"), at("2026-11-04 15:00"), event_id=501)
    stages = {**dict.fromkeys(range(1, 6), Stage.APPLIED), 2: Stage.INTERVIEWING}

    def nudged(*events: Event) -> bool:
        search = Search(stages=stages, interviews={2: events})
        return bool(of_rule(derive_search(search, settings(), now), "pipeline.keep-looking"))

    assert not nudged(scheduled)
    assert nudged(scheduled, moved)  # rescheduled to Wed 4 Nov: behind us
    early = held(2, at("2026-11-05 08:00"), event_id=601)
    assert nudged(interview(2, at("2026-11-02 10:00"), at("2026-11-05 15:00")), early)
    # Round 1 held, round 2 set for next week: round 2 is still ahead.
    assert not nudged(
        interview(2, at("2026-10-20 10:00"), at("2026-10-22 10:00"), event_id=502),
        held(2, at("2026-10-22 10:30"), event_id=602),
        interview(2, at("2026-10-23 10:00"), at("2026-11-10 10:00"), event_id=503),
    )


def test_the_review_weekday_and_minimum_are_settings() -> None:
    config = settings(review_weekday=4, pipeline_min_active=2)

    assert derive_search(few_active(), config, at("2026-11-05 12:00")) == []
    nudge = only(
        derive_search(few_active(), settings(review_weekday=4), at("2026-11-05 12:00")),
        "pipeline.keep-looking",
    )
    assert local(nudge.due) == "2026-10-30 09:00"  # the last Friday on or before Thu 5 Nov


def test_search_snoozes_take_the_latest_whatever_order_they_arrive_in() -> None:
    now = at("2026-11-05 12:00")
    nudge = only(derive_search(few_active(), settings(), now), "pipeline.keep-looking")
    snooze = EventType.NUDGE_SNOOZED
    first = decision(snooze, nudge.key, at("2026-11-05 12:05"), at("2026-11-06 09:00"), 901)
    second = decision(snooze, nudge.key, at("2026-11-05 13:00"), at("2026-11-07 09:00"), 902)

    for decisions in ((first, second), (second, first)):
        search = Search(stages=few_active().stages, decisions=decisions)
        snoozed = only(derive_search(search, settings(), now), "pipeline.keep-looking")
        assert local(snoozed.due) == "2026-11-07 09:00"
