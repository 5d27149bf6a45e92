"""The board's moves and their way back: a move logs one step and offers its Undo, a move back
logs nothing, a move into Interviewing asks about the interview first, every timeline entry can
be deleted; and the Pipeline's search count and table sorting. Kept pages show each change."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.applications import Starlette

from jobnudge.domain import EventType, Stage
from jobnudge.web.security import FLASH_COOKIE

from .conftest import NOW, Client, counts, sign_up, store_of


def _add(client: Client, company: str, role: str = "Data Analyst", status: str = "applied") -> int:
    response = client.send_form(
        "/opportunities",
        {"company": company, "role": role, "status": status, "applied_on": "last monday"},
    )
    assert response.status_code == 303, response.text[:500]
    return int(response.headers["location"].rsplit("/", 1)[1])


def _interviewed(client: Client, opp: int) -> None:
    response = client.send_form(
        f"/opportunities/{opp}/log",
        {"form": "interview", "event": "interviewed", "at": "yesterday 11am", "with": "Dana Lee"},
    )
    assert response.status_code == 303, response.text[:500]


def _column(page: str, opp: int) -> str:
    """The board column the card of ``opp`` is in."""
    for section in page.split('<section class="column" data-column="')[1:]:
        if f'data-card="{opp}"' in section:
            return section.split('"', 1)[0]
    raise AssertionError(f"card {opp} is not on the board")


def _types(app: Starlette, opp: int) -> list[EventType]:
    store = store_of(app)
    return [e.type for e in store.events(store.ensure_user("local"), opp)]


def _stage(app: Starlette, opp: int) -> Stage:
    store = store_of(app)
    return store.stage(store.ensure_user("local"), opp)


def _flash(page: str) -> str:
    found = re.search(r'<div class="flash" role="status">(.*?)</div>', page, re.S)
    assert found, "no flash message"
    return html.unescape(found.group(1))


def _undo(page: str) -> tuple[str, str]:
    """The Undo under a move's message: (its form's action, its button's words)."""
    found = re.search(
        r'<form class="undo-bar" method="post" action="([^"]+)">.*?<button[^>]*>(.*?)</button>',
        page,
        re.S,
    )
    assert found, "no Undo"
    return found.group(1), html.unescape(found.group(2))


def _error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">([^<]+)<', page)
    assert found, f"no message for {field}"
    return html.unescape(found.group(1))


def _query(location: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(location).query)


def test_a_move_logs_one_step_and_its_undo_takes_it_back(app: Starlette, client: Client) -> None:
    hooli = _add(client, "Hooli")
    _interviewed(client, hooli)
    assert _column(client.get("/pipeline").text, hooli) == "interviewing"
    assert _column(client.get("/pipeline").text, hooli) == "interviewing"  # kept

    moved = client.send_form(f"/opportunities/{hooli}/move", {"to": "offer", "next": "/pipeline"})
    assert moved.status_code == 303
    location = moved.headers["location"]
    assert urlsplit(location).path == "/pipeline"
    offer_id = int(_query(location)["undo"][0])
    assert store_of(app).event(store_of(app).ensure_user("local"), offer_id).type is EventType.OFFER
    page = client.get(location).text
    assert _flash(page) == "Hooli — Data Analyst: logged “Offer”, now Offer."
    assert _undo(page) == (f"/events/{offer_id}/delete", "Undo “Offer” (back to Interviewing)")
    assert _column(page, hooli) == "offer"
    again = client.get(location).text  # a reload shows the state, not a second Undo
    assert 'class="undo-bar"' not in again and _column(again, hooli) == "offer"
    assert _column(client.get("/pipeline").text, hooli) == "offer"  # the kept page is renewed

    undone = client.send_form(f"/events/{offer_id}/delete", {"undo": "1", "next": "/pipeline"})
    assert undone.status_code == 303 and undone.headers["location"] == "/pipeline"
    page = client.get("/pipeline").text
    assert _flash(page) == "Undid “Offer” on Hooli — Data Analyst: now Interviewing."
    assert _column(page, hooli) == "interviewing"
    assert _column(client.get("/pipeline").text, hooli) == "interviewing"
    assert _types(app, hooli) == [EventType.APPLIED, EventType.INTERVIEWED]
    assert _stage(app, hooli) is Stage.INTERVIEWING
    # Undoing twice finds nothing to undo.
    assert client.send_form(f"/events/{offer_id}/delete", {"undo": "1"}).status_code == 404


