"""The draft editor: the message a nudge calls for, with the checker's findings highlighted in
place. Scripts re-check on every pause in typing (``POST .../check``, JSON); without them the
"Check" button re-renders the page. "Mark sent" records the message with its text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise
from typing import TYPE_CHECKING

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from jobnudge.domain import Channel
from jobnudge.errors import NudgeError
from jobnudge.services.drafting import CheckerErrors
from jobnudge.web import forms, security
from jobnudge.web.context import Ctx, call, context, page, redirect
from jobnudge.web.routes.today import safe_next, sent_words

if TYPE_CHECKING:
    from jobnudge.domain.records import Contact
    from jobnudge.drafts import Finding

_RANK = {"error": 0, "warning": 1, "hint": 2}


def marked(text: str, findings: Sequence[Finding]) -> Markup:
    """``text``, escaped, with each finding's span wrapped in ``<mark>`` (the most serious wins
    where spans overlap). Offsets are Python's, so the browser never has to count UTF-16."""
    spans = [
        (f.start, f.end, str(f.severity), n)
        for n, f in enumerate(findings)
        if 0 <= f.start < f.end <= len(text)
    ]
    if not spans:
        return escape(text) + Markup("\n")
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    out: list[str] = []
    for left, right in pairwise(cuts):
        piece = escape(text[left:right])
        covering = [s for s in spans if s[0] <= left and right <= s[1]]
        if covering:
            _start, _end, severity, number = min(covering, key=lambda s: (_RANK.get(s[2], 3), s[3]))
            out.append(f'<mark class="sev-{severity}" data-finding="{number}">{piece}</mark>')
        else:
            out.append(str(piece))
    return Markup("".join(out) + "\n")  # noqa: S704 - every piece of text was escaped above


def fix_link(finding: Finding, contact: Contact | None) -> dict[str, str] | None:
    """Where a finding is put right on this site: the contact's page, at the field a
    ``no-address`` finding asks for (the command line names its command instead)."""
    if finding.code != "no-address" or contact is None:
        return None
    field = "email" if "e-mail" in finding.message else "phone"
    return {"href": f"/contacts/{contact.id}#{field}", "text": f"Open {contact.name}'s page"}


def findings_json(
    text: str, findings: Sequence[Finding], contact: Contact | None = None
) -> dict[str, object]:
    return {
        "findings": [
            {
                **f.as_dict(),
                "message": forms.web_words(f.message),
                "excerpt": f.excerpt(text),
                "link": fix_link(f, contact),
            }
            for f in findings
        ],
        "html": str(marked(text, findings)),
        "count": len(findings),
    }


def editor(
    ctx: Ctx,
    handle: str,
    *,
    channel: str | None = None,
    text: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    checked: bool = False,
    back: str | None = None,
    confirm: int = 0,
) -> Response:
    """The editor with ``text`` (the user's, kept as typed even when it is too long to check)
    and the checker's findings; ``back`` is the page to return to after "Mark sent";
    ``confirm`` is the number of errors to ask about before logging the text as sent."""
    from jobnudge.services import compose

    errors = dict(errors or {})
    too_long = text is not None and len(text) > compose.MAX_TEXT
    if too_long:
        assert text is not None
        errors.setdefault("text", _too_long(text))
    made = compose.compose(
        ctx.session,
        handle,
        channel=channel,
        text=None if too_long else text,
        user_templates=ctx.templates_dir(),
    )
    if too_long:
        assert text is not None
        made = replace(made, text=text.replace("\r\n", "\n"), findings=[])
        status = 422 if status == 200 else status
    return page(
        ctx,
        "draft.html",
        {
            "c": made,
            "row": made.item.row,
            "marked": marked(made.text, made.findings),
            "errors": errors,
            "checked": checked and not too_long,
            "csrf_header": security.CSRF_HEADER,
            "back": back,
            "words": forms.web_words,
            "fix_link": fix_link,
            "confirm": confirm,
        },
        title=f"Draft: {made.item.row.contact or made.item.row.company or 'message'}",
        status=status,
    )


def _too_long(text: str) -> str:
    from jobnudge.services.compose import MAX_TEXT

    return (
        f"The message is {len(text):,} characters long; keep it under {MAX_TEXT:,}. Shorten it "
        "(a follow-up is best kept to a few lines), then press Mark sent again."
    )


