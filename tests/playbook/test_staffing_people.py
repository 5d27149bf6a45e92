"""The people of a staffing firm in the follow-ups: an offer that came through a firm with
nobody at the employer known is thanked through the firm's recruiter; one firm gets one
keep-in-touch (its named recruiter rather than its desk); a firm recorded as its own contact is
greeted as a desk, never by the firm's name as if it were a person."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.domain import Channel, Contact, MessageKind, Role, Stage
from jobnudge.drafts.findings import Severity
from jobnudge.drafts.salutation import addressee, greeting
from jobnudge.playbook.engine import Search, derive_search
from jobnudge.services import drafting, event_log, records
from jobnudge.services.session import Session
from tests.transfer.conftest import NOW, make_session

from .builders import (
    STAFFING_FIRM_ID,
    Story,
    at,
    interviewer,
    local,
    of_rule,
    only,
    person,
    staffing_recruiter,
)
from .builders import settings as playbook_settings

RITA = staffing_recruiter(5, "Rita Gomez")
DANA = interviewer(2, "Dana Lee")
FIRM = "Brightpath Staffing"


def through_rita() -> Story:
    return Story().with_opportunity(staffing_firm_id=STAFFING_FIRM_ID, recruiter_id=RITA.id)


# --- offer.thank-you through the firm ------------------------------------------------------


def test_an_offer_through_a_firm_with_nobody_known_at_the_employer_thanks_the_recruiter() -> None:
    story = through_rita().knows(RITA)
    story.offer(at("2026-11-18 10:00"))

    thanks = only(story.derive(), "offer.thank-you")

    assert thanks.contact_id == RITA.id
    assert "thank Rita Gomez" in thanks.reason
    assert "pass your thanks on to Acme Analytics" in thanks.reason


def test_the_recruiters_thanks_are_done_by_a_note_to_the_recruiter() -> None:
    story = through_rita().knows(RITA)
    story.offer(at("2026-11-18 10:00"))
    story.sent(at("2026-11-18 12:00"), RITA, kind=MessageKind.THANK_YOU)

    assert of_rule(story.derive(), "offer.thank-you") == []


def test_with_someone_known_at_the_employer_the_employer_is_thanked() -> None:
    story = through_rita().knows(RITA, DANA)
    story.offer(at("2026-11-18 10:00"))

    assert only(story.derive(), "offer.thank-you").contact_id == DANA.id


def test_a_firm_with_no_recruiter_on_record_is_thanked_through_its_desk() -> None:
    desk = person(6, FIRM, Role.STAFFING, company_id=STAFFING_FIRM_ID)
    story = Story().with_opportunity(staffing_firm_id=STAFFING_FIRM_ID).knows(desk)
    story.offer(at("2026-11-18 10:00"))

    assert only(story.derive(), "offer.thank-you").contact_id == desk.id


# --- staffing.keep-in-touch: one per firm ----------------------------------------------------

DESK = Contact(id=7, name=FIRM, company_id=STAFFING_FIRM_ID, roles=frozenset({Role.STAFFING}))
MAILBOX = Contact(
    id=8,
    name="Brightpath Staffing recruiting",
    company_id=STAFFING_FIRM_ID,
    email="recruiter@brightpath.example",
    roles=frozenset({Role.STAFFING}),
)


def _keep_in_touch(*staffing: tuple[Contact, str, datetime | None]) -> list[int | None]:
    search = Search(stages={1: Stage.APPLIED}, staffing=list(staffing))
    found = derive_search(search, playbook_settings(), at("2026-11-05 12:00"))
    return [n.contact_id for n in of_rule(found, "staffing.keep-in-touch")]


def test_a_firm_with_a_named_recruiter_and_a_desk_gets_one_keep_in_touch() -> None:
    assert _keep_in_touch((DESK, FIRM, None), (RITA, FIRM, None)) == [RITA.id]
    assert _keep_in_touch((MAILBOX, FIRM, None), (RITA, FIRM, None), (DESK, FIRM, None)) == [
        RITA.id
    ]
    assert _keep_in_touch((DESK, FIRM, None), (MAILBOX, FIRM, None)) == [DESK.id]


def test_the_firms_timer_restarts_with_a_touch_with_anyone_there() -> None:
    last = at("2026-11-03 15:00")
    search = Search(stages={1: Stage.APPLIED}, staffing=[(DESK, FIRM, last), (RITA, FIRM, None)])
    found = derive_search(search, playbook_settings(), at("2026-11-05 12:00"))
    nudge = only(found, "staffing.keep-in-touch")
    assert nudge.contact_id == RITA.id
    assert local(nudge.due) == "2026-11-17 09:00"  # 14 days after the touch with the desk


_FIRM_IDS = (20, 21, 22)
_PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(_FIRM_IDS),
        st.sampled_from(["desk", "mailbox", "Rita Gomez", "Kim Park", "Ana Silva"]),
        st.one_of(st.none(), st.integers(0, 20)),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(_PEOPLE)
def test_every_firm_gets_one_keep_in_touch_to_a_named_recruiter_when_there_is_one(
    people: list[tuple[int, str, int | None]],
) -> None:
    staffing = []
    for number, (firm_id, who, days) in enumerate(people, start=100):
        firm = f"Firm {firm_id}"
        name = {"desk": firm, "mailbox": f"{firm} recruiting"}.get(who, who)
        email = "jobs@firm.example" if who == "mailbox" else ""
        contact = Contact(id=number, name=name, company_id=firm_id, email=email)
        last = at("2026-10-01 10:00") + timedelta(days=days) if days is not None else None
        staffing.append((contact, firm, last))
    search = Search(stages={1: Stage.APPLIED}, staffing=staffing)
    found = of_rule(
        derive_search(search, playbook_settings(), at("2026-11-05 12:00")),
        "staffing.keep-in-touch",
    )
    by_id = {c.id: (c, last) for c, _firm, last in staffing}
    firms = {c.company_id for c, _f, _l in staffing}
    assert sorted(by_id[n.contact_id or 0][0].company_id or 0 for n in found) == sorted(firms)
    for nudge in found:
        chosen, _last = by_id[nudge.contact_id or 0]
        there = [(c, last) for c, last in by_id.values() if c.company_id == chosen.company_id]
        named = [c for c, _l in there if c.name not in (f"Firm {c.company_id}",)]
        named = [c for c in named if not c.name.endswith(" recruiting")]
        assert (chosen in named) == bool(named), (chosen, there)
        touches = [last for _c, last in there if last is not None]
        slot = max(touches).date().isoformat() if touches else "never"
        assert nudge.key.endswith(f":{slot}"), (nudge.key, touches)


# --- a desk with no address is greeted as a desk ---------------------------------------------


@pytest.mark.parametrize("firm", ["Michael Page", "Hays", "Brightpath Staffing"])
def test_a_firm_recorded_as_its_own_contact_is_greeted_as_a_desk(firm: str) -> None:
    desk = Contact(id=1, name=firm, company_id=20, roles=frozenset({Role.STAFFING}))
    mailbox = Contact(id=2, name=f"{firm} recruiting", email="recruiter@firm.example")
    for contact in (desk, mailbox):
        assert greeting(contact, Channel.EMAIL, firm) == "Dear Hiring Team,"
        assert greeting(contact, Channel.TEXT, firm) == "Hello,"
        assert addressee(contact, firm) == ""
    rita = Contact(id=3, name="Rita Gomez", company_id=20, salutation="Ms.")
    assert greeting(rita, Channel.EMAIL, firm) == "Dear Ms. Gomez,"


# --- through the services, on a real database ------------------------------------------------


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened = make_session(None, tmp_path / "data")
    try:
        yield opened
    finally:
        opened.close()


def _agenda(session: Session, rule: str) -> list[tuple[str, str | None]]:
    rows = session.store.agenda_rows(session.owner, NOW + timedelta(days=400), session.now)
    return [(r.short_id, r.contact) for r in rows if r.rule == rule]


def test_a_firm_without_a_recruiter_is_greeted_as_a_desk_in_its_draft(session: Session) -> None:
    records.add_opportunity(
        session, "Siemens", "Engineer", staffing_firm="Michael Page", applied=NOW - timedelta(8)
    )
    ((short, contact),) = _agenda(session, "apply.check-in")
    assert contact == "Michael Page"
    body = drafting.compose(session, short).draft.body
    assert body.startswith("Dear Hiring Team,")
    assert "Dear Michael Page" not in body


def test_the_offer_through_a_firm_is_thanked_through_its_recruiter(session: Session) -> None:
    records.add_opportunity(
        session, "Siemens", "Engineer", staffing_firm="Hays", recruiter="Tom Baker"
    )
    event_log.log_event(session, "Siemens", "offer", at=NOW - timedelta(hours=2))
    ((short, contact),) = _agenda(session, "offer.thank-you")
    assert contact == "Tom Baker"
    composed = drafting.compose(session, short)
    body = composed.draft.body
    assert body.startswith("Dear Tom Baker,")
    assert "Siemens has offered me the Engineer position" in body
    assert "putting me forward" in body and "thanks on to everyone at Siemens" in body
    errors = [f for f in composed.findings if f.severity is Severity.ERROR]
    assert [f.code for f in errors] == ["placeholder"]  # the line left for the user's reply


def test_one_keep_in_touch_for_a_firm_with_a_desk_and_a_named_recruiter(
    session: Session,
) -> None:
    records.add_opportunity(session, "Siemens", "Engineer", staffing_firm="Hays")
    records.add_opportunity(
        session, "Globex", "Analyst", staffing_firm="Hays", recruiter="Kim Park"
    )
    assert [c for _s, c in _agenda(session, "staffing.keep-in-touch")] == ["Kim Park"]
