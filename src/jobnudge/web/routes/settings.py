"""Settings: the profile, every playbook number with its default and the reason for it, the
checker's codes on or off, and the links to the draft templates (``web.routes.templates``).
Saving re-plans every follow-up."""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge import config
from jobnudge.errors import NudgeError
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, page, redirect

PROFILE_FIELDS = (
    ("name", "Your name", 200),
    ("email", "Email", 200),
    ("phone", "Phone", 60),
    ("signature", "Signature", 1000),
)
SECTIONS = ("profile", "playbook", "checks", "mail", "reminders", "templates")

PLAYBOOK_LABELS = {
    "apply_check_in_days": "Check in after applying",
    "apply_check_in_window_days": "Check-in still worth sending until",
    "confirm_working_days_before": "Confirm an interview ahead by",
    "thank_you_min_minutes": "Thank-you no sooner than",
    "thank_you_max_hours": "Thank-you no later than",
    "workday_end_hour": "Working day ends at",
    "workday_start_hour": "Working day starts at",
    "first_round_status_days": "Ask for news after a first round",
    "later_round_status_min_days": "Ask for news after a later round, at the earliest",
    "later_round_status_max_days": "Ask for news after a later round, at the latest",
    "silence_retry_days": "Follow up again after silence",
    "silence_move_on_after": "Move on after",
    "cooldown_days": "Never ask an employer twice within",
    "referral_update_days": "Update the person who referred you within",
    "references_thanks_days": "Thank your references within",
    "offer_thank_you_hours": "Thank them for an offer within",
    "rejection_note_days": "Gracious note after a rejection within",
    "reconnect_days": "Reconnect after a rejection",
    "staffing_every_days": "Keep in touch with staffing firms every",
    "pipeline_min_active": "Keep at least this many applications active",
    "review_weekday": "Weekly review day",
    "call_start_hour": "Calls no earlier than",
    "call_end_minutes": "Calls no later than",
    "email_max_words": "Longest follow-up email",
    "voicemail_max_seconds": "Longest voicemail",
    "text_max_chars": "Longest text message",
}
"""Each playbook number as the Settings page names it (the setting's own name is shown small
beside it, as the settings file and the command line spell it)."""


def playbook_errors(exc: NudgeError) -> dict[str, str]:
    """A refused playbook as messages at its fields: two numbers that contradict each other
    (an exception carrying ``fields``) are both marked, each named by its label."""
    fields = getattr(exc, "fields", None)
    if not (
        isinstance(fields, tuple)
        and len(fields) == 2
        and all(f in config.SPEC_BY_NAME for f in fields)
    ):
        return forms.from_error(exc).errors
    message = re.sub(r"^[\w .]*: playbook: ", "", exc.message)
    for name in sorted(fields, key=len, reverse=True):
        label = f"“{playbook_label(name)}”"
        message = message.replace(f"'{name}'", label).replace(name, label)
    first, second = fields
    return {
        first: message[:1].upper() + message[1:],
        second: f"It contradicts “{playbook_label(first)}”: see the message there.",
    }


def playbook_label(name: str) -> str:
    return PLAYBOOK_LABELS.get(name, name.replace("_", " ").capitalize())


