"""What to type for a follow-up that asks the user to record something rather than send a
message: the agenda, the "Next:" list after a write and ``nudge draft`` give the command, so a
prompt never leaves the user guessing how to answer it. (The web answers it with a form.)"""

from __future__ import annotations

TIMELINE_EXAMPLE = '--decision-by "next thu" --prefers email'


def command(rule: str, opportunity_id: int | None) -> str:
    """The command that answers the prompt ``rule`` on an opportunity, or "" for none."""
    if rule == "interview.ask-timeline" and opportunity_id is not None:
        return f"nudge log {opportunity_id} note {TIMELINE_EXAMPLE}"
    return ""


def record_it(rule: str, opportunity_id: int | None) -> str:
    """ "Record it: <command>" for a prompt that has one, else ""."""
    found = command(rule, opportunity_id)
    return f"Record it, e.g.: {found}" if found else ""
