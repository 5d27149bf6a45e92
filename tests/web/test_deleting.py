"""Deleting from the web app: a confirmation page saying what goes and what stays, one POST
with its CSRF token, a message with an Undo that puts everything back; a second interview at
the same time is refused until the user ticks that they mean it."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from starlette.applications import Starlette

from jobnudge.domain import EventType
from jobnudge.services.session import Session
from jobnudge.web.security import FLASH_COOKIE

from .conftest import NOW, SETTINGS, Client, counts, sign_up, store_of


def _owner(app: Starlette) -> int:
    return store_of(app).ensure_user("local")


def _by_name(app: Starlette, name: str) -> int:
    return next(c.id for c in store_of(app).contacts(_owner(app)) if c.name == name)


def _northwind(app: Starlette) -> int:
    store = store_of(app)
    return next(o.id for o, _s in store.opportunities(_owner(app)) if o.company.startswith("North"))


def _undo_action(page: str) -> str:
    found = re.search(r'<form class="undo-bar" method="post" action="([^"]+)">', page)
    assert found, "no Undo"
    return found.group(1)


def _flash(page: str) -> str:
    found = re.search(r'<div class="flash" role="status">(.*?)</div>', page, re.S)
    assert found, "no message"
    return html.unescape(found.group(1))


def _agenda(app: Starlette) -> list[tuple[str, str]]:
    from datetime import timedelta

    rows = store_of(app).agenda_rows(_owner(app), NOW + timedelta(days=365), NOW)
    return sorted((r.key, r.reason) for r in rows)


def test_deleting_a_contact_says_links_go_and_events_stay_then_undo(
    demo: Starlette, client: Client
) -> None:
    dana = _by_name(demo, "Dana Lee")
    before_agenda = _agenda(demo)
    contact_page = client.get(f"/contacts/{dana}").text
    assert f'href="/contacts/{dana}/delete"' in contact_page
    confirm = client.get(f"/contacts/{dana}/delete")
    assert confirm.status_code == 200
    text = html.unescape(confirm.text)
    assert "Delete Dana Lee?" in text
    assert "their link to Northwind Analytics — Data Analyst (the opportunity stays)" in text
    assert "their name on 2 events (the events stay)" in text
    assert f'action="/contacts/{dana}/delete"' in confirm.text

    store = store_of(demo)
    before = counts(store)
    assert client.send_form(f"/contacts/{dana}/delete", {}, csrf=False).status_code == 403
    assert counts(store) == before

    done = client.send_form(f"/contacts/{dana}/delete", {})
    assert done.status_code == 303
    location = done.headers["location"]
    assert urlsplit(location).path == "/contacts" and "deleted" in parse_qs(
        urlsplit(location).query
    )
    page = client.get(location).text
    assert _flash(page) == "Deleted Dana Lee."
    assert f'href="/contacts/{dana}"' not in page
    timeline = client.get(f"/opportunities/{_northwind(demo)}").text
    entries = timeline.split('id="timeline-title"', 1)[1].split("</section>")[0]
    assert "Interviewed" in entries and "Raj Patel" in entries  # the events stay, without her
    assert "Dana Lee" not in entries and f'href="/contacts/{dana}"' not in timeline
    assert _agenda(demo) != before_agenda

    reload = client.get(location).text  # a reload shows no second Undo
    assert 'class="undo-bar"' not in reload

    back = client.send_form(_undo_action(page), {})
    assert back.status_code == 303 and back.headers["location"] == f"/contacts/{dana}"
    assert _flash(client.get(back.headers["location"]).text) == "Put back Dana Lee."
    assert _agenda(demo) == before_agenda
    assert "Dana Lee" in client.get(f"/opportunities/{_northwind(demo)}").text
    assert client.send_form(_undo_action(page), {}).status_code == 404  # undone once only


def test_deleting_an_opportunity_and_its_undo(demo: Starlette, client: Client) -> None:
    northwind = _northwind(demo)
    before_agenda = _agenda(demo)
    confirm = html.unescape(client.get(f"/opportunities/{northwind}/delete").text)
    assert "Delete Northwind Analytics — Data Analyst?" in confirm
    assert "3 entries on its timeline" in confirm
    assert "Dana Lee, Raj Patel and Sam Okafor stay in your contacts" in confirm

    done = client.send_form(f"/opportunities/{northwind}/delete", {})
    assert urlsplit(done.headers["location"]).path == "/pipeline"
    page = client.get(done.headers["location"]).text
    assert _flash(page) == "Deleted Northwind Analytics — Data Analyst."
    assert client.get(f"/opportunities/{northwind}").status_code == 404
    assert "Dana Lee" in client.get("/contacts").text

    back = client.send_form(_undo_action(page), {})
    assert back.headers["location"] == f"/opportunities/{northwind}"
    assert client.get(back.headers["location"]).status_code == 200
    assert _agenda(demo) == before_agenda


def test_a_timeline_entry_deleted_can_be_put_back(demo: Starlette, client: Client) -> None:
    northwind = _northwind(demo)
    store = store_of(demo)
    event = store.events(_owner(demo), northwind)[-1]
    url = f"/opportunities/{northwind}"
    done = client.send_form(f"/events/{event.id}/delete", {})
    assert urlsplit(done.headers["location"]).path == url
    page = client.get(done.headers["location"]).text
    back = client.send_form(_undo_action(page), {})
    assert back.headers["location"] == url
    assert store.events(_owner(demo), northwind)[-1] == event


def test_a_second_interview_at_the_same_time_needs_a_tick(demo: Starlette, client: Client) -> None:
    northwind = _northwind(demo)
    form = {
        "form": "interview",
        "event": "scheduled",
        "for": "next tuesday 10am",
        "with": "Dana Lee",
    }
    first = client.send_form(f"/opportunities/{northwind}/log", form)
    assert first.status_code == 303
    store = store_of(demo)
    before = counts(store)
    again = client.send_form(f"/opportunities/{northwind}/log", form)
    assert again.status_code == 409
    text = html.unescape(again.text)
    assert "An interview is already scheduled for" in text
    assert 'name="again"' in again.text and "--again" not in text
    assert counts(store) == before
    ticked = client.send_form(f"/opportunities/{northwind}/log", {**form, "again": "on"})
    assert ticked.status_code == 303
    scheduled = [e for e in store.events(_owner(demo), northwind) if e.type is EventType.SCHEDULED]
    assert len({e.scheduled_for for e in scheduled[-2:]}) == 1


def test_a_coach_sees_no_delete_and_cannot_confirm(accounts_app: Starlette) -> None:
    from jobnudge.services import demo as demo_service

    alice = sign_up(accounts_app, "alice")
    coach = sign_up(accounts_app, "coach")
    store = store_of(accounts_app)
    alice_id = store.find_user("alice")
    assert alice_id is not None
    demo_service.load(Session(store=store, settings=SETTINGS, owner=alice_id, now=NOW))
    opp = store.all_opportunity_ids(alice_id)[0]
    assert alice.send_form("/account/shares", {"coach": "coach"}).status_code == 303
    assert coach.send_form("/account/view", {"owner": str(alice_id)}).status_code == 303
    assert "/delete" not in coach.get(f"/opportunities/{opp}").text
    assert coach.get(f"/opportunities/{opp}/delete").status_code == 403
    before = counts(store)
    assert coach.send_form(f"/opportunities/{opp}/delete", {}).status_code == 403
    assert counts(store) == before
    assert FLASH_COOKIE  # the message cookie is the app's own
