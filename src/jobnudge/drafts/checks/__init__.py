"""The pre-send checker: pure functions from a draft's text and its records to findings.

It informs and never blocks: every finding says what is wrong and what to do, and any code can
be switched off in the settings (``[checks] off = ["spelling"]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from jobnudge.drafts.checks import (
    company,
    formality,
    length,
    names,
    placeholder,
    recipient,
    spelling,
    timing,
    tone,
)
from jobnudge.drafts.checks.base import Check, CheckInput, Tables
from jobnudge.drafts.findings import Finding
from jobnudge.drafts.text import layout
from jobnudge.typography import plain

TYPE_CHECKING = False  # not typing's: the quick check (cli/quickcheck.py) avoids importing it
if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.domain.enums import Channel
    from jobnudge.domain.records import Company, Contact, Opportunity
    from jobnudge.drafts.context import DraftContext
    from jobnudge.drafts.render import Draft

CHECKS: dict[frozenset[str], Check] = {
    frozenset({"placeholder"}): placeholder.run,
    frozenset({"wrong-company"}): company.run,
    frozenset({"wrong-recipient", "no-address"}): recipient.run,
    frozenset({"name-spelling"}): names.run,
    frozenset({"formality"}): formality.run,
    frozenset({"too-long"}): length.run,
    frozenset({"pleading", "missing-thanks", "missing-offer-to-help"}): tone.run,
    frozenset({"spelling"}): spelling.run,
    frozenset({"timing"}): timing.run,
}
"""Each check with the codes it can report; a check whose codes are all off is not run."""


def check(
    text: str,
    *,
    channel: Channel,
    opportunity: Opportunity | None,
    company: Company | None,
    contact: Contact | None,
    pipeline_companies: Sequence[Company],
    settings: Settings,
    people: Sequence[Contact] = (),
    to_address: str = "",
    blocked_by: Sequence[str] = (),
    rule: str | None = None,
    known_words: Iterable[str] = (),
    prepared: Tables | None = None,
    roles: Sequence[tuple[str, str]] = (),
) -> list[Finding]:
    """Findings for ``text`` (a draft as the user edits it), most serious and earliest first.

    ``company`` is the addressee's company (the employer, or the staffing firm they work for);
    ``people`` are others the draft may name (people met, referrer, references); ``rule`` is the
    playbook rule the draft answers, which decides whether it must name the company and offer
    help; ``blocked_by`` are guard ids the playbook computed, reported as ``timing``;
    ``prepared`` are the whole pipeline's name tables when the caller kept them (then
    ``pipeline_companies`` need only hold the opportunity's company); ``roles`` are the
    ``(role, company)`` of the user's other opportunities, which the text must not name as
    this one's role. Without a ``rule`` (any text, ``nudge check``), an email must still say
    which job it is about.
    """
    # Typographic apostrophes, hyphens and spaces read as plain ones, one character for one, so
    # that "O’Brien" is "O'Brien" to every check and offsets still point into ``text``.
    text = plain(text)
    inp = CheckInput(
        text=text,
        layout=layout(text),
        channel=channel,
        rule=rule,
        opportunity=opportunity,
        company=company,
        contact=contact,
        people=tuple(people),
        pipeline=tuple(pipeline_companies),
        settings=settings,
        to_address=to_address,
        blocked_by=tuple(blocked_by),
        known_words=frozenset(known_words),
        prepared=prepared,
        roles=tuple(roles),
    )
    off = settings.checks_off
    findings: list[Finding] = []
    for codes, run in CHECKS.items():
        if codes <= off:
            continue
        findings.extend(f for f in run(inp) if f.code not in off)
    return sorted(findings, key=lambda f: (f.severity.rank, f.start, f.end, f.code))


def check_draft(
    draft: Draft,
    ctx: DraftContext,
    settings: Settings,
    *,
    text: str | None = None,
) -> list[Finding]:
    """Check ``draft`` (or the user's edited ``text`` of it) against the records in ``ctx``."""
    return check(
        draft.text if text is None else text,
        channel=draft.channel,
        opportunity=ctx.opportunity,
        company=ctx.addressee_company,
        contact=ctx.contact,
        pipeline_companies=ctx.pipeline,
        settings=settings,
        people=[p for p in ctx.people if ctx.contact is None or p.id != ctx.contact.id],
        to_address=draft.to_address,
        blocked_by=ctx.blocked_by,
        rule=ctx.rule,
    )
