"""Whether a person named again at another company is one already recorded: the step after
matching by address and by name at the same company, shared by the spreadsheet and the vCard
imports.

Two people can share a name, so a name alone never joins people at two employers. A staffing
firm's recruiter on record is the exception: they work on many companies' roles, so the same
name at another company is that recruiter. Anyone else is the same person across companies
only when the phone number is the same too. Either way an address or a phone number that
differs says it is someone else.

Pure: what is recorded in, an id (or None) out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from jobnudge.domain.quickinit import quick_init

_NOT_DIGITS = re.compile(r"\D+")
_SIGNIFICANT = 9
"""The digits a number is compared by: the subscriber's, without a country or trunk prefix
("+49 170 1234567" and "0170 1234567" are one number)."""


def phone_key(phone: str) -> str:
    """What two phone numbers are one by; "" for none, or for too few digits to tell."""
    digits = _NOT_DIGITS.sub("", phone)
    return digits[-_SIGNIFICANT:] if len(digits) >= 7 else ""


@quick_init
@dataclass(frozen=True, slots=True)
class Seen:
    """A recorded person with the name being matched, as the match reads them."""

    id: int
    company_id: int | None
    email: str = ""
    phone: str = ""  # as :func:`phone_key` reads it
    staffing: bool = False  # a staffing firm's recruiter (the role, or at a firm)


def elsewhere(
    seen: Iterable[Seen],
    *,
    company_id: int | None,
    email: str = "",
    phone: str = "",
    firm_id: int | None = None,
) -> int | None:
    """The one in ``seen`` (people of the same name) at another company than ``company_id``
    who is the person a row or card names (with ``email`` and ``phone``, when given): one with
    the same phone number, else a staffing firm's recruiter (one at ``firm_id``, the firm the
    row goes through, first). The first recorded of the best; None when nobody fits."""
    phone = phone_key(phone)
    email = email.casefold()
    fits: list[tuple[int, int]] = []
    for person in seen:
        if person.company_id == company_id:
            continue  # matched by name at the company already, or not at all
        if email and person.email and person.email.casefold() != email:
            continue
        theirs = phone_key(person.phone)
        if phone and theirs and theirs != phone:
            continue
        if phone and theirs == phone:
            fits.append((0, person.id))
        elif person.staffing:
            at_firm = firm_id is not None and person.company_id == firm_id
            fits.append((1 if at_firm else 2, person.id))
    return min(fits, key=lambda fit: fit[0])[1] if fits else None
