"""Pipeline: every opportunity as a board by stage (moving a card logs the matching event) or a
table with sorting, filters and search; and the form that adds an application."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.domain import Channel, Opportunity, Stage
from jobnudge.errors import NudgeError
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, kept_page, page, redirect

COLUMNS = (
    ("lead", "Leads", (Stage.LEAD,)),
    ("applied", "Applied", (Stage.APPLIED,)),
    ("interviewing", "Interviewing", (Stage.INTERVIEWING,)),
    ("offer", "Offer", (Stage.OFFER,)),
    ("closed", "Closed", (Stage.REJECTED, Stage.WITHDRAWN, Stage.NO_RESPONSE)),
)
MOVES = {
    "applied": ("applied", "Applied"),
    "interviewed": ("interviewed", "Interviewed"),
    "offer": ("offer", "Offer"),
    "rejected": ("rejected", "Rejected"),
    "withdrawn": ("withdrawn", "Withdrawn"),
    "no-response": ("no-response", "No response"),
}
"""Where a card can go, and the event each move logs."""
MOVE_INTO = {
    "applied": "applied",
    "interviewing": "interviewed",
    "offer": "offer",
    "closed": "rejected",
}
CLOSED_ON_BOARD = 24
OPEN_ON_BOARD = 60  # per column; the table shows every one
PAGE_SIZE = 50
SORTS = ("activity", "company", "role", "stage", "next", "source")
FILTERS = (
    ("active", "Active"),
    ("all", "All"),
    ("lead", "Leads"),
    ("applied", "Applied"),
    ("interviewing", "Interviewing"),
    ("offer", "Offers"),
    ("closed", "Closed"),
)
STAGE_ORDER = {s: n for n, s in enumerate(Stage)}


@dataclass(frozen=True)
class Card:
    opp: Opportunity
    stage: Stage
    last: datetime | None
    next_due: datetime | None
    next_rule: str | None


def cards(ctx: Ctx) -> list[Card]:
    from jobnudge.store.insights import last_activity, next_due

    store, owner = ctx.session.store, ctx.owner
    last = last_activity(store, owner)
    upcoming = next_due(store, owner, ctx.session.now)
    out = []
    for opp, stage in store.opportunities(owner):
        due = upcoming.get(opp.id)
        out.append(
            Card(
                opp,
                stage,
                last.get(opp.id, opp.created_at),
                due[0] if due else None,
                due[1] if due else None,
            )
        )
    return out


def _matches(card: Card, needle: str) -> bool:
    o = card.opp
    return needle in f"{o.company} {o.role} {o.source} {o.notes}".casefold()


def _in_filter(card: Card, wanted: str) -> bool:
    if wanted == "all":
        return True
    if wanted == "active":
        return card.stage in (Stage.LEAD, Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER)
    if wanted == "closed":
        return card.stage.is_closed
    return card.stage.value == wanted


def pipeline_page(
    ctx: Ctx,
    query: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    view = "table" if query.get("view") == "table" else "board"
    needle = query.get("q", "").strip().casefold()[:200]
    wanted = query.get("stage", "active" if view == "table" else "all")
    wanted = wanted if wanted in {k for k, _ in FILTERS} else "all"
    sort = query.get("sort", "activity")
    sort = sort if sort in SORTS else "activity"
    descending = query.get("dir", "desc" if sort == "activity" else "asc") == "desc"
    everything = cards(ctx)
    found = [c for c in everything if not needle or _matches(c, needle)]
    data: dict[str, Any] = {
        "view": view,
        "q": query.get("q", "")[:200],
        "stage": wanted,
        "sort": sort,
        "descending": descending,
        "filters": FILTERS,
        "moves": MOVES,
        "total": len(everything),
        "errors": errors or {},
        "values": values or {"applied_on": "today", "status": "applied"},
        "channels": list(Channel),
    }
    if view == "board":
        columns = []
        for key, title, stages in COLUMNS:
            column = [c for c in found if c.stage in stages]
            column.sort(key=lambda c: c.last or c.opp.created_at or ctx.session.now, reverse=True)
            limit = CLOSED_ON_BOARD if key == "closed" else OPEN_ON_BOARD
            hidden = max(0, len(column) - limit)
            column = column[:limit]
            columns.append((key, title, column, hidden))
        data["columns"] = columns
        data["move_into"] = MOVE_INTO
    else:
        rows = [c for c in found if _in_filter(c, wanted)]
        far = datetime.max.replace(tzinfo=ctx.session.now.tzinfo)
        keys = {
            "activity": lambda c: c.last or far,
            "company": lambda c: (c.opp.company.casefold(), c.opp.role.casefold()),
            "role": lambda c: (c.opp.role.casefold(), c.opp.company.casefold()),
            "stage": lambda c: STAGE_ORDER[c.stage],
            "next": lambda c: c.next_due or far,
            "source": lambda c: c.opp.source.casefold(),
        }
        rows.sort(key=keys[sort], reverse=descending)
        try:
            number = max(1, int(query.get("page", "1")))
        except ValueError:
            number = 1
        pages = max(1, (len(rows) + PAGE_SIZE - 1) // PAGE_SIZE)
        number = min(number, pages)
        data.update(
            rows=rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
            matched=len(rows),
            page=number,
            pages=pages,
        )
    return page(ctx, "pipeline.html", data, title="Pipeline", status=status)


async def pipeline(request: Request) -> Response:
    query = dict(request.query_params)
    return await kept_page(request, lambda ctx: pipeline_page(ctx, query))


async def add(request: Request) -> Response:
    """Add an application (or a lead) from the form; its follow-ups are planned at once."""
    from jobnudge.services import records, validate
    from jobnudge.timeparse import parse_duration_days

    ctx = await context(request)
    form = await forms.read(ctx)
    f = forms.Fields(form)
    company = f.text("company", "Company", required=True, max_length=200)
    role = f.text("role", "Role", required=True, max_length=200)
    status = f.raw("status") or "applied"
    applied = None
    if status == "applied":
        applied = f.when("applied_on", "Applied on", ctx.tz, ctx.session.now, required=True) or None
        applied = _not_later_today(applied, ctx)
        if applied is not None and applied > ctx.session.now:
            f.errors.setdefault(
                "applied_on", "Applied on is in the future; give the day you applied."
            )
    source = f.text("source", "Source", max_length=200)
    posting = f.check("posting", lambda: validate.url(f.raw("posting"), "Posting"), "")
    within = f.raw("responds_within").strip()
    responds = (
        f.check(
            "responds_within", lambda: parse_duration_days(within, field="Responds within"), None
        )
        if within
        else None
    )
    referred = f.text("referred_by", "Referred by", max_length=200) or None
    recruiter = f.text("recruiter", "Recruiter", max_length=200) or None
    via = f.choice("via", "Applied via", Channel)
    note = f.text("note", "Note", max_length=2000)
    values = {k: f.raw(k) for k in form if k != "csrf_token"}
    try:
        f.done()
        out = await call(
            records.add_opportunity,
            ctx.session,
            company,
            role,
            applied=applied,
            via=via,
            posting=posting,
            source=source,
            responds_within=responds,
            referred_by=referred,
            recruiter=recruiter,
            notes=note,
            again=f.raw("again") == "on",
        )
    except forms.Invalid as exc:
        return await call(
            pipeline_page, ctx, {}, errors=exc.errors, values=values, status=exc.status
        )
    except NudgeError as exc:
        invalid = forms.from_error(exc)
        errors = invalid.errors
        if "" in errors and "already track" in errors[""]:
            errors = {
                "again": errors[""].split(" Log a new step")[0]
                + " Tick “Apply again” to track a second application."
            }
        return await call(
            pipeline_page, ctx, {}, errors=errors, values=values, status=invalid.status
        )
    assert out.opportunity is not None
    opp = out.opportunity
    return redirect(ctx, f"/opportunities/{opp.id}", f"Added {opp.company} — {opp.role}.")


def _not_later_today(moment: datetime | None, ctx: Ctx) -> datetime | None:
    """ "today" means 9 am; before 9 am that is later today, so read it as now."""
    from zoneinfo import ZoneInfo

    now = ctx.session.now
    if moment is None or moment <= now:
        return moment
    zone = ZoneInfo(ctx.tz)
    return now if moment.astimezone(zone).date() == now.astimezone(zone).date() else moment


async def move(request: Request) -> Response:
    """Move a card: log the event that puts the opportunity in the chosen stage."""
    from jobnudge.services import records

    ctx = await context(request)
    form = await forms.read(ctx)
    opp_id = int(request.path_params["opp"])
    opp = await call(ctx.session.store.opportunity, ctx.owner, opp_id)
    target = str(form.get("to", ""))
    back = str(form.get("next", "")) or "/pipeline"
    back = back if back.startswith("/") and not back.startswith("//") else "/pipeline"
    if target not in MOVES:
        choices = ", ".join(label for _, label in MOVES.values())
        return redirect(ctx, back, f"Choose where to move it: {choices}.")
    word, label = MOVES[target]
    try:
        out = await call(records.log_event, ctx.session, str(opp.id), word)
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        return redirect(ctx, back, exc.message)
    stage = out.stage.value if out.stage else word
    from jobnudge.web.format import stage as stage_word

    return redirect(
        ctx, back, f"{opp.company} — {opp.role}: logged “{label}”, now {stage_word(stage)}."
    )


ROUTES = [
    Route("/pipeline", pipeline, methods=["GET"]),
    Route("/opportunities", add, methods=["POST"]),
    Route("/opportunities/{opp:int}/move", move, methods=["POST"]),
]
