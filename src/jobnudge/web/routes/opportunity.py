"""One opportunity: its timeline in both directions, its people, the timeline the employer
stated, the next follow-ups with reasons, and quick forms to log what happened."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.domain import Channel, EventType, InterviewFormat, MessageKind, words
from jobnudge.domain.enums import EVENT_TITLES
from jobnudge.errors import NudgeError
from jobnudge.plural import count
from jobnudge.timeparse import Tense
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, page, redirect

if TYPE_CHECKING:
    from jobnudge.services import event_log

QUICK_FORMS = (
    ("interview", "Interview"),
    ("message", "Message"),
    ("references", "References"),
    ("offer", "Offer"),
    ("rejected", "Rejection"),
    ("other", "Other"),
)
ID_PREFIXES = {
    "interview": "i-",
    "message": "m-",
    "references": "r-",
    "offer": "offer-",
    "rejected": "rejected-",
    "other": "o-",
    "timeline": "t-",
}
"""How each quick form's field ids begin (the error summary links to the field)."""
WITH_LABELS = {"references": "Your references", "offer": "From", "rejected": "From"}
"""The "with" field's label in each quick form (default "With")."""
MAX_NAME = 200
INBOUND = frozenset({EventType.RECEIVED, EventType.SCHEDULED, EventType.OFFER, EventType.REJECTED})
OUTBOUND = frozenset(
    {
        EventType.APPLIED,
        EventType.SENT,
        EventType.REFERENCES,
        EventType.ACCEPTED,
        EventType.DECLINED,
    }
)
LOGGABLE = tuple(words.EVENT_WORDS)
"""Every event `nudge log` records can be logged from the page too."""
FUTURE = {
    "interviewed": "When it took place is in the future; give when it took place, or choose "
    "“It is scheduled” and give the time it is set for.",
    "scheduled": "When is in the future; give the interview's own time in “When it is scheduled "
    "for”.",
    "sent": "When is in the future; give when you sent it.",
    "received": "When is in the future; give when they wrote or called.",
    "called": "When is in the future; give when you called.",
    "voicemail": "When is in the future; give when you left the voicemail.",
    "references": "When is in the future; give the day you gave your references.",
    "offer": "When is in the future; give the day the offer came.",
    "rejected": "When is in the future; give the day they told you they chose someone else.",
    "accepted": "When is in the future; give the day you accepted the offer.",
    "declined": "When is in the future; give the day you declined the offer.",
    "withdrawn": "When is in the future; give the day you withdrew.",
    "no-response": "When is in the future; give the day you closed it.",
    "applied": "When is in the future; give the day you applied.",
    "note": "When is in the future; give the day it was said or happened.",
}
"""Each form's refusal of a future moment, in the words of its own event."""


def names_list(values: list[str]) -> list[str]:
    """People typed as "Dana Lee, Raj Patel" (or one per field)."""
    out: list[str] = []
    for value in values:
        out += [part.strip() for part in re.split(r"[,;\n]", value) if part.strip()]
    return list(dict.fromkeys(out))