def settings_page(
    ctx: Ctx,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    section: str = "",
    status: int = 200,
    flash_at: str = "",
) -> Response:
    """The page; ``flash_at`` is the section just saved, where the flash message is shown."""
    from jobnudge.drafts import CODES, MESSAGE_CHANNELS
    from jobnudge.services import validate
    from jobnudge.web.background import worker_of
    from jobnudge.web.routes import reminders

    current = ctx.settings
    worker = worker_of(ctx.request.app)
    numbers = asdict(current.playbook)
    overrides = ctx.app.prefs.templates(ctx.owner)
    profile = asdict(current.profile)
    shown_values = {**profile, **{s.name: f"{numbers[s.name]:g}" for s in config.PLAYBOOK_SPECS}}
    if values:
        shown_values.update(values)
    return page(
        ctx,
        "settings.html",
        {
            "specs": config.PLAYBOOK_SPECS,
            "numbers": numbers,
            "codes": CODES,
            "off": current.checks_off,
            "templates": [
                (rule, channel.value, f"{rule}/{channel.value}.j2" in overrides)
                for rule, channels in MESSAGE_CHANNELS.items()
                for channel in channels
            ],
            "values": shown_values,
            "errors": errors or {},
            "section": section,
            "flash_at": flash_at if ctx.flash and flash_at in SECTIONS else "",
            "flash_placed": bool(ctx.flash and flash_at in SECTIONS),
            "labels": {spec.name: playbook_label(spec.name) for spec in config.PLAYBOOK_SPECS},
            "whys": {spec.name: spec.why for spec in config.PLAYBOOK_SPECS},
            "zones": validate.zone_names(),
            "settings_file": None if ctx.app.accounts else str(_settings_path(ctx)),
            "mail": current.mail if current.mail.configured and not ctx.read_only else None,
            "mail_running": worker is not None and (worker.running or worker.queued),
            "mail_queued": worker is not None and worker.queued,
            "mail_minutes": worker.interval / 60 if worker is not None else 0,
            "mail_status": worker.status(ctx.owner) if worker is not None else None,
            **reminders.view(ctx),
        },
        title="Settings",
        status=status,
    )


def _settings_path(ctx: Ctx) -> Path:
    """The settings file this app edits (local mode)."""
    found = getattr(ctx.app.prefs, "path", None)
    return found if isinstance(found, Path) else config.config_path()


async def show(request: Request) -> Response:
    ctx = await context(request)
    return await call(settings_page, ctx, flash_at=request.query_params.get("saved", ""))


def _save(ctx: Ctx, document: dict[str, Any]) -> int:
    """Store the settings document, then re-plan every follow-up with the new numbers."""
    from jobnudge.services import nudges

    saved = ctx.app.prefs.save(ctx.owner, document)
    session = replace(ctx.session, settings=saved)
    return nudges.replan_after_settings(session, settings_stored=ctx.app.accounts)


async def profile(request: Request) -> Response:
    from jobnudge.services import validate

    ctx = await context(request)
    form = await forms.read(ctx)
    f = forms.Fields(form)
    values: dict[str, str] = {}
    for key, label, limit in PROFILE_FIELDS:
        values[key] = f.text(key, label, max_length=limit)
    if values["email"]:
        f.check("email", lambda: validate.email(values["email"], "Email"), "")
    tz = f.check("tz", lambda: validate.zone(f.raw("tz").strip() or "UTC", "Time zone"), None)
    country = f.check(
        "country", lambda: validate.country(f.raw("country").strip() or "US", "Country"), None
    )
    raw_values = {k: f.raw(k) for k in form if k != "csrf_token"}
    try:
        f.done()
        document = await call(ctx.app.prefs.document, ctx.owner)
        document["profile"] = {**values, "tz": tz or "UTC", "country": country or "US"}
        await call(_save, ctx, document)
    except forms.Invalid as exc:
        return await call(
            settings_page,
            ctx,
            errors=exc.errors,
            values=raw_values,
            section="profile",
            status=exc.status,
        )
    except NudgeError as exc:
        invalid = forms.from_error(exc)
        return await call(
            settings_page,
            ctx,
            errors=invalid.errors,
            values=raw_values,
            section="profile",
            status=invalid.status,
        )
    return redirect(ctx, "/settings?saved=profile#profile", "Profile saved.")


