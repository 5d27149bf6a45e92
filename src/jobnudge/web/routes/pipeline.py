"""Pipeline: every opportunity as a board by stage or a table with sorting, filters and search;
and the form that adds an application.

A card's move forward is ``routes/pipeline_moves.py``; which moves are forward,
``web/stage_moves.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.domain import Channel, Opportunity, Stage, stage_of, words
from jobnudge.errors import NotFound, NudgeError
from jobnudge.timeparse import Tense
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, kept_page, page, redirect
from jobnudge.web.routes.events import title
from jobnudge.web.stage_moves import MOVE_INTO, MOVES_FROM, forward

COLUMNS = (
    ("lead", "Leads", (Stage.LEAD,)),
    ("applied", "Applied", (Stage.APPLIED,)),
    ("interviewing", "Interviewing", (Stage.INTERVIEWING,)),
    ("offer", "Offer", (Stage.OFFER,)),
    ("closed", "Closed", (Stage.REJECTED, Stage.WITHDRAWN, Stage.NO_RESPONSE)),
)


CLOSED_ON_BOARD = 24
OPEN_ON_BOARD = 60  # per column; the table shows every one
PAGE_SIZE = 50
SORTS = ("activity", "company", "role", "stage", "next", "source")
FIRST_DIRECTION = {"activity": "desc"}  # the first click: most recent first, else A to Z
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


def here(view: str, q: str) -> str:
    """The pipeline address the user is on (its view and search), to come back to."""
    query = {k: v for k, v in (("view", "table" if view == "table" else ""), ("q", q)) if v}
    return "/pipeline" + (f"?{urlencode(query)}" if query else "")


def with_query(path: str, **values: object) -> str:
    """``path`` with ``values`` set in its query, and without the one-time ``undo`` and
    ``interview`` it may have had."""
    parts = urlsplit(path)
    drop = {"undo", "interview", *values}
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in drop]
    query += [(k, str(v)) for k, v in values.items()]
    return parts.path + (f"?{urlencode(query)}" if query else "")


def _number(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _asked(ctx: Ctx, opp_id: int | None) -> tuple[Opportunity, Stage] | None:
    """The opportunity whose interview the page asks about: none for a coach, a bad id or
    one that cannot move into Interviewing (any more)."""
    if opp_id is None or ctx.read_only:
        return None
    store = ctx.session.store
    try:
        opp, stage = store.opportunity(ctx.owner, opp_id), store.stage(ctx.owner, opp_id)
    except NotFound:
        return None
    return (opp, stage) if forward(stage, Stage.INTERVIEWING) else None


def _undoable(ctx: Ctx, event_id: int | None) -> dict[str, Any] | None:
    """The Undo shown under a move's message: the event, its opportunity, where undoing it
    goes back to. Only with the message itself (a reload or a kept page shows no Undo)."""
    if event_id is None or ctx.read_only or not ctx.flash:
        return None
    store = ctx.session.store
    try:
        event = store.event(ctx.owner, event_id)
    except NotFound:
        return None
    if event.opportunity_id is None:
        return None
    history = store.history(ctx.owner, event.opportunity_id)
    rest = [e for e in history.events if e.id != event.id]
    before, after = stage_of(rest), stage_of(history.events)
    return {
        "id": event.id,
        "title": title(event),
        "opp": history.opportunity,
        "back_to": before if before != after else None,
    }


def pipeline_page(
    ctx: Ctx,
    query: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    ask_values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    view = "table" if query.get("view") == "table" else "board"
    needle = query.get("q", "").strip().casefold()[:200]
    wanted = words.meaning(Stage, query.get("stage", "active" if view == "table" else "all"))
    wanted = wanted if wanted in {k for k, _ in FILTERS} else "all"
    sort = query.get("sort", "activity")
    sort = sort if sort in SORTS else "activity"
    descending = query.get("dir", FIRST_DIRECTION.get(sort, "asc")) == "desc"
    everything = cards(ctx)
    found = [c for c in everything if not needle or _matches(c, needle)]
    q = query.get("q", "")[:200]
    data: dict[str, Any] = {
        "view": view,
        "q": q,
        "here": here(view, q),
        "stage": wanted,
        "sort": sort,
        "descending": descending,
        "first_direction": {key: FIRST_DIRECTION.get(key, "asc") for key in SORTS},
        "filters": FILTERS,
        "stage_label": dict(FILTERS)[wanted],
        "moves_from": MOVES_FROM,
        "total": len(everything),
        "matched": len(found),
        "errors": errors or {},
        "values": values or {"applied_on": "today", "status": "applied"},
        "ask": _asked(ctx, _number(query.get("interview"))),
        "ask_values": ask_values or {"what": "scheduled"},
        "undo": _undoable(ctx, _number(query.get("undo"))),
        "channels": list(Channel),
    }
    if view == "board":
        columns = []
        for key, heading, stages in COLUMNS:
            column = [c for c in found if c.stage in stages]
            column.sort(key=lambda c: c.last or c.opp.created_at or ctx.session.now, reverse=True)
            limit = CLOSED_ON_BOARD if key == "closed" else OPEN_ON_BOARD
            hidden = max(0, len(column) - limit)
            column = column[:limit]
            columns.append((key, heading, column, hidden))
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
    from jobnudge.web.routes.posting_form import bookmarklet

    data["bookmarklet"] = bookmarklet(ctx)
    return page(ctx, "pipeline.html", data, title="Pipeline", status=status)


async def pipeline(request: Request) -> Response:
    query = dict(request.query_params)
    return await kept_page(request, lambda ctx: pipeline_page(ctx, query))


async def add(request: Request) -> Response:
    """Add an application (or a lead) from the form; its follow-ups are planned at once."""
    from jobnudge.services import records, validate
    from jobnudge.spans import parse_days
    from jobnudge.web.routes import posting_form

    ctx = await context(request)
    form = await forms.read(ctx)
    if form.get("step") == "read":

        async def again(errors: dict[str, str], values: dict[str, str], status: int) -> Response:
            return await call(pipeline_page, ctx, {}, errors=errors, values=values, status=status)

        return await posting_form.read_step(ctx, form, again)
    f = forms.Fields(form)
    reading = f.check("posting_text", lambda: posting_form.confirmed(form), None)
    company = f.text("company", "Company", required=True, max_length=200)
    role = f.text("role", "Role", required=True, max_length=200)
    status = f.choice("status", "Status", Stage) or Stage.APPLIED
    if status not in (Stage.APPLIED, Stage.LEAD):
        f.errors["status"] = "Status is 'applied' or 'lead': add it first, then log what followed."
    applied = None
    if status is Stage.APPLIED:
        applied = f.when(
            "applied_on",
            "Applied on",
            ctx.tz,
            ctx.session.now,
            tense=Tense.PAST,
            required=True,
            future="Applied on is in the future; give the day you applied.",
            country=ctx.settings.profile.country,
        )
    source = f.text("source", "Source", max_length=200)
    posting = f.check("posting", lambda: validate.url(f.raw("posting"), "Posting"), "")
    within = f.raw("responds_within").strip()
    responds = (
        f.check("responds_within", lambda: parse_days(within, field="Responds within"), None)
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
            reading=reading,
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


ROUTES = [
    Route("/pipeline", pipeline, methods=["GET"]),
    Route("/opportunities", add, methods=["POST"]),
]
