"""Settings → Reminders: when the morning digest goes out (hour, working days, quiet hours),
which channels carry it, how much it says, and a "send a test" button per channel. With
accounts, each user's Apprise URLs are sealed with the server key and never shown back."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.errors import NudgeError, UsageError
from jobnudge.remindconfig import CHANNELS, Remind, to_document
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, redirect

CHANNEL_LABELS = {
    "email": "E-mail",
    "apprise": "Phone or chat (Apprise: ntfy, Telegram, Slack, Matrix, …)",
    "desktop": "Desktop notification on this computer",
}
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")


def view(ctx: Ctx) -> dict[str, Any]:
    """What the Reminders section shows (blocking: called while the page renders)."""
    from jobnudge.services import remind_secrets
    from jobnudge.web.reminders import reminder_worker_of

    remind = ctx.settings.remind
    worker = reminder_worker_of(ctx.request.app)
    schemes: list[str] = []
    if ctx.app.accounts and worker is not None and not ctx.read_only:
        schemes = remind_secrets.shown_schemes(ctx.app.store, worker.keyring, ctx.owner)
    hour = int(remind.hour)
    return {
        "remind": remind,
        "remind_values": {
            "remind_time": f"{hour:02d}:{round((remind.hour - hour) * 60):02d}",
            "quiet_start": f"{remind.quiet.start:%H:%M}" if remind.quiet else "",
            "quiet_end": f"{remind.quiet.end:%H:%M}" if remind.quiet else "",
            "email_to": remind.email_to,
        },
        "channel_labels": {
            k: v
            for k, v in CHANNEL_LABELS.items()
            if not (ctx.app.accounts and k == "desktop")  # the server's desktop is nobody's
        },
        "apprise_schemes": schemes,
        "remind_running": worker is not None and (worker.running or worker.queued),
        "remind_status": worker.status(ctx.owner) if worker is not None else None,
        "can_seal": worker is not None and worker.keyring is not None,
        **_address_view(ctx),
    }


def _address_view(ctx: Ctx) -> dict[str, Any]:
    """On a server, the address the e-mail digest would go to and whether it is confirmed."""
    from jobnudge.services import remind_addresses
    from jobnudge.services.reminding import email_address

    if not ctx.app.accounts or ctx.read_only:
        return {}
    try:
        address = email_address(ctx.settings)
    except NudgeError:
        return {}
    return {
        "email_address": address,
        "email_state": remind_addresses.state(ctx.app.store, ctx.owner, address),
    }


def _read(f: forms.Fields) -> Remind:
    """The form as ``[remind]`` settings; each problem under its field."""
    from jobnudge.remindconfig import parse_remind

    time_text = f.raw("remind_time").strip() or "08:00"
    hour = 8.0
    if not _CLOCK.match(time_text) or int(time_text[:2].rstrip(":")) > 23:
        f.errors["remind_time"] = "Send at must be a time like 07:30 (24-hour clock)."
    else:
        hours, minutes = time_text.split(":")
        if int(minutes) > 59:
            f.errors["remind_time"] = "Send at must be a time like 07:30 (24-hour clock)."
        else:
            hour = int(hours) + int(minutes) / 60
    start, end = f.raw("quiet_start").strip(), f.raw("quiet_end").strip()
    quiet = ""
    if bool(start) != bool(end):
        f.errors["quiet_start"] = "Quiet hours need both a start and an end, or neither."
    elif start:
        quiet = f"{start}-{end}"
    chosen = [c for c in f.many("channels") if c in CHANNELS]
    document: dict[str, Any] = {
        "hour": hour,
        "days": "every" if f.raw("days") == "every" else "working",
        "quiet_hours": quiet,
        "channels": chosen,
        "detail": "brief" if f.raw("detail") == "brief" else "full",
    }
    email_to = f.text("email_to", "Send e-mail to", max_length=200)
    if email_to:
        document["email_to"] = email_to
    if email_to and ("@" not in email_to or any(c.isspace() or c in ",;<>" for c in email_to)):
        f.errors["email_to"] = "Send e-mail to must be one e-mail address, like sam@example.org."
        return Remind()
    try:
        return parse_remind(document, "Reminders")
    except NudgeError as exc:
        field = (
            "quiet_start"
            if "quiet" in exc.message
            else ("email_to" if "email_to" in exc.message else "channels")
        )
        f.errors[field] = exc.message.removeprefix("Reminders: ")
        return Remind()


def _save(ctx: Ctx, remind: Remind, apprise_text: str | None) -> None:
    from jobnudge.services import remind_secrets
    from jobnudge.web.reminders import reminder_worker_of

    worker = reminder_worker_of(ctx.request.app)
    if apprise_text is not None and ctx.app.accounts:
        keyring = worker.keyring if worker is not None else None
        try:
            remind_secrets.save_apprise_urls(
                ctx.app.store, keyring, ctx.owner, apprise_text, ctx.session.now
            )
        except NudgeError as exc:
            raise forms.Invalid({"apprise_urls": exc.message}, exc.http_status) from None
    document = ctx.app.prefs.document(ctx.owner)
    kept = document.get("remind") if isinstance(document.get("remind"), dict) else {}
    saved = to_document(remind)
    for key in ("apprise_source", "apprise_file", "web_url"):  # set in the file, not here
        if kept and key in kept:
            saved[key] = kept[key]
    document["remind"] = saved
    ctx.app.prefs.save(ctx.owner, document)
    if worker is not None:
        worker.forget(ctx.owner)


async def save(request: Request) -> Response:
    from jobnudge.web.routes.settings import settings_page

    ctx = await context(request)
    form = await forms.read(ctx)
    f = forms.Fields(form)
    remind = _read(f)
    apprise_text = None
    if ctx.app.accounts and (f.raw("apprise_urls").strip() or f.raw("apprise_clear")):
        apprise_text = "" if f.raw("apprise_clear") else f.raw("apprise_urls")[:8000]
    raw_values = {k: f.raw(k) for k in form if k not in ("csrf_token", "apprise_urls")}
    try:
        f.done()
        await call(_save, ctx, remind, apprise_text)
    except (forms.Invalid, NudgeError) as exc:
        invalid = exc if isinstance(exc, forms.Invalid) else forms.from_error(exc)
        errors = dict(invalid.errors)
        return await call(
            settings_page,
            ctx,
            errors=errors,
            values=raw_values,
            section="reminders",
            status=invalid.status,
        )
    said = "Reminders saved."
    if ctx.app.accounts and "email" in remind.channels:
        said = f"{said} {await call(_confirm_if_new, ctx)}".rstrip()
    return redirect(ctx, "/settings?saved=reminders#reminders", said)


def _ask(ctx: Ctx, address: str) -> str:
    """Mail ``address`` its confirmation link through the server's account."""
    from jobnudge.errors import ConfigError
    from jobnudge.services import remind_addresses
    from jobnudge.web.reminders import reminder_worker_of

    worker = reminder_worker_of(ctx.request.app)
    email = worker.server_email() if worker is not None else None
    if email is None:
        raise ConfigError(
            "email_to: this server sends no e-mail (whoever runs it has no [mail] account set "
            "up); choose another channel."
        )
    try:
        return remind_addresses.ask(
            ctx.app.store,
            email.to,
            ctx.owner,
            address,
            ctx.app.public_url(ctx.request),
            ctx.app.instant(),
        )
    finally:
        email.close()


