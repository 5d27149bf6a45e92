"""The caseload page is kept like Today: served from the page cache while nothing it shows can
have changed (the coach's membership, who consented, each seeker's revision, the requests
waiting, the minute), and rendered again as soon as any of them does."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from .orgs_world import consent, members, start_org, user_id

pytestmark = pytest.mark.postgres


def _rows(text: str) -> list[str]:
    return [part.split('"', 1)[0] for part in text.split('data-seeker="')[1:]]


def test_a_kept_caseload_page_follows_every_change_it_shows(pg_app: Starlette) -> None:
    admin = start_org(pg_app, "adam", "Northside Careers")
    people = members(pg_app, admin, [("carol", "coach"), ("alice", "seeker"), ("bob", "seeker")])
    carol, alice, bob = people["carol"], people["alice"], people["bob"]
    consent(carol, "carol", alice, "alice", pg_app)
    pages = state_of(pg_app)

    carol.get("/caseload")  # shows, and so clears, the message of the last action
    first = carol.get("/caseload")
    assert first.status_code == 200 and _rows(first.text) == ["alice"]
    hits = pages.hits
    again = carol.get("/caseload")
    assert pages.hits == hits + 1, "an unchanged caseload is served as kept"
    assert _rows(again.text) == ["alice"]

    assert "1 (1 waiting)" not in again.text
    # A seeker's write (their revision) shows at once.
    data = {"company": "Acme", "role": "Analyst", "applied_on": "today"}
    assert alice.send_form("/opportunities", data).status_code == 303
    after = carol.get("/caseload").text
    assert "1 (1 waiting)" in after.split('data-seeker="alice"', 1)[1].split("</tr>", 1)[0]

    # A request asked, then answered, shows at once.
    assert carol.send_form("/caseload/requests", {"seeker": "bob"}).status_code == 303
    assert "Waiting for an answer" in carol.get("/caseload").text
    carol_id = user_id(pg_app, "carol")
    assert bob.send_form(f"/org/coaches/{carol_id}/consent", {}).status_code == 303
    assert sorted(_rows(carol.get("/caseload").text)) == ["alice", "bob"]

    # Consent withdrawn: gone at once.
    assert alice.send_form(f"/org/coaches/{carol_id}/withdraw", {}).status_code == 303
    assert _rows(carol.get("/caseload").text) == ["bob"]

    # Another coach's page is never this one.
    admin_page = admin.get("/caseload")
    assert admin_page.status_code == 200 and _rows(admin_page.text) == []


def state_of(app: Starlette):  # type: ignore[no-untyped-def]
    pages = app.state.nudge.pages
    assert pages is not None
    return pages
