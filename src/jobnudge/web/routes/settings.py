"""Settings: the profile, every playbook number with its default and the reason for it, the
checker's codes on or off, and the draft templates. Saving re-plans every follow-up."""

from __future__ import annotations

import re
from dataclasses import asdict, replace
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


def settings_page(
    ctx: Ctx,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    section: str = "",
    status: int = 200,
) -> Response:
    from jobnudge.drafts import CODES, MESSAGE_CHANNELS
    from jobnudge.web.background import worker_of

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
            "settings_file": None if ctx.app.accounts else str(config.config_path()),
            "mail": current.mail if current.mail.configured and not ctx.read_only else None,
            "mail_running": worker is not None and worker.running,
            "mail_minutes": worker.interval / 60 if worker is not None else 0,
            "mail_status": worker.status(ctx.owner) if worker is not None else None,
        },
        title="Settings",
        status=status,
    )


async def show(request: Request) -> Response:
    ctx = await context(request)
    return await call(settings_page, ctx)


def _save(ctx: Ctx, document: dict[str, Any]) -> int:
    """Store the settings document, then re-plan every follow-up with the new numbers."""
    from jobnudge.services import nudges

    saved = ctx.app.prefs.save(ctx.owner, document)
    session = replace(ctx.session, settings=saved)
    return nudges.refresh_all(session)


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
    return redirect(ctx, "/settings#profile", "Profile saved.")


async def playbook(request: Request) -> Response:
    ctx = await context(request)
    form = await forms.read(ctx)
    f = forms.Fields(form)
    changed: dict[str, float] = {}
    for spec in config.PLAYBOOK_SPECS:
        text = f.raw(spec.name).strip()
        if not text:
            continue
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            f.errors[spec.name] = f"{spec.name} must be a number ({spec.unit}), not '{text[:30]}'."
            continue
        value = float(text)
        if not spec.minimum <= value <= spec.maximum:
            f.errors[spec.name] = (
                f"{spec.name} must be between {spec.minimum:g} and {spec.maximum:g} {spec.unit}."
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
        invalid = forms.from_error(exc)
        return await call(
            settings_page,
            ctx,
            errors=invalid.errors,
            values=raw_values,
            section="playbook",
            status=invalid.status,
        )
    return redirect(ctx, "/settings#playbook", f"Playbook saved; re-planned {count} opportunities.")


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
    return redirect(ctx, "/settings#checks", "Checker settings saved.")


def template_page(
    ctx: Ctx,
    rule: str,
    channel: str,
    *,
    text: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    from jobnudge.drafts import MESSAGE_CHANNELS
    from jobnudge.drafts.render import PACKAGE_TEMPLATES

    if rule not in MESSAGE_CHANNELS or channel not in {c.value for c in MESSAGE_CHANNELS[rule]}:
        from starlette.exceptions import HTTPException

        raise HTTPException(404)
    name = f"{rule}/{channel}.j2"
    overrides = ctx.app.prefs.templates(ctx.owner)
    default = (PACKAGE_TEMPLATES / name).read_text(encoding="utf-8")
    current = text if text is not None else overrides.get(name, default)
    return page(
        ctx,
        "template.html",
        {
            "rule": rule,
            "channel": channel,
            "name": name,
            "text": current,
            "default": default,
            "custom": name in overrides,
            "errors": errors or {},
        },
        title=f"Template {name}",
        status=status,
    )


async def template(request: Request) -> Response:
    ctx = await context(request)
    return await call(
        template_page, ctx, str(request.path_params["rule"]), str(request.path_params["channel"])
    )


async def save_template(request: Request) -> Response:
    ctx = await context(request)
    form = await forms.read(ctx)
    rule, channel = str(request.path_params["rule"]), str(request.path_params["channel"])
    await call(template_page, ctx, rule, channel)  # 404 for an unknown template
    name = f"{rule}/{channel}.j2"
    text = str(form.get("text", ""))
    if form.get("action") == "reset":
        await call(ctx.app.prefs.save_template, ctx.owner, name, None)
        return redirect(ctx, "/settings#templates", f"{name} is back to the default wording.")
    try:
        await call(ctx.app.prefs.save_template, ctx.owner, name, text)
    except NudgeError as exc:
        invalid = forms.from_error(exc)
        return await call(
            template_page,
            ctx,
            rule,
            channel,
            text=text,
            errors=invalid.errors,
            status=invalid.status,
        )
    return redirect(ctx, "/settings#templates", f"Saved your wording for {name}.")


ROUTES = [
    Route("/settings", show, methods=["GET"]),
    Route("/settings/profile", profile, methods=["POST"]),
    Route("/settings/playbook", playbook, methods=["POST"]),
    Route("/settings/checks", checks, methods=["POST"]),
    Route("/settings/templates/{rule:str}/{channel:str}", template, methods=["GET"]),
    Route("/settings/templates/{rule:str}/{channel:str}", save_template, methods=["POST"]),
]
