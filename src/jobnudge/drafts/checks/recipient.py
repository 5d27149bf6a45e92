"""``wrong-recipient``: every address in a draft belongs to the contact, someone of the
opportunity at the same company, or a domain recorded for that company. ``no-address``: the
message has nowhere to go, since the contact has no e-mail address (a call or a text: no phone
number) on record and its "To:" line names none.

Seed 003: "check and double check ... that you entered the correct email address".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jobnudge.domain.enums import Channel
from jobnudge.drafts.checks.base import CheckInput
from jobnudge.drafts.findings import Finding, Severity
from jobnudge.drafts.text import EMAIL


def _on_domain(address: str, domains: tuple[str, ...]) -> bool:
    domain = address.rsplit("@", 1)[-1].lower()
    return any(domain == d or domain.endswith("." + d) for d in (d.lower() for d in domains))


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def _explain(inp: CheckInput, address: str) -> str:
    whose = []
    if inp.contact is not None and inp.contact.email:
        whose.append(f"{inp.contact.name}'s address is {inp.contact.email}")
    if inp.company is not None and inp.company.domains:
        whose.append(f"{inp.company.name} uses {', '.join(inp.company.domains)}")
        where = "on their company's domains"
    elif inp.company is not None:
        where = f"on a domain recorded for {inp.company.name}"
        whose.append(f"no domain is recorded for {inp.company.name}")
    else:
        where = "on a domain recorded for their company"
    known = "; ".join(whose) if whose else "no address or domain is recorded for this contact"
    return (
        f"{address} is not the contact's address, nor another contact's there, nor {where} "
        f"({known}). Check who this goes to, or record the address on the contact."
    )


def missing(inp: CheckInput) -> Iterator[Finding]:
    """``no-address``: what the contact lacks, and the command that records it (a web page
    says it in its own words, with a link to the contact)."""
    contact = inp.contact
    if contact is None:
        return
    if inp.channel is Channel.EMAIL:
        field, what, known = "email", "e-mail address", contact.email
    elif inp.channel in (Channel.CALL, Channel.VOICEMAIL, Channel.TEXT):
        field, what, known = "phone", "phone number", contact.phone
    else:
        return
    to = inp.layout.to
    if to is None:  # a bare text (``nudge check``): where it goes is the mail app's business
        return
    written = inp.text[to[0] : to[1]]
    if known.strip() or (EMAIL.search(written) if field == "email" else _digits(written)):
        return
    start, end = to
    name = contact.name
    yield Finding(
        "no-address",
        Severity.WARNING,
        start,
        end,
        f"{name} has no {what} on record, so this has nowhere to go; add it to the contact "
        f'with `nudge contact edit "{name}" --{field} {field.upper()}`.',
    )


def run(inp: CheckInput) -> Iterator[Finding]:
    yield from missing(inp)
    allowed = {inp.settings.profile.email.strip().lower()}
    if inp.contact is not None and inp.contact.email.strip():
        allowed.add(inp.contact.email.strip().lower())
    # Someone else at the same employer, on this opportunity, copied in or named.
    if inp.company is not None:
        allowed.update(
            p.email.strip().lower() for p in inp.people if p.company_id == inp.company.id
        )
    allowed.discard("")
    domains = inp.company.domains if inp.company is not None else ()
    seen_in_text = set()
    for match in EMAIL.finditer(inp.text):
        address = match.group().rstrip(".")
        seen_in_text.add(address.lower())
        if address.lower() in allowed or _on_domain(address, domains):
            continue
        yield Finding(
            "wrong-recipient",
            Severity.ERROR,
            match.start(),
            match.start() + len(address),
            _explain(inp, address),
        )
    to = inp.to_address.strip()
    if "@" in to:
        if to.lower() not in seen_in_text | allowed and not _on_domain(to, domains):
            yield Finding("wrong-recipient", Severity.ERROR, 0, 0, _explain(inp, to))
    elif to and inp.contact is not None and inp.contact.phone.strip():
        mine, theirs = _digits(to), _digits(inp.contact.phone)
        if mine and theirs and mine[-9:] != theirs[-9:]:
            yield Finding(
                "wrong-recipient",
                Severity.ERROR,
                0,
                0,
                f"{to} is not {inp.contact.name}'s number ({inp.contact.phone}); check who this "
                "goes to.",
            )