def test_a_move_back_logs_nothing_and_offers_to_undo_the_last_step(
    app: Starlette, client: Client
) -> None:
    hooli = _add(client, "Hooli")
    _interviewed(client, hooli)
    client.send_form(f"/opportunities/{hooli}/move", {"to": "offer"})
    client.get("/pipeline")
    offer_id = store_of(app).events(store_of(app).ensure_user("local"), hooli)[-1].id
    before = counts(store_of(app))
    for word in ("interviewing", "interviewed"):  # the board's word and the old form's word
        refused = client.send_form(f"/opportunities/{hooli}/move", {"to": word})
        assert refused.status_code == 303
        assert counts(store_of(app)) == before
        assert _query(refused.headers["location"])["undo"] == [str(offer_id)]
        page = client.get(refused.headers["location"]).text
        assert _flash(page).startswith(
            "Not moved: taking Hooli from Offer back to Interviewing would log a step that did "
            "not happen. If “Offer” was a mistake, undo it"
        )
        assert _undo(page) == (f"/events/{offer_id}/delete", "Undo “Offer” (back to Interviewing)")
        assert _column(page, hooli) == "offer"
        assert "Interviewed" not in _flash(page)
    # Two steps back: the Undo still names the last step, and where it leads.
    page = client.get(
        client.send_form(f"/opportunities/{hooli}/move", {"to": "applied"}).headers["location"]
    ).text
    assert "from Offer back to Applied" in _flash(page)
    assert _undo(page)[1] == "Undo “Offer” (back to Interviewing)"
    assert counts(store_of(app)) == before

    client.send_form(f"/events/{offer_id}/delete", {"undo": "1"})
    assert _types(app, hooli) == [EventType.APPLIED, EventType.INTERVIEWED]
    assert _column(client.get("/pipeline").text, hooli) == "interviewing"

    # Moving to where it already is says so; a drop on Leads is a step back too.
    same = client.send_form(f"/opportunities/{hooli}/move", {"to": "interviewing"})
    assert "is already in Interviewing" in _flash(client.get(same.headers["location"]).text)
    acme = _add(client, "Acme")
    lead = client.send_form(f"/opportunities/{acme}/move", {"to": "lead"})
    page = client.get(lead.headers["location"]).text
    assert _undo(page)[1] == "Undo “Applied” (back to Lead)"
    # A closed one is not re-opened by a move: rejected, then "applied" is refused.
    client.send_form(f"/opportunities/{acme}/move", {"to": "rejected"})
    before = counts(store_of(app))
    back = client.send_form(f"/opportunities/{acme}/move", {"to": "applied"})
    assert "from Rejected back to Applied" in _flash(client.get(back.headers["location"]).text)
    assert counts(store_of(app)) == before and _stage(app, acme) is Stage.REJECTED


