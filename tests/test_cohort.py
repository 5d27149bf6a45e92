"""Cohort numbers (services/cohort.py): response rates summed over people with the median time
to an answer, interviews per application, how processes ended, the period's edges, the
suppression of small cells organisation-wide, and the CSV of every table."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.domain import Channel, Event, EventType, Opportunity, Stage
from jobnudge.errors import UsageError
from jobnudge.services import cohort, cohort_csv

START = datetime(2026, 9, 1, tzinfo=UTC)
END = datetime(2026, 10, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _search(
    person: int, *, answered_after: float | None, source: str = "LinkedIn", closed: bool = False
) -> tuple[list[tuple[Opportunity, Stage]], list[Event]]:
    """One opportunity applied to on 3 Sept by e-mail, answered after ``answered_after`` hours
    with an interview (or never), then (``closed``) rejected on 20 Sept."""
    opp = Opportunity(id=person * 10, company_id=1, company="Co", role="Analyst", source=source)
    applied = START + timedelta(days=2)
    events = [Event(person * 100, opp.id, EventType.APPLIED, applied, channel=Channel.EMAIL)]
    stage = Stage.APPLIED
    if answered_after is not None:
        at = applied + timedelta(hours=answered_after)
        events.append(Event(person * 100 + 1, opp.id, EventType.INTERVIEWED, at))
        stage = Stage.INTERVIEWING
    if closed:
        events.append(
            Event(person * 100 + 2, opp.id, EventType.REJECTED, START + timedelta(days=19))
        )
        stage = Stage.REJECTED
    return [(opp, stage)], events


def _compute(searches: dict[int, object], scope: str) -> cohort.Cohort:
    return cohort.compute(
        searches,  # type: ignore[arg-type]
        start=START,
        end=END,
        now=NOW,
        scope=scope,
        first=START.date(),
        last=(END - timedelta(days=1)).date(),
    )


def test_rates_sum_over_people_with_the_median_time_to_an_answer() -> None:
    searches = {
        1: _search(1, answered_after=10),
        2: _search(2, answered_after=30, closed=True),
        3: _search(3, answered_after=None),  # silent since 3 Sept: unanswered by now
    }
    numbers = _compute(searches, "caseload")
    (email,) = numbers.by_channel
    assert (email.label, email.people, email.count, email.answered) == ("email", 3, 3, 2)
    assert email.rate == pytest.approx(2 / 3) and email.median_hours == 20
    assert [c.label for c in numbers.by_stage] == ["application"]
    assert numbers.interviews.count == 3 and numbers.interviews.answered == 2
    closure = {c.label: c for c in numbers.closure}
    assert closure["rejection"].count == 1 and closure["rejection"].share == 1
    # The silent one faded on 3 Oct: after this period, so not counted in it.
    assert closure["faded"].count == 0


def test_organisation_wide_a_cell_of_fewer_than_five_people_is_suppressed() -> None:
    searches = {p: _search(p, answered_after=5, source="LinkedIn") for p in range(1, 7)}
    searches[7] = _search(7, answered_after=5, source="Job fair")
    org = _compute(searches, "organisation")
    sources = {c.label: c for c in org.by_source}
    assert not sources["LinkedIn"].suppressed and sources["LinkedIn"].people == 6
    # A source is text a seeker typed: a small one is not shown even by its name.
    assert "Job fair" not in sources
    other = sources[cohort.OTHER_SOURCES]
    assert other.suppressed and other.count == 0 and other.rate is None
    assert other.median_hours is None
    rows = list(csv.reader(io.StringIO(cohort_csv.to_csv(org, "source"))))
    assert rows[0][:2] == ["source", "people"]
    assert [cohort.OTHER_SOURCES, "fewer than 5 people", "", "", "", ""] in rows
    assert not any("Job fair" in cell for row in rows for cell in row)
    assert any(r[0] == "LinkedIn" and r[1] == "6" for r in rows)
    closure = {c.label: c for c in org.closure}
    assert closure["rejection"].suppressed  # nobody was rejected: 0 people
    # The same people as a caseload: nothing is hidden from their own coach.
    caseload = _compute(searches, "caseload")
    assert not any(c.suppressed for c in caseload.by_source + caseload.closure)


@given(
    st.lists(st.tuples(st.text(min_size=1, max_size=12), st.integers(1, 7)), min_size=1, max_size=6)
)
def test_no_source_of_fewer_than_five_people_is_named_organisation_wide(
    sources: list[tuple[str, int]],
) -> None:
    """Whatever people typed as sources, organisation-wide numbers name only sources drawn
    from five people or more; the small ones are one line, shown when it holds five."""
    searches: dict[int, object] = {}
    for label, people in sources:
        for _ in range(people):
            searches[len(searches) + 1] = _search(len(searches) + 1, answered_after=5, source=label)
    org = _compute(searches, "organisation")
    named = {c.label for c in org.by_source} - {cohort.OTHER_SOURCES}
    assert all(c.people >= cohort.MIN_PEOPLE for c in org.by_source if c.label in named)
    assert sum(c.people for c in org.by_source) <= len(searches)


def test_every_table_exports_and_formulas_stay_text() -> None:
    numbers = _compute({1: _search(1, answered_after=3, source="=HYPERLINK(1)")}, "caseload")
    for name in cohort.TABLES:
        text = cohort_csv.to_csv(numbers, name)
        assert text.count("\r\n") >= 2, name
    assert "'=HYPERLINK(1)" in cohort_csv.to_csv(numbers, "source")
    with pytest.raises(UsageError, match="table: choose one of"):
        cohort_csv.to_csv(numbers, "secrets")


def test_the_period_is_checked_and_defaults_to_ninety_days() -> None:
    today = date(2026, 11, 1)
    assert cohort.period("", "", today) == (date(2026, 8, 4), today)
    assert cohort.period("2026-01-01", "2026-03-31", today) == (date(2026, 1, 1), date(2026, 3, 31))
    with pytest.raises(UsageError, match="From: write the day like 2026-09-01"):
        cohort.period("last spring", "", today)
    with pytest.raises(UsageError, match="swap the two days"):
        cohort.period("2026-05-01", "2026-04-01", today)
    with pytest.raises(UsageError, match="at most 731 days"):
        cohort.period("2020-01-01", "2026-01-01", today)


def test_the_period_is_read_as_people_type_it() -> None:
    """Through the app's own reading of days, as the cohort page passes it."""
    from datetime import UTC, datetime

    from jobnudge.timeparse import parse_day

    base = datetime(2026, 11, 1, 15, tzinfo=UTC)

    def read(text: str, field: str) -> date:
        return parse_day(text, field=field, tz="America/New_York", base=base)

    today = date(2026, 11, 1)
    assert cohort.period("1 Sept 2026", "today", today, read) == (date(2026, 9, 1), today)
    assert cohort.period("2026-9-1", "30 Sep 2026", today, read) == (
        date(2026, 9, 1),
        date(2026, 9, 30),
    )
    with pytest.raises(UsageError) as raised:
        cohort.period("sometime", "", today, read)
    assert raised.value.message.startswith("From: ")


@pytest.mark.parametrize(
    ("first", "last"),
    [("0001-01-01", "0001-01-02"), ("9999-12-31", "0001-01-01"), ("", "0001-03-01")],
)
def test_a_period_at_the_ends_of_the_calendar_is_refused_not_a_crash(first: str, last: str) -> None:
    from datetime import date

    from jobnudge.errors import UsageError
    from jobnudge.services.cohort import period

    with pytest.raises(UsageError, match="choose a day from 1970"):
        period(first, last, date(2026, 12, 7))
