"""``placeholder``: gaps left in a draft, from our ``[[...]]`` slots to a stray "TBD"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jobnudge.drafts.checks.base import CheckInput
from jobnudge.drafts.findings import Finding, Severity
from jobnudge.drafts.text import SLOT, overlaps

PLACEHOLDERS = re.compile(
    r"\{\{.*?\}\}"  # a Jinja2 expression
    r"|\{%.*?%\}"  # a Jinja2 statement
    r"|\{[A-Za-z_][\w. ]{0,40}\}"  # {name}
    r"|<[A-Z][A-Z0-9_ ]{0,40}>"  # <NAME>
    r"|(?<!\[)\[(?:[A-Z][\w']*)(?: [\w']+){0,5}\](?!\])"  # [Company Name]
    r"|\bX{3,}\b|\bTBD\b|\bTBC\b|\bTODO\b|\bFIXME\b",
    re.DOTALL,
)


def run(inp: CheckInput) -> Iterator[Finding]:
    text = inp.text
    slots = []
    for match in SLOT.finditer(text):
        slots.append(match.span())
        inner = match.group()[2:-2].strip()
        if inner.lower().startswith("optional:"):
            what = inner.split(":", 1)[1].split(" — or delete")[0].strip()
            message = f"Optional line: write something true ({what}), or delete the line."
        else:
            message = f"Fill in this gap ({inner}) or rewrite the sentence without it."
        yield Finding("placeholder", Severity.ERROR, *match.span(), message)
    for match in PLACEHOLDERS.finditer(text):
        if overlaps(match.span(), slots):
            continue
        yield Finding(
            "placeholder",
            Severity.ERROR,
            *match.span(),
            f"'{match.group()}' is a placeholder; replace it with the real text.",
        )