def test_moving_into_interviewing_asks_about_the_interview_first(
    app: Starlette, client: Client
) -> None:
    globex = _add(client, "Globex")
    client.get("/pipeline")
    before = counts(store_of(app))
    asked = client.send_form(f"/opportunities/{globex}/move", {"to": "interviewing", "next": "/"})
    assert asked.status_code == 303
    assert asked.headers["location"] == f"/pipeline?interview={globex}"
    assert counts(store_of(app)) == before
    page = client.get(asked.headers["location"]).text
    assert "Globex — Data Analyst: the interview" in page
    form = page[page.index('id="interview"') :]
    assert f'action="/opportunities/{globex}/move"' in form
    assert 'name="what" value="scheduled" checked' in form
    assert 'name="what" value="interviewed"' in form and 'name="when"' in form
    assert 'name="with"' in form
    assert _column(page, globex) == "applied"  # nothing logged yet

    for data, field, words in (
        ({"what": "scheduled", "when": ""}, "when", "When is required"),
        ({"what": "scheduled", "when": "yesterday 2pm"}, "when", "That time has passed"),
        ({"what": "interviewed", "when": "tomorrow 2pm"}, "when", "That is still to come"),
        ({"what": "maybe", "when": "tomorrow 2pm"}, "what", "Choose whether"),
        ({"what": "scheduled", "when": "next blursday"}, "when", "When"),
    ):
        bad = client.send_form(
            f"/opportunities/{globex}/move", {"to": "interviewing", "with": "Dana Lee", **data}
        )
        assert bad.status_code == 422, (data, bad.status_code)
        assert words in _error(bad.text, field)
        assert 'value="Dana Lee"' in bad.text  # what was typed stays
        assert counts(store_of(app)) == before

    scheduled = client.send_form(
        f"/opportunities/{globex}/move",
        {"to": "interviewing", "what": "scheduled", "when": "next tuesday 2pm", "with": "Dana Lee"},
    )
    assert scheduled.status_code == 303
    page = client.get(scheduled.headers["location"]).text
    assert _flash(page) == (
        "Globex — Data Analyst: interview scheduled for Tue 1 Dec, 2 pm, now Interviewing. "
        "New contact: Dana Lee."
    )
    assert _undo(page)[1] == "Undo “Interview scheduled” (back to Applied)"
    assert _column(client.get("/pipeline").text, globex) == "interviewing"
    assert 'id="interview"' not in client.get(f"/pipeline?interview={globex}").text  # answered
    store = store_of(app)
    event = store.events(store.ensure_user("local"), globex)[-1]
    assert event.type is EventType.SCHEDULED
    assert event.scheduled_for == datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    assert event.at == NOW and event.contact_ids
    today = client.get("/").text
    assert "Send a thank-you" not in today and "the interviewer" not in today

    # It took place: logged at the time given, with the people named.
    initech = _add(client, "Initech")
    took = client.send_form(
        f"/opportunities/{initech}/move",
        {"to": "interviewing", "what": "interviewed", "when": "today 9am", "with": "Raj Patel"},
    )
    assert took.status_code == 303
    assert "logged “Interviewed” (today, 9 am), now Interviewing" in _flash(
        client.get(took.headers["location"]).text
    )
    event = store.events(store.ensure_user("local"), initech)[-1]
    assert event.type is EventType.INTERVIEWED
    assert event.at == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def test_the_move_form_offers_only_steps_forward(app: Starlette, client: Client) -> None:
    lead = _add(client, "Lead Co", status="lead")
    applied = _add(client, "Applied Co")
    offer = _add(client, "Offer Co")
    client.send_form(f"/opportunities/{offer}/move", {"to": "offer"})
    closed = _add(client, "Closed Co")
    client.send_form(f"/opportunities/{closed}/move", {"to": "rejected"})
    page = client.get("/pipeline").text

    def options(opp: int) -> list[str]:
        card = page[page.index(f'data-card="{opp}"') :].split("</li>", 1)[0]
        return re.findall(r'<option value="([^"]*)"', card)

    assert options(lead) == [
        "",
        "applied",
        "interviewing",
        "offer",
        "rejected",
        "withdrawn",
        "no-response",
    ]
    assert options(applied) == ["", "interviewing", "offer", "rejected", "withdrawn", "no-response"]
    assert options(offer) == ["", "rejected", "withdrawn", "no-response"]
    assert options(closed) == []
    assert '<option value="interviewing">Interviewing…</option>' in page
    # A move form sent without a choice changes nothing and says what to choose.
    before = counts(store_of(app))
    empty = client.send_form(f"/opportunities/{applied}/move", {"to": ""})
    assert "Choose where to move it" in _flash(client.get(empty.headers["location"]).text)
    assert counts(store_of(app)) == before
    # The way back keeps the search the card was moved from, never another site.
    kept = client.send_form(
        f"/opportunities/{applied}/move", {"to": "withdrawn", "next": "/pipeline?q=applied"}
    )
    assert urlsplit(kept.headers["location"]).path == "/pipeline"
    assert _query(kept.headers["location"])["q"] == ["applied"]
    away = client.send_form(
        f"/opportunities/{lead}/move", {"to": "applied", "next": "//evil.example/pipeline"}
    )
    assert urlsplit(away.headers["location"]).path == "/pipeline"
    assert not urlsplit(away.headers["location"]).netloc


def test_every_timeline_entry_can_be_deleted(app: Starlette, client: Client) -> None:
    hooli = _add(client, "Hooli")
    _interviewed(client, hooli)
    client.get("/pipeline")
    url = f"/opportunities/{hooli}"
    page = client.get(url).text
    store = store_of(app)
    owner = store.ensure_user("local")
    interviewed = store.events(owner, hooli)[-1]
    assert page.count('<details class="delete-event">') == 2
    assert f'action="/events/{interviewed.id}/delete"' in page
    assert "Delete “Interviewed”</button>" in page

    before = counts(store)
    no_token = client.send_form(f"/events/{interviewed.id}/delete", {}, csrf=False)
    assert no_token.status_code == 403 and counts(store) == before
    assert client.send_form("/events/999999/delete", {}).status_code == 404

    deleted = client.send_form(f"/events/{interviewed.id}/delete", {})
    assert deleted.status_code == 303 and urlsplit(deleted.headers["location"]).path == url
    page = client.get(deleted.headers["location"]).text
    assert _flash(page) == (
        "Deleted “Interviewed” from the timeline: Hooli — Data Analyst is now Applied."
    )
    assert "Interviewed" not in page.split('id="timeline-title"', 1)[1].split("</section>")[0]
    assert _stage(app, hooli) is Stage.APPLIED
    assert _column(client.get("/pipeline").text, hooli) == "applied"
    assert "Send a thank-you" not in client.get("/").text  # its follow-ups went with it


