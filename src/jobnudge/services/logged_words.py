"""What logging an event decided for the user, said back in plain words: the scheduled time an
interview was dated by, and what a message logged without its kind was recorded as. The
command line adds the command that records it otherwise; the web says it in its own words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jobnudge.domain import MessageKind
from jobnudge.playbook.titles import title
from jobnudge.playbook.wording import day, moment

if TYPE_CHECKING:
    from jobnudge.services.event_log import Logged

_A = {
    MessageKind.THANK_YOU: "a thank-you",
    MessageKind.FOLLOW_UP: "a follow-up",
    MessageKind.CONFIRMATION: "a confirmation",
    MessageKind.UPDATE: "an update",
    MessageKind.NOTE: "a note",
}


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def decided(out: Logged, tz: str) -> list[str]:
    """The sentences saying what was decided (empty when nothing was)."""
    lines = []
    if out.as_scheduled is not None and out.as_scheduled.scheduled_for is not None:
        when = moment(out.as_scheduled.scheduled_for, tz)
        lines.append(f"It took place at the time it was scheduled for, {when}.")
    pick = out.kind
    if pick is None:
        return lines
    chosen = pick.completes
    if chosen is not None and pick.kind is not None:
        lines.append(
            f"Recorded as {_A[pick.kind]}: “{title(chosen.rule)}” is the one follow-up pending "
            "that it fits, and it is now done."
        )
    elif pick.fitting:
        could = _or([f"{_A[k]} (“{title(n.rule)}”)" for k, n in pick.choices()])
        lines.append(
            f"Recorded as a message of its own: it could be {could}, so no follow-up is marked "
            "done by a guess."
        )
    elif pick.later:
        could = _or(
            [f"{_A[k]} (“{title(n.rule)}”, due {day(n.due, tz)})" for k, n in pick.choices(True)]
        )
        lines.append(
            "Recorded without a kind: no follow-up pending falls due by then, so none is marked "
            f"done; it could be {could}."
        )
    else:
        lines.append("Recorded without a kind: no follow-up pending fits it.")
    return lines
