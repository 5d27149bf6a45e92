"""The draft editor: the message a nudge calls for, with the checker's findings highlighted in
place. Scripts re-check on every pause in typing (``POST .../check``, JSON); without them the
"Check" button re-renders the page. "Mark sent" records the message with its text."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from jobnudge.errors import NudgeError
from jobnudge.web import forms, security
from jobnudge.web.context import Ctx, call, context, page, redirect

if TYPE_CHECKING:
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


def findings_json(text: str, findings: Sequence[Finding]) -> dict[str, object]:
    return {
        "findings": [{**f.as_dict(), "excerpt": f.excerpt(text)} for f in findings],
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
) -> Response:
    from jobnudge.services import compose

    made = compose.compose(
        ctx.session, handle, channel=channel, text=text, user_templates=ctx.templates_dir()
    )
    return page(
        ctx,
        "draft.html",
        {
            "c": made,
            "row": made.item.row,
            "marked": marked(made.text, made.findings),
            "errors": errors or {},
            "checked": checked,
            "csrf_header": security.CSRF_HEADER,
        },
        title=f"Draft: {made.item.row.contact or made.item.row.company or 'message'}",
        status=status,
    )


async def show(request: Request) -> Response:
    from jobnudge.services import compose

    ctx = await context(request)
    channel = request.query_params.get("channel") or None
    handle = str(request.path_params["nudge"])
    item = await call(compose.pending, ctx.session, handle)
    if not compose.is_message(item.row.rule):
        target = f"/opportunities/{item.row.opportunity_id}" if item.row.opportunity_id else "/"
        return redirect(ctx, target, f"{item.row.reason} Nothing to write: act on it here.")
    return await call(editor, ctx, handle, channel=channel)


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
    if action != "sent":
        return await call(editor, ctx, handle, channel=channel, text=text, checked=True)
    if not text.strip():
        return await call(
            editor,
            ctx,
            handle,
            channel=channel,
            text=text,
            errors={"text": "Text is empty: write the message you sent, or use Mark done."},
            status=422,
        )
    try:
        item = await call(compose.mark_sent, ctx.session, handle, text=text, channel=channel)
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
        )
    who = f" to {item.row.contact}" if item.row.contact else ""
    target = f"/opportunities/{item.row.opportunity_id}" if item.row.opportunity_id else "/"
    if fields.raw("next") == "today":
        target = "/"
    return redirect(ctx, target, f"Sent{who}: logged in the timeline with its text.")


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
        return JSONResponse({"error": exc.message}, status_code=exc.http_status)
    return JSONResponse(findings_json(made.text, made.findings))


ROUTES = [
    Route("/nudges/{nudge:str}/draft", show, methods=["GET"]),
    Route("/nudges/{nudge:str}/draft", submit, methods=["POST"]),
    Route("/nudges/{nudge:str}/check", check, methods=["POST"]),
]