def _confirm_if_new(ctx: Ctx) -> str:
    """After a save: send the link when the digest's address was never confirmed nor asked."""
    from jobnudge.services import remind_addresses
    from jobnudge.services.reminding import email_address

    settings = ctx.app.prefs.settings(ctx.owner)
    try:
        address = email_address(settings)
    except NudgeError:
        return (
            "E-mail reminders need an address: fill in “Send e-mail to” (or your profile’s e-mail)."
        )
    try:
        if remind_addresses.state(ctx.app.store, ctx.owner, address) != "new":
            return ""
        return f"E-mail reminders start once the address is confirmed: {_ask(ctx, address)}."
    except NudgeError as exc:
        return (
            f"E-mail reminders wait for a confirmed address: {forms.split_message(exc.message)[1]}"
        )


async def ask_again(request: Request) -> Response:
    """Settings → Reminders → "Send the link again"."""
    from jobnudge.services.reminding import email_address

    ctx = await context(request)
    await forms.read(ctx)
    try:
        said = await call(_ask, ctx, email_address(ctx.settings))
    except NudgeError as exc:
        said = f"No link sent: {forms.split_message(exc.message)[1]}"
    else:
        said = said[:1].upper() + said[1:] + "."
    return redirect(ctx, "/settings?saved=reminders#reminders", said)


