"""What each rule is called where a person reads it.

Kept apart from ``wording`` (which needs the domain records) so the agenda's fast path can
name its rows with nothing but this table.
"""

from __future__ import annotations

TITLES: dict[str, str] = {
    "apply.check-in": "Check in on your application",
    "interview.confirm": "Confirm the interview",
    "interview.thank-you": "Send a thank-you",
    "interview.ask-timeline": "Record what they said about timing",
    "interview.status-check": "Ask where things stand",
    "silence.retry": "One more polite follow-up",
    "silence.move-on": "Time to move on",
    "referral.update": "Update the person who referred you",
    "references.heads-up": "Give your references a heads-up",
    "references.thanks": "Thank your references",
    "offer.thank-you": "Thank them for the offer",
    "offer.decide": "Decide on the offer",
    "rejection.gracious-note": "Send a gracious note",
    "rejection.reconnect": "Reconnect about new openings",
    "staffing.keep-in-touch": "Keep in touch with your recruiter",
    "pipeline.keep-looking": "Add a few more applications",
}
"""Each rule as pages, calendars and messages name it."""


def title(rule: str) -> str:
    """What a person reads for ``rule``: its title, never the id ("a follow-up" when unknown,
    e.g. a rule from a newer version stored in the database)."""
    return TITLES.get(rule, "A follow-up")
