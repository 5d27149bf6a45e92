"""Accounts for the multi-user web app: credentials, sessions, invitations, shares, feed tokens.

Tokens handed to a browser or put in a link are random; only their SHA-256 is stored, so a copy
of the database lets nobody sign in or accept an invitation. Passwords arrive here already
hashed (argon2id, ``services.accounts``). Every function takes the :class:`Store` and runs one
short transaction; writes begin IMMEDIATE on SQLite like the store's own.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, delete, insert, select, update

from jobnudge.errors import Conflict, NotFound
from jobnudge.store.account_tables import (
    credentials,
    feed_tokens,
    invitations,
    shares,
    web_sessions,
)
from jobnudge.store.core import Store
from jobnudge.store.tables import users


def new_token() -> str:
    """A random token for a cookie or a link (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored instead of ``token``."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class WebSession:
    owner: int
    name: str
    expires_at: datetime
    last_seen_at: datetime
    viewing: int | None  # whose search a coach is looking at; None: their own


@dataclass(frozen=True, slots=True)
class Invitation:
    inviter: int | None
    note: str
    expires_at: datetime
    used: bool


@contextmanager
def _read(store: Store) -> Iterator[Connection]:
    with store.reading() as conn:
        yield conn


# Users and credentials


def user_name(store: Store, owner: int) -> str:
    with _read(store) as conn:
        name = conn.scalar(select(users.c.name).where(users.c.id == owner))
    if name is None:
        raise NotFound(f"No user with id {owner}.")
    return str(name)


def has_accounts(store: Store) -> bool:
    """Whether anybody can sign in yet (else the first invitation is printed at start-up)."""
    with _read(store) as conn:
        return conn.scalar(select(credentials.c.owner_id).limit(1)) is not None


def credential(store: Store, name: str) -> tuple[int, str] | None:
    """The user id and password hash of the account called ``name``, if there is one."""
    with _read(store) as conn:
        row = conn.execute(
            select(users.c.id, credentials.c.password_hash)
            .join(credentials, credentials.c.owner_id == users.c.id)
            .where(users.c.name == name)
        ).first()
    return None if row is None else (int(row.id), str(row.password_hash))


def set_password_hash(store: Store, owner: int, password_hash: str, now: datetime) -> None:
    with store.writing() as conn:
        conn.execute(
            update(credentials)
            .where(credentials.c.owner_id == owner)
            .values(password_hash=password_hash, updated_at=now)
        )


# Invitations


def create_invitation(
    store: Store, inviter: int | None, note: str, now: datetime, *, days: int = 14
) -> str:
    """A new invitation; returns the token to put in the sign-up link (shown once)."""
    token = new_token()
    with store.writing() as conn:
        conn.execute(
            insert(invitations).values(
                token_hash=token_hash(token),
                owner_id=inviter,
                note=note.strip(),
                created_at=now,
                expires_at=now + timedelta(days=days),
                used_by=None,
                used_at=None,
            )
        )
    return token


def invitation(store: Store, token: str, now: datetime) -> Invitation | None:
    """The invitation ``token`` opens, if it exists, is unused and has not expired."""
    with _read(store) as conn:
        row = conn.execute(
            select(invitations).where(invitations.c.token_hash == token_hash(token))
        ).first()
    if row is None or row.used_by is not None or row.expires_at <= now:
        return None
    return Invitation(row.owner_id, row.note, row.expires_at, row.used_by is not None)


def pending_invitations(store: Store, inviter: int, now: datetime) -> list[Invitation]:
    with _read(store) as conn:
        rows = conn.execute(
            select(invitations)
            .where(
                invitations.c.owner_id == inviter,
                invitations.c.used_by.is_(None),
                invitations.c.expires_at > now,
            )
            .order_by(invitations.c.created_at)
        )
        return [Invitation(r.owner_id, r.note, r.expires_at, False) for r in rows]


def sign_up(store: Store, token: str, name: str, password_hash: str, now: datetime) -> int:
    """Use the invitation ``token`` to create the account ``name``; return its user id.

    One transaction: the invitation is consumed exactly once even when two sign-ups race.
    """
    with store.writing() as conn:
        row = conn.execute(
            select(invitations).where(invitations.c.token_hash == token_hash(token))
        ).first()
        if row is None or row.used_by is not None or row.expires_at <= now:
            raise NotFound(
                "invitation: this sign-up link is unknown, used or expired; ask for a new one."
            )
        if conn.scalar(select(users.c.id).where(users.c.name == name)) is not None:
            raise Conflict(f"name: '{name}' is taken; choose another user name.")
        owner = conn.execute(
            insert(users).values(name=name, created_at=now, settings={})
        ).inserted_primary_key
        assert owner is not None
        user_id = int(owner[0])
        conn.execute(
            insert(credentials).values(
                owner_id=user_id, password_hash=password_hash, created_at=now, updated_at=now
            )
        )
        used = conn.execute(
            update(invitations)
            .where(invitations.c.token_hash == row.token_hash, invitations.c.used_by.is_(None))
            .values(used_by=user_id, used_at=now)
        )
        if used.rowcount != 1:
            raise Conflict("invitation: this sign-up link was used a moment ago.")
        from jobnudge.store.org_invites import join_by_invitation

        join_by_invitation(conn, row.token_hash, user_id, now)
    return user_id


# Sessions


def create_session(store: Store, owner: int, now: datetime, lifetime: timedelta) -> str:
    """A new signed-in session; returns the token for the cookie."""
    token = new_token()
    with store.writing() as conn:
        conn.execute(
            insert(web_sessions).values(
                token_hash=token_hash(token),
                owner_id=owner,
                created_at=now,
                expires_at=now + lifetime,
                last_seen_at=now,
                viewing_id=None,
            )
        )
    return token


def session(store: Store, token: str, now: datetime) -> WebSession | None:
    """The live session the cookie's ``token`` belongs to, if any."""
    with _read(store) as conn:
        row = conn.execute(
            select(web_sessions, users.c.name)
            .join(users, users.c.id == web_sessions.c.owner_id)
            .where(web_sessions.c.token_hash == token_hash(token))
        ).first()
    if row is None or row.expires_at <= now:
        return None
    return WebSession(row.owner_id, row.name, row.expires_at, row.last_seen_at, row.viewing_id)


def touch_session(store: Store, token: str, now: datetime, expires_at: datetime) -> None:
    with store.writing() as conn:
        conn.execute(
            update(web_sessions)
            .where(web_sessions.c.token_hash == token_hash(token))
            .values(last_seen_at=now, expires_at=expires_at)
        )


def end_session(store: Store, token: str) -> None:
    with store.writing() as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == token_hash(token)))


