"""The draft template pages under Settings: one rule's wording for one channel, shown beside
the default it replaces, saved or reset to the default. Apart from the settings form
(web.routes.settings) since a template is a text edited on its own page, not a setting."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.errors import NudgeError
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, page, redirect


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
    from jobnudge.web.format import channel as channel_word
    from jobnudge.web.format import rule_title

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
        title=f"Template: {rule_title(rule)} · {channel_word(channel)}",
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
        return redirect(
            ctx,
            "/settings?saved=templates#templates",
            f"{_template_title(rule, channel)} is back to the default wording.",
        )
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
    return redirect(
        ctx,
        "/settings?saved=templates#templates",
        f"Saved your wording for {_template_title(rule, channel)}.",
    )


def _template_title(rule: str, channel: str) -> str:
    from jobnudge.web.format import channel as channel_word
    from jobnudge.web.format import rule_title

    return f"“{rule_title(rule)} · {channel_word(channel)}”"


ROUTES = [
    Route("/settings/templates/{rule:str}/{channel:str}", template, methods=["GET"]),
    Route("/settings/templates/{rule:str}/{channel:str}", save_template, methods=["POST"]),
]
