"""Moving a card on the pipeline board: the event that puts it in the new stage is logged,
with an Undo. A move back is refused, offering to undo the step that put the card where it is.
Moving into Interviewing logs nothing until the user says whether the interview is scheduled
or took place, when, and with whom.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.domain import Opportunity, Stage, words
from jobnudge.errors import NudgeError
from jobnudge.timeparse import Tense
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, redirect
from jobnudge.web.routes.events import last_step, safe_path, title
from jobnudge.web.routes.pipeline import pipeline_page, with_query
from jobnudge.web.stage_moves import BACK_TO_LEADS, MOVES, forward


async def move(request: Request) -> Response:
    """Move a card forward: log the event that puts it in the chosen stage, with an Undo.

    Into Interviewing it first asks whether the interview is scheduled or took place (the
    board and the Move form both lead to that question); a move back is refused.
    """
    from jobnudge.services import event_log
    from jobnudge.web.format import stage as stage_word

    ctx = await context(request)
    form = await forms.read(ctx)
    opp_id = int(request.path_params["opp"])
    opp = await call(ctx.session.store.opportunity, ctx.owner, opp_id)
    target = str(form.get("to", ""))
    target = words.meaning(Stage, target)  # any word for a stage, as `nudge list --stage`
    back = safe_path(form.get("next"), "/pipeline")
    back = with_query(back if urlsplit(back).path == "/pipeline" else "/pipeline")
    if target not in MOVES and target != BACK_TO_LEADS:
        choices = ", ".join(m.label.rstrip("…") for m in MOVES.values())
        return redirect(ctx, back, f"Choose where to move it: {choices}.")
    current = await call(ctx.session.store.stage, ctx.owner, opp_id)
    wanted = MOVES[target].stage if target in MOVES else Stage.LEAD
    if not forward(current, wanted):
        return await call(_refuse, ctx, opp, current, wanted, back)
    move = MOVES[target]
    if move.word is None:
        if "what" not in form:
            return redirect(ctx, with_query(back, interview=opp.id))
        return await _log_interview(ctx, form, opp, back)
    try:
        out = await call(event_log.log_event, ctx.session, str(opp.id), move.word)
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        return redirect(ctx, back, exc.message)
    assert out.event is not None
    stage = out.stage.value if out.stage else move.stage.value
    return redirect(
        ctx,
        with_query(back, undo=out.event.id),
        f"{opp.company} — {opp.role}: logged “{title(out.event)}”, now {stage_word(stage)}.",
    )


def _refuse(ctx: Ctx, opp: Opportunity, current: Stage, wanted: Stage, back: str) -> Response:
    """No fake step: say why, and offer to undo the step that put the card where it is."""
    from jobnudge.web.format import stage as stage_word

    now_in, to = stage_word(current.value), stage_word(wanted.value)
    if current is wanted:
        extra = " Log another interview on its page." if wanted is Stage.INTERVIEWING else ""
        return redirect(ctx, back, f"{opp.company} — {opp.role} is already in {now_in}.{extra}")
    step = last_step(ctx.session.store.history(ctx.owner, opp.id).events)
    message = (
        f"Not moved: taking {opp.company} from {now_in} back to {to} would log a step that "
        "did not happen."
    )
    if step is None:
        return redirect(ctx, back, message + " Correct its timeline instead.")
    message += (
        f" If “{title(step[0])}” was a mistake, undo it here; any entry can be deleted from "
        "its timeline."
    )
    return redirect(ctx, with_query(back, undo=step[0].id), message)


async def _log_interview(ctx: Ctx, form: FormData, opp: Opportunity, back: str) -> Response:
    """The answer to "is it scheduled or did it take place, when, with whom": one event."""
    from jobnudge.services import event_log
    from jobnudge.web.format import when as when_words
    from jobnudge.web.routes.opportunity import names_list

    now, tz = ctx.session.now, ctx.tz
    f = forms.Fields(form)
    what = words.event_word(f.raw("what"))
    if what not in ("scheduled", "interviewed"):
        f.errors["what"] = "Choose whether the interview is scheduled or took place."
    moment = f.when(
        "when",
        "When",
        tz,
        now,
        tense=Tense.PAST if what == "interviewed" else Tense.FUTURE,
        required=True,
        future="That is still to come: choose “It is scheduled”, or give when it took place.",
        country=ctx.settings.profile.country,
    )
    if moment is not None and what == "scheduled" and moment <= now:
        f.errors.setdefault(
            "when", "That time has passed: choose “It took place”, or give the time it is set for."
        )
    people = names_list([f.text("with", "With", max_length=1000)])
    values = {k: f.raw(k) for k in ("what", "when", "with")}
    query = {"interview": str(opp.id)}
    try:
        f.done()
        out = await call(
            event_log.log_event,
            ctx.session,
            str(opp.id),
            what,
            at=moment if what == "interviewed" else None,
            scheduled_for=moment if what == "scheduled" else None,
            with_=people,
        )
    except forms.Invalid as exc:
        return await call(
            pipeline_page, ctx, query, errors=exc.errors, ask_values=values, status=exc.status
        )
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        invalid = forms.from_error(exc)
        errors = {("when" if k in ("at", "for") else k): v for k, v in invalid.errors.items()}
        return await call(
            pipeline_page, ctx, query, errors=errors, ask_values=values, status=invalid.status
        )
    assert out.event is not None and moment is not None
    said = (
        f"interview scheduled for {when_words(moment, tz, now)}"
        if what == "scheduled"
        else f"logged “Interviewed” ({when_words(moment, tz, now)})"
    )
    made = "".join(f" New contact: {p.name}." for p in out.created_contacts)
    return redirect(
        ctx,
        with_query(back, undo=out.event.id),
        f"{opp.company} — {opp.role}: {said}, now Interviewing.{made}",
    )


ROUTES = [
    Route("/opportunities/{opp:id}/move", move, methods=["POST"]),
]
