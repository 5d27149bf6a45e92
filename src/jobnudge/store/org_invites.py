"""Invitations on behalf of an organisation in the database: sending them in bulk (one
transaction), which addresses already have one, those still pending, and joining the
organisation by one. Apart from the members and their roles (store.orgs), which an
invitation only becomes once it is used."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, insert, select, update

from jobnudge.store.account_tables import invitations
from jobnudge.store.accounts import new_token, token_hash
from jobnudge.store.core import Store
from jobnudge.store.org_tables import (
    org_invitations,
    org_members,
)


@dataclass(frozen=True, slots=True)
class PendingInvite:
    full_name: str
    email: str
    role: str
    created_at: datetime
    expires_at: datetime
    mail_result: str


def invite(
    store: Store,
    org_id: int,
    inviter: int,
    people: Sequence[tuple[str, str, str]],
    now: datetime,
    *,
    days: int = 14,
    replacing: Sequence[str] = (),
) -> list[str]:
    """One invitation per (full name, e-mail, role), all in one transaction; returns the
    tokens in the same order (each shown or mailed once, only its hash stored). The open
    invitations of the ``replacing`` addresses end in the same transaction: a new link sent
    again makes the one sent before it useless."""
    tokens = [new_token() for _ in people]
    with store.writing() as conn:
        wanted = [email.lower() for email in replacing]
        if wanted:
            old = select(org_invitations.c.token_hash).where(
                org_invitations.c.org_id == org_id,
                func.lower(org_invitations.c.email).in_(wanted),
            )
            conn.execute(
                update(invitations)
                .where(
                    invitations.c.token_hash.in_(old),
                    invitations.c.used_by.is_(None),
                    invitations.c.expires_at > now,
                )
                .values(expires_at=now)
            )
        for token, (full_name, email, role) in zip(tokens, people, strict=True):
            conn.execute(
                insert(invitations).values(
                    token_hash=token_hash(token),
                    owner_id=inviter,
                    note=f"{full_name} <{email}>",
                    created_at=now,
                    expires_at=now + timedelta(days=days),
                    used_by=None,
                    used_at=None,
                )
            )
            conn.execute(
                insert(org_invitations).values(
                    token_hash=token_hash(token),
                    org_id=org_id,
                    role=role,
                    full_name=full_name,
                    email=email,
                    created_at=now,
                    mail_result="not sent yet",
                )
            )
    return tokens


def record_mail(store: Store, results: Iterable[tuple[str, str]]) -> None:
    """Note how each invitation's mail went: (token, "sent" or the reason it did not)."""
    with store.writing() as conn:
        for token, result in results:
            conn.execute(
                update(org_invitations)
                .where(org_invitations.c.token_hash == token_hash(token))
                .values(mail_result=result[:500])
            )


@dataclass(frozen=True, slots=True)
class Taken:
    """Why an address needs no new invitation: ``member`` (with the member's name) or an
    ``invited`` one still open (with the day it was made)."""

    kind: str  # "member" or "invited"
    name: str = ""
    since: datetime | None = None


def taken_addresses(store: Store, org_id: int, now: datetime) -> dict[str, Taken]:
    """The organisation's members' and open invitations' addresses (lower case), each with
    why a new invitation to it would be one too many (a member first)."""
    with store.reading() as conn:
        found = {
            str(email).lower(): Taken("member", name=str(name))
            for email, name in conn.execute(
                select(org_members.c.email, org_members.c.full_name).where(
                    org_members.c.org_id == org_id
                )
            )
        }
        for email, made in conn.execute(
            select(org_invitations.c.email, org_invitations.c.created_at)
            .join(invitations, invitations.c.token_hash == org_invitations.c.token_hash)
            .where(
                org_invitations.c.org_id == org_id,
                invitations.c.used_by.is_(None),
                invitations.c.expires_at > now,
            )
            .order_by(org_invitations.c.created_at)
        ):
            found.setdefault(str(email).lower(), Taken("invited", since=made))
    return found


def pending(store: Store, org_id: int, now: datetime) -> list[PendingInvite]:
    with store.reading() as conn:
        rows = conn.execute(
            select(org_invitations, invitations.c.expires_at)
            .join(invitations, invitations.c.token_hash == org_invitations.c.token_hash)
            .where(
                org_invitations.c.org_id == org_id,
                invitations.c.used_by.is_(None),
                invitations.c.expires_at > now,
            )
            .order_by(org_invitations.c.created_at, org_invitations.c.full_name)
        )
        return [
            PendingInvite(r.full_name, r.email, r.role, r.created_at, r.expires_at, r.mail_result)
            for r in rows
        ]


def join_by_invitation(conn: Connection, hashed: str, user: int, now: datetime) -> None:
    """Inside the sign-up's transaction: an organisation's invitation makes the new account a
    member with the invitation's role (no row: an ordinary invitation, nothing to do)."""
    row = conn.execute(
        select(org_invitations).where(org_invitations.c.token_hash == hashed)
    ).first()
    if row is None:
        return
    conn.execute(
        insert(org_members).values(
            user_id=user,
            org_id=row.org_id,
            role=row.role,
            full_name=row.full_name,
            email=row.email,
            active=True,
            joined_at=now,
        )
    )
