"""Every form: the happy path writes through the services; bad input answers 4xx with each
field's message and writes nothing; a form without the CSRF token is refused."""

from __future__ import annotations

import re

import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from jobnudge.store.tables import metadata

from .conftest import Client, counts, nudge_ids, store_of


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">([^<]+)<', html)
    assert found, f"no message for {field}"
    return found.group(1)


def test_add_an_application(app: Starlette, client: Client) -> None:
    response = client.send_form(
        "/opportunities",
        {
            "company": "Acme Corp",
            "role": "Data Analyst",
            "status": "applied",
            "applied_on": "yesterday",
            "source": "LinkedIn",
            "responds_within": "2w",
        },
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/opportunities/\d+", location)
    page = client.get(location).text
    assert "Acme Corp — Data Analyst" in page and "Logged" not in page
    assert "Added Acme Corp — Data Analyst." in page  # the flash message
    assert "14 days" in page
    assert "Added Acme" not in client.get(location).text  # a flash shows once


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        (
            {"company": "", "role": "", "status": "applied", "applied_on": "today"},
            ["company", "role"],
        ),
        (
            {
                "company": "Acme",
                "role": "Analyst",
                "status": "applied",
                "applied_on": "next blursday",
            },
            ["applied_on"],
        ),
        ({"company": "Acme", "role": "Analyst", "applied_on": "in 3 weeks"}, ["applied_on"]),
        (
            {"company": "Acme", "role": "Analyst", "applied_on": "today", "posting": "ftp://x"},
            ["posting"],
        ),
        (
            {
                "company": "Acme",
                "role": "Analyst",
                "applied_on": "today",
                "responds_within": "soon",
            },
            ["responds_within"],
        ),
        ({"company": "Acme", "role": "Analyst", "applied_on": "today", "via": "pigeon"}, ["via"]),
        ({"company": "A" * 201, "role": "Analyst", "applied_on": "today"}, ["company"]),
    ],
)
def test_bad_applications_write_nothing(
    app: Starlette, client: Client, data: dict[str, str], fields: list[str]
) -> None:
    before = counts(store_of(app))
    response = client.send_form("/opportunities", data)
    assert response.status_code == 422
    for field in fields:
        assert _field_error(response.text, field)
        assert 'aria-invalid="true"' in response.text
    assert counts(store_of(app)) == before
    assert data["company"][:50] in response.text  # the user's input is kept


def test_a_duplicate_application_asks_for_apply_again(app: Starlette, client: Client) -> None:
    data = {"company": "Acme", "role": "Analyst", "applied_on": "today"}
    assert client.send_form("/opportunities", data).status_code == 303
    before = counts(store_of(app))
    response = client.send_form("/opportunities", data)
    assert response.status_code == 409
    assert "Apply again" in _field_error(response.text, "again")
    assert counts(store_of(app)) == before
    assert client.send_form("/opportunities", {**data, "again": "on"}).status_code == 303


def _opportunity(client: Client) -> str:
    response = client.send_form(
        "/opportunities", {"company": "Acme", "role": "Analyst", "applied_on": "last monday"}
    )
    return str(response.headers["location"])


def test_log_an_interview_with_two_people(app: Starlette, client: Client) -> None:
    url = _opportunity(client)
    response = client.send_form(
        f"{url}/log",
        {
            "form": "interview",
            "event": "interviewed",
            "at": "today 9am",
            "with": "Dana Lee, Raj Patel",
            "round": "1",
            "kind": "video",
            "note": "Talked about dashboards",
        },
    )
    assert response.status_code == 303, response.text
    page = client.get(url).text
    assert "New contact: Dana Lee" in page and "Raj Patel" in page
    assert "Talked about dashboards" in page
    today = client.get("/").text
    assert "Send a thank-you · Dana Lee" in today and "Send a thank-you · Raj Patel" in today


