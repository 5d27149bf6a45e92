"""``/calendar.ics`` with accounts: calendar apps cannot sign in, so the feed is reached with the
secret token from the Account page. A valid token gives that user's calendar and nobody
else's; a wrong or replaced token finds nothing. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from starlette.applications import Starlette

from jobnudge.services import demo as demo_service
from jobnudge.services.session import Session

from .conftest import NOW, SETTINGS, Client, sign_up, store_of


def _feed_token(client: Client) -> str:
    """A fresh calendar link made on the Account page, as its token."""
    page = client.send_form("/account/feed", {})
    assert page.status_code == 200
    found = re.search(r"/calendar\.ics\?token=([\w%-]+)", page.text)
    assert found, "the Account page shows the new link"
    return found.group(1)


def _events(body: str) -> list[str]:
    return re.findall(r"BEGIN:VEVENT.*?END:VEVENT", body.replace("\r\n ", ""), re.S)


def test_the_token_gives_its_owners_feed_only(accounts_app: Starlette) -> None:
    alice = sign_up(accounts_app, "alice")
    bob = sign_up(accounts_app, "bob")
    store = store_of(accounts_app)
    alice_id = store.find_user("alice")
    assert alice_id is not None
    demo_service.load(Session(store=store, settings=SETTINGS, owner=alice_id, now=NOW))
    alice_token, bob_token = _feed_token(alice), _feed_token(bob)
    calendar_app = Client(accounts_app)  # no session cookie: what a calendar app sends

    feed = calendar_app.get(f"/calendar.ics?token={alice_token}")
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.headers["cache-control"].startswith("private")
    assert feed.text.startswith("BEGIN:VCALENDAR")
    events = _events(feed.text)
    assert events and any("Northwind" in e or "Dana Lee" in e for e in events)
    uids = re.findall(r"^UID:(.+)$", feed.text, re.M)
    assert len(uids) == len(events) == len(set(uids))
    again = calendar_app.get(f"/calendar.ics?token={alice_token}").text
    assert re.findall(r"^UID:(.+)$", again, re.M) == uids  # a re-read updates, never doubles

    theirs = calendar_app.get(f"/calendar.ics?token={bob_token}")
    assert theirs.status_code == 200 and theirs.text.startswith("BEGIN:VCALENDAR")
    assert "Northwind" not in theirs.text and "Dana Lee" not in theirs.text
    assert _events(theirs.text) == []  # bob has no search yet
    # Alice's browser asking with bob's token still gets bob's (empty) feed, never hers.
    assert "Northwind" not in alice.get(f"/calendar.ics?token={bob_token}").text


def test_a_wrong_or_replaced_token_finds_nothing(accounts_app: Starlette) -> None:
    alice = sign_up(accounts_app, "alice")
    calendar_app = Client(accounts_app)
    first = _feed_token(alice)
    assert calendar_app.get(f"/calendar.ics?token={first}").status_code == 200
    for wrong in ("nonsense", first[:-2], first + "x"):
        assert calendar_app.get(f"/calendar.ics?token={wrong}").status_code == 404, wrong
    nul = calendar_app.get("/calendar.ics?token=%00")  # refused before any route reads it
    assert nul.status_code == 400 and "NUL character" in nul.text
    second = _feed_token(alice)  # a new link turns the old one off
    assert second != first
    assert calendar_app.get(f"/calendar.ics?token={first}").status_code == 404
    assert calendar_app.get(f"/calendar.ics?token={second}").status_code == 200


def test_without_a_token_the_feed_needs_a_sign_in(accounts_app: Starlette) -> None:
    alice = sign_up(accounts_app, "alice")
    anonymous = Client(accounts_app).get("/calendar.ics", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/signin")
    own = alice.get("/calendar.ics")  # a signed-in browser fetches its own feed
    assert own.status_code == 200 and own.text.startswith("BEGIN:VCALENDAR")