def opportunity_page(
    ctx: Ctx,
    opp_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    open_form: str = "",
    status: int = 200,
) -> Response:
    from jobnudge.services import nudges
    from jobnudge.services.compose import is_message

    store, owner, now = ctx.session.store, ctx.owner, ctx.session.now
    history = store.history(owner, opp_id)
    opp = history.opportunity
    stage = store.stage(owner, opp_id)
    people = store.opportunity_contacts(owner, opp_id)
    names = {c.id: c.name for c in people}
    rows = [
        r
        for r in store.agenda_rows(owner, now + timedelta(days=3660), now)
        if r.opportunity_id == opp_id
    ]
    items = nudges.assess(rows, ctx.settings, now)
    events = list(reversed(history.events))
    stated: list[tuple[str, str]] = []
    if opp.responds_within_days:
        stated.append(
            ("The posting says they respond within", count(opp.responds_within_days, "day"))
        )
    decided = [e for e in history.events if e.decision_by is not None]
    if decided:
        last = decided[-1]
        assert last.decision_by is not None
        said = (
            "They asked for your answer by"
            if last.type is EventType.OFFER
            else "They said they would decide by"
        )
        stated.append((said, _day(last.decision_by)))
    preferred = [e for e in history.events if e.prefers is not None]
    if preferred and preferred[-1].prefers is not None:
        stated.append(("They asked you to follow up by", preferred[-1].prefers.value))
    for name, label in (
        ("shortlist_only", "The posting says"),
        ("no_calls", "The posting says"),
        ("wait_until", "The posting says"),
    ):
        if opp.posting_says(name):
            stated.append((label, f"“{opp.posting_says(name)}”"))
    upcoming = [
        e
        for e in history.events
        if e.type is EventType.SCHEDULED and e.scheduled_for and e.scheduled_for > now
    ]
    from jobnudge.postings.findings import LABELS

    posting = store.posting(owner, opp_id)
    posting_read = [
        (LABELS.get(str(f.get("field")), str(f.get("field"))), f.get("value"), f.get("source"))
        for f in (posting.findings if posting else ())
    ]
    return page(
        ctx,
        "opportunity.html",
        {
            "opp": opp,
            "stage": stage,
            "events": events,
            "people": people,
            "names": names,
            "items": items,
            "stated": stated,
            "upcoming": upcoming,
            "posting": posting,
            "posting_read": posting_read,
            "event_titles": EVENT_TITLES,
            "inbound": INBOUND,
            "outbound": OUTBOUND,
            "quick_forms": QUICK_FORMS,
            "open_form": open_form,
            "id_prefix": ID_PREFIXES.get(open_form, ""),
            "errors": errors or {},
            "values": values or {},
            "is_message": is_message,
            "channels": list(Channel),
            "formats": list(InterviewFormat),
            "kinds": list(MessageKind),
        },
        title=f"{opp.company} — {opp.role}",
        status=status,
    )


def _day(value: date) -> str:
    return f"{value:%A} {value.day} {value:%B}"


async def show(request: Request) -> Response:
    ctx = await context(request)
    return await call(opportunity_page, ctx, int(request.path_params["opp"]))


