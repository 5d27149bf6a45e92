"""Events whose day is unknown (statuses imported from a sheet without dates, recorded at the
import's moment) read on a coach's pages as on the seeker's own: "date unknown", never
"today"; never the seeker's last activity; and in the cohort numbers an answer without a
time. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from starlette.applications import Starlette

from jobnudge.domain import EventType
from jobnudge.store.insights import all_events

from .conftest import NOW, Client, store_of
from .orgs_world import consent, members, start_org, user_id

APPLIED_DAYS_AGO = 20
TZ = "America/New_York"


def _imported(seeker: Client) -> None:
    """A hand-typed sheet through the web import: two applications with their day, and
    statuses without one (recorded at the import's moment, their day unknown)."""
    day = (NOW - timedelta(days=APPLIED_DAYS_AGO)).astimezone(ZoneInfo(TZ)).date().isoformat()
    sheet = (
        "Company,Role,Applied,Status\n"
        f"Acme,Analyst,{day},Interview 2\n"
        f"Globex,Planner,{day},Rejected\n"
        "Initech,Clerk,,Offer\n"
    ).encode()
    sent = seeker.send_form("/import-export", {}, files={"file": ("sheet.csv", sheet, "text/csv")})
    assert sent.status_code == 303, sent.text[:600]
    done = seeker.send_form(sent.headers["location"] + "/import", {})
    assert done.status_code == 303, done.text[:600]


def test_a_coach_reads_undated_events_as_date_unknown(accounts_app: Starlette) -> None:
    admin = start_org(accounts_app, "adam", "Northside Careers")
    people = members(accounts_app, admin, [("carol", "coach"), ("alice", "seeker")])
    consent(people["carol"], "carol", people["alice"], "alice", accounts_app)
    carol = people["carol"]
    _imported(people["alice"])
    alice_id = user_id(accounts_app, "alice")
    store = store_of(accounts_app)
    undated = [e.type for e in all_events(store, alice_id) if e.date_unknown]
    assert sorted(undated) == [
        EventType.APPLIED,
        EventType.INTERVIEWED,
        EventType.OFFER,
        EventType.REJECTED,
    ], undated

    page = carol.get(f"/caseload/{alice_id}")
    assert page.status_code == 200
    latest = page.text.split('id="recent-title"')[1].split("</section>")[0]
    days = [chunk.split("</span>")[0] for chunk in latest.split('<span class="day">')[1:]]
    # Four events without a day (the offer's row implies an application), then the two
    # applications with theirs.
    assert days[:4] == ["date unknown"] * 4, days
    assert len(days) == 6 and all(d not in ("date unknown", "today") for d in days[4:]), days
    for status in ("Interviewed", "Offer", "Rejected"):  # named as on the seeker's timeline
        assert status in latest

    # The last activity is the dated application, not the import's day.
    row = carol.get("/caseload").text.split('data-seeker="alice"')[1].split("</tr>")[0]
    assert f"{APPLIED_DAYS_AGO} days ago" in row and ">today<" not in row, row

    # Both dated applications were answered (an interview, a rejection), but on unknown days:
    # two of two answered, no median time (before: 20 days, measured to the import); the
    # undated application is in no period, and no process ended on a known day.
    period = f"from={(NOW - timedelta(days=60)).date()}&to={NOW.date()}"
    assert carol.get(f"/cohort?{period}").status_code == 200  # computes and keeps them
    lines = carol.get(f"/cohort.csv?table=stage&{period}").text.splitlines()
    assert lines[0] == "stage,people,asked,answered,response rate,median hours to answer"
    assert lines[1] == "application,1,2,2,1.000,", lines
    closure = carol.get(f"/cohort.csv?table=closure&{period}").text.splitlines()
    assert all(line.endswith(",0,") or line.startswith("ended as") for line in closure), closure
