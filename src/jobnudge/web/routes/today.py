"""Today: the follow-ups overdue, due today and in the week ahead, each with one-click actions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.domain import Channel, EventType, MessageKind
from jobnudge.errors import NudgeError, UsageError
from jobnudge.playbook import acting
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, kept_page, page, redirect

if TYPE_CHECKING:
    from jobnudge.store.rows import AgendaRow

GROUPS = (
    ("overdue", "Overdue", "These are late: do them first."),
    ("today", "Due today", "Ready when you are."),
    ("upcoming", "This week", "Coming up in the next seven days."),
)

SNOOZES = (
    ("tomorrow", "Tomorrow morning"),
    ("monday", "Next Monday"),
    ("week", "In a week"),
)


def _snooze_day(choice: str, today: date) -> date:
    if choice == "tomorrow":
        return today + timedelta(days=1)
    if choice == "monday":  # on a Sunday, tomorrow is Monday: "next Monday" is the one after
        return today + timedelta(days=(7 - today.weekday()) + (7 if today.weekday() == 6 else 0))
    if choice == "week":
        return today + timedelta(days=7)
    raise UsageError("until: choose tomorrow morning, next Monday or in a week.")


def snooze_until(choice: str, ctx: Ctx) -> datetime:
    """The moment a snooze choice means, 9 am in the user's zone."""
    zone = ZoneInfo(ctx.tz)
    day = _snooze_day(choice, ctx.session.now.astimezone(zone).date())
    return datetime.combine(day, time(9), zone)


def snooze_choices(today: date) -> list[tuple[str, str]]:
    """The snooze choices with their days ("Next Monday, Mon 30 Nov"); a choice that lands on
    the same day as an earlier one (on a Monday, next Monday is in a week) is left out."""
    seen: set[date] = set()
    out = []
    for value, label in SNOOZES:
        day = _snooze_day(value, today)
        if day in seen:
            continue
        seen.add(day)
        out.append((value, f"{label}, {day:%a} {day.day} {day:%b}"))
    return out


PER_GROUP = 40
"""Cards shown per group before "show all": a long backlog stays quick to read and to load."""


def today_page(
    ctx: Ctx,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
    everything: bool = False,
    opened: tuple[str, str] | None = None,
    about: dict[str, str] | None = None,
) -> Response:
    """Today; after a refused action ``opened`` names the nudge and the popover ("snooze",
    "dismiss") to show again with its message, and ``about`` holds what was typed in the
    "About you" form."""
    from jobnudge.services import nudges, validate
    from jobnudge.services.compose import is_message

    items = nudges.agenda(ctx.session, days=7)
    ctx.changes_at = min(
        (t for i in items for t in (i.row.due, i.row.due_by) if t and t > ctx.session.now),
        default=None,
    )
    has_search = bool(items) or bool(ctx.session.store.all_opportunity_ids(ctx.owner))
    if opened is not None and not any(i.row.short_id == opened[0] for i in items):
        opened = None
    if opened is not None:
        everything = True  # the card with the message is shown, however far down it is
    groups = []
    for key, title, hint in GROUPS:
        found = [i for i in items if i.group == key]
        limit = len(found) if everything else PER_GROUP
        groups.append((key, title, hint, found[:limit], max(0, len(found) - limit)))
    profile = ctx.settings.profile
    ask_about = not profile.name and not ctx.read_only
    # Where the error summary's links lead: the card's popover field, or the About form's.
    if opened is not None:
        targets = {"reason": f"reason-{opened[0]}", "until": f"until-{opened[0]}-tomorrow"}
    else:
        targets = {name: f"about-{name}" for name in ("name", "tz", "country")}
    return page(
        ctx,
        "today.html",
        {
            "groups": groups,
            "count": len(items),
            "has_search": has_search,
            "is_message": is_message,
            "snoozes": snooze_choices(ctx.session.now.astimezone(ZoneInfo(ctx.tz)).date()),
            "shown_due": acting.shown_due,
            "today_start": acting.today_start(ctx.session.now, ctx.tz),
            "errors": errors or {},
            "targets": targets,
            "opened": opened or ("", ""),
            "ask_about": ask_about,
            "about": about or {"name": profile.name, "tz": profile.tz, "country": profile.country},
            "zones": validate.zone_names() if ask_about and not has_search else (),
            "zone_unset": _zone_unset(ctx),
            "coach_comments": _coach_comments(ctx),
        },
        title="Today",
        status=status,
    )


