"""Every page renders, in local mode, on a real SQLite file: with a demo search and empty."""

from __future__ import annotations

import re

import pytest
from starlette.applications import Starlette

from .conftest import Client, nudge_ids

PAGES = [
    "/",
    "/pipeline",
    "/pipeline?view=table",
    "/pipeline?view=table&stage=closed&sort=company&dir=desc",
    "/pipeline?q=analytics",
    "/contacts",
    "/contacts?q=dana",
    "/contacts/1",
    "/opportunities/1",
    "/review",
    "/review?week=2026-11-09",
    "/settings",
    "/settings/templates/interview.thank-you/email",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_a_search(demo: Starlette, client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert "text/html" in response.headers["content-type"]
    assert '<main id="main"' in response.text
    assert "content-security-policy" in response.headers
    assert "nudge_csrf" in client.cookies


def test_today_lists_the_demo_follow_ups(demo: Starlette, client: Client) -> None:
    html = client.get("/").text
    assert len(nudge_ids(html)) >= 5
    assert "Send a thank-you · Dana Lee" in html
    assert re.search(r"\d+(:\d\d)? (am|pm) for Dana", html), "the contact's local time is shown"
    assert "<kbd>j</kbd>" in html


def test_draft_page_and_check_endpoint(demo: Starlette, client: Client) -> None:
    today = client.get("/").text
    drafts = re.findall(r'href="/nudges/([0-9a-f]{7})/draft"', today)
    html = client.get(f"/nudges/{drafts[0]}/draft").text
    assert 'id="draft-text"' in html and 'id="findings"' in html
    thank_you = re.search(
        r'data-nudge="([0-9a-f]{7})"[^>]*>\s*<div>\s*<h3[^>]*>Send a thank-you', today
    )
    assert thank_you
    thank_you = thank_you.group(1)
    response = client.send_form(
        f"/nudges/{thank_you}/check", {"text": "Dear Dana,\n\nThanks, Acme Corp rocks."}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == len(data["findings"]) > 0
    assert "<mark" in data["html"]


def test_empty_states_teach_the_first_step(client: Client) -> None:
    today = client.get("/").text
    assert "Start with one application" in today and 'action="/opportunities"' in today
    assert "Your pipeline is empty" in client.get("/pipeline").text
    assert "No contacts yet" in client.get("/contacts").text
    assert "Nothing logged this week yet" in client.get("/review").text


def test_not_found_pages_are_styled(demo: Starlette, client: Client) -> None:
    for path in [
        "/nowhere",
        "/opportunities/9999",
        "/contacts/9999",
        "/nudges/abcdef0/draft",
        "/settings/templates/no.rule/email",
        "/signin",
        "/account",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Not found" in response.text and "/static/app.css" in response.text


def test_server_errors_are_styled_and_leak_nothing(
    demo: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobnudge.services import nudges

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(nudges, "agenda", broken)
    with Client(demo, raise_server_exceptions=False) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret detail" not in response.text


def test_static_files_are_served_from_the_package(client: Client) -> None:
    for path in ["/static/app.css", "/static/app.js", "/static/icon.svg"]:
        assert client.get(path).status_code == 200
    html = client.get("/").text
    assert "http://" not in html.replace("http://127.0.0.1", "")
    assert "https://" not in html


def test_calendar_feed(demo: Starlette, client: Client) -> None:
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in response.content
