"""``timing``: the playbook's guards, which it computes, turned into findings a user reads."""

from __future__ import annotations

from collections.abc import Iterator

from jobnudge.drafts.checks.base import CheckInput
from jobnudge.drafts.findings import Finding, Severity
from jobnudge.drafts.wording import time_text


def _messages(inp: CheckInput) -> dict[str, str]:
    playbook = inp.settings.playbook
    hours = f"{time_text(playbook.call_start)} and {time_text(playbook.call_end)}"
    return {
        "guard.not-too-early": "It is not time for this yet: it falls due later (a time the "
        "employer gave, or the usual wait; `nudge today` shows when and why). Sending early can "
        "look impatient.",
        "guard.no-hounding": "You asked this employer recently, or have reached the limit of "
        "unanswered follow-ups; another message now can read as hounding. Wait for the "
        "cool-down, or close the opportunity.",
        "guard.call-hours": f"It is outside call hours where the contact is; call or leave a "
        f"voicemail between {hours} their time, ideally outside their working day.",
        "guard.working-days": "It is a weekend or public holiday where the contact is; send "
        "on the next working day.",
        "guard.channel": "This is not the channel the employer asked for or last used; answer "
        "in their channel.",
    }


def run(inp: CheckInput) -> Iterator[Finding]:
    messages = _messages(inp)
    for guard in dict.fromkeys(inp.blocked_by):
        message = messages.get(
            guard, "The playbook says not to send this yet; the follow-up's reason says why."
        )
        yield Finding("timing", Severity.WARNING, 0, 0, message)
