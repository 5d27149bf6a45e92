"""Deleting an opportunity or a contact (a confirmation page saying what goes and what stays,
then one transaction), and the Undo offered with the message that follows any deletion."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.services import deleting
from jobnudge.services.deleting import Deleted, Impact
from jobnudge.web import forms
from jobnudge.web.context import Ctx, ReadOnly, call, context, page, redirect


def with_undo(path: str, done: Deleted) -> str:
    """Where to go after a deletion, carrying the number its Undo button puts back."""
    if done.deletion_id is None:
        return path
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{urlencode({'deleted': done.deletion_id})}"


def _confirm_page(ctx: Ctx, impact: Impact, action: str, cancel: str, what: str) -> Response:
    return page(
        ctx,
        "confirm_delete.html",
        {"impact": impact, "action": action, "cancel": cancel, "what": what},
        title=f"Delete {impact.summary}?",
    )


def _opportunity_confirm(ctx: Ctx, opp_id: int) -> Response:
    opp = ctx.session.store.opportunity(ctx.owner, opp_id)
    impact = deleting.opportunity_impact(ctx.session, opp)
    here = f"/opportunities/{opp.id}"
    return _confirm_page(ctx, impact, f"{here}/delete", here, "opportunity")


def _contact_confirm(ctx: Ctx, contact_id: int) -> Response:
    person = ctx.session.store.contact(ctx.owner, contact_id)
    impact = deleting.contact_impact(ctx.session, person)
    here = f"/contacts/{person.id}"
    return _confirm_page(ctx, impact, f"{here}/delete", here, "contact")


async def confirm_opportunity(request: Request) -> Response:
    ctx = await context(request)
    if ctx.read_only:
        raise ReadOnly()
    return await call(_opportunity_confirm, ctx, int(request.path_params["opp"]))


async def confirm_contact(request: Request) -> Response:
    ctx = await context(request)
    if ctx.read_only:
        raise ReadOnly()
    return await call(_contact_confirm, ctx, int(request.path_params["contact"]))


async def delete_opportunity(request: Request) -> Response:
    ctx = await context(request)
    await forms.read(ctx)
    done = await call(deleting.delete_opportunity, ctx.session, int(request.path_params["opp"]))
    return redirect(ctx, with_undo("/pipeline", done), f"Deleted {done.summary}.")


async def delete_contact(request: Request) -> Response:
    ctx = await context(request)
    await forms.read(ctx)
    done = await call(deleting.delete_contact, ctx.session, int(request.path_params["contact"]))
    return redirect(ctx, with_undo("/contacts", done), f"Deleted {done.summary}.")


async def undo(request: Request) -> Response:
    """Put a deletion back and show what came back."""
    ctx = await context(request)
    await forms.read(ctx)
    back = await call(deleting.undo, ctx.session, int(request.path_params["deletion"]))
    if back.kind == "contact" and back.contact_id is not None:
        where = f"/contacts/{back.contact_id}"
    elif back.opportunity_id is not None:
        where = f"/opportunities/{back.opportunity_id}"
    else:
        where = "/"
    return redirect(ctx, where, f"Put back {back.summary}.")


ROUTES = [
    Route("/opportunities/{opp:id}/delete", confirm_opportunity, methods=["GET"]),
    Route("/opportunities/{opp:id}/delete", delete_opportunity, methods=["POST"]),
    Route("/contacts/{contact:id}/delete", confirm_contact, methods=["GET"]),
    Route("/contacts/{contact:id}/delete", delete_contact, methods=["POST"]),
    Route("/deletions/{deletion:id}/undo", undo, methods=["POST"]),
]