@pytest.mark.parametrize(
    ("form", "data", "field"),
    [
        ("interview", {"event": "scheduled"}, "for"),
        ("interview", {"event": "interviewed", "round": "0"}, "round"),
        ("interview", {"event": "interviewed", "round": "two"}, "round"),
        ("interview", {"event": "interviewed", "decision_by": "whenever"}, "decision_by"),
        ("interview", {"event": "interviewed", "kind": "telepathy"}, "kind"),
        ("message", {"event": "received", "at": "next year"}, "at"),
        ("message", {"event": "sent", "kind": "love-letter"}, "kind"),
        ("message", {"event": "received", "channel": "fax"}, "channel"),
        ("references", {"event": "references"}, "with"),
        ("other", {"event": "party"}, "event"),
    ],
)
def test_bad_logs_write_nothing(
    app: Starlette, client: Client, form: str, data: dict[str, str], field: str
) -> None:
    url = _opportunity(client)
    before = counts(store_of(app))
    response = client.send_form(f"{url}/log", {"form": form, **data})
    assert response.status_code == 422, response.text[:300]
    assert _field_error(response.text, field)
    assert f'<details id="form-{form}" open>' in response.text
    assert counts(store_of(app)) == before


def test_move_a_card_logs_the_event(app: Starlette, client: Client) -> None:
    url = _opportunity(client)
    opp_id = url.rsplit("/", 1)[1]
    response = client.send_form(f"/opportunities/{opp_id}/move", {"to": "offer"})
    assert response.status_code == 303
    assert "now Offer" in client.get("/pipeline").text
    assert "Offer" in client.get(url).text
    before = counts(store_of(app))
    response = client.send_form(f"/opportunities/{opp_id}/move", {"to": "nowhere"})
    assert response.status_code == 303 and counts(store_of(app)) == before


def test_contacts_add_edit_and_bad_input(app: Starlette, client: Client) -> None:
    response = client.send_form(
        "/contacts",
        {
            "name": "Dana Lee",
            "company": "Acme",
            "email": "dana@acme.example",
            "tz": "America/Denver",
            "country": "US",
            "roles": ["interviewer", "hr"],
            "salutation": "Ms.",
        },
    )
    assert response.status_code == 303
    url = response.headers["location"]
    page = client.get(url).text
    assert "Dana Lee" in page and "America/Denver" in page
    before = counts(store_of(app))
    response = client.send_form(
        "/contacts",
        {
            "name": "",
            "email": "not-an-email",
            "tz": "Mars/Olympus",
            "country": "XX",
            "roles": ["astronaut"],
            "salutation": "Sir",
        },
    )
    assert response.status_code == 422
    for field in ["name", "email", "tz", "country", "roles", "salutation"]:
        assert _field_error(response.text, field)
    assert counts(store_of(app)) == before
    response = client.send_form(url, {"name": "Dana Lee", "email": "bad"})
    assert response.status_code == 422 and counts(store_of(app)) == before
    response = client.send_form(
        url, {"name": "Dana Lee", "first_name_ok": "on", "tz": "Europe/Berlin"}
    )
    assert response.status_code == 303
    assert "Europe/Berlin" in client.get(url).text


def test_snooze_dismiss_done_and_mark_sent(demo: Starlette, client: Client) -> None:
    ids = nudge_ids(client.get("/").text)
    before = counts(store_of(demo))["events"]
    assert client.send_form(f"/nudges/{ids[0]}/snooze", {"until": "week"}).status_code == 303
    response = client.send_form(f"/nudges/{ids[1]}/dismiss", {"reason": ""})
    assert response.status_code == 422 and "Reason is required" in response.text
    assert client.send_form(f"/nudges/{ids[1]}/dismiss", {"reason": "No"}).status_code == 303
    assert client.send_form(f"/nudges/{ids[2]}/done", {}).status_code == 303
    assert client.send_form(f"/nudges/{ids[3]}/snooze", {"until": "never"}).status_code == 422
    assert counts(store_of(demo))["events"] == before + 3
    remaining = nudge_ids(client.get("/").text)
    assert ids[1] not in remaining and ids[2] not in remaining