async def about(request: Request) -> Response:
    """Today's "About you" form on a first visit: name, time zone and country, merged into the
    profile (the rest of it stays as it is)."""
    from jobnudge.services import validate
    from jobnudge.web.routes.today import today_page

    ctx = await context(request)
    form = await forms.read(ctx)
    f = forms.Fields(form)
    name = f.text("name", "Your name", max_length=200)
    if not name and "name" not in f.errors:
        f.errors["name"] = "Your name is required: drafts sign off with it."
    tz = f.check("tz", lambda: validate.zone(f.raw("tz").strip() or "UTC", "Time zone"), None)
    country = f.check(
        "country", lambda: validate.country(f.raw("country").strip() or "US", "Country"), None
    )
    typed = {k: f.raw(k)[:200] for k in ("name", "tz", "country")}
    try:
        f.done()
        document = await call(ctx.app.prefs.document, ctx.owner)
        current = document.get("profile")
        document["profile"] = {
            **(current if isinstance(current, dict) else {}),
            "name": name,
            "tz": tz or "UTC",
            "country": country or "US",
        }
        await call(_save, ctx, document)
    except (forms.Invalid, NudgeError) as exc:
        invalid = exc if isinstance(exc, forms.Invalid) else forms.from_error(exc)
        return await call(
            today_page, ctx, errors=invalid.errors, status=invalid.status, about=typed
        )
    return redirect(
        ctx, "/", f"Thanks, {name}: drafts sign off with your name, and times are in {tz}."
    )


async def playbook(request: Request) -> Response:
    ctx = await context(request)
    form = await forms.read(ctx)
    f = forms.Fields(form)
    changed: dict[str, float] = {}
    for spec in config.PLAYBOOK_SPECS:
        text = f.raw(spec.name).strip()
        if not text:
            continue
        label = f"“{playbook_label(spec.name)}”"
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            f.errors[spec.name] = f"{label} must be a number ({spec.unit}), not '{text[:30]}'."
            continue
        value = float(text)
        if not spec.minimum <= value <= spec.maximum:
            f.errors[spec.name] = (
                f"{label} must be between {spec.minimum:g} and {spec.maximum:g} {spec.unit}."
            )
            continue
        if value != spec.default:
            changed[spec.name] = int(value) if value.is_integer() else value
    raw_values = {k: f.raw(k) for k in form if k != "csrf_token"}
    try:
        f.done()
        document = await call(ctx.app.prefs.document, ctx.owner)
        document["playbook"] = changed
        count = await call(_save, ctx, document)
    except forms.Invalid as exc:
        return await call(
            settings_page,
            ctx,
            errors=exc.errors,
            values=raw_values,
            section="playbook",
            status=exc.status,
        )
    except NudgeError as exc:
        return await call(
            settings_page,
            ctx,
            errors=playbook_errors(exc),
            values=raw_values,
            section="playbook",
            status=exc.http_status,
        )
    return redirect(
        ctx,
        "/settings?saved=playbook#playbook",
        f"Playbook saved; re-planned {count} opportunit{'y' if count == 1 else 'ies'}.",
    )


async def checks(request: Request) -> Response:
    from jobnudge.drafts import CODES

    ctx = await context(request)
    form = await forms.read(ctx)
    on = {str(value) for value in form.getlist("on")}
    unknown = on - set(CODES)
    if unknown:
        return await call(
            settings_page,
            ctx,
            errors={"checks": f"Unknown checker code: {', '.join(sorted(unknown))[:100]}."},
            section="checks",
            status=422,
        )
    document = await call(ctx.app.prefs.document, ctx.owner)
    document["checks"] = {"off": sorted(set(CODES) - on)}
    await call(ctx.app.prefs.save, ctx.owner, document)
    return redirect(ctx, "/settings?saved=checks#checks", "Checker settings saved.")


ROUTES = [
    Route("/settings", show, methods=["GET"]),
    Route("/settings/profile", profile, methods=["POST"]),
    Route("/settings/about", about, methods=["POST"]),
    Route("/settings/playbook", playbook, methods=["POST"]),
    Route("/settings/checks", checks, methods=["POST"]),
]
