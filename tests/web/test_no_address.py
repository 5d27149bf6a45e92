"""A draft to a contact with no e-mail address on record says so on the page, in the web's
words (never a command to type), with a link to the contact's page where it is added; once
added, the draft is addressed and the finding goes."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from starlette.applications import Starlette

from .conftest import NOW, Client, store_of
from .test_internal_labels import visible

COMMAND = re.compile(r"`|\bnudge [a-z]|--[a-z]")
"""What the command line's syntax looks like: a command, an option, a backtick."""


def _thank_you(app: Starlette, client: Client) -> tuple[str, str]:
    """An interview with Raj Patel, recorded without his address; (nudge id, his page)."""
    made = client.send_form(
        "/opportunities", {"company": "Northwind", "role": "Data Analyst", "applied_on": "today"}
    )
    assert made.status_code == 303, made.text[:300]
    person = client.send_form("/contacts", {"name": "Raj Patel", "company": "Northwind"})
    assert person.status_code == 303, person.text[:300]
    logged = client.send_form(
        f"{made.headers['location']}/log",
        {"form": "interview", "event": "interviewed", "with": "Raj Patel", "at": "today 9:00"},
    )
    assert logged.status_code == 303, logged.text[:300]
    store = store_of(app)
    rows = store.agenda_rows(store.ensure_user("local"), NOW + timedelta(days=9), NOW)
    (row,) = [r for r in rows if r.rule == "interview.thank-you"]
    return row.short_id, str(person.headers["location"])


def test_a_draft_to_a_contact_without_an_address_links_to_their_page(
    app: Starlette, client: Client
) -> None:
    nudge, page = _thank_you(app, client)
    html = client.get(f"/nudges/{nudge}/draft").text
    shown = visible(html)
    assert "no-address" in shown
    assert "Raj Patel has no e-mail address on record" in shown
    assert "add it on their page in Contacts" in shown
    assert f'href="{page}#email"' in html  # beside the finding, and on the "To" line
    assert "no e-mail address on record: add it on Raj Patel’s page" in unescape(shown)
    assert COMMAND.findall(shown) == [], shown

    text = "To: Raj Patel\n\nDear Mr. Patel,\n\nThank you. Any questions?"
    checked = client.send_form(f"/nudges/{nudge}/check", {"text": text}).json()
    (found,) = [f for f in checked["findings"] if f["code"] == "no-address"]
    assert found["link"] == {"href": f"{page}#email", "text": "Open Raj Patel's page"}
    assert COMMAND.findall(found["message"]) == [], found["message"]

    added = client.send_form(page, {"name": "Raj Patel", "email": "raj@northwind.example"})
    assert added.status_code == 303, added.text[:300]
    html = client.get(f"/nudges/{nudge}/draft").text
    assert "no-address" not in visible(html) and 'id="no-address"' not in html
    assert "raj@northwind.example" in html