def test_draft_mark_sent_logs_the_text(demo: Starlette, client: Client) -> None:
    today = client.get("/").text
    handle = re.findall(r'href="/nudges/([0-9a-f]{7})/draft"', today)[0]
    page = client.get(f"/nudges/{handle}/draft").text
    text = re.search(r'<textarea id="draft-text"[^>]*>([^<]*)</textarea>', page)
    assert text
    before = counts(store_of(demo))
    response = client.send_form(f"/nudges/{handle}/draft", {"text": "", "action": "sent"})
    assert response.status_code == 422 and counts(store_of(demo)) == before
    response = client.send_form(
        f"/nudges/{handle}/draft", {"text": "Hello there, checking in.", "action": "check"}
    )
    assert response.status_code == 200 and "Checked." in response.text
    response = client.send_form(
        f"/nudges/{handle}/draft", {"text": "Thank you, Dana. Kind regards, Alex", "action": "sent"}
    )
    assert response.status_code == 303
    assert handle not in nudge_ids(client.get("/").text)
    assert "Thank you, Dana. Kind regards, Alex" in client.get(response.headers["location"]).text


def test_settings_forms(app: Starlette, client: Client, tmp_path: object) -> None:
    response = client.send_form(
        "/settings/profile", {"name": "Alex", "tz": "Mars/Base", "country": "ZZ", "email": "x"}
    )
    assert response.status_code == 422
    for field in ["tz", "country", "email"]:
        assert _field_error(response.text, field)
    response = client.send_form(
        "/settings/profile", {"name": "Alex <b>M</b>", "tz": "Europe/Berlin", "country": "DE"}
    )
    assert response.status_code == 303
    page = client.get("/settings").text
    assert "Europe/Berlin" in page and "Alex &lt;b&gt;M&lt;/b&gt;" in page
    response = client.send_form(
        "/settings/playbook", {"apply_check_in_days": "eight", "cooldown_days": "999"}
    )
    assert response.status_code == 422
    assert _field_error(response.text, "apply_check_in_days")
    assert _field_error(response.text, "cooldown_days")
    response = client.send_form("/settings/playbook", {"apply_check_in_days": "8"})
    assert response.status_code == 303
    assert "default 7" in client.get("/settings").text
    response = client.send_form("/settings/checks", {"on": ["spelling", "timing"]})
    assert response.status_code == 303
    page = client.get("/settings").text
    assert 'value="spelling" checked' in page and 'value="formality" checked' not in page
    assert client.send_form("/settings/checks", {"on": ["made-up"]}).status_code == 422


def test_template_overrides(app: Starlette, client: Client) -> None:
    url = "/settings/templates/interview.thank-you/email"
    response = client.send_form(url, {"text": "Subject: Hi\n\n{% if %}", "action": "save"})
    assert response.status_code == 422 and _field_error(response.text, "text")
    response = client.send_form(url, {"text": "No subject line", "action": "save"})
    assert response.status_code == 422
    response = client.send_form(url, {"text": "Subject: Thanks\n\nThank you!", "action": "save"})
    assert response.status_code == 303
    assert "your wording" in client.get(url).text
    assert client.send_form(url, {"action": "reset"}).status_code == 303
    assert "default wording" in client.get(url).text


def post_routes(app: Starlette) -> list[str]:
    paths = []
    for route in app.routes:
        if isinstance(route, Route) and "POST" in (route.methods or ()):
            paths.append(
                route.path.replace("{opp:int}", "1")
                .replace("{contact:int}", "1")
                .replace("{nudge:str}", "abcdef0")
                .replace("{coach:int}", "1")
                .replace("{rule:str}", "interview.thank-you")
                .replace("{channel:str}", "email")
            )
    return paths


def test_every_form_needs_the_csrf_token(demo: Starlette, client: Client) -> None:
    paths = post_routes(demo)
    assert len(paths) >= 15
    before = counts(store_of(demo))
    for path in paths:
        response = client.send_form(path, {"company": "X", "role": "Y"}, csrf=False)
        assert response.status_code in (403, 404), path  # 404: an accounts-only route
        response = client.send_form(path, {"csrf_token": "forged" * 8}, csrf=False)
        assert response.status_code in (403, 404), path
    assert counts(store_of(demo)) == before


def test_all_tables_are_counted() -> None:
    assert {"opportunities", "events", "contacts", "credentials"} <= set(metadata.tables)


def test_forms_carry_the_visitors_csrf_token(demo: Starlette) -> None:
    with Client(demo) as client:
        for path in ["/", "/pipeline", "/opportunities/1", "/contacts", "/contacts/1", "/settings"]:
            html = client.get(path).text
            tokens = set(re.findall(r'name="csrf_token" value="([^"]*)"', html))
            assert tokens == {client.cookies["nudge_csrf"]}, path