def end_sessions(store: Store, owner: int) -> None:
    """Sign the user out everywhere (after a password change)."""
    with store.writing() as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.owner_id == owner))


def set_viewing(store: Store, token: str, viewing: int | None) -> None:
    with store.writing() as conn:
        conn.execute(
            update(web_sessions)
            .where(web_sessions.c.token_hash == token_hash(token))
            .values(viewing_id=viewing)
        )


# Sharing with a career coach (read-only)


def share(store: Store, owner: int, coach_name: str, now: datetime) -> int:
    """Let the account ``coach_name`` read ``owner``'s search; return the coach's id."""
    with store.writing() as conn:
        coach = conn.scalar(
            select(users.c.id)
            .join(credentials, credentials.c.owner_id == users.c.id)
            .where(users.c.name == coach_name)
        )
        if coach is None:
            raise NotFound(
                f"coach: nobody has an account called '{coach_name}'; invite them first, "
                "then share with the user name they chose."
            )
        if coach == owner:
            raise Conflict("coach: you can always see your own search; name someone else.")
        exists = conn.scalar(
            select(shares.c.coach_id).where(shares.c.owner_id == owner, shares.c.coach_id == coach)
        )
        if exists is None:
            conn.execute(insert(shares).values(owner_id=owner, coach_id=coach, created_at=now))
    return int(coach)


def unshare(store: Store, owner: int, coach: int) -> None:
    with store.writing() as conn:
        conn.execute(delete(shares).where(shares.c.owner_id == owner, shares.c.coach_id == coach))
        conn.execute(
            update(web_sessions)
            .where(web_sessions.c.owner_id == coach, web_sessions.c.viewing_id == owner)
            .values(viewing_id=None)
        )


def coaches(store: Store, owner: int) -> list[tuple[int, str]]:
    """Who may read ``owner``'s search: (user id, name)."""
    with _read(store) as conn:
        rows = conn.execute(
            select(users.c.id, users.c.name)
            .join(shares, and_(shares.c.coach_id == users.c.id, shares.c.owner_id == owner))
            .order_by(users.c.name)
        )
        return [(int(r.id), str(r.name)) for r in rows]


def shared_with(store: Store, coach: int) -> list[tuple[int, str]]:
    """Whose searches ``coach`` may read: (user id, name)."""
    with _read(store) as conn:
        rows = conn.execute(
            select(users.c.id, users.c.name)
            .join(shares, and_(shares.c.owner_id == users.c.id, shares.c.coach_id == coach))
            .order_by(users.c.name)
        )
        return [(int(r.id), str(r.name)) for r in rows]


def may_view(store: Store, coach: int, owner: int) -> bool:
    with _read(store) as conn:
        found = conn.scalar(
            select(shares.c.owner_id).where(shares.c.owner_id == owner, shares.c.coach_id == coach)
        )
    return found is not None


# Calendar feed


def new_feed_token(store: Store, owner: int, now: datetime) -> str:
    """A fresh calendar-feed token for ``owner``, replacing (and so revoking) the old one."""
    token = new_token()
    with store.writing() as conn:
        conn.execute(delete(feed_tokens).where(feed_tokens.c.owner_id == owner))
        conn.execute(
            insert(feed_tokens).values(token_hash=token_hash(token), owner_id=owner, created_at=now)
        )
    return token


def has_feed_token(store: Store, owner: int) -> bool:
    with _read(store) as conn:
        return (
            conn.scalar(select(feed_tokens.c.owner_id).where(feed_tokens.c.owner_id == owner))
            is not None
        )


def feed_owner(store: Store, token: str) -> int | None:
    with _read(store) as conn:
        found = conn.scalar(
            select(feed_tokens.c.owner_id).where(feed_tokens.c.token_hash == token_hash(token))
        )
    return None if found is None else int(found)


def account_ids(store: Store) -> list[int]:
    """Every account (a user who can sign in), in id order."""
    with _read(store) as conn:
        return [
            int(uid)
            for uid in conn.scalars(
                select(users.c.id)
                .join(credentials, credentials.c.owner_id == users.c.id)
                .order_by(users.c.id)
            )
        ]


def mail_owners(store: Store) -> list[int]:
    """The accounts whose settings name a mailbox (``[mail] username``), in id order."""
    with _read(store) as conn:
        rows = conn.execute(
            select(users.c.id, users.c.settings)
            .join(credentials, credentials.c.owner_id == users.c.id)
            .order_by(users.c.id)
        ).all()
    found = []
    for row in rows:
        doc = row.settings if isinstance(row.settings, dict) else {}
        mail = doc.get("mail")
        if isinstance(mail, dict) and mail.get("username"):
            found.append(int(row.id))
    return found
