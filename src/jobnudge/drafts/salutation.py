"""How to address a contact: professional until they invite first names (``guard.formality``).

The same functions feed the templates and the checker, so a draft and its check always agree on
what the right greeting is.
"""

from __future__ import annotations

from jobnudge.domain.enums import Channel
from jobnudge.mailboxes import is_desk

TYPE_CHECKING = False  # not typing's: the quick check (cli/quickcheck.py) avoids importing it
if TYPE_CHECKING:
    from jobnudge.domain.records import Contact

PARTICLES = frozenset(
    {"al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du"}
    | {"el", "la", "le", "ten", "ter", "van", "von", "y", "zu"}
    | {"ó", "ní", "nic", "mac", "mc", "ua", "ibn", "bint", "ben", "abu", "ap"}
)
"""Words (any case) that belong to the family name after them ("van der Berg", "Ó Súilleabháin")."""

GENERIC_ADDRESSEE = "Hiring Team"


def clean(name: str) -> str:
    """The name with runs of whitespace collapsed, as it should appear in a draft."""
    return " ".join(name.split())


def family_name(contact: Contact) -> str:
    """The surname with its particles: "María van der Berg" → "van der Berg"."""
    parts = clean(contact.name).split(" ")
    if len(parts) <= 1:
        return parts[0] if parts else ""
    start = len(parts) - 1
    while start > 1 and parts[start - 1].lower() in PARTICLES:
        start -= 1
    return " ".join(parts[start:])


def given_name(contact: Contact) -> str:
    """The first name, used only once the contact has invited first-name terms."""
    return contact.first_name


def formal_name(contact: Contact) -> str:
    """ "Ms. Lee" (salutation + surname), or the full name when no salutation is recorded."""
    if contact.salutation.strip():
        return f"{contact.salutation.strip()} {family_name(contact)}"
    return clean(contact.name)


def desk(contact: Contact | None, organisation: str = "") -> bool:
    """Whether ``contact`` is nobody in particular: no contact, or a desk standing for
    ``organisation``, the company it is at (``mailboxes.is_desk``: ``recruiter@hays.de``, or a
    firm recorded as its own contact, "Michael Page" at Michael Page, with or without an
    address). A desk is greeted as the hiring team, never by a name as if it were a person."""
    return contact is None or is_desk(contact.name, contact.email, organisation)


def addressee(contact: Contact | None, organisation: str = "") -> str:
    """What to call the person in running text or speech: "Ms. Lee", or "Dana" once invited;
    nothing for a desk (see :func:`desk`)."""
    if contact is None or desk(contact, organisation):
        return ""
    return given_name(contact) if contact.first_name_ok else formal_name(contact)


def greeting(contact: Contact | None, channel: Channel, organisation: str = "") -> str:
    """The opening line, with its comma: "Dear Ms. Lee,", "Hi Dana,", "Hello Ms. Lee,".

    Emails and cards open with "Dear" until first names are invited; texts and calls use the
    lighter "Hello" with the same professional name, so the register drops but not the respect.
    A desk (see :func:`desk`: ``recruiter@…`` with no person's name, or a firm recorded as its
    own contact, with or without an address) is greeted as nobody in particular.
    """
    if contact is None or desk(contact, organisation):
        written = channel in (Channel.EMAIL, Channel.CARD)
        return f"Dear {GENERIC_ADDRESSEE}," if written else "Hello,"
    name = addressee(contact)
    if contact.first_name_ok:
        word = "Dear" if channel is Channel.CARD else "Hi"
    else:
        word = "Dear" if channel in (Channel.EMAIL, Channel.CARD) else "Hello"
    return f"{word} {name},"
