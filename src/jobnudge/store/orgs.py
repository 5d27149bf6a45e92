"""Organisations in the database: members and their roles, caseloads
with the job seeker's consent, coaches' private notes and the comments a seeker sees on Today
(invitations on behalf of an organisation are ``store.org_invites``).

Every function takes the :class:`Store` and runs one short transaction. Scoping is done here,
in the queries: a coach's reads name the coach, an administrator's name the organisation, and a
pair that does not qualify (no consent, another organisation, a deactivated member) reads as
absent, exactly like an unknown id.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, or_, select, update

from jobnudge.errors import Conflict, NotFound
from jobnudge.store.account_tables import invitations, web_sessions
from jobnudge.store.cohort_results import forget_including
from jobnudge.store.core import Store
from jobnudge.store.org_tables import (
    org_invitations,
    org_members,
    organisations,
)
from jobnudge.store.tables import metadata, users

ROLES = ("admin", "coach", "seeker")
CONSENTED = "consented"


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    name: str  # the account's user name
    org_id: int
    org_name: str
    role: str
    full_name: str
    email: str
    active: bool
    joined_at: datetime


@contextmanager
def _read(store: Store) -> Iterator[Connection]:
    with store.reading() as conn:
        yield conn


def _member_select() -> Select[Any]:
    return (
        select(org_members, users.c.name, organisations.c.name.label("org_name"))
        .join(users, users.c.id == org_members.c.user_id)
        .join(organisations, organisations.c.id == org_members.c.org_id)
    )


def _member(row: object) -> Member:
    r = row._mapping  # type: ignore[attr-defined]
    return Member(
        int(r["user_id"]),
        str(r["name"]),
        int(r["org_id"]),
        str(r["org_name"]),
        str(r["role"]),
        str(r["full_name"]),
        str(r["email"]),
        bool(r["active"]),
        r["joined_at"],
    )


# Organisations and members


def create(store: Store, name: str, admin: int, full_name: str, email: str, now: datetime) -> int:
    """A new organisation with ``admin`` as its first administrator; returns its id."""
    with store.writing() as conn:
        if conn.scalar(select(org_members.c.org_id).where(org_members.c.user_id == admin)):
            raise Conflict("organisation: your account already belongs to an organisation.")
        made = conn.execute(insert(organisations).values(name=name, created_at=now))
        org_id = int(made.inserted_primary_key[0])  # type: ignore[index]
        conn.execute(
            insert(org_members).values(
                user_id=admin,
                org_id=org_id,
                role="admin",
                full_name=full_name,
                email=email,
                active=True,
                joined_at=now,
            )
        )
    return org_id


def membership(store: Store, user: int) -> Member | None:
    with _read(store) as conn:
        row = conn.execute(_member_select().where(org_members.c.user_id == user)).first()
    return None if row is None else _member(row)


def members(store: Store, org_id: int) -> list[Member]:
    with _read(store) as conn:
        rows = conn.execute(
            _member_select().where(org_members.c.org_id == org_id).order_by(users.c.name)
        )
        return [_member(r) for r in rows]


def seeker_ids(store: Store, org_id: int) -> list[int]:
    """Every job seeker of ``org_id`` (deactivated ones too: their history still counts)."""
    with _read(store) as conn:
        return [
            int(uid)
            for uid in conn.scalars(
                select(org_members.c.user_id)
                .where(org_members.c.org_id == org_id, org_members.c.role == "seeker")
                .order_by(org_members.c.user_id)
            )
        ]


def member_ids(store: Store, org_id: int) -> list[int]:
    """Every member of ``org_id``, whatever their role and deactivated ones too, in id order."""
    with _read(store) as conn:
        return [
            int(uid)
            for uid in conn.scalars(
                select(org_members.c.user_id)
                .where(org_members.c.org_id == org_id)
                .order_by(org_members.c.user_id)
            )
        ]


def organisation_names(store: Store) -> list[tuple[int, str]]:
    """Every organisation's id and name, by id."""
    with _read(store) as conn:
        rows = conn.execute(
            select(organisations.c.id, organisations.c.name).order_by(organisations.c.id)
        )
        return [(int(r.id), str(r.name)) for r in rows]


