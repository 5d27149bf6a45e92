"""Organisations: starting one, its members and their roles, deactivating and deleting, and a
job seeker's consent to a coach's caseload.

Every function takes the acting user and checks their role here, so a route only parses and
renders: an administrator acts on their own organisation, a coach on their caseload, a job
seeker on their own consent. Anything outside that reads as "not found", never as "forbidden",
so nobody learns what exists elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from jobnudge.errors import NotFound, UsageError

if TYPE_CHECKING:
    from jobnudge.store import Store
    from jobnudge.store.caseloads import Link
    from jobnudge.store.org_invites import PendingInvite
    from jobnudge.store.orgs import Member

ROLE_WORDS = {"admin": "administrator", "coach": "coach", "seeker": "job seeker"}
EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
MAX_NAME = 120


def role_of(store: Store, user: int) -> str | None:
    """The user's role in their organisation while active; None outside any organisation."""
    from jobnudge.store import orgs

    found = orgs.membership(store, user)
    return found.role if found is not None and found.active else None


def membership(store: Store, user: int) -> Member | None:
    from jobnudge.store import orgs

    found = orgs.membership(store, user)
    return found if found is not None and found.active else None


def check_email(email: str, field: str = "email") -> str:
    cleaned = email.strip()
    if not EMAIL.match(cleaned) or len(cleaned) > 254:
        raise UsageError(
            f"{field}: '{cleaned[:80]}' is not an e-mail address (e.g. sam@example.org)."
        )
    return cleaned


def check_full_name(name: str, field: str = "name") -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UsageError(f"{field}: type the person's name.")
    if len(cleaned) > MAX_NAME:
        raise UsageError(f"{field}: keep it under {MAX_NAME} characters.")
    return cleaned


def start(store: Store, user: int, org_name: str, full_name: str, email: str, now: datetime) -> int:
    """A new organisation with ``user`` as its administrator; returns its id."""
    from jobnudge.store import orgs

    name = " ".join(org_name.split())
    if not name:
        raise UsageError("organisation: type the organisation's name, e.g. 'Northside Careers'.")
    if len(name) > MAX_NAME:
        raise UsageError(f"organisation: keep the name under {MAX_NAME} characters.")
    return orgs.create(store, name, user, check_full_name(full_name), check_email(email), now)


def admin_of(store: Store, user: int) -> Member:
    """The acting administrator's membership, or NotFound (the page does not exist for them)."""
    found = membership(store, user)
    if found is None or found.role != "admin":
        raise NotFound("This page is for an organisation's administrators.")
    return found


def coach_of(store: Store, user: int) -> Member:
    """The acting coach's membership (administrators coach too), or NotFound."""
    found = membership(store, user)
    if found is None or found.role not in ("admin", "coach"):
        raise NotFound("This page is for an organisation's coaches.")
    return found


def members(store: Store, admin: int) -> list[Member]:
    from jobnudge.store import orgs

    return orgs.members(store, admin_of(store, admin).org_id)


PER_PAGE = 50


@dataclass(frozen=True)
class MembersPage:
    """One page of an organisation's members, as a search left them."""

    members: list[Member]
    total: int  # how many match the search
    page: int  # from 1
    pages: int
    search: str


