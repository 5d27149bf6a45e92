"""The pages' side of the boundary: ids past any the database holds answer 404, long zones and
hostile text a 422 with the field's message, stored escapes show as symbols, and an unforeseen
error is logged once and answered with the error page, keeping the connection."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from starlette.applications import Starlette

from .conftest import Client, sign_up, store_of

LEAD = {"status": "lead"}
HUGE = [str(2**31), str(2**63), str(2**64 + 1), "9" * 40]


@pytest.mark.parametrize("number", HUGE)
def test_ids_past_the_database_answer_404(demo: Starlette, client: Client, number: str) -> None:
    assert client.get(f"/opportunities/{number}").status_code == 404
    assert client.get(f"/contacts/{number}").status_code == 404
    assert client.send_form(f"/contacts/{number}", {"name": "x"}).status_code == 404
    assert client.send_form(f"/opportunities/{number}/move", {"to": "applied"}).status_code == 404
    assert client.send_form(f"/opportunities/{number}/log", {"event": "note"}).status_code == 404
    assert client.send_form(f"/events/{number}/delete", {}).status_code == 404


def test_a_huge_coach_id_answers_404(accounts_app: Starlette) -> None:
    alex = sign_up(accounts_app, "alex")
    for number in HUGE:
        assert alex.send_form(f"/account/shares/{number}/revoke", {}).status_code == 404
        assert alex.send_form("/account/view", {"owner": number}).status_code == 404


def test_long_zones_and_hostile_text_are_field_messages(demo: Starlette, client: Client) -> None:
    contact = store_of(demo).contacts(store_of(demo).ensure_user("local"))[0]
    cases = [
        (f"/contacts/{contact.id}", {"name": contact.name, "tz": "A" * 300}, "tz"),
        ("/contacts", {"name": "Bob", "tz": "America/" + "x" * 300}, "tz"),
        ("/contacts", {"name": "Bob", "email": "<script>@x.com"}, "email"),
        ("/contacts", {"name": "\u200b\u200b"}, "name"),
        ("/contacts", {"name": "Bob\x1b[2J"}, "name"),
        ("/opportunities", {"company": "\x1b]0;pwned\x07", "role": "Analyst", **LEAD}, "company"),
        ("/opportunities", {"company": "Acme", "role": "\u200b \ufeff", **LEAD}, "role"),
        ("/settings/profile", {"tz": "A" * 300, "country": "US"}, "tz"),
        ("/settings/profile", {"name": "Alex\x1b[2J", "tz": "UTC", "country": "US"}, ""),
    ]
    for path, form, field in cases:
        response = client.send_form(path, form)
        assert response.status_code == 422, (path, form, response.status_code)
        if field:
            assert f'id="{field}-error"' in response.text, (path, form)
        assert "\x1b" not in response.text


def test_stored_escapes_show_as_symbols(demo: Starlette, client: Client) -> None:
    with store_of(demo).engine.begin() as conn:
        conn.execute(
            text("UPDATE companies SET name = :name WHERE name = 'Northwind Analytics'"),
            {"name": "Northwind\x1b]0;pwned\x07\x9b"},
        )
    for path in ("/", "/pipeline", "/pipeline?view=table", "/contacts"):
        page = client.get(path).text
        assert "\x1b" not in page and "\x07" not in page and "\x9b" not in page, path
    assert "Northwind␛]0;pwned␇\ufffd" in client.get("/pipeline?view=table").text


def test_an_unforeseen_error_is_logged_once_and_answered(
    demo: Starlette, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from jobnudge.web.routes import contacts

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(contacts, "contacts_page", broken)
    with Client(demo) as client, caplog.at_level(logging.ERROR, "jobnudge.web"):
        response = client.get("/contacts")  # raise_server_exceptions: nothing is raised again
        assert response.status_code == 500
        assert "Something went wrong" in response.text and "a bug" not in response.text
        assert client.get("/pipeline").status_code == 200
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1 and "GET /contacts" in logged[0].getMessage()
