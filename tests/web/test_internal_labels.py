"""No internal labels in what a person reads: rule ids ("interview.ask-timeline"), guard ids
("guard.no-hounding") and the research notes' numbers ("(seed 003)") stay out of reasons,
settings text, the pages' cards and the calendar's event titles. Rule ids stay in ``--json``
and in machine-readable fields (the calendar's X-JOBNUDGE-RULE)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from html import unescape

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar
from starlette.applications import Starlette

from jobnudge.config import PLAYBOOK_SPECS
from jobnudge.domain import Channel, Nudge, Stage
from jobnudge.playbook.engine import RULE_IDS, Search, derive_search, plan
from jobnudge.playbook.wording import TITLES, title
from tests.playbook.builders import STAFFING_FIRM_ID, Story, at, day, interviewer
from tests.playbook.test_properties import PROPERTIES, histories, with_decisions
from tests.playbook.test_rule_ids import SCENARIOS
from tests.playbook.test_search import RITA

from .conftest import NOW, SETTINGS, Client, store_of

FAMILIES = sorted({rule.split(".")[0] for rule in RULE_IDS} | {"guard"})
LABEL = re.compile(
    r"\b(?:" + "|".join(FAMILIES) + r")\.[a-z][a-z-]*|\(?\bseeds? 0\d\d|\bguard\.",
    re.IGNORECASE,
)
"""A rule or guard id (any of the families, so a new rule is caught too), or a seed number."""


DANA = interviewer(2, "Dana Lee")


def labels_in(text: str) -> list[str]:
    return [m.group() for m in LABEL.finditer(text)]


def visible(html: str) -> str:
    """What a person reads on a page: no tags, scripts, styles or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_pattern_catches_what_it_should() -> None:
    assert labels_in("Ask (interview.ask-timeline) now") == ["interview.ask-timeline"]
    assert labels_in("not before Fri (guard.no-hounding).") == ["guard.no-hounding"]
    assert labels_in("thank the firm too (seed 003).") == ["(seed 003"]
    assert labels_in("Check in on your application at acme.com by Fri 6 Nov.") == []


# --- the demo search, as the pages, the calendar and the settings show it ----------------------


def test_no_label_in_the_demo_searchs_pages_reasons_and_calendar(
    demo: Starlette, client: Client
) -> None:
    store = store_of(demo)
    owner = store.ensure_user("local")
    rows = store.agenda_rows(owner, NOW + timedelta(days=400), NOW)
    assert len({r.rule for r in rows}) >= 8  # the demo exercises most rules
    found: dict[str, list[str]] = {}
    for row in rows:
        found[f"reason of {row.rule}"] = labels_in(row.reason)
        found[f"title of {row.rule}"] = labels_in(title(row.rule))
    pages = ["/", "/pipeline", "/review", "/settings", "/contacts"]
    pages += [f"/opportunities/{opp.id}" for opp, _stage in store.opportunities(owner)]
    pages += [f"/nudges/{row.short_id}/draft" for row in rows]
    for page in pages:
        response = client.get(page, follow_redirects=True)
        assert response.status_code == 200, page
        found[page] = labels_in(visible(response.text))
    calendar = Calendar.from_ical(client.get("/calendar.ics").content)
    for event in calendar.walk("VEVENT"):
        for field in ("SUMMARY", "DESCRIPTION"):
            found[f"calendar {field} {event['SUMMARY']}"] = labels_in(str(event.get(field, "")))
    assert {where: hits for where, hits in found.items() if hits} == {}


def test_the_calendar_keeps_the_rule_id_in_a_field_for_programs(
    demo: Starlette, client: Client
) -> None:
    calendar = Calendar.from_ical(client.get("/calendar.ics").content)
    follow_ups = [e for e in calendar.walk("VEVENT") if "X-JOBNUDGE-RULE" in e]
    assert follow_ups
    assert {str(e["X-JOBNUDGE-RULE"]) for e in follow_ups} <= set(RULE_IDS)
    for event in follow_ups:
        assert title(str(event["X-JOBNUDGE-RULE"])) in str(event["SUMMARY"])


def test_settings_text_names_no_seed() -> None:
    for spec in PLAYBOOK_SPECS:
        assert labels_in(spec.why) == [], spec.name
        assert all(s.strip().isdigit() for s in spec.sources.split(",") if s.strip())


def test_every_rule_has_a_title_for_people() -> None:
    assert set(TITLES) == set(RULE_IDS)
    assert all(labels_in(t) == [] for t in TITLES.values())
    assert labels_in(title("some.new-rule")) == []


# --- generated histories ----------------------------------------------------------------------


def branch_stories() -> list[list[Nudge]]:
    """Every rule's scenario, and the branches whose reasons add a sentence: a posting's
    stated response time, a staffing firm thanked, a status question inside the cool-down,
    a snooze, a call."""
    stories = [story_of() for story_of, _facts in SCENARIOS.values()]
    waits = Story().with_opportunity(responds_within_days=14)
    waits.applied(at("2026-11-03 14:00"))
    firm = Story().with_opportunity(staffing_firm_id=STAFFING_FIRM_ID, recruiter_id=RITA.id)
    firm.knows(RITA)
    firm.interviewed(at("2026-11-03 10:00"), DANA)
    cooled = Story()
    cooled.interviewed(at("2026-10-26 10:00"), DANA, round=2)
    cooled.sent(at("2026-11-03 10:00"), DANA)
    cooled.received(at("2026-11-04 10:00"), DANA, decision_by=day("2026-11-05"))
    snoozed = Story()
    snoozed.applied(at("2026-11-03 14:00"))
    check_in = snoozed.derive()[0]
    snoozed.snoozed(check_in, at("2026-11-10 10:00"), at("2026-11-12 09:00"))
    called = Story().with_opportunity(prefers=Channel.CALL)
    called.applied(at("2026-11-03 14:00"))
    for story in (waits, firm, cooled, snoozed, called):
        stories.append(story.plan(at("2026-11-05 12:00")))
    return stories


def test_no_reason_of_any_rule_or_branch_carries_a_label() -> None:
    for nudges in branch_stories():
        for nudge in nudges:
            assert labels_in(nudge.reason) == [], (nudge.rule, nudge.reason)


@PROPERTIES
@given(histories(), st.data())
def test_no_reason_from_any_history_carries_a_label(story, data) -> None:
    history, people, config, now = story
    history = with_decisions(data.draw, history, people, config)

    for nudge in plan(history, people, config, now):
        assert labels_in(nudge.reason) == [], (nudge.rule, nudge.reason)
        assert labels_in(nudge.message) == [], (nudge.rule, nudge.message)


@PROPERTIES
@given(st.lists(st.sampled_from(Stage), max_size=8), st.integers(0, 10))
def test_no_search_wide_reason_carries_a_label(stages: list[Stage], minimum: int) -> None:
    config = replace(SETTINGS, playbook=replace(SETTINGS.playbook, pipeline_min_active=minimum))
    search = Search(stages=dict(enumerate(stages, start=1)), staffing=[(RITA, "Brightpath", None)])

    for nudge in derive_search(search, config, NOW):
        assert labels_in(nudge.reason) == [], (nudge.rule, nudge.reason)
