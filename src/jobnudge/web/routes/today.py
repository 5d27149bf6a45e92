"""Today: the follow-ups overdue, due today and in the week ahead, each with one-click actions."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.domain import EventType
from jobnudge.errors import NudgeError, UsageError
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, kept_page, page, redirect

GROUPS = (
    ("overdue", "Overdue", "These are late: do them first."),
    ("today", "Due now", "Ready when you are."),
    ("upcoming", "This week", "Coming up in the next seven days."),
)

SNOOZES = (
    ("tomorrow", "Tomorrow morning"),
    ("monday", "Next Monday"),
    ("week", "In a week"),
)


def snooze_until(choice: str, ctx: Ctx) -> datetime:
    """The moment a snooze choice means, 9 am in the user's zone."""
    zone = ZoneInfo(ctx.tz)
    today = ctx.session.now.astimezone(zone).date()
    if choice == "tomorrow":
        day = today + timedelta(days=1)
    elif choice == "monday":
        day = today + timedelta(days=(7 - today.weekday()) or 7)
    elif choice == "week":
        day = today + timedelta(days=7)
    else:
        raise UsageError("until: choose tomorrow, next Monday or in a week.")
    return datetime.combine(day, time(9), zone)


PER_GROUP = 40
"""Cards shown per group before "show all": a long backlog stays quick to read and to load."""


def today_page(
    ctx: Ctx, *, errors: dict[str, str] | None = None, status: int = 200, everything: bool = False
) -> Response:
    from jobnudge.services import nudges
    from jobnudge.services.compose import is_message

    items = nudges.agenda(ctx.session, days=7)
    ctx.changes_at = min(
        (t for i in items for t in (i.row.due, i.row.due_by) if t and t > ctx.session.now),
        default=None,
    )
    has_search = bool(items) or bool(ctx.session.store.all_opportunity_ids(ctx.owner))
    groups = []
    for key, title, hint in GROUPS:
        found = [i for i in items if i.group == key]
        limit = len(found) if everything else PER_GROUP
        groups.append((key, title, hint, found[:limit], max(0, len(found) - limit)))
    return page(
        ctx,
        "today.html",
        {
            "groups": groups,
            "count": len(items),
            "has_search": has_search,
            "is_message": is_message,
            "snoozes": SNOOZES,
            "errors": errors or {},
        },
        title="Today",
        status=status,
    )


async def today(request: Request) -> Response:
    everything = request.query_params.get("all") == "1"
    return await kept_page(request, lambda ctx: today_page(ctx, everything=everything))


async def decide(request: Request) -> Response:
    """Done, snooze or dismiss one nudge; each is an event in the history."""
    from jobnudge.services import nudges

    ctx = await context(request)
    form = await forms.read(ctx)
    handle = str(request.path_params["nudge"])
    action = request.url.path.rsplit("/", 1)[-1]
    fields = forms.Fields(form)
    try:
        if action == "snooze":
            until = fields.check(
                "until", lambda: snooze_until(fields.raw("until") or "tomorrow", ctx), None
            )
            fields.done()
            row = await call(
                nudges.decide, ctx.session, handle, EventType.NUDGE_SNOOZED, until=until
            )
            from jobnudge.web.format import when

            message = f"Snoozed until {when(until, ctx.tz, ctx.session.now)}."
        elif action == "dismiss":
            reason = fields.text("reason", "Reason", required=True, max_length=500)
            fields.done()
            row = await call(
                nudges.decide, ctx.session, handle, EventType.NUDGE_DISMISSED, note=reason
            )
            message = "Dismissed. It stays in the opportunity's history."
        else:
            note = fields.text("note", "Note", max_length=500)
            fields.done()
            row = await call(nudges.decide, ctx.session, handle, EventType.NUDGE_DONE, note=note)
            message = "Marked done."
    except forms.Invalid as exc:
        return await call(today_page, ctx, errors=exc.errors, status=exc.status)
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        invalid = forms.from_error(exc)
        return await call(today_page, ctx, errors=invalid.errors, status=invalid.status)
    company = f" ({row.company})" if row.company else ""
    return redirect(ctx, _back(fields.raw("next")), f"{message}{company}")


async def sent(request: Request) -> Response:
    """Mark sent without opening the draft: the message is logged without its text."""
    from jobnudge.services import compose

    ctx = await context(request)
    form = await forms.read(ctx)
    handle = str(request.path_params["nudge"])
    item = await call(compose.mark_sent, ctx.session, handle)
    who = f" to {item.row.contact}" if item.row.contact else ""
    return redirect(ctx, _back(str(form.get("next", ""))), f"Logged as sent{who}.")


def _back(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


ROUTES = [
    Route("/", today, methods=["GET"], name="today"),
    Route("/nudges/{nudge:str}/sent", sent, methods=["POST"]),
    Route("/nudges/{nudge:str}/done", decide, methods=["POST"]),
    Route("/nudges/{nudge:str}/snooze", decide, methods=["POST"]),
    Route("/nudges/{nudge:str}/dismiss", decide, methods=["POST"]),
]