def _coach_comments(ctx: Ctx) -> list[Any]:
    """What the user's coaches left for them (only with accounts: nobody coaches "local")."""
    if not ctx.app.accounts:
        return []
    from jobnudge.services import caseload

    return caseload.for_today(ctx.app.store, ctx.owner)


def _zone_unset(ctx: Ctx) -> bool:
    """Whether the user never chose a time zone (so the browser's may be offered)."""
    if ctx.settings.profile.name:
        return False
    profile = ctx.app.prefs.document(ctx.owner).get("profile")
    return not (isinstance(profile, dict) and profile.get("tz"))


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
        found = await call(nudges.find, ctx.session, handle)
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        invalid = forms.from_error(exc)
        return await call(today_page, ctx, errors=invalid.errors, status=invalid.status)
    opened = (found.short_id, action)
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
            reason = fields.raw("reason").strip()
            if not reason:
                fields.errors["reason"] = (
                    f"Reason is required to dismiss “{_title(found)}”: say why it does not apply."
                )
            reason = fields.text("reason", "Reason", max_length=500)
            fields.done()
            row = await call(
                nudges.decide, ctx.session, handle, EventType.NUDGE_DISMISSED, note=reason
            )
            message = (
                "Dismissed. It stays in the opportunity's history."
                if row.opportunity_id is not None
                else "Dismissed: this one will not come back."
            )
        else:
            note = fields.text("note", "Note", max_length=500)
            fields.done()
            row = await call(nudges.decide, ctx.session, handle, EventType.NUDGE_DONE, note=note)
            message = "Marked done."
    except forms.Invalid as exc:
        return await call(today_page, ctx, errors=exc.errors, status=exc.status, opened=opened)
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        invalid = forms.from_error(exc)
        return await call(
            today_page, ctx, errors=invalid.errors, status=invalid.status, opened=opened
        )
    company = f" ({row.company})" if row.company else ""
    return redirect(ctx, _back(fields.raw("next")), f"{message}{company}")


def _title(row: AgendaRow) -> str:
    from jobnudge.web.format import rule_title

    who = f" · {row.contact}" if row.contact else ""
    company = f" ({row.company})" if row.company else ""
    return f"{rule_title(row.rule)}{who}{company}"


def sent_words(row: AgendaRow, channel: Channel | None = None) -> str:
    """What a message nudge asked for, in a few words: "thank-you email", "follow-up call"."""
    from jobnudge.services.drafting import KIND_FOR_RULE

    kinds = {
        MessageKind.THANK_YOU: "thank-you",
        MessageKind.FOLLOW_UP: "follow-up",
        MessageKind.CONFIRMATION: "confirmation",
        MessageKind.UPDATE: "update",
    }
    kind = KIND_FOR_RULE.get(row.rule)
    what = kinds.get(kind) if kind else None
    via = {
        Channel.EMAIL: "email",
        Channel.CALL: "call",
        Channel.VOICEMAIL: "voicemail",
        Channel.TEXT: "text message",
        Channel.CARD: "card",
        Channel.IN_PERSON: "word in person",
    }.get(channel or row.channel or Channel.EMAIL, "message")
    return f"{what} {via}" if what else via


def sent_message(row: AgendaRow) -> str:
    """The flash after "mark sent": "Logged as sent: your thank-you email to Dana Lee (Acme)."""
    who = f" to {row.contact}" if row.contact else ""
    company = f" ({row.company})" if row.company else ""
    return f"Logged as sent: your {sent_words(row)}{who}{company}."


async def sent(request: Request) -> Response:
    """Mark sent without opening the draft: the message is logged without its text."""
    from jobnudge.services import compose

    ctx = await context(request)
    form = await forms.read(ctx)
    handle = str(request.path_params["nudge"])
    item = await call(compose.mark_sent, ctx.session, handle)
    return redirect(ctx, _back(str(form.get("next", ""))), sent_message(item.row))


def _back(target: str) -> str:
    return safe_next(target) or "/"


def safe_next(target: str) -> str | None:
    """``target`` if it is a path on this site to go back to, else None (never another site:
    no ``//host``, no backslashes, no control characters)."""
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 or ord(c) == 127 for c in target)
        or len(target) > 300
    ):
        return None
    return target


ROUTES = [
    Route("/", today, methods=["GET"], name="today"),
    Route("/nudges/{nudge:str}/sent", sent, methods=["POST"]),
    Route("/nudges/{nudge:str}/done", decide, methods=["POST"]),
    Route("/nudges/{nudge:str}/snooze", decide, methods=["POST"]),
    Route("/nudges/{nudge:str}/dismiss", decide, methods=["POST"]),
]
