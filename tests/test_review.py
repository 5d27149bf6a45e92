"""The weekly review's numbers (services/review.py): what counts as an answer, which messages
count towards the response rate, and the closure rate."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from jobnudge.domain import Channel, Event, EventType, MessageKind, Opportunity, Stage, stage_of
from jobnudge.services.review import Review, compute

TZ = "America/New_York"
START = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # Mon 2 Nov 2026, 9:00 in New York
DANA, RAJ, SAM = 2, 3, 7  # two interviewers and the person who referred the user


class Search:
    """Opportunities told event by event; ids follow the order the story is told."""

    def __init__(self) -> None:
        self.opportunities: list[Opportunity] = []
        self.events: list[Event] = []

    def opportunity(self) -> int:
        number = len(self.opportunities) + 1
        self.opportunities.append(
            Opportunity(id=number, company_id=number, company=f"Co {number}", role="Analyst")
        )
        return number

    def log(
        self,
        opp: int,
        type_: EventType,
        days: float,
        *people: int,
        kind: MessageKind | None = None,
        channel: Channel | None = None,
    ) -> Event:
        event = Event(
            id=len(self.events) + 1,
            opportunity_id=opp,
            type=type_,
            at=START + timedelta(days=days),
            contact_ids=people,
            kind=kind,
            channel=channel or (Channel.EMAIL if type_ is EventType.SENT else None),
        )
        self.events.append(event)
        return event

    def review(self, days: float) -> Review:
        now = START + timedelta(days=days)
        pairs = [
            (o, stage_of(e for e in self.events if e.opportunity_id == o.id))
            for o in self.opportunities
        ]
        monday = now.date() - timedelta(days=now.date().weekday())
        return compute(pairs, self.events, now=now, tz=TZ, week_start=monday, network={SAM})


def rate_of(review: Review, label: str) -> tuple[int, int]:
    """(answered, asked) of the channel or stage group ``label``."""
    found = [r for r in review.by_channel + review.by_stage if r.label == label]
    assert found, f"no group {label!r} in {review.by_channel} / {review.by_stage}"
    return found[0].answered, found[0].asked


def test_an_interview_answers_the_application() -> None:
    search = Search()
    opp = search.opportunity()
    search.log(opp, EventType.APPLIED, 0)
    search.log(opp, EventType.INTERVIEWED, 10, DANA)  # scheduled by phone, never logged

    review = search.review(30)

    assert rate_of(review, "application") == (1, 1)
    assert review.by_stage[0].median_hours == 240


def test_a_scheduled_interview_answers_the_application() -> None:
    search = Search()
    opp = search.opportunity()
    search.log(opp, EventType.APPLIED, 0)
    search.log(opp, EventType.SCHEDULED, 3, DANA)

    assert rate_of(search.review(30), "application") == (1, 1)


def test_thank_yous_to_two_interviewers_are_not_unanswered_messages() -> None:
    search = Search()
    opp = search.opportunity()
    search.log(opp, EventType.APPLIED, 0, channel=Channel.EMAIL)
    search.log(opp, EventType.SCHEDULED, 3, DANA)
    search.log(opp, EventType.INTERVIEWED, 8, DANA, RAJ)
    search.log(opp, EventType.SENT, 8.3, DANA, kind=MessageKind.THANK_YOU)
    search.log(opp, EventType.SENT, 8.3, RAJ, kind=MessageKind.THANK_YOU)

    for days in (8.4, 40):  # right after sending them, and long after
        review = search.review(days)
        assert rate_of(review, "email") == (1, 1), days  # the application, answered
        assert review.overall.asked == 1 and review.pending_outreach == 0


def test_messages_that_ask_for_nothing_are_left_out_of_the_response_rate() -> None:
    search = Search()
    opp = search.opportunity()
    search.log(opp, EventType.APPLIED, 0)
    search.log(opp, EventType.SCHEDULED, 2, DANA)
    search.log(opp, EventType.SENT, 3, DANA, kind=MessageKind.CONFIRMATION)
    search.log(opp, EventType.SENT, 3, SAM)  # the update to the referrer, logged without a kind
    search.log(opp, EventType.SENT, 3, SAM, kind=MessageKind.UPDATE)
    search.log(opp, EventType.SENT, 3, kind=MessageKind.NOTE)
    search.log(opp, EventType.INTERVIEWED, 4, DANA)
    search.log(opp, EventType.REJECTED, 20)
    search.log(opp, EventType.SENT, 21, DANA)  # the gracious note, logged without a kind
    search.log(opp, EventType.SENT, 120, DANA, kind=MessageKind.FOLLOW_UP)  # the reconnect

    review = search.review(150)

    assert review.overall.asked == 1  # only the application asked for an answer
    assert review.overall.answered == 1
    assert review.pending_outreach == 0


def test_follow_ups_count_answered_or_not_once_the_wait_is_over() -> None:
    search = Search()
    opp = search.opportunity()
    search.log(opp, EventType.APPLIED, 0)
    search.log(opp, EventType.SENT, 8, kind=MessageKind.FOLLOW_UP)  # the check-in
    search.log(opp, EventType.SENT, 16)  # a retry logged without a kind: a question too

    assert search.review(20).pending_outreach == 1  # the retry is still young
    later = search.review(40)
    assert later.overall.asked == 3 and later.overall.answered == 0

    search.log(opp, EventType.RECEIVED, 41, DANA)
    assert search.review(42).overall.answered == 1  # the reply answers the last follow-up


def test_a_reply_from_the_referrer_is_not_the_employer_answering() -> None:
    search = Search()
    opp = search.opportunity()
    search.log(opp, EventType.APPLIED, 0)
    search.log(opp, EventType.RECEIVED, 1, SAM)  # "good luck!"

    review = search.review(30)

    assert rate_of(review, "application") == (0, 1)
    assert review.waiting == 1  # the ball is still in the employer's court


def test_references_handed_over_leave_the_ball_with_the_employer() -> None:
    search = Search()
    opp = search.opportunity()
    search.log(opp, EventType.APPLIED, 0)
    search.log(opp, EventType.RECEIVED, 3, DANA)
    search.log(opp, EventType.REFERENCES, 4, SAM)

    assert search.review(5).waiting == 1


def test_the_closure_rate_counts_offers_rejections_withdrawals_and_no_response_as_ended() -> None:
    search = Search()
    for ending in (EventType.OFFER, EventType.REJECTED, EventType.WITHDRAWN, EventType.NO_RESPONSE):
        opp = search.opportunity()
        search.log(opp, EventType.APPLIED, 0)
        search.log(opp, ending, 20)
    faded = search.opportunity()
    search.log(faded, EventType.APPLIED, 0)

    review = search.review(60)

    assert review.closed_explicitly == 4 and review.faded == 1
    assert review.closure_rate == 4 / 5
    assert review.stages[Stage.OFFER] == 1
    assert review.week_start == date(2026, 12, 28)


def test_an_answer_on_an_unknown_day_is_answered_with_no_time_to_it() -> None:
    """A sheet imported without dates: the statuses are recorded at the import's moment, their
    day unknown, so they answer the application but say nothing of how fast."""
    search = Search()
    undated = search.opportunity()
    search.log(undated, EventType.APPLIED, 0)
    offer = search.log(undated, EventType.OFFER, 21)
    search.events[-1] = replace(offer, date_unknown=True)
    dated = search.opportunity()
    search.log(dated, EventType.APPLIED, 0)
    search.log(dated, EventType.REJECTED, 2)

    review = search.review(30)

    assert rate_of(review, "application") == (2, 2)
    assert review.by_stage[0].median_hours == 48  # the dated answer's time alone