@pytest.mark.parametrize("param", ["interview", "undo"])
def test_stale_or_foreign_one_time_parameters_are_ignored(
    app: Starlette, client: Client, param: str
) -> None:
    _add(client, "Hooli")
    for value in ("999999", "nonsense", ""):
        page = client.get(f"/pipeline?{param}={value}")
        assert page.status_code == 200
        assert 'class="undo-bar"' not in page.text and 'id="interview"' not in page.text


def test_a_coach_can_neither_delete_nor_move(accounts_app: Starlette) -> None:
    alice = sign_up(accounts_app, "alice")
    coach = sign_up(accounts_app, "coach")
    hooli = _add(alice, "Hooli")
    _interviewed(alice, hooli)
    store = store_of(accounts_app)
    alice_id = store.find_user("alice")
    assert alice_id is not None
    event = store.events(alice_id, hooli)[-1]
    assert alice.send_form("/account/shares", {"coach": "coach"}).status_code == 303
    assert coach.send_form("/account/view", {"owner": str(alice_id)}).status_code == 303
    timeline = coach.get(f"/opportunities/{hooli}").text
    assert "Hooli" in timeline and "delete-event" not in timeline
    board = coach.get(f"/pipeline?interview={hooli}&undo={event.id}").text
    assert "data-movable" not in board and 'class="move"' not in board
    assert 'id="interview"' not in board and "undo-bar" not in board
    bob = sign_up(accounts_app, "bob")
    before = counts(store)
    assert coach.send_form(f"/events/{event.id}/delete", {"undo": "1"}).status_code == 403
    assert coach.send_form(f"/opportunities/{hooli}/move", {"to": "offer"}).status_code == 403
    assert counts(store) == before
    # Another user's event is not found, and stays, and is never offered for undoing.
    assert bob.send_form(f"/events/{event.id}/delete", {}).status_code == 404
    bob.cookies.delete(FLASH_COOKIE)  # the sign-up's "Welcome back." not yet shown
    bob.cookies.set(FLASH_COOKIE, "Moved.")
    page = bob.get(f"/pipeline?undo={event.id}&interview={hooli}").text
    assert "Moved." in page and "Hooli" not in page and "undo-bar" not in page
    assert counts(store) == before


def test_the_search_counts_what_it_found(app: Starlette, client: Client) -> None:
    _add(client, "Acme Corp")
    _add(client, "Globex")
    for view in ("board", "table"):
        page = client.get(f"/pipeline?view={view}&q=zzz").text
        assert "0 matches for “zzz”" in page and "2 in all" in page, view
        assert "Nothing matches" in page
        page = client.get(f"/pipeline?view={view}&q=glob&stage=all").text
        assert "1 match for “glob” · 2 in all" in page, view
    page = client.get("/pipeline?view=table&q=a").text  # the table's stage filter counts too
    assert "2 matches for “a” among active · 2 in all" in page
    assert "2 opportunities" in client.get("/pipeline").text


def test_table_columns_sort_a_to_z_first_and_say_so(app: Starlette, client: Client) -> None:
    _add(client, "Globex")
    _add(client, "Acme Corp")

    def links(page: str) -> dict[str, str]:
        found = re.findall(r'<a href="(/pipeline\?view=table[^"]*&amp;sort=(\w+)[^"]*)">', page)
        return {key: html.unescape(href) for href, key in found}

    page = client.get("/pipeline?view=table&stage=all").text  # by last activity, newest first
    assert '<th scope="col" class="opt" aria-sort="descending"><a ' in page
    first_clicks = links(page)
    assert set(first_clicks) == {"company", "role", "stage", "source", "activity", "next"}
    for key in ("company", "role", "stage", "source", "next"):
        assert first_clicks[key].endswith(f"sort={key}&dir=asc"), first_clicks[key]
    assert first_clicks["activity"].endswith("sort=activity&dir=asc")  # the second click

    by_company = client.get(first_clicks["company"]).text
    assert by_company.index("Acme Corp") < by_company.index("Globex")
    assert re.search(
        r'<th scope="col" aria-sort="ascending"><a [^>]*sort=company&amp;dir=desc"', by_company
    )
    assert by_company.count("aria-sort") == 1 and "<a aria-sort" not in by_company
    assert links(by_company)["activity"].endswith("sort=activity&dir=desc")  # newest first
    second = client.get(links(by_company)["company"]).text
    assert second.index("Globex") < second.index("Acme Corp")
    assert '<th scope="col" aria-sort="descending">' in second
    # Searching and filtering keep the order chosen.
    assert '<input type="hidden" name="dir" value="desc">' in second
    assert '<input type="hidden" name="sort" value="company">' in second
    searched = client.get("/pipeline?view=table&stage=all&sort=company&dir=desc&q=o").text
    assert searched.index("Globex") < searched.index("Acme Corp")