def came_from(request: Request) -> str | None:
    """The page of this site the editor was opened from (Today, an opportunity), to go back to
    after "Mark sent": the Referer, sent for same-origin links, when it is one of ours."""
    from urllib.parse import urlsplit

    referer = urlsplit(request.headers.get("referer", ""))
    if referer.scheme not in ("http", "https") or referer.netloc != request.url.netloc:
        return None
    if referer.path.startswith("/nudges/"):
        return None  # the editor itself (a channel tab carries next= on its own)
    return safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))


async def show(request: Request) -> Response:
    from jobnudge.services import compose

    ctx = await context(request)
    channel = request.query_params.get("channel") or None
    back = safe_next(request.query_params.get("next", "")) or came_from(request)
    handle = str(request.path_params["nudge"])
    item = await call(compose.pending, ctx.session, handle)
    if not compose.is_message(item.row.rule):
        target = f"/opportunities/{item.row.opportunity_id}" if item.row.opportunity_id else "/"
        return redirect(
            ctx, target, f"{forms.web_words(item.row.reason)} Nothing to write: act on it here."
        )
    return await call(editor, ctx, handle, channel=channel, back=back)


async def submit(request: Request) -> Response:
    """The editor's form: "Check" re-renders with findings, "Mark sent" logs the message."""
    from jobnudge.services import compose

    ctx = await context(request)
    form = await forms.read(ctx)
    handle = str(request.path_params["nudge"])
    fields = forms.Fields(form)
    text = fields.raw("text")
    channel = fields.raw("channel") or None
    action = fields.raw("action")
    back = safe_next(fields.raw("next"))
    if action not in ("sent", "sent-anyway"):
        return await call(editor, ctx, handle, channel=channel, text=text, checked=True, back=back)
    if not text.strip():
        return await call(
            editor,
            ctx,
            handle,
            channel=channel,
            text=text,
            errors={"text": "Text is empty: write the message you sent, or use Mark done."},
            status=422,
            back=back,
        )
    if len(text) > compose.MAX_TEXT:
        return await call(editor, ctx, handle, channel=channel, text=text, back=back)
    try:
        item = await call(
            compose.mark_sent,
            ctx.session,
            handle,
            text=text,
            channel=channel,
            anyway=action == "sent-anyway",
        )
    except CheckerErrors as refused:
        return await call(
            editor,
            ctx,
            handle,
            channel=channel,
            text=text,
            checked=True,
            back=back,
            confirm=len(refused.findings),
            status=409,
        )
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        invalid = forms.from_error(exc)
        return await call(
            editor,
            ctx,
            handle,
            channel=channel,
            text=text,
            errors=invalid.errors,
            status=invalid.status,
            back=back,
        )
    row = item.row
    target = f"/opportunities/{row.opportunity_id}" if row.opportunity_id else "/"
    who = f" to {row.contact}" if row.contact else ""
    what = sent_words(row, validate_channel(channel))
    where = f" in the {row.company} timeline" if row.company else ""
    # jobnudge did not send it: the user did, and this records that they did.
    return redirect(ctx, back or target, f"Logged as sent{who}: your {what}, with its text{where}.")


def validate_channel(text: str | None) -> Channel | None:
    try:
        return Channel(text) if text else None
    except ValueError:
        return None


async def check(request: Request) -> Response:
    """JSON findings for the text being edited (the editor's script calls this as you type)."""
    from jobnudge.services import compose

    ctx = await context(request)
    form = await forms.read(ctx, allow_read_only=True)
    fields = forms.Fields(form)
    text = fields.raw("text")
    try:
        made = await call(
            compose.compose,
            ctx.session,
            str(request.path_params["nudge"]),
            channel=fields.raw("channel") or None,
            text=text,
            user_templates=ctx.templates_dir(),
        )
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        field, message = forms.split_message(exc.message)
        return JSONResponse({"error": forms.sentence(field, message)}, status_code=exc.http_status)
    return JSONResponse(findings_json(made.text, made.findings, made.context.contact))


ROUTES = [
    Route("/nudges/{nudge:str}/draft", show, methods=["GET"]),
    Route("/nudges/{nudge:str}/draft", submit, methods=["POST"]),
    Route("/nudges/{nudge:str}/check", check, methods=["POST"]),
]