def like_pattern(words: str) -> str:
    """A case-insensitive LIKE pattern matching ``words`` anywhere, its wildcards escaped."""
    escaped = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def members_page(
    store: Store, org_id: int, search: str, offset: int, limit: int
) -> tuple[list[Member], int]:
    """One page of the members (by user name) whose full name, user name or e-mail contains
    ``search`` (any case), and how many match in all: an organisation of thousands is read a
    page at a time, never whole."""
    query = _member_select().where(org_members.c.org_id == org_id)
    count = (
        select(func.count())
        .select_from(org_members)
        .join(users, users.c.id == org_members.c.user_id)
    )
    count = count.where(org_members.c.org_id == org_id)
    words = search.strip()
    if words:
        pattern = like_pattern(words)
        match = or_(
            func.lower(org_members.c.full_name).like(pattern, escape="\\"),
            users.c.name.like(pattern, escape="\\"),
            func.lower(org_members.c.email).like(pattern, escape="\\"),
        )
        query, count = query.where(match), count.where(match)
    with _read(store) as conn:
        total = int(conn.scalar(count) or 0)
        rows = conn.execute(
            query.order_by(users.c.name, users.c.id).offset(max(0, offset)).limit(limit)
        )
        return [_member(r) for r in rows], total


def member_named(store: Store, org_id: int, name: str) -> Member | None:
    """The member of ``org_id`` whose user name is ``name``, if any."""
    with _read(store) as conn:
        row = conn.execute(
            _member_select().where(org_members.c.org_id == org_id, users.c.name == name)
        ).first()
    return None if row is None else _member(row)


def member_of(store: Store, org_id: int, user: int) -> Member:
    """The member ``user`` of ``org_id``; NotFound for anyone else (another organisation's)."""
    with _read(store) as conn:
        row = conn.execute(
            _member_select().where(org_members.c.org_id == org_id, org_members.c.user_id == user)
        ).first()
    if row is None:
        raise NotFound(f"No member with id {user}.")
    return _member(row)


def set_active(store: Store, org_id: int, user: int, active: bool) -> None:
    """Deactivate (sessions end, history kept) or reactivate a member of ``org_id``."""
    with store.writing() as conn:
        done = conn.execute(
            update(org_members)
            .where(org_members.c.org_id == org_id, org_members.c.user_id == user)
            .values(active=active)
        )
        if done.rowcount != 1:
            raise NotFound(f"No member with id {user}.")
        forget_including(conn, user)
        if not active:
            conn.execute(delete(web_sessions).where(web_sessions.c.owner_id == user))


def set_role(store: Store, org_id: int, user: int, role: str) -> None:
    """Make the member ``user`` of ``org_id`` an administrator, a coach or a job seeker."""
    if role not in ROLES:
        raise ValueError(role)
    with store.writing() as conn:
        done = conn.execute(
            update(org_members)
            .where(org_members.c.org_id == org_id, org_members.c.user_id == user)
            .values(role=role)
        )
        if done.rowcount != 1:
            raise NotFound(f"No member with id {user}.")
        forget_including(conn, user)


def delete_user(store: Store, org_id: int, user: int) -> None:
    """Remove the member ``user`` of ``org_id`` and everything they ever recorded, in one
    transaction: every row of every table that names them (whatever later revisions add)."""
    with store.writing() as conn:
        found = conn.scalar(
            select(org_members.c.user_id).where(
                org_members.c.org_id == org_id, org_members.c.user_id == user
            )
        )
        if found is None:
            raise NotFound(f"No member with id {user}.")
        forget_including(conn, user)
        conn.execute(
            update(web_sessions).where(web_sessions.c.viewing_id == user).values(viewing_id=None)
        )
        conn.execute(update(invitations).where(invitations.c.used_by == user).values(used_by=None))
        for table in reversed(metadata.sorted_tables):
            if table is users:
                continue
            columns = [c for c in table.columns for fk in c.foreign_keys if fk.column is users.c.id]
            for column in columns:
                if table is invitations and column.name == "used_by":
                    continue
                if table is invitations:
                    conn.execute(
                        delete(org_invitations).where(
                            org_invitations.c.token_hash.in_(
                                select(invitations.c.token_hash).where(column == user)
                            )
                        )
                    )
                conn.execute(delete(table).where(column == user))
        conn.execute(delete(users).where(users.c.id == user))


def deactivated(store: Store, user: int) -> bool:
    with _read(store) as conn:
        active = conn.scalar(select(org_members.c.active).where(org_members.c.user_id == user))
    return active is not None and not active
