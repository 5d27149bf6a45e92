"""guard.right-company for roles: a message must name this job, not another tracked one's role,
and a message checked on its own (``nudge check``, no rule) that names neither the company nor
the role says so; an address of someone else at the employer is not the wrong recipient."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from jobnudge.domain import Channel, Contact, Opportunity
from jobnudge.drafts import Finding, Severity, check
from jobnudge.drafts.checks.company import roles_besides

from . import records as r

SENIOR = Opportunity(100, company_id=1, company="Acme Robotics", role="Senior Data Analyst")
OTHERS = [
    Opportunity(101, company_id=2, company="Globex", role="Data Analyst"),
    Opportunity(102, company_id=4, company="Initech", role="Analytics Engineer"),
    Opportunity(103, company_id=3, company="Apple", role="Engineer"),
    Opportunity(104, company_id=2, company="Globex", role="Senior Data Analyst"),
]
ROLES = roles_besides(SENIOR, [SENIOR, *OTHERS])
END = "\n\nThank you, and I am happy to answer any further questions.\nAlex"


def run(text: str, **overrides: Any) -> list[Finding]:
    arguments: dict[str, Any] = {
        "channel": Channel.EMAIL,
        "opportunity": SENIOR,
        "company": r.ACME,
        "contact": r.DANA,
        "pipeline_companies": r.PIPELINE,
        "settings": r.SETTINGS,
        "rule": None,
        "people": [r.SAM],
        "roles": ROLES,
    }
    arguments.update(overrides)
    return check(text, **arguments)


def wrong(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.code == "wrong-company"]


def test_the_roles_besides_leave_out_this_one_and_its_namesakes() -> None:
    assert ROLES == (
        ("Data Analyst", "Globex"),
        ("Analytics Engineer", "Initech"),
        ("Engineer", "Apple"),
    )


@given(
    role=st.sampled_from(["Data Analyst", "Analytics Engineer"]),
    written=st.sampled_from(["title", "upper", "same"]),
    company=st.sampled_from(["", " at Acme Robotics"]),
)
def test_another_opportunitys_role_is_an_error(role: str, written: str, company: str) -> None:
    shown = {"title": role.title(), "upper": role.upper(), "same": role}[written]
    text = f"Dear Ms. Lee,\n\nThank you for the interview for the {shown} position{company}."
    found = [f for f in wrong(run(text + END)) if f.end]  # the "names neither" one aside
    assert [f.severity for f in found] == [Severity.ERROR]
    assert text[found[0].start : found[0].end] == shown
    assert "Senior Data Analyst role at Acme Robotics" in found[0].message


def test_this_role_holding_a_shorter_one_is_not_another() -> None:
    text = "Dear Ms. Lee,\n\nThank you for the Senior Data Analyst interview at Acme Robotics."
    assert wrong(run(text + END)) == []


def test_a_trade_in_lower_case_only_warns_and_a_common_word_not_at_all() -> None:
    text = (
        "Dear Ms. Lee,\n\nThank you for the Senior Data Analyst interview at Acme. As a data "
        "analyst I enjoyed it; the engineer I met was kind."
    )
    found = wrong(run(text + END))
    assert [(f.severity, text[f.start : f.end]) for f in found] == [
        (Severity.WARNING, "data analyst")
    ]


def test_a_message_checked_on_its_own_must_name_the_job() -> None:
    found = wrong(run("Dear Ms. Lee,\n\nThank you for the interview." + END))
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "names neither Acme Robotics nor the Senior Data Analyst role" in found[0].message
    # A text message, or a rule whose message need not name the job, stays quiet.
    assert wrong(run("Hello Ms. Lee, thank you." + END, channel=Channel.TEXT)) == []
    assert wrong(run("Dear Ms. Lee,\n\nThanks." + END, rule="referral.update")) == []


def test_another_person_at_the_employer_is_not_the_wrong_recipient() -> None:
    mark = Contact(13, "Mark Chen", company_id=1, email="mark.chen@acme.example")
    company = replace(r.ACME, domains=())
    text = (
        "Dear Ms. Lee,\n\nThank you for the Senior Data Analyst interview. I copied Mark Chen "
        "(mark.chen@acme.example) and x@acme.example." + END
    )
    found = [f for f in run(text, people=[mark], company=company) if f.code == "wrong-recipient"]
    assert [text[f.start : f.end] for f in found] == ["x@acme.example"]
    assert "no domain is recorded for Acme Robotics" in found[0].message
    assert "on their company's domains" not in found[0].message