async def log(request: Request) -> Response:
    """One quick form: validate every field, then one service call (one transaction)."""
    from jobnudge.services import event_log

    ctx = await context(request)
    form = await forms.read(ctx)
    opp_id = int(request.path_params["opp"])
    opp = await call(ctx.session.store.opportunity, ctx.owner, opp_id)
    f = forms.Fields(form)
    word = words.event_word(f.raw("event"))
    which = f.raw("form") or "other"
    now, tz, country = ctx.session.now, ctx.tz, ctx.settings.profile.country
    if word not in LOGGABLE:
        f.errors["event"] = "Choose what happened from the list."
    at = f.when(
        "at",
        "When",
        tz,
        now,
        tense=Tense.PAST,
        future=FUTURE.get(word, "When is in the future; give when it happened."),
        country=country,
    )
    scheduled_for = f.when(
        "for",
        "Interview time",
        tz,
        now,
        tense=Tense.FUTURE,
        required=word == "scheduled",
        country=country,
    )
    if word == "scheduled" and scheduled_for is not None and scheduled_for <= now:
        f.errors.setdefault(
            "for",
            "That time has passed; choose 'It took place' and say when in 'When it took place', "
            "or give a time still to come.",
        )
    elif word != "scheduled" and scheduled_for is not None:
        f.errors.setdefault(
            "for",
            "Only a scheduled interview has a time it is scheduled for: choose 'It is "
            "scheduled', or leave this empty and say when it took place.",
        )
    decision_by = f.day(
        "decision_by",
        "Answer by" if word == "offer" else "Decision by",
        tz,
        at or now,  # after the day it was said: "Friday" said on a Friday is next week's
        tense=Tense.LATER,
        country=country,
    )
    people = names_list(f.many("with"))
    with_label = WITH_LABELS.get(which, "With")
    if word == "references" and not people:
        f.errors.setdefault("with", "Name the references you gave, e.g. 'Pat Kim, Sam Lee'.")
    for person in people:
        if len(person) > MAX_NAME:
            f.errors.setdefault(
                "with",
                f"{with_label}: a name is {len(person)} characters long; keep each name under "
                f"{MAX_NAME} and separate names with commas.",
            )
    round_ = f.number("round", "Round", minimum=1, maximum=20)
    kind = f.raw("kind").strip() or None
    prefers = f.choice("prefers", "Follow up by", Channel)
    channel = f.choice("channel", "Channel", Channel)
    if word == "called":
        channel = None
    note = f.text("note", "Note", max_length=2000)
    if which == "timeline" and not f.raw("decision_by").strip() and prefers is None:
        f.errors.setdefault(
            "decision_by",
            "Give the day they said they decide by, or how they asked you to follow up.",
        )
    elif word == "note" and not note and not (decision_by or prefers) and "note" not in f.errors:
        f.errors["note"] = "Note is empty: write what you want to keep, then log it."
    body = f.text("body", "Message text", max_length=20000)
    values = {k: f.raw(k) for k in form if k != "csrf_token"}
    again = f.raw("again") == "on"
    try:
        f.done()
        out = await call(
            event_log.log_event,
            ctx.session,
            str(opp.id),
            word,
            at=at,
            with_=people,
            round_=round_,
            kind=kind,
            scheduled_for=scheduled_for,
            decision_by=decision_by,
            prefers=prefers,
            channel=channel,
            note=note,
            body=body,
            again=again,
        )
    except forms.Invalid as exc:
        return await call(
            opportunity_page,
            ctx,
            opp_id,
            errors=exc.errors,
            values=values,
            open_form=which,
            status=exc.status,
        )
    except event_log.DuplicateInterview as exc:
        from jobnudge.web.format import when as when_words

        assert exc.existing.scheduled_for is not None
        errors = {
            "for": f"An interview is already scheduled for "
            f"{when_words(exc.existing.scheduled_for, tz, now)} (see the timeline). To record "
            "a second one at that time anyway, tick “Record a second interview at this time” "
            "and log it again."
        }
        return await call(
            opportunity_page,
            ctx,
            opp_id,
            errors=errors,
            values={**values, "again_offered": "1"},
            open_form=which,
            status=exc.http_status,
        )
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        invalid = forms.from_error(exc, {"with": with_label})
        return await call(
            opportunity_page,
            ctx,
            opp_id,
            errors=invalid.errors,
            values=values,
            open_form=which,
            status=invalid.status,
        )
    made = "".join(f" New contact: {p.name}." for p in out.created_contacts)
    label = EVENT_TITLES.get(out.event.type, word) if out.event else word
    if which == "timeline":
        label = "what they said about timing"
    said = "".join(f" {line}" for line in _said_back(out, tz))
    return redirect(ctx, f"/opportunities/{opp.id}", f"Logged: {label}.{made}{said}")


def _said_back(out: event_log.Logged, tz: str) -> list[str]:
    """What logging decided for the user, with how to record it otherwise on this page."""
    from jobnudge.services.logged_words import decided

    lines = decided(out, tz)
    again = "delete it from the timeline and log it again"
    if out.as_scheduled is not None and lines:
        lines[0] += f" If it was another time, {again} with the time."
    if out.kind is not None and (out.kind.fitting or out.kind.later):
        lines[-1] += f" If that is not what it was, {again} choosing what it was about."
    return lines


ROUTES = [
    Route("/opportunities/{opp:id}", show, methods=["GET"]),
    Route("/opportunities/{opp:id}/log", log, methods=["POST"]),
]
