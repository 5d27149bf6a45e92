"""What a posting says about being contacted changes the check-in: "only shortlisted candidates
will be contacted" and "no phone calls" mean a check-in by email only, after the stated time,
and the reason quotes the posting's own sentence."""

from __future__ import annotations

from jobnudge.domain import Channel
from jobnudge.playbook.guards import NOT_TOO_EARLY

from .builders import Story, at, local, only, recruiter

SHORTLIST = "Only shortlisted candidates will be contacted within 10 working days."
NO_CALLS = "No phone calls, please."


def _terms(**said: tuple[object, str]) -> dict[str, dict[str, object]]:
    return {name: {"value": value, "source": source} for name, (value, source) in said.items()}


def test_shortlist_only_waits_for_the_stated_time_and_checks_in_by_email() -> None:
    kim = recruiter(4, "Kim Park", prefers=Channel.CALL)
    story = (
        Story()
        .knows(kim)
        .with_opportunity(
            responds_within_days=14,
            recruiter_id=4,
            prefers=Channel.CALL,
            posting_terms=_terms(shortlist_only=(True, SHORTLIST), responds_within=(14, SHORTLIST)),
        )
    )
    story.applied(at("2026-11-03 14:00"))

    check_in = only(story.derive(), "apply.check-in")

    assert local(check_in.due) == "2026-11-18 09:00"
    assert check_in.channel is Channel.EMAIL  # not the call the contact would otherwise get
    assert f'"{SHORTLIST}"' in check_in.reason
    assert "by email only" in check_in.reason
    assert NOT_TOO_EARLY in only(story.plan(at("2026-11-17 16:00")), "apply.check-in").blocked_by


def test_no_phone_calls_turns_a_call_into_an_email_everywhere() -> None:
    story = Story().with_opportunity(
        prefers=Channel.CALL, posting_terms=_terms(no_calls=(True, NO_CALLS))
    )
    story.applied(at("2026-11-03 14:00"))

    check_in = only(story.derive(), "apply.check-in")

    assert check_in.channel is Channel.EMAIL
    assert f'"{NO_CALLS}"' in check_in.reason
    assert "call inside their call hours" not in check_in.reason


def test_without_those_sentences_a_call_stays_a_call() -> None:
    story = Story().with_opportunity(prefers=Channel.CALL)
    story.applied(at("2026-11-03 14:00"))

    check_in = only(story.derive(), "apply.check-in")
    assert check_in.channel is Channel.CALL
    assert "The posting says" not in check_in.reason


def test_reviewed_after_the_closing_date_waits_past_that_date() -> None:
    said = "Applications will be reviewed after the closing date of 30 November."
    story = Story().with_opportunity(posting_terms=_terms(wait_until=("2026-11-30", said)))
    story.applied(at("2026-11-03 14:00"))

    check_in = only(story.derive(), "apply.check-in")

    assert local(check_in.due) == "2026-12-01 09:00"
    assert f'"{said}"' in check_in.reason
