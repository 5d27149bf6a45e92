"""Accounts for the multi-user web app: sign-up by invitation, sign-in, sessions, sharing.

Passwords are hashed with argon2id (argon2-cffi's defaults: 64 MiB, 3 passes); only the hash is
stored, and a hash made with older parameters is upgraded at the next sign-in. Every message
names the field and the fix, and never says whether a user name exists.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from jobnudge.errors import UsageError

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from jobnudge.store import Store
    from jobnudge.store.accounts import Invitation, WebSession
    from jobnudge.store.signin_runs import DatabaseRuns

SESSION_LIFETIME = timedelta(days=30)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
RESERVED_NAMES = frozenset({"local", "admin", "root"})
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")

# A hash of nothing in particular, verified when the user name is unknown so that a wrong name
# takes as long as a wrong password (no timing oracle for who has an account).
_DUMMY: list[str] = []


def hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's recommended parameters


def shared_signin_runs(store: Store) -> DatabaseRuns:
    """Where the web workers of one server count failed sign-ins together (the database)."""
    from jobnudge.store.signin_runs import DatabaseRuns

    return DatabaseRuns(store)


def check_name(name: str) -> str:
    cleaned = name.strip().lower()
    if not _NAME.match(cleaned):
        raise UsageError(
            "name: use 2 to 40 lower-case letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit (e.g. 'alex' or 'alex.morgan')."
        )
    if cleaned in RESERVED_NAMES:
        raise UsageError(f"name: '{cleaned}' is reserved; choose another user name.")
    return cleaned


def check_password(password: str, name: str = "") -> str:
    if len(password) < MIN_PASSWORD:
        raise UsageError(
            f"password: use at least {MIN_PASSWORD} characters; a short phrase is easiest "
            "to remember."
        )
    if len(password) > MAX_PASSWORD:
        raise UsageError(f"password: keep it under {MAX_PASSWORD} characters.")
    if name and password.strip().lower() == name.lower():
        raise UsageError("password: must not be your user name.")
    return password


def sign_up(store: Store, token: str, name: str, password: str, now: datetime) -> int:
    """Create the account ``name`` with the invitation ``token``; return the user id."""
    from jobnudge.store import accounts

    cleaned = check_name(name)
    check_password(password, cleaned)
    return accounts.sign_up(store, token, cleaned, hasher().hash(password), now)


def verify(store: Store, name: str, password: str, now: datetime) -> int | None:
    """The user id when ``password`` is right for ``name``, else None (same cost either way)."""
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    from jobnudge.store import accounts

    ph = hasher()
    found = accounts.credential(store, name.strip().lower())
    if found is None:
        if not _DUMMY:
            _DUMMY.append(ph.hash("not a password of anyone"))
        with contextlib.suppress(VerifyMismatchError, VerificationError, InvalidHashError):
            ph.verify(_DUMMY[0], password)
        return None
    owner, stored = found
    try:
        ph.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if ph.check_needs_rehash(stored):
        accounts.set_password_hash(store, owner, ph.hash(password), now)
    return owner


def change_password(
    store: Store, owner: int, name: str, current: str, new: str, now: datetime
) -> None:
    from jobnudge.store import accounts

    if verify(store, name, current, now) != owner:
        raise UsageError("current: that is not your current password.")
    check_password(new, name)
    accounts.set_password_hash(store, owner, hasher().hash(new), now)
    accounts.end_sessions(store, owner)


# Sessions, invitations, sharing and the calendar feed: what the web routes and commands need,
# so that they never reach into the store themselves.


def deactivated(store: Store, owner: int) -> bool:
    """Whether an organisation deactivated this account (it then cannot sign in)."""
    from jobnudge.store import orgs

    return orgs.deactivated(store, owner)


def create_session(store: Store, owner: int, now: datetime) -> str:
    from jobnudge.store import accounts

    return accounts.create_session(store, owner, now, SESSION_LIFETIME)


def session(store: Store, token: str, now: datetime) -> WebSession | None:
    """The live session of the cookie's ``token``, kept alive when last seen over an hour ago."""
    from jobnudge.store import accounts

    found = accounts.session(store, token, now)
    if found is not None and (now - found.last_seen_at).total_seconds() > 3600:
        accounts.touch_session(store, token, now, now + SESSION_LIFETIME)
    return found


def end_session(store: Store, token: str) -> None:
    from jobnudge.store import accounts

    accounts.end_session(store, token)


def has_accounts(store: Store) -> bool:
    from jobnudge.store import accounts

    return accounts.has_accounts(store)


def user_id(store: Store, name: str, field: str = "--as") -> int:
    """The id of the account called ``name``, or a UsageError naming ``field``."""
    from jobnudge.store import accounts

    found = accounts.credential(store, name.strip().lower())
    if found is None:
        raise UsageError(f"{field}: no account is called '{name.strip()[:60]}' on this server.")
    return found[0]


def user_name(store: Store, owner: int) -> str:
    from jobnudge.store import accounts

    return accounts.user_name(store, owner)


def create_invitation(store: Store, inviter: int | None, note: str, now: datetime) -> str:
    from jobnudge.store import accounts

    return accounts.create_invitation(store, inviter, note, now)


def invitation_is_open(store: Store, token: str, now: datetime) -> bool:
    from jobnudge.store import accounts

    return accounts.invitation(store, token, now) is not None


def pending_invitations(store: Store, inviter: int, now: datetime) -> list[Invitation]:
    from jobnudge.store import accounts

    return accounts.pending_invitations(store, inviter, now)


def share(store: Store, owner: int, coach_name: str, now: datetime) -> int:
    from jobnudge.store import accounts

    return accounts.share(store, owner, coach_name, now)


def unshare(store: Store, owner: int, coach: int) -> None:
    from jobnudge.store import accounts

    accounts.unshare(store, owner, coach)


def coaches(store: Store, owner: int) -> list[tuple[int, str]]:
    from jobnudge.store import accounts

    return accounts.coaches(store, owner)


def shared_with(store: Store, coach: int) -> list[tuple[int, str]]:
    from jobnudge.store import accounts

    return accounts.shared_with(store, coach)


def may_view(store: Store, viewer: int, owner: int) -> bool:
    """Whether ``viewer`` may read ``owner``'s search: shared with them, or ``owner`` is in
    their caseload (with consent, both active in one organisation)."""
    from jobnudge.store import accounts, caseloads

    return accounts.may_view(store, viewer, owner) or caseloads.may_coach(store, viewer, owner)


def set_viewing(store: Store, token: str, viewing: int | None) -> None:
    from jobnudge.store import accounts

    accounts.set_viewing(store, token, viewing)


def new_feed_token(store: Store, owner: int, now: datetime) -> str:
    from jobnudge.store import accounts

    return accounts.new_feed_token(store, owner, now)


def has_feed_token(store: Store, owner: int) -> bool:
    from jobnudge.store import accounts

    return accounts.has_feed_token(store, owner)


def feed_owner(store: Store, token: str) -> int | None:
    from jobnudge.store import accounts

    return accounts.feed_owner(store, token)
