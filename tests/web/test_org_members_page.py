"""The organisation page with many members: 50 to a page in user-name order, a search by name,
user name or e-mail, links between pages that keep the search, and the caseload requests of the
people on the page only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert
from starlette.applications import Starlette

from jobnudge.store import caseloads, orgs
from jobnudge.store.org_tables import org_members

from .conftest import NOW, store_of
from .orgs_world import start_org, user_id

pytestmark = pytest.mark.postgres

MEMBERS = 120


def _crowd(app: Starlette) -> None:
    """``MEMBERS`` people added straight to the database (signing each up through the pages
    would take minutes): the last a coach, every other one asked to join that caseload."""
    store = store_of(app)
    admin = orgs.membership(store, user_id(app, "adam"))
    assert admin is not None
    rows = []
    for n in range(MEMBERS):
        uid = store.ensure_user(f"person{n:03d}")
        rows.append(
            {
                "user_id": uid,
                "org_id": admin.org_id,
                "role": "coach" if n == MEMBERS - 1 else "seeker",
                "full_name": f"Person Number {n:03d}" if n % 10 else f"Zed Quill {n:03d}",
                "email": f"p{n}@crowd.example",
                "active": True,
                "joined_at": NOW - timedelta(days=30),
            }
        )
    with store.engine.begin() as conn:
        conn.execute(insert(org_members), rows)
    coach = rows[-1]["user_id"]
    for row in rows[:-1]:
        caseloads.ask(store, admin.org_id, coach, row["user_id"], NOW)


def _names(html: str) -> list[str]:
    table = html.split('id="members"')[1].split("</table>")[0]
    return re.findall(r'<span class="small subtle">([a-z0-9-]+) · ', table)


def test_members_come_fifty_to_a_page_with_a_search(pg_app: Starlette) -> None:
    admin = start_org(pg_app, "adam", "Northside Careers")
    _crowd(pg_app)
    everyone = sorted(["adam"] + [f"person{n:03d}" for n in range(MEMBERS)])

    first = admin.get("/org")
    assert first.status_code == 200
    assert _names(first.text) == everyone[:50]
    assert f"{MEMBERS + 1} members · page 1 of 3" in first.text
    assert 'href="/org?page=2"' in first.text and 'rel="prev"' not in first.text
    # Only the requests of the people on this page are listed.
    assert "person001 → person119" in first.text and "person060 → person119" not in first.text

    third = admin.get("/org?page=3")
    assert _names(third.text) == everyone[100:]
    assert 'href="/org?page=2"' in third.text and 'rel="next"' not in third.text
    assert _names(admin.get("/org?page=99").text) == everyone[100:]  # past the end: the last
    assert _names(admin.get("/org?page=x").text) == everyone[:50]

    found = admin.get("/org?q=zed+QUILL")
    zeds = [f"person{n:03d}" for n in range(0, MEMBERS, 10)]
    assert _names(found.text) == zeds
    assert f"{len(zeds)} members match" in found.text and "page 1 of" not in found.text
    assert _names(admin.get("/org?q=P7").text) == ["person007"] + [
        f"person{n:03d}" for n in range(70, 80)
    ]
    none = admin.get("/org?q=%25%25")
    assert _names(none.text) == [] and "Nobody matches" in none.text

    many = admin.get("/org?q=number")
    assert "108 members match “number” · page 1 of 3" in many.text
    assert 'href="/org?page=2&amp;q=number"' in many.text
