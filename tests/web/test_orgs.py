"""Organisations on PostgreSQL: bulk invitations mailed through the server's SMTP (a real
aiosmtpd on 127.0.0.1), consent to a caseload and its withdrawal, the caseload page's order,
filters and search, a coach's private notes and comments on Today, and deactivating against
deleting a member."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from jobnudge.config import Mail, MailServer
from jobnudge.services import demo as demo_service
from jobnudge.services.session import Session
from jobnudge.web import create_app

from .conftest import NOW, PASSWORD, SETTINGS, Client, counts, pg_database, store_of
from .inbox import Inbox
from .orgs_world import (
    consent,
    join,
    members,
    start_org,
    user_id,
)

pytestmark = pytest.mark.postgres


def _demo(app: Starlette, name: str) -> int:
    store = store_of(app)
    owner = user_id(app, name)
    demo_service.load(Session(store=store, settings=SETTINGS, owner=owner, now=NOW))
    return owner


@pytest.fixture
def mailing_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[tuple[Starlette, Inbox]]:
    web_url = getattr(request, "param", "")  # the server's public address, when configured
    monkeypatch.setenv("NUDGE_MAIL_PASSWORD", "smtp secret")
    with Inbox() as inbox, pg_database() as url:
        mail = Mail(
            address="invitations@centre.example",
            username="centre",
            smtp=MailServer("127.0.0.1", inbox.port, "none"),
            imap=MailServer("127.0.0.1", 1, "none"),
            password_source="env",
            timeout_seconds=10,
        )
        app = create_app(
            replace(SETTINGS, mail=mail, remind=replace(SETTINGS.remind, web_url=web_url)),
            db=url,
            data_dir=tmp_path / "data",
            settings_path=tmp_path / "config.toml",
            now=lambda tz: NOW,
            accounts=True,
            mail_interval=0,
        )
        try:
            yield app, inbox
        finally:
            store_of(app).close()


def test_a_csv_of_people_is_mailed_sign_up_links_through_the_servers_smtp(
    mailing_app: tuple[Starlette, Inbox],
) -> None:
    app, inbox = mailing_app
    admin = start_org(app, "adam", "Northside Careers")
    store = store_of(app)

    before = counts(store)
    bad = admin.send_form(
        "/org/invitations",
        {},
        files={"file": ("people.csv", b"name,email\nSam Lee,sam@example.org\nJo,not-an-address\n")},
    )
    assert bad.status_code == 422
    assert "Line 3, email" in bad.text and "is not an e-mail address" in bad.text
    assert counts(store) == before and inbox.messages == []  # the whole file refused

    sheet = (
        b"Name,E-mail,Role\n"
        b"Sam Lee,sam@example.org,\n"
        b"Riya Das,riya@example.org,seeker\n"
        b"Pat Coach,pat@example.org,coach\n"
    )
    page = admin.send_form(
        "/org/invitations", {}, files={"file": ("people.csv", sheet, "text/csv")}
    )
    assert page.status_code == 200, page.text[:500]
    assert "Invited 3: 3 e-mails sent." in page.text
    assert [rcpt for rcpt, _ in inbox.messages] == [
        ["sam@example.org"],
        ["riya@example.org"],
        ["pat@example.org"],
    ]
    _, first = inbox.messages[0]
    assert first["From"] == "invitations@centre.example"
    assert first["Subject"] == "Northside Careers invites you to jobnudge"
    body = first.get_payload(decode=True).decode()
    token = re.search(r"/signup\?invite=([\w-]+)", body)
    assert token and "Hello Sam Lee" in body and "withdraw" in body
    assert "e-mail sent" in admin.get("/org").text

    sam = join(app, token.group(1), "sam")
    assert "You are a job seeker here." in sam.get("/org").text
    _, coach_mail = inbox.messages[2]
    pat_token = re.search(r"/signup\?invite=([\w-]+)", coach_mail.get_payload(decode=True).decode())
    assert pat_token
    pat = join(app, pat_token.group(1), "pat")
    assert pat.get("/caseload").status_code == 200
    members_page = admin.get("/org").text
    assert "Sam Lee" in members_page and "Pat Coach" in members_page


@pytest.mark.parametrize("mailing_app", ["https://careers.example/jobs"], indirect=True)
def test_mailed_links_point_at_the_servers_public_address(
    mailing_app: tuple[Starlette, Inbox],
) -> None:
    """Behind a proxy the server knows its public address (``remind.web_url``): the links it
    mails use it, not the Host header the request came with (a client's to choose)."""
    app, inbox = mailing_app
    admin = start_org(app, "adam", "Northside Careers")
    page = admin.send_form("/org/invitations", {"people": "Sam Lee,sam@example.org"})
    assert page.status_code == 200, page.text[:300]
    body = inbox.messages[0][1].get_payload(decode=True).decode()
    assert re.search(r"https://careers\.example/jobs/signup\?invite=[\w-]+", body), body
    assert "testserver" not in body


def test_without_mail_set_up_the_links_are_shown_to_copy(pg_app: Starlette) -> None:
    admin = start_org(pg_app, "adam", "Job Club")
    page = admin.send_form("/org/invitations", {"people": "Sam Lee,sam@example.org"})
    assert "1 not mailed: copy their links below" in page.text
    assert "the server has no mail set up" in page.text
    assert re.search(r"/signup\?invite=[\w-]+", page.text)


def test_a_coach_sees_a_seeker_only_with_consent_until_it_is_withdrawn(pg_app: Starlette) -> None:
    admin = start_org(pg_app, "adam", "Northside Careers")
    people = members(pg_app, admin, [("carol", "coach"), ("alice", "seeker")])
    carol, alice = people["carol"], people["alice"]
    alice_id = _demo(pg_app, "alice")
    carol_id = user_id(pg_app, "carol")

    assert carol.send_form("/caseload/requests", {"seeker": "nobody"}).status_code == 422
    assert carol.send_form("/caseload/requests", {"seeker": "alice"}).status_code == 303
    again = carol.send_form("/caseload/requests", {"seeker": "alice"})
    assert again.status_code == 409 and "not answered yet" in again.text
    assert carol.get(f"/caseload/{alice_id}").status_code == 404  # asked, not agreed
    assert "alice" not in carol.get("/caseload").text.split("Waiting for an answer")[0]
    assert carol.send_form("/account/view", {"owner": str(alice_id)}).status_code == 404

    requests = alice.get("/org").text
    assert "carol" in requests and "asks to add you to their caseload" in requests
    assert alice.send_form(f"/org/coaches/{carol_id}/consent", {}).status_code == 303

    caseload = carol.get("/caseload").text
    assert 'data-seeker="alice"' in caseload
    seeker_page = carol.get(f"/caseload/{alice_id}")
    assert seeker_page.status_code == 200 and "Northwind" in seeker_page.text

    # Private notes stay the coach's; comments reach the seeker's Today.
    assert carol.send_form(f"/caseload/{alice_id}/notes", {"text": ""}).status_code == 422
    assert (
        carol.send_form(f"/caseload/{alice_id}/notes", {"text": "Nervous about calls"}).status_code
        == 303
    )
    assert "Nervous about calls" in carol.get(f"/caseload/{alice_id}").text
    assert "Nervous about calls" not in alice.get("/").text
    opp = store_of(pg_app).all_opportunity_ids(alice_id)[0]
    bad_day = carol.send_form(f"/caseload/{alice_id}/comments", {"comment": "x", "due_on": "soon"})
    assert bad_day.status_code == 422 and "YYYY-MM-DD" in bad_day.text
    sent = carol.send_form(
        f"/caseload/{alice_id}/comments",
        {
            "comment": "Call the recruiter at Northwind",
            "opportunity": str(opp),
            "due_on": "2026-06-12",
        },
    )
    assert sent.status_code == 303
    today = alice.get("/").text
    assert "From your coach" in today and "Call the recruiter at Northwind" in today
    assert "Suggested follow-up, by 2026-06-12" in today
    comment_id = re.search(r"/comments/(\d+)/put-away", today)
    assert comment_id
    assert carol.send_form(f"/comments/{comment_id.group(1)}/put-away", {}).status_code == 404
    assert alice.send_form(f"/comments/{comment_id.group(1)}/put-away", {}).status_code == 303
    assert "Call the recruiter" not in alice.get("/").text

    # The whole search, read-only, through the existing view.
    assert carol.send_form("/account/view", {"owner": str(alice_id)}).status_code == 303
    assert "Northwind" in carol.get("/pipeline").text
    assert carol.send_form("/opportunities", {"company": "X", "role": "Y"}).status_code == 403

    later = carol.send_form(f"/caseload/{alice_id}/comments", {"comment": "One more thought"})
    assert later.status_code == 303
    assert "One more thought" in alice.get("/").text
    assert alice.send_form(f"/org/coaches/{carol_id}/withdraw", {}).status_code == 303
    assert "One more thought" not in alice.get("/").text  # a kept Today is rebuilt
    assert carol.get(f"/caseload/{alice_id}").status_code == 404
    assert 'data-seeker="alice"' not in carol.get("/caseload").text
    assert "Northwind" not in carol.get("/pipeline").text  # the view ended with the consent


def test_the_caseload_is_ordered_by_who_needs_help_and_filters(pg_app: Starlette) -> None:
    admin = start_org(pg_app, "adam", "Northside Careers")
    people = members(
        pg_app,
        admin,
        [("carol", "coach"), ("busy", "seeker"), ("quiet", "seeker"), ("fresh", "seeker")],
    )
    carol = people["carol"]
    for name in ("busy", "quiet", "fresh"):
        consent(carol, "carol", people[name], name, pg_app)
    _demo(pg_app, "busy")  # the demo search has overdue follow-ups
    fresh = people["fresh"]
    made = fresh.send_form(
        "/opportunities", {"company": "Acme", "role": "Analyst", "applied_on": "today"}
    )
    assert made.status_code == 303, made.text[:500]

    page = carol.get("/caseload").text
    order = re.findall(r'data-seeker="(\w+)"', page)
    assert order[0] == "busy" and set(order) == {"busy", "quiet", "fresh"}
    busy_row = page[page.index('data-seeker="busy"') :].split("</tr>")[0]
    assert "days late" in busy_row or "day late" in busy_row
    assert order.index("quiet") < order.index("fresh")  # nothing ever logged beats today's work

    assert re.findall(r'data-seeker="(\w+)"', carol.get("/caseload?show=overdue").text) == ["busy"]
    assert re.findall(r'data-seeker="(\w+)"', carol.get("/caseload?q=FRE").text) == ["fresh"]
    assert "Nobody matches" in carol.get("/caseload?q=zzz").text
    assert re.findall(r'data-seeker="(\w+)"', carol.get("/caseload?show=nonsense").text) == order


def test_deactivating_keeps_the_history_and_deleting_removes_it(pg_app: Starlette) -> None:
    admin = start_org(pg_app, "adam", "Northside Careers")
    people = members(pg_app, admin, [("carol", "coach"), ("alice", "seeker")])
    alice_id = _demo(pg_app, "alice")
    consent(people["carol"], "carol", people["alice"], "alice", pg_app)
    store = store_of(pg_app)
    page = admin.get("/org").text
    assert "everything they recorded stays" in page and "cannot be undone" in page
    opportunities = len(store.all_opportunity_ids(alice_id))
    assert opportunities > 5

    assert admin.send_form(f"/org/members/{alice_id}/deactivate", {}).status_code == 303
    assert people["alice"].get("/", follow_redirects=False).status_code == 303  # signed out
    refused = Client(pg_app).send_form("/signin", {"name": "alice", "password": PASSWORD})
    assert refused.status_code == 403 and "deactivated" in refused.text
    assert len(store.all_opportunity_ids(alice_id)) == opportunities
    assert people["carol"].get(f"/caseload/{alice_id}").status_code == 404

    assert admin.send_form(f"/org/members/{alice_id}/reactivate", {}).status_code == 303
    back = Client(pg_app)
    assert back.send_form("/signin", {"name": "alice", "password": PASSWORD}).status_code == 303
    assert "Northwind" in back.get("/pipeline").text
    assert people["carol"].get(f"/caseload/{alice_id}").status_code == 200

    own = user_id(pg_app, "adam")
    assert admin.send_form(f"/org/members/{own}/deactivate", {}).status_code == 422
    wrong = admin.send_form(f"/org/members/{alice_id}/delete", {"confirm": "alcie"})
    assert wrong.status_code == 422 and "Type the user name" in wrong.text
    assert (
        admin.send_form(f"/org/members/{alice_id}/delete", {"confirm": "alice"}).status_code == 303
    )
    assert store.find_user("alice") is None
    from jobnudge.store.tables import metadata, users

    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for column in table.columns:
                if any(fk.column is users.c.id for fk in column.foreign_keys):
                    left = conn.execute(select(column).where(column == alice_id)).first()
                    assert left is None, (table.name, column.name)
    table = admin.get("/org").text.split('id="members"')[1].split("</table>")[0]
    assert "carol" in table and "alice" not in table


def test_cohort_numbers_for_a_caseload_and_the_organisation(pg_app: Starlette) -> None:
    admin = start_org(pg_app, "adam", "Northside Careers")
    people = members(pg_app, admin, [("carol", "coach"), ("alice", "seeker")])
    _demo(pg_app, "alice")
    consent(people["carol"], "carol", people["alice"], "alice", pg_app)
    carol = people["carol"]
    period = "from=2025-12-01&to=2026-11-24"

    page = carol.get(f"/cohort?{period}")
    assert page.status_code == 200
    assert "Your caseload · 1 job seeker" in page.text
    assert page.text.count("<svg") >= 8  # four charts, wide and narrow
    assert "LinkedIn" in page.text and "fewer than 5 people" not in page.text
    download = carol.get(f"/cohort.csv?table=source&{period}")
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    lines = download.text.splitlines()
    assert lines[0].startswith("source,people,asked,answered")
    assert any(line.startswith("LinkedIn,1,") for line in lines)
    for table in ("channel", "stage", "interviews", "closure"):
        assert carol.get(f"/cohort.csv?table={table}&{period}").status_code == 200

    org = admin.get(f"/cohort?scope=organisation&{period}")
    assert org.status_code == 200 and "The organisation · 1 job seeker" in org.text
    assert "fewer than 5 people" in org.text and "LinkedIn" not in org.text
    hidden = admin.get(f"/cohort.csv?table=source&scope=organisation&{period}").text
    # one seeker's typed source is not even named organisation-wide
    assert "other sources (each from fewer than 5 people),fewer than 5 people" in hidden
    assert "LinkedIn" not in hidden

    bad = carol.get("/cohort?from=last+spring")
    assert bad.status_code == 422 and "From: cannot read" in bad.text and "as a date" in bad.text
    assert 'value="last spring"' in bad.text  # what was typed stays in the box
    assert people["alice"].get("/cohort").status_code == 404
    assert carol.get(f"/cohort?scope=organisation&{period}").status_code == 404
