"""On the web: an offer's date to answer by, accepting or declining it, and "Mark sent" on a
draft the checker finds errors in (a confirmation first; "logged as sent", never "sent")."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from starlette.applications import Starlette

from jobnudge.store.rows import AgendaRow

from .conftest import NOW, Client, counts, store_of


def _flash(html: str) -> str:
    found = re.search(r'<div class="flash" role="status">([^<]*)</div>', html)
    assert found, "no flash message"
    return unescape(found.group(1))


def _rows(app: Starlette) -> list[AgendaRow]:
    store = store_of(app)
    return store.agenda_rows(store.ensure_user("local"), NOW + timedelta(days=400), NOW)


def _opportunity(client: Client) -> str:
    response = client.send_form(
        "/opportunities", {"company": "Acme", "role": "Analyst", "applied_on": "last monday"}
    )
    assert response.status_code == 303
    return str(response.headers["location"])


# --- offers -----------------------------------------------------------------------------------


def test_an_offer_with_a_date_to_answer_by_asks_for_a_decision_until_one_is_logged(
    app: Starlette, client: Client
) -> None:
    url = _opportunity(client)
    response = client.send_form(
        f"{url}/log",
        {"form": "offer", "event": "offer", "with": "Dana Lee", "decision_by": "2026-11-30"},
    )
    assert response.status_code == 303, response.text[:300]
    assert "offer.decide" in {r.rule for r in _rows(app)}
    today = client.get("/").text
    assert "Decide on the offer · Dana Lee" in today
    assert "They asked for your answer by" in client.get(url).text

    response = client.send_form(f"{url}/log", {"form": "other", "event": "accepted"})
    assert response.status_code == 303
    assert _flash(client.get(url).text) == "Logged: You accepted the offer."
    assert "offer.decide" not in {r.rule for r in _rows(app)}


def test_declining_without_an_offer_is_refused_and_writes_nothing(
    app: Starlette, client: Client
) -> None:
    url = _opportunity(client)
    before = counts(store_of(app))

    response = client.send_form(f"{url}/log", {"form": "other", "event": "declined"})

    assert response.status_code == 422
    assert "log the offer first" in unescape(response.text)
    assert counts(store_of(app)) == before


# --- mark sent with checker errors ------------------------------------------------------------


def _thank_you(app: Starlette) -> tuple[AgendaRow, str]:
    """A pending thank-you, and another employer of the user's search to name by mistake."""
    row = next(r for r in _rows(app) if r.rule == "interview.thank-you")
    store = store_of(app)
    employers = store.companies(store.ensure_user("local"))
    other = next(c.name for c in employers if c.name != row.company and not c.is_staffing_firm)
    return row, other


def test_marking_a_draft_with_errors_sent_asks_first_and_writes_nothing(
    demo: Starlette, client: Client
) -> None:
    row, other = _thank_you(demo)
    text = f"Dear {row.contact},\n\nThank you for the interview at {other}.\n\nBest,\nAlex"
    before = counts(store_of(demo))

    response = client.send_form(f"/nudges/{row.short_id}/draft", {"text": text, "action": "sent"})

    assert response.status_code == 409
    page = unescape(response.text)
    assert "The checker found 1 error in this message." in page
    assert 'value="sent-anyway"' in page and text in page
    assert counts(store_of(demo)) == before
    assert row.key in {r.key for r in _rows(demo)}

    response = client.send_form(
        f"/nudges/{row.short_id}/draft", {"text": text, "action": "sent-anyway", "next": "/"}
    )

    assert response.status_code == 303
    flash = _flash(client.get("/").text)
    assert flash.startswith(f"Logged as sent to {row.contact}: your thank-you email")
    assert not flash.startswith("Sent")
    assert row.key not in {r.key for r in _rows(demo)}


def test_a_clean_draft_is_logged_as_sent_without_a_question(
    demo: Starlette, client: Client
) -> None:
    row, _other = _thank_you(demo)
    response = client.send_form(
        f"/nudges/{row.short_id}/draft",
        {"text": f"Dear {row.contact},\n\nThank you!\n\nBest,\nAlex", "action": "sent"},
    )
    assert response.status_code == 303
    assert row.key not in {r.key for r in _rows(demo)}