def members_page(store: Store, admin: int, search: str = "", page: int = 1) -> MembersPage:
    """The members an administrator sees on one page (:data:`PER_PAGE`, by user name), those
    whose name, user name or e-mail contain ``search``; a page past the end shows the last."""
    from jobnudge.store import orgs

    org_id = admin_of(store, admin).org_id
    words = " ".join(search.split())[:100]
    page = max(1, page)
    found, total = orgs.members_page(store, org_id, words, (page - 1) * PER_PAGE, PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    if page > pages:
        page = pages
        found, total = orgs.members_page(store, org_id, words, (page - 1) * PER_PAGE, PER_PAGE)
    return MembersPage(found, total, page, max(1, -(-total // PER_PAGE)), words)


def pending_invitations(store: Store, admin: int, now: datetime) -> list[PendingInvite]:
    from jobnudge.store import org_invites

    return org_invites.pending(store, admin_of(store, admin).org_id, now)


def links(store: Store, admin: int, people: Sequence[int] | None = None) -> list[Link]:
    """The organisation's caseload links; only those naming one of ``people``, when given
    (the members on the page shown)."""
    from jobnudge.store import caseloads

    return caseloads.links_of_org(store, admin_of(store, admin).org_id, people)


def _other_member(store: Store, admin: int, target: int) -> Member:
    from jobnudge.store import orgs

    me = admin_of(store, admin)
    if target == admin:
        raise UsageError(
            "member: you cannot do this to your own account; ask another administrator."
        )
    return orgs.member_of(store, me.org_id, target)


def deactivate(store: Store, admin: int, target: int) -> Member:
    """Deactivate a member: they are signed out and cannot sign in; everything they recorded
    stays, and reactivating gives it all back."""
    from jobnudge.store import orgs

    member = _other_member(store, admin, target)
    orgs.set_active(store, member.org_id, target, False)
    return member


def reactivate(store: Store, admin: int, target: int) -> Member:
    from jobnudge.store import orgs

    member = _other_member(store, admin, target)
    orgs.set_active(store, member.org_id, target, True)
    return member


def delete(store: Store, admin: int, target: int, confirm: str) -> Member:
    """Delete a member and everything they recorded, for good: the user name must be typed."""
    from jobnudge.store import orgs

    member = _other_member(store, admin, target)
    if confirm.strip().lower() != member.name:
        raise UsageError(
            f"confirm: type the user name '{member.name}' to delete the account and its history."
        )
    orgs.delete_user(store, member.org_id, target)
    return member


def set_role(store: Store, admin: int, target: int, role: str) -> Member:
    """Make another member of the administrator's organisation an administrator, a coach or
    a job seeker (the words the invitations take: admin, coach, seeker)."""
    from jobnudge.services.org_invites import ROLE_NAMES
    from jobnudge.store import orgs

    chosen = ROLE_NAMES.get(role.strip().lower()) if role.strip() else None
    if chosen is None:
        raise UsageError(f"role: '{role[:40]}' is not a role; write seeker, coach or admin.")
    member = _other_member(store, admin, target)
    orgs.set_role(store, member.org_id, target, chosen)
    return orgs.member_of(store, member.org_id, target)


def member_named(store: Store, admin: int, name: str, field: str = "member") -> Member:
    """A member of the administrator's organisation by user name, active or not."""
    from jobnudge.store import orgs

    me = admin_of(store, admin)
    cleaned = name.strip().lower()
    for member in orgs.members(store, me.org_id):
        if member.name == cleaned:
            return member
    raise UsageError(f"{field}: nobody in {me.org_name} has the user name '{cleaned[:60]}'.")


def search(found: list[Member], text: str) -> list[Member]:
    """The members whose user name, full name, e-mail or role contains ``text`` (any case)."""
    wanted = text.strip().lower()
    if not wanted:
        return found
    return [
        m
        for m in found
        if wanted in m.name.lower()
        or wanted in m.full_name.lower()
        or wanted in m.email.lower()
        or wanted in ROLE_WORDS.get(m.role, m.role)
    ]


def _member_named(store: Store, org_id: int, name: str, field: str) -> int:
    from jobnudge.store import orgs

    cleaned = name.strip().lower()
    member = orgs.member_named(store, org_id, cleaned)
    if member is not None and member.active:
        return member.user_id
    raise UsageError(f"{field}: nobody active in your organisation has the user name '{cleaned}'.")


def ask(
    store: Store, actor: int, seeker_name: str, now: datetime, *, coach_name: str = ""
) -> tuple[str, str]:
    """Ask a job seeker to join a caseload: a coach asks for their own, an administrator for
    any coach's (``coach_name``). Nothing is visible to the coach until the seeker consents.
    Returns (coach's user name, seeker's user name)."""
    from jobnudge.store import caseloads, orgs

    me = coach_of(store, actor)
    coach = actor
    if coach_name.strip():
        if me.role != "admin" and coach_name.strip().lower() != me.name:
            raise UsageError("coach: only an administrator asks on another coach's behalf.")
        coach = _member_named(store, me.org_id, coach_name, "coach")
    seeker = _member_named(store, me.org_id, seeker_name, "seeker")
    try:
        caseloads.ask(store, me.org_id, coach, seeker, now)
    except NotFound as exc:
        raise UsageError(exc.message) from None
    return orgs.member_of(store, me.org_id, coach).name, seeker_name.strip().lower()


def requests_for(store: Store, seeker: int) -> list[Link]:
    """Every coach who asked ``seeker``, with where each request stands."""
    from jobnudge.store import caseloads

    return caseloads.links_of_seeker(store, seeker)


def answer(store: Store, seeker: int, coach: int, choice: str, now: datetime) -> None:
    """The job seeker's answer: "consent", "decline" or "withdraw" (their own requests only)."""
    from jobnudge.store import caseloads

    states = {"consent": caseloads.CONSENTED, "decline": "declined", "withdraw": "withdrawn"}
    state = states.get(choice)
    if state is None:
        raise UsageError("choice: answer consent, decline or withdraw.")
    caseloads.answer(store, seeker, coach, state, now)
