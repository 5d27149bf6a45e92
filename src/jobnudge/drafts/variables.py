"""The names a template can use, computed from a ``DraftContext`` for one channel.

Templates get finished phrases ("a second-round interview", "on Tuesday, November 3") rather than
raw records, so the wording stays consistent and a user's override stays short. Missing facts
become ``[[...]]`` slots that the checker flags until the user fills or deletes them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jobnudge.domain.enums import Channel, InterviewFormat
from jobnudge.domain.records import Contact
from jobnudge.drafts.context import DraftContext
from jobnudge.drafts.salutation import addressee, clean, greeting
from jobnudge.drafts.wording import day_text, join, ordinal, relative_day, time_text


def slot(text: str) -> str:
    """A gap the user must fill: the records do not hold this fact."""
    return f"[[{text}]]"


def optional(text: str) -> str:
    """A line the user may fill with something true, or delete (seeds 001 and 004 suggest them)."""
    return f"[[optional: {text} — or delete this line]]"


def variant_picker(seed: str, offset: int = 0) -> Callable[[str, int], int]:
    """``variant(name, count)``: a stable choice among ``count`` wordings for the slot ``name``.

    Each slot hashes separately, so drafts differ in several places; ``offset`` shifts every
    choice so that thank-yous to the people met in one interview never share an opening.
    """

    def variant(name: str, count: int) -> int:
        digest = hashlib.sha256(f"{seed}/{name}".encode()).digest()
        return (int.from_bytes(digest[:8], "big") + offset) % max(count, 1)

    return variant


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def _interview_kind(ctx: DraftContext) -> str:
    """ "second-round interview", "phone interview", "interview"."""
    if ctx.interview_round is not None and ctx.interview_round >= 2:
        return f"{ordinal(ctx.interview_round)}-round interview"
    if ctx.interview_format is InterviewFormat.PHONE:
        return "phone interview"
    if ctx.interview_format is InterviewFormat.VIDEO:
        return "video interview"
    if ctx.interview_format is InterviewFormat.ONSITE:
        return "onsite interview"
    return "interview"


def _with_article(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def _signature(ctx: DraftContext) -> str:
    """The user's name, then their signature lines (without repeating the name)."""
    name = clean(ctx.profile.name)
    lines = [line.rstrip() for line in ctx.profile.signature.strip().splitlines()]
    if not name:
        return "\n".join(lines) if lines else slot("your name")
    if lines and name in lines[0]:
        return "\n".join(lines)
    return "\n".join([name, *lines])


def _meeting_with(people: tuple[Contact, ...], contact: Contact | None) -> str:
    names = ["you" if contact and p.id == contact.id else clean(p.name) for p in people]
    if "you" in names:
        names.remove("you")
        names.insert(0, "you")
    return join(names)


def reader_zone(ctx: DraftContext) -> ZoneInfo:
    """The zone of the person who reads the message: the addressee's, else the user's (a
    contact without a zone is taken to live where the user does)."""
    contact = ctx.contact
    if contact is not None and contact.tz:
        return _zone(contact.tz)
    return _zone(ctx.profile.tz)


def _interview_time(ctx: DraftContext, theirs: datetime, given: datetime) -> str:
    """The interview's hour on the reader's clock. When the interview was given in a zone
    whose clock reads otherwise, that clock follows with its zone, and its weekday when the
    date differs too: "11 am your time (9 pm EST on Tuesday)"."""
    if theirs.utcoffset() == given.utcoffset():
        return time_text(theirs)
    if ctx.contact is None or not ctx.contact.tz:  # the reader's clock is the user's
        return f"{time_text(theirs)} {theirs.tzname()}"
    weekday = f" on {given:%A}" if given.date() != theirs.date() else ""
    return f"{time_text(theirs)} your time ({time_text(given)} {given.tzname()}{weekday})"


def _place(ctx: DraftContext) -> str:
    """Where to meet, for an interview in person: the scheduling note's place, else a gap to
    fill (a confirmation carries the place, seed 003). Empty for a call or a video link."""
    where = clean(ctx.interview_where)
    if ctx.interview_format in (InterviewFormat.PHONE, InterviewFormat.VIDEO):
        return ""
    if where:
        return where
    if ctx.interview_format is InterviewFormat.ONSITE:
        return slot("the address or building where you'll meet")
    return slot("where you'll meet, or the video link")


