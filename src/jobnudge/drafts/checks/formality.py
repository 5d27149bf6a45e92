"""``formality``: professional address until the contact invites first names (seed 004).

"Even if your interviewer lets you call her by her first name in person, use the professional
salutation in follow up emails or calls until you are invited again to be more familiar."
"""

from __future__ import annotations

from collections.abc import Iterator

from jobnudge.drafts.checks import greeting as greetings
from jobnudge.drafts.checks.base import CheckInput
from jobnudge.drafts.findings import Finding, Severity
from jobnudge.drafts.names import close_enough
from jobnudge.drafts.salutation import clean, formal_name, given_name


def run(inp: CheckInput) -> Iterator[Finding]:
    contact = inp.contact
    if contact is not None and contact.first_name_ok:
        return
    parsed = greetings.parse(inp.text, inp.layout)
    if parsed is None:
        return
    proper = f"'Dear {formal_name(contact)},'" if contact is not None else "'Dear Hiring Team,'"
    if parsed.word.lower() in greetings.CASUAL_WORDS:
        yield Finding(
            "formality",
            Severity.WARNING,
            *parsed.word_span,
            f"'{parsed.word}' is too casual for a professional follow-up; open with {proper}.",
        )
        return
    if contact is None or parsed.honorific or not parsed.name:
        return
    given = given_name(contact)
    written = parsed.name.strip()
    if written == clean(contact.name):
        return  # the full name is professional ("Dear Dana Lee,")
    if written == given or close_enough(written, given):
        yield Finding(
            "formality",
            Severity.WARNING,
            *parsed.name_span,
            f"{contact.name} has not invited first names; use {proper} until they do (then "
            "record it on the contact).",
        )
