"""``timing``: the playbook's guards, which it computes, turned into findings a user reads."""

from __future__ import annotations

from collections.abc import Iterator

from jobnudge.domain.enums import Channel
from jobnudge.drafts.checks.base import CheckInput
from jobnudge.drafts.findings import Finding, Severity
from jobnudge.drafts.wording import time_text
from jobnudge.playbook.calendar import hour_clock


def _call_hours(inp: CheckInput) -> str:
    """guard.call-hours in words: a live call inside the call hours, preferably within the
    contact's working day (someone is there to answer); a voicemail preferably outside it
    (it waits for them rather than interrupting)."""
    playbook = inp.settings.playbook
    hours = f"{time_text(playbook.call_start)} and {time_text(playbook.call_end)}"
    work = (
        f"{time_text(hour_clock(playbook.workday_start_hour))}–"
        f"{time_text(hour_clock(playbook.workday_end_hour))}"
    )
    if inp.channel is Channel.VOICEMAIL:
        how = (
            f"leave the voicemail between {hours} their time, preferably outside their "
            f"working day ({work}), so that it waits for them"
        )
    else:
        how = (
            f"call between {hours} their time, preferably within their working day ({work}), "
            "when they can pick up"
        )
    return f"It is outside call hours where the contact is; {how}."


MESSAGES = {
    "guard.not-too-early": "It is not time for this yet: it falls due later (a time the "
    "employer gave, or the usual wait; `nudge today` shows when and why). Sending early can "
    "look impatient.",
    "guard.no-hounding": "You asked this employer recently, or have reached the limit of "
    "unanswered follow-ups; another message now can read as hounding. Wait for the "
    "cool-down, or close the opportunity.",
    "guard.working-days": "It is a weekend or public holiday where the contact is; send "
    "on the next working day.",
    "guard.channel": "This is not the channel the employer asked for or last used; answer "
    "in their channel.",
}


def run(inp: CheckInput) -> Iterator[Finding]:
    if not inp.blocked_by:
        return
    for guard in dict.fromkeys(inp.blocked_by):
        if guard == "guard.call-hours":
            message = _call_hours(inp)
        else:
            message = MESSAGES.get(
                guard, "The playbook says not to send this yet; the follow-up's reason says why."
            )
        yield Finding("timing", Severity.WARNING, 0, 0, message)
