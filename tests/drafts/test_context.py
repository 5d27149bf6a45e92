"""context_for reads the right interview, people, topics and timeline from the records."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from jobnudge.domain import EventType, InterviewFormat, Stage
from jobnudge.drafts import context_for

from . import records as r


def test_thank_you_context_reads_the_interview() -> None:
    ctx = r.context("interview.thank-you")
    assert ctx.contact == r.DANA
    assert ctx.people_met == (r.DANA, r.SAM)
    assert ctx.interview_at == r.at(3, 16)
    assert ctx.interview_format is InterviewFormat.VIDEO
    assert ctx.interview_round == 1
    assert ctx.topics == "the warehouse forecasting project"
    assert ctx.decision_by == date(2026, 11, 13)
    assert ctx.referrer == r.PRIYA
    assert ctx.references == (r.OMAR,)
    assert ctx.company == r.ACME
    assert ctx.staffing_firm == r.TALENTCO
    assert ctx.step is EventType.INTERVIEWED
    assert ctx.stage is Stage.INTERVIEWING
    assert ctx.pipeline == r.PIPELINE


def test_confirm_context_reads_the_scheduled_interview_and_its_place() -> None:
    events = (r.EVENTS[0], replace(r.EVENTS[1], note="4th floor, 1 Main St"))
    ctx = r.context("interview.confirm", events=events, now=r.at(2, 18))
    assert ctx.interview_at == r.at(3, 15)
    assert ctx.interview_where == "4th floor, 1 Main St"
    assert ctx.topics == ""


def test_thank_yous_to_people_met_in_one_interview_get_different_offsets() -> None:
    dana = r.context("interview.thank-you", contact_id=10)
    sam = r.context("interview.thank-you", contact_id=11)
    assert dana.seed == sam.seed
    assert (dana.variant_offset, sam.variant_offset) == (0, 1)


def test_no_contact_means_the_hiring_team_at_the_employer() -> None:
    ctx = r.context("apply.check-in", contact_id=None)
    assert ctx.contact is None
    assert ctx.addressee_company == r.ACME


def test_staffing_contact_belongs_to_the_firm() -> None:
    assert r.context("staffing.keep-in-touch").addressee_company == r.TALENTCO


def test_a_firm_check_in_without_an_opportunity() -> None:
    ctx = context_for(
        r.nudge("staffing.keep-in-touch", contact_id=14),
        None,
        r.CONTACTS,
        r.SETTINGS,
        r.NOW,
        pipeline=r.PIPELINE,
    )
    assert ctx.opportunity is None
    assert ctx.staffing_firm == r.TALENTCO
