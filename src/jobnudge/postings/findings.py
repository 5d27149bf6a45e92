"""What a posting was read to say: each value with the sentence (or page field) it came from,
so the user confirms it instead of trusting a guess."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# The values a posting can state, in the order they are shown for confirmation.
FIELDS = (
    "company",
    "title",
    "location",
    "remote",
    "date_posted",
    "closes",
    "salary",
    "employer_site",
    "staffing_firm",
    "responds_within",
    "wait_until",
    "shortlist_only",
    "no_calls",
    "prefers",
    "no_agencies",
    "contact_name",
    "contact_email",
)

LABELS = {
    "company": "Company",
    "title": "Role",
    "location": "Location",
    "remote": "Remote",
    "date_posted": "Posted on",
    "closes": "Applications close",
    "salary": "Salary",
    "employer_site": "Employer's site",
    "staffing_firm": "Posted by a staffing firm",
    "responds_within": "They respond within (days)",
    "wait_until": "No follow-up before",
    "shortlist_only": "Only shortlisted candidates hear back",
    "no_calls": "No phone calls",
    "prefers": "Contact them by",
    "no_agencies": "No agencies",
    "contact_name": "Contact person",
    "contact_email": "Contact e-mail",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One value a posting states. ``source`` is the sentence quoted, or the page field
    (``"page data: validThrough"``) for values from schema.org data."""

    field: str
    value: Any  # str, int (days), bool, or date
    source: str

    @property
    def shown(self) -> str:
        if isinstance(self.value, bool):
            return "yes" if self.value else "no"
        if isinstance(self.value, date):
            return self.value.isoformat()
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything read from one posting: its text for keeping, and what it states."""

    text: str
    findings: tuple[Finding, ...] = ()
    url: str = ""
    page: str = ""  # the original page (HTML), size-limited; empty for pasted text
    notes: tuple[str, ...] = field(default=())  # what could not be read, said plainly

    def get(self, name: str) -> Finding | None:
        for finding in self.findings:
            if finding.field == name:
                return finding
        return None

    def value(self, name: str, default: Any = None) -> Any:
        found = self.get(name)
        return found.value if found is not None else default


def merge(first: tuple[Finding, ...], second: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Findings of both, in FIELDS order; where both state a field, ``first`` wins."""
    chosen: dict[str, Finding] = {}
    for finding in (*first, *second):
        chosen.setdefault(finding.field, finding)
    return tuple(chosen[f] for f in FIELDS if f in chosen)
