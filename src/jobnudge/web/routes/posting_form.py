"""The Add form's posting steps: "Read the posting" shows what was read, each value editable
with the sentence it came from; saving sends the confirmed values with the application.

Reading writes nothing. The confirmed values travel back in the form (value and sentence per
field), so what is saved is exactly what the user saw and corrected.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from jobnudge.errors import NudgeError
from jobnudge.postings.findings import FIELDS, LABELS, Finding, Reading
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, page

CARRIED = (
    "status",
    "applied_on",
    "via",
    "source",
    "posting",
    "responds_within",
    "referred_by",
    "recruiter",
    "note",
    "again",
)
"""The Add form's own fields, carried through the confirm step unchanged."""
MAX_PASTE = 2_000_000  # characters of pasted text or page source read


def _read(ctx: Ctx, form: Mapping[str, Any]) -> Reading:
    from jobnudge.services import postings

    pasted = str(form.get("posting_text", "") or "")[:MAX_PASTE]
    link = str(form.get("posting", "") or "").strip()
    if pasted.strip():
        reading = postings.read_pasted(ctx.session, pasted)
        if link and not reading.url:
            reading = Reading(reading.text, reading.findings, link, reading.page, reading.notes)
        return reading
    if link:
        return postings.read(  # the user pressed Read; never a file on the server
            ctx.session, link, field="posting", files=False, public_only=ctx.app.accounts
        )
    raise forms.Invalid(
        {"posting_text": "Paste the posting's text (or give its link), then Read the posting."}
    )


async def read_step(
    ctx: Ctx, form: Mapping[str, Any], render_form: Callable[..., Awaitable[Response]]
) -> Response:
    """Show what the posting states, for the user to confirm or correct."""
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        reading = await call(_read, ctx, form)
    except forms.Invalid as exc:
        return await render_form(exc.errors, values, exc.status)
    except NudgeError as exc:
        invalid = forms.from_error(exc)
        errors = {("posting" if k == "" else k): v for k, v in invalid.errors.items()}
        return await render_form(errors, values, invalid.status)
    found = {f.field: f for f in reading.findings}
    carried = {k: values.get(k, "") for k in CARRIED}
    if reading.url:
        carried["posting"] = reading.url
    data = {
        "company": values.get("company", "").strip() or _shown(found.get("company")),
        "role": values.get("role", "").strip() or _shown(found.get("title")),
        "findings": [
            {
                "field": f.field,
                "label": LABELS.get(f.field, f.field),
                "value": _shown(f),
                "source": f.source,
                "from_page": f.source.startswith("page data"),
                "kind": _kind(f.value),
            }
            for f in reading.findings
            if f.field not in ("company", "title")
        ],
        "notes": reading.notes,
        "carried": carried,
        "text": reading.text,
    }
    return page(ctx, "posting_confirm.html", data, title="Confirm the posting")


def _shown(finding: Finding | None) -> str:
    if finding is None:
        return ""
    if isinstance(finding.value, bool):
        return "yes" if finding.value else "no"
    if isinstance(finding.value, date):
        return finding.value.isoformat()
    return str(finding.value)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, date):
        return "date"
    return "text"


def confirmed(form: Mapping[str, Any]) -> Reading | None:
    """The posting as the user confirmed it on the confirm page (None without one)."""
    if str(form.get("step", "")) != "save":
        return None
    from jobnudge.errors import UsageError
    from jobnudge.spans import parse_days

    findings = []
    for name in FIELDS:
        if f"src_{name}" not in form:
            continue
        text = str(form.get(f"read_{name}", "")).strip()
        kind = str(form.get(f"kind_{name}", "text"))
        source = str(form.get(f"src_{name}", ""))[:2000]
        if kind == "bool":
            if str(form.get(f"read_{name}", "")) != "on":
                continue
            value: Any = True
        elif not text:
            continue
        elif kind == "int":
            value = parse_days(text, field=f"read_{name}")
            if not value:
                raise UsageError(f"read_{name}: '{text}' is not a number of days (1 to 365).")
        elif kind == "date":
            try:
                value = date.fromisoformat(text)
            except ValueError:
                raise UsageError(f"read_{name}: '{text}' is not a date like 2027-01-15.") from None
        else:
            value = text[:500]
        findings.append(Finding(name, value, source))
    text = str(form.get("posting_text", ""))[:MAX_PASTE]
    url = str(form.get("posting", "")).strip()
    if not text.strip() and not findings:
        return None  # nothing was read: an application without a posting kept
    return Reading(text=text, findings=tuple(findings), url=url)


# The bookmarklet: opens this app's clip page and hands it the current page by postMessage,
# addressed to this app's origin only (a page elsewhere never receives it). The clip page fills
# the Add form and asks for the read step; nothing is saved until the user confirms.
_BOOKMARKLET = (
    "javascript:(function(){{var o={origin};var w=window.open(o+'/clip','jobnudge-clip');"
    "var d={{kind:'jobnudge-clip',url:location.href,"
    "html:document.documentElement.outerHTML.slice(0,{limit})}};"
    "var n=0;var t=setInterval(function(){{n++;if(n>50){{clearInterval(t);return;}}"
    "try{{w.postMessage(d,o);}}catch(e){{}}}},200);"
    "window.addEventListener('message',function(e){{"
    "if(e.origin===o&&e.data==='jobnudge-clip-received'){{clearInterval(t);}}}});}})();"
)


def bookmarklet(ctx: Ctx) -> str:
    """The bookmarklet's address, bound to the origin this page was served from."""
    import json

    origin = str(ctx.request.base_url).rstrip("/")
    return _BOOKMARKLET.format(origin=json.dumps(origin).replace('"', "'"), limit=MAX_PASTE)


async def clip(request: Any) -> Response:
    """The page the bookmarklet opens: the Add form, filled in by static/clip.js from the
    message the bookmarklet sends, then read for the user to confirm."""
    from jobnudge.web.context import context

    ctx = await context(request)
    return page(ctx, "clip.html", {}, title="Clip a posting")


ROUTES = [Route("/clip", clip, methods=["GET"])]