def _to_firm(ctx: DraftContext) -> bool:
    """Whether the draft goes to the staffing firm: to someone recorded there, or to the
    opportunity's recruiter through the firm when they are recorded at no company."""
    firm, contact, opp = ctx.staffing_firm, ctx.contact, ctx.opportunity
    if firm is None or contact is None:
        return False
    if contact.company_id is None:
        return opp is not None and contact.id == opp.recruiter_id
    return contact.company_id == firm.id


def template_variables(ctx: DraftContext, channel: Channel) -> dict[str, object]:
    """Every name a template may use; the keys are listed when a template uses an unknown one."""
    profile = ctx.profile
    # Words about days ("today", "yesterday", "on Tuesday") are the reader's: their calendar,
    # on the day the draft is made (when it is meant to be sent).
    zone = reader_zone(ctx)
    today = _local_date(ctx.now, zone)
    country = profile.country
    me = clean(profile.name) or slot("your name")
    interview_day = interview_when = interview_time = interview_on = ""
    if ctx.interview_at is not None:
        theirs = ctx.interview_at.astimezone(zone)
        interview_day = day_text(theirs.date(), today=today, country=country)
        interview_when = relative_day(theirs.date(), today=today, country=country)
        given = ctx.interview_at.astimezone(_zone(ctx.interview_tz))
        interview_time = _interview_time(ctx, theirs, given)
        interview_on = (
            f"{interview_when}, {interview_day}"
            if interview_when in ("today", "tomorrow", "yesterday")
            else f"on {interview_day}"
        )
    applied_when = step_when = ""
    if ctx.applied_at is not None:
        applied_when = relative_day(_local_date(ctx.applied_at, zone), today=today, country=country)
    if ctx.step_at is not None:
        step_when = relative_day(_local_date(ctx.step_at, zone), today=today, country=country)
    contact = ctx.contact
    others = [p for p in ctx.people_met if contact is None or p.id != contact.id]
    kind = _interview_kind(ctx)
    firm = ctx.staffing_firm
    to_firm = _to_firm(ctx)
    works_at = ctx.addressee_company
    organisation = works_at.name if works_at is not None else ""
    return {
        "rule": ctx.rule,
        "channel": str(channel),
        "me": me,
        "my_first": me.split()[0] if profile.name.strip() else me,
        "my_phone": profile.phone.strip() or slot("your phone number"),
        "my_email": profile.email.strip(),
        "signature": _signature(ctx),
        "company": clean(ctx.opportunity.company) if ctx.opportunity else "",
        "role": clean(ctx.opportunity.role) if ctx.opportunity else "",
        "firm": clean(firm.name) if firm else "",
        "to_firm": to_firm,
        "greeting": greeting(contact, channel, organisation),
        "addressee": addressee(contact, organisation),
        "to_name": clean(contact.name) if contact else "",
        "met_names": join([clean(p.name) for p in ctx.people_met]),
        "others_met": join([clean(p.name) for p in others]),
        "pass_thanks_to": join([clean(p.name) for p in ctx.pass_thanks_to]),
        "meeting_with": _meeting_with(ctx.people_met, contact),
        "interview_day": interview_day or slot("the interview date"),
        "interview_when": interview_when or slot("when the interview was"),
        "interview_on": interview_on or slot("the interview date"),
        "interview_time": interview_time,
        "interview_kind": kind,
        "interview_noun": _with_article(kind),
        "interview_known": ctx.interview_at is not None,
        "interview_future": ctx.interview_at is not None and ctx.interview_at > ctx.now,
        "format": str(ctx.interview_format) if ctx.interview_format else "",
        "round": ctx.interview_round or 0,
        "where": clean(ctx.interview_where),
        "place": _place(ctx),
        "applied_when": applied_when,
        "decision_day": day_text(ctx.decision_by, today=today, country=country)
        if ctx.decision_by
        else "",
        "decision_passed": ctx.decision_by is not None and ctx.decision_by < today,
        "topics": clean(ctx.topics),
        "posting_focus": clean(ctx.posting_focus),
        "referrer_name": clean(ctx.referrer.name) if ctx.referrer else "",
        "references": join([clean(r.name) for r in ctx.references]),
        "message": ctx.message,
        "step": str(ctx.step) if ctx.step else "",
        "step_when": step_when,
        "stage": str(ctx.stage),
        "today": day_text(today, today=today, country=country),
        "slot": slot,
        "optional": optional,
        "variant": variant_picker(ctx.seed, ctx.variant_offset),
    }
