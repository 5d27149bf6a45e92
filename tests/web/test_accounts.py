"""Multi-user mode: sign-up by invitation, sign-in (its limits: test_signin_limits.py),
sessions, sharing with a coach, and strict isolation: every route, given another user's ids,
answers 404. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from starlette.applications import Starlette
from starlette.routing import Route

from jobnudge.services import demo as demo_service
from jobnudge.services.session import Session
from jobnudge.store import Store, accounts

from .conftest import NOW, PASSWORD, SETTINGS, Client, counts, nudge_ids, sign_up, store_of

# What each path parameter is filled with: another user's record of that kind.
NOT_USER_DATA = {"rule", "channel"}  # template names, the same for everyone


def _load_demo(app: Starlette, name: str) -> int:
    store = store_of(app)
    owner = store.find_user(name)
    assert owner is not None
    demo_service.load(Session(store=store, settings=SETTINGS, owner=owner, now=NOW))
    return owner


def test_pages_need_sign_in(accounts_app: Starlette) -> None:
    client = Client(accounts_app)
    response = client.get("/pipeline?view=table", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fpipeline%3Fview%3Dtable"
    assert client.send_form("/opportunities", {"company": "X", "role": "Y"}).status_code == 401
    assert client.get("/signin").status_code == 200


def test_sign_up_sign_in_and_out(accounts_app: Starlette) -> None:
    client = Client(accounts_app)
    assert client.get("/signup?invite=nonsense").status_code == 404
    token = accounts.create_invitation(store_of(accounts_app), None, "alex", NOW)
    bad = client.send_form(
        "/signup", {"invite": token, "name": "Local", "password": "short", "confirm": "other"}
    )
    assert bad.status_code == 422
    for field in ("name", "password", "confirm"):
        assert f'id="{field}-error"' in bad.text
    ok = client.send_form(
        "/signup", {"invite": token, "name": "alex", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert ok.status_code == 303
    again = client.send_form(
        "/signup", {"invite": token, "name": "alex2", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert again.status_code == 404  # an invitation works once
    wrong = client.send_form("/signin", {"name": "alex", "password": "not the password"})
    assert wrong.status_code == 401 and "do not match" in wrong.text
    signed = client.send_form("/signin", {"name": "alex", "password": PASSWORD, "next": "/review"})
    assert signed.status_code == 303 and signed.headers["location"] == "/review"
    cookie = next(
        v for k, v in signed.headers.multi_items() if k == "set-cookie" and "nudge_session" in v
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert client.get("/").status_code == 200
    with store_of(accounts_app).engine.connect() as conn:
        from sqlalchemy import text

        stored = conn.execute(text("SELECT token_hash FROM web_sessions")).scalars().all()
        hashes = conn.execute(text("SELECT password_hash FROM credentials")).scalars().all()
    token_value = client.cookies["nudge_session"]
    assert token_value not in stored and len(stored[0]) == 64
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert client.send_form("/signout", {}).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_secure_cookies_behind_tls(make_app: object) -> None:
    app = make_app(accounts=True)  # type: ignore[operator]
    client = Client(app, base_url="https://testserver")
    assert "Secure" in next(
        v for k, v in client.get("/signin").headers.multi_items() if k == "set-cookie"
    )


def _fill(path: str, values: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values or name in NOT_USER_DATA, f"no foreign id for {{{name}}} in {path}"
        return values.get(name, {"rule": "interview.thank-you", "channel": "email"}.get(name, ""))

    return re.sub(r"\{(\w+)(?::\w+)?\}", replace, path)


def _refused_everywhere(
    app: Starlette,
    client: Client,
    ids: dict[str, str],
    *,
    only: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
) -> int:
    """Every route with a record id in its path, given ``ids`` (someone else's), answers
    ``client`` 404 (``only``: just the paths starting so; ``skip``: not those); the count."""
    checked = 0
    for route in app.routes:
        if not isinstance(route, Route) or "{" not in route.path:
            continue
        if set(re.findall(r"\{(\w+)", route.path)) <= NOT_USER_DATA:
            continue
        if (only and not route.path.startswith(only)) or route.path.startswith(skip or ("\0",)):
            continue
        path = _fill(route.path, ids)
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            if method == "GET":
                response = client.get(path)
            else:
                response = client.send_form(
                    path,
                    {"text": "x", "reason": "x", "to": "offer", "event": "note", "name": "x"}
                    | {"comment": "x", "confirm": "alice"},
                )
            assert response.status_code == 404, (method, path, response.status_code)
            checked += 1
    return checked


def _queued_import(app: Starlette, owner: int) -> int:
    """A large import of ``owner``'s, as the job queue keeps it (its page is theirs alone)."""
    from jobnudge.store import job_records

    return job_records.add_import(store_of(app), owner, "big.csv", 5000, NOW)


def test_every_route_with_another_users_ids_is_not_found(accounts_app: Starlette) -> None:
    """Every role against every route: someone with no organisation, each role of another
    organisation, and within the organisation each role outside what it may do."""
    from .orgs_world import consent, members, start_org

    app = accounts_app
    adam = start_org(app, "adam", "Northside Careers")
    people = members(app, adam, [("carol", "coach"), ("alice", "seeker")])
    alice, carol = people["alice"], people["carol"]
    alice_id = _load_demo(app, "alice")
    consent(carol, "carol", alice, "alice", app)
    assert carol.send_form(f"/caseload/{alice_id}/comments", {"comment": "hi"}).status_code == 303
    comment = re.search(r"/comments/(\d+)/put-away", alice.get("/").text)
    assert comment
    store = store_of(app)
    carol_id = store.find_user("carol")
    assert carol_id is not None
    opps = store.all_opportunity_ids(alice_id)
    ids = {
        "opp": str(opps[0]),
        "contact": str(store.contacts(alice_id)[0].id),
        "nudge": nudge_ids(alice.get("/").text)[0],
        "coach": str(carol_id),
        "upload": _pending_upload(alice),
        "event": str(store.events(alice_id, opps[0])[0].id),
        "deletion": str(_deleted_event(app, alice_id, opps[1])),
        "member": str(alice_id),
        "seeker": str(alice_id),
        "comment": comment.group(1),
        "run": str(_queued_import(app, alice_id)),
    }
    bea = start_org(app, "bea", "Eastside Job Club")
    others = members(app, bea, [("cody", "coach"), ("sid", "seeker")])
    consent(others["cody"], "cody", others["sid"], "sid", app)
    outsiders = {
        "no organisation": sign_up(app, "bob"),
        "another organisation's administrator": bea,
        "another organisation's coach": others["cody"],
        "another organisation's job seeker": others["sid"],
    }
    before = counts(store)
    for who, client in outsiders.items():
        assert _refused_everywhere(app, client, ids) >= 28, who
        view = client.send_form("/account/view", {"owner": str(alice_id)})
        assert view.status_code == 404, who
        for path in (
            "/pipeline",
            "/contacts",
            "/",
            "/review",
            "/org",
            "/caseload",
            "/cohort?scope=organisation",
            "/cohort.csv?table=source&scope=organisation",
        ):
            response = client.get(path)
            html = response.text
            assert response.status_code in (200, 404), (who, path)
            assert "Northwind" not in html, (who, path, html[html.find("Northwind") - 300 :][:600])
            assert "Dana Lee<" not in html and "Dana Lee ·" not in html, (who, path)
            assert "alice" not in html, (who, path)
        for scope in ("organisation", "caseload"):
            asked = client.send_form("/cohort/recompute", {"scope": scope})
            assert asked.status_code in (303, 404), (who, scope, asked.status_code)
            if asked.status_code == 303:  # their own organisation's numbers or caseload's
                html = client.get(asked.headers["location"]).text
                assert "Northwind" not in html and "alice" not in html, (who, scope)
    # Inside the organisation: a job seeker administers nothing and has no caseload; a coach
    # reads only her caseload's pages; an administrator coaching nobody reads no one's search.
    assert _refused_everywhere(app, alice, ids, only=("/org/members/", "/caseload/")) >= 6
    assert _refused_everywhere(app, carol, ids, skip=("/caseload/{seeker",)) >= 25
    assert _refused_everywhere(app, adam, ids, skip=("/org/members/",)) >= 25
    for who, client in (("job seeker", alice),):
        assert client.get("/caseload").status_code == 404, who
        assert client.get("/cohort").status_code == 404, who
    assert carol.get("/cohort?scope=organisation").status_code == 404
    assert carol.send_form("/cohort/recompute", {"scope": "organisation"}).status_code == 404
    assert alice.send_form("/cohort/recompute", {"scope": "caseload"}).status_code == 404
    # The only writes: kept cohort numbers, each for the organisation or caseload that asked
    # (another organisation's administrator her own, never Northside's).
    kept = _kept_cohorts(store)
    assert kept
    northside = _org_of(store, alice_id)
    assert all(org != northside for org, _ in kept), kept
    assert {k: v for k, v in counts(store).items() if k != "cohort_results"} == {
        k: v for k, v in before.items() if k != "cohort_results"
    }


def _kept_cohorts(store: Store) -> list[tuple[int, int | None]]:
    from sqlalchemy import select

    from jobnudge.store.job_tables import cohort_results

    with store.engine.connect() as conn:
        rows = conn.execute(select(cohort_results.c.org_id, cohort_results.c.coach_id)).all()
    return [(int(org), coach) for org, coach in rows]


def _org_of(store: Store, user: int) -> int:
    from jobnudge.store import orgs

    found = orgs.membership(store, user)
    assert found is not None
    return found.org_id


def _deleted_event(app: Starlette, owner: int, opp: int) -> int:
    """Something ``owner`` deleted and could undo (the latest entry of ``opp``): its number."""
    from jobnudge.services import deleting

    store = store_of(app)
    session = Session(store=store, settings=SETTINGS, owner=owner, now=NOW)
    done = deleting.delete_event(session, store.events(owner, opp)[-1].id)
    assert done.deletion_id is not None
    return done.deletion_id


def test_a_coach_reads_a_shared_search_and_changes_nothing(accounts_app: Starlette) -> None:
    alice = sign_up(accounts_app, "alice")
    coach = sign_up(accounts_app, "coach")
    alice_id = _load_demo(accounts_app, "alice")
    assert "Northwind" not in coach.get("/pipeline").text
    assert alice.send_form("/account/shares", {"coach": "nobody"}).status_code == 422
    assert alice.send_form("/account/shares", {"coach": "coach"}).status_code == 303
    assert "alice" in coach.get("/account").text
    assert coach.send_form("/account/view", {"owner": str(alice_id)}).status_code == 303
    page = coach.get("/pipeline").text
    assert "Northwind" in page and "read-only" in page and 'action="/opportunities"' not in page
    before = counts(store_of(accounts_app))
    refused = coach.send_form("/opportunities", {"company": "X", "role": "Y"})
    assert refused.status_code == 403 and "Read-only" in refused.text
    nudge = nudge_ids(coach.get("/").text)[0]
    assert coach.send_form(f"/nudges/{nudge}/done", {}).status_code == 403
    assert counts(store_of(accounts_app)) == before
    coach_id = store_of(accounts_app).find_user("coach")
    assert alice.send_form(f"/account/shares/{coach_id}/revoke", {}).status_code == 303
    assert "Northwind" not in coach.get("/pipeline").text


def test_invitations_and_password_change(accounts_app: Starlette) -> None:
    alex = sign_up(accounts_app, "alex")
    page = alex.send_form("/account/invitations", {"note": "my coach"}).text
    link = re.search(r"/signup\?invite=([\w-]+)", page)
    assert link
    assert Client(accounts_app).get(f"/signup?invite={link.group(1)}").status_code == 200
    bad = alex.send_form(
        "/account/password", {"current": "nope", "new": "x" * 12, "confirm": "x" * 12}
    )
    assert bad.status_code == 422
    ok = alex.send_form(
        "/account/password",
        {"current": PASSWORD, "new": "a new long secret", "confirm": "a new long secret"},
    )
    assert ok.status_code == 303
    assert alex.get("/", follow_redirects=False).status_code == 303  # signed out everywhere


def _pending_upload(client: Client) -> str:
    """A spreadsheet ``client`` uploaded and has not confirmed yet: its token."""
    response = client.send_form(
        "/import-export",
        {},
        files={"file": ("tracker.csv", b"Company,Role\nHooli,Analyst\n", "text/csv")},
    )
    assert response.status_code == 303, response.text[:500]
    return str(response.headers["location"]).rsplit("/", 1)[-1]


def test_another_users_upload_and_downloads_stay_theirs(accounts_app: Starlette) -> None:
    alice = sign_up(accounts_app, "alice")
    _load_demo(accounts_app, "alice")
    token = _pending_upload(alice)
    bob = sign_up(accounts_app, "bob")
    store = store_of(accounts_app)
    before = counts(store)
    for action in ("preview", "import", "cancel"):
        url = f"/import-export/uploads/{token}/{action}"
        assert bob.send_form(url, {"col-0": "company"}).status_code == 404, action
    assert bob.get(f"/import-export/uploads/{token}").status_code == 404
    assert counts(store) == before
    assert "Hooli" in alice.get(f"/import-export/uploads/{token}").text  # still alice's to confirm
    for path in (
        "/import-export/jobnudge.xlsx",
        "/import-export/sheet.csv?sheet=events",
        "/import-export/report?from=2026-01-01&format=csv",
        "/import-export/backup.json",
        "/import-export/contacts.vcf",
    ):
        body = bob.get(path).content
        assert b"Northwind" not in body and b"Dana Lee" not in body, path
    assert b"Northwind" in alice.get("/import-export/sheet.csv").content


def test_a_new_account_takes_the_browsers_time_zone(accounts_app: Starlette) -> None:
    from typing import Any

    from jobnudge.config import system_zone

    store = store_of(accounts_app)
    invite = accounts.create_invitation(store, None, "", NOW)
    form = Client(accounts_app).get(f"/signup?invite={invite}").text
    assert "data-zone-note hidden" in form  # app.js fills in the browser's zone
    assert f'<option value="{system_zone()}" selected>' in form  # the choice without it

    def join(name: str, tz: str | None) -> Any:
        token = accounts.create_invitation(store, None, name, NOW)
        data = {"invite": token, "name": name, "password": PASSWORD, "confirm": PASSWORD}
        if tz is not None:
            data["tz"] = tz
        return Client(accounts_app).send_form("/signup", data)

    assert join("tokyo", "Asia/Tokyo").status_code == 303
    owner = store.find_user("tokyo")
    assert owner is not None
    assert store.user_settings(owner)["profile"]["tz"] == "Asia/Tokyo"
    signed = Client(accounts_app)
    signed.send_form("/signin", {"name": "tokyo", "password": PASSWORD})
    assert "times in Asia/Tokyo" in signed.get("/").text

    assert join("plain", None).status_code == 303  # an old form: the server's zone
    plain = store.find_user("plain")
    assert plain is not None
    assert store.user_settings(plain)["profile"]["tz"] == system_zone()

    users = counts(store)["users"]
    bad = join("mars", "Mars/Olympus")
    assert bad.status_code == 422
    assert re.search(r'id="tz-error">Time zone: &#39;Mars/Olympus&#39; is not an IANA', bad.text)
    assert f'<option value="{system_zone()}" selected>' in bad.text
    assert counts(store)["users"] == users and store.find_user("mars") is None
