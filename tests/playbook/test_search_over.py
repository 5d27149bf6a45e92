"""An accepted offer ends the search: no keep-in-touch with staffing firms ("while the search is
active"), no weekly suggestion to add applications, and one suggestion to withdraw from the
other open applications instead of checking in on them."""

from __future__ import annotations

from jobnudge.domain import Stage
from jobnudge.playbook.engine import Search, derive_search

from .builders import at, of_rule, only, settings, staffing_recruiter

RITA = staffing_recruiter(5, "Rita Gomez")
ACCEPTED = at("2027-01-04 09:30")
NOW = at("2027-01-04 10:00")


def _search(*stages: Stage, accepted: bool = True) -> Search:
    return Search(
        stages=dict(enumerate(stages, start=1)),
        staffing=[(RITA, "Robert Half", at("2026-12-01 10:00"))],
        accepted={1: ACCEPTED} if accepted else {},
    )


def test_an_accepted_offer_stops_the_staffing_and_pipeline_nudges() -> None:
    found = derive_search(_search(Stage.OFFER, Stage.APPLIED), settings(), NOW)

    assert of_rule(found, "staffing.keep-in-touch") == []
    assert of_rule(found, "pipeline.keep-looking") == []


def test_an_accepted_offer_suggests_withdrawing_from_the_other_open_applications() -> None:
    found = derive_search(
        _search(Stage.OFFER, Stage.APPLIED, Stage.INTERVIEWING, Stage.REJECTED), settings(), NOW
    )

    move_on = only(found, "silence.move-on")
    assert move_on.due == ACCEPTED and move_on.contact_id is None
    assert "2 other applications" in move_on.reason and "Withdraw" in move_on.reason


def test_nothing_to_withdraw_when_no_other_application_is_open() -> None:
    found = derive_search(_search(Stage.OFFER, Stage.REJECTED, Stage.WITHDRAWN), settings(), NOW)

    assert found == []


def test_an_offer_not_yet_accepted_keeps_the_search_going() -> None:
    found = derive_search(_search(Stage.OFFER, Stage.APPLIED, accepted=False), settings(), NOW)

    assert of_rule(found, "staffing.keep-in-touch") and of_rule(found, "pipeline.keep-looking")
    assert of_rule(found, "silence.move-on") == []
