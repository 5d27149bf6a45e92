"""Events whose day is unknown (statuses imported from a sheet without dates, recorded at the
import's moment) read on a coach's pages as on the seeker's own: "date unknown", never
"today"; never the seeker's last activity; and in the cohort numbers an answer without a
time. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from starlette.applications import Starlette

from jobnudge.domain import Channel, EventType
from jobnudge.store import Store

from .conftest import NOW, store_of
from .orgs_world import consent, members, start_org, user_id

APPLIED_DAYS_AGO = 20


def _imported(store: Store, owner: int) -> int:
    """What the import writes for a row "Acme, Analyst, applied 20 days ago, Offer" and two
    more rows with statuses and no dates: one application with a day, the rest without."""
    with store.transaction(now=NOW) as tx:
        company = tx.add_company(owner, "Acme")
        first = tx.add_opportunity(owner, company_id=company.id, role="Analyst", source="Sheet")
        second = tx.add_opportunity(owner, company_id=company.id, role="Planner", source="Sheet")
        tx.add_event(
            owner,
            opportunity_id=first.id,
            type=EventType.APPLIED,
            at=NOW - timedelta(days=APPLIED_DAYS_AGO),
            channel=Channel.EMAIL,
        )
        tx.add_event(
            owner,
            opportunity_id=second.id,
            type=EventType.APPLIED,
            at=NOW - timedelta(days=APPLIED_DAYS_AGO),
            channel=Channel.EMAIL,
        )
        for oid, kind in (
            (first.id, EventType.INTERVIEWED),
            (first.id, EventType.OFFER),
            (second.id, EventType.REJECTED),
        ):
            tx.add_event(owner, opportunity_id=oid, type=kind, at=NOW, date_unknown=True)
    return owner


def test_a_coach_reads_undated_events_as_date_unknown(accounts_app: Starlette) -> None:
    admin = start_org(accounts_app, "adam", "Northside Careers")
    people = members(accounts_app, admin, [("carol", "coach"), ("alice", "seeker")])
    consent(people["carol"], "carol", people["alice"], "alice", accounts_app)
    carol = people["carol"]
    alice_id = _imported(store_of(accounts_app), user_id(accounts_app, "alice"))

    page = carol.get(f"/caseload/{alice_id}")
    assert page.status_code == 200
    latest = page.text.split('id="recent-title"')[1].split("</section>")[0]
    days = [chunk.split("</span>")[0] for chunk in latest.split('<span class="day">')[1:]]
    # Three statuses without a day, then the two applications with theirs.
    assert days[:3] == ["date unknown"] * 3, days
    assert len(days) == 5 and all(d != "date unknown" and d != "today" for d in days[3:]), days
    for status in ("interviewed", "offer", "rejected"):
        assert status in latest

    # The last activity is the dated application, not the import's day.
    row = carol.get("/caseload").text.split('data-seeker="alice"')[1].split("</tr>")[0]
    assert f"{APPLIED_DAYS_AGO} days ago" in row and ">today<" not in row, row

    # Both applications were answered (an interview, a rejection), but on unknown days: two
    # of two answered, no median time (before: 20 days, measured to the import).
    period = f"from={(NOW - timedelta(days=60)).date()}&to={NOW.date()}"
    assert carol.get(f"/cohort?{period}").status_code == 200  # computes and keeps them
    lines = carol.get(f"/cohort.csv?table=stage&{period}").text.splitlines()
    assert lines[0] == "stage,people,asked,answered,response rate,median hours to answer"
    assert lines[1] == "application,1,2,2,1.000,", lines
    closure = carol.get(f"/cohort.csv?table=closure&{period}").text.splitlines()
    assert all(line.endswith(",0,") or line.startswith("ended as") for line in closure), closure