def _send_test(ctx: Ctx, channel: str) -> str:
    from jobnudge.services import reminding
    from jobnudge.web.reminders import reminder_worker_of

    worker = reminder_worker_of(ctx.request.app)
    if worker is None or ctx.app.local_owner is not None:
        return reminding.send_test(ctx.session, channel)
    if ctx.app.accounts:
        from jobnudge.services import remind_addresses

        remind_addresses.count_test(ctx.app.store, ctx.owner, ctx.app.instant())
    make, close = worker.maker(ctx.owner, ctx.settings)
    try:
        return reminding.send_test(ctx.session, channel, make)
    finally:
        close()


async def test(request: Request) -> Response:
    ctx = await context(request)
    form = await forms.read(ctx)
    channel = str(form.get("channel", ""))
    if channel not in CHANNELS:
        raise UsageError(f"channel: '{channel[:20]}' is not one of {', '.join(CHANNELS)}.")
    label = CHANNEL_LABELS[channel].split(" (")[0]
    try:
        said = await call(_send_test, ctx, channel)
    except NudgeError as exc:
        return redirect(
            ctx,
            "/settings?saved=reminders#reminders",
            f"The test by {label.lower()} did not go through: "
            f"{forms.split_message(exc.message)[1]}",
        )
    if channel == "email":  # the mail server's own reply ("250 ok") means nothing to a person
        said = "look for it in your inbox (and the spam folder)"
    return redirect(
        ctx, "/settings?saved=reminders#reminders", f"Test sent by {label.lower()}: {said}."
    )


async def confirm_form(request: Request) -> Response:
    """The page a confirmation link opens: it asks before confirming, so that a mail
    scanner fetching the link confirms nothing. No sign-in: the address's holder may have
    no account."""
    from jobnudge.services import remind_addresses
    from jobnudge.web.context import state
    from jobnudge.web.routes.auth import anonymous_page

    _on_a_server(request)
    token = request.query_params.get("token", "")[:200]
    app = state(request)
    address = await call(remind_addresses.pending, app.store, token, app.instant())
    values: dict[str, object] = {"title": "Confirm your reminders", "token": token}
    values["address"] = address
    return anonymous_page(request, "remind_confirm.html", values, 200 if address else 404)


async def confirm(request: Request) -> Response:
    from jobnudge.services import remind_addresses
    from jobnudge.web import security
    from jobnudge.web.context import state
    from jobnudge.web.routes.auth import anonymous_page

    _on_a_server(request)
    form = await request.form()
    security.check_csrf(request, form)
    app = state(request)
    token = str(form.get("token", ""))[:200]
    try:
        address = await call(remind_addresses.confirm, app.store, token, app.instant())
    except NudgeError as exc:
        values: dict[str, object] = {"title": "Confirm your reminders", "address": None}
        values["problem"] = exc.message
        return anonymous_page(request, "remind_confirm.html", values, exc.http_status)
    done = {"title": "Reminders confirmed", "address": address, "done": True}
    return anonymous_page(request, "remind_confirm.html", done)


def _on_a_server(request: Request) -> None:
    from jobnudge.errors import NotFound
    from jobnudge.web.context import state

    if not state(request).accounts:
        raise NotFound("There is nothing to confirm on this computer's own jobnudge.")


ROUTES = [
    Route("/settings/reminders", save, methods=["POST"]),
    Route("/settings/reminders/test", test, methods=["POST"]),
    Route("/settings/reminders/address", ask_again, methods=["POST"]),
    Route("/reminders/confirm", confirm_form, methods=["GET"]),
    Route("/reminders/confirm", confirm, methods=["POST"]),
]
