"""A user's secrets on a server with accounts: mailbox passwords, refresh tokens, notification
URLs. Sealed with the server key (``jobnudge.secretbox``) before they reach the store, with
the owner and the secret's name as the context, so one account's value never opens as
another's. Never logged, never in backups or exports.
"""

from __future__ import annotations

import re
from datetime import datetime

from jobnudge.errors import UsageError
from jobnudge.secretbox import KeyRing
from jobnudge.store import Store

MAX_SECRET = 16_384
_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,79}$")


def _context(owner: int, name: str) -> str:
    return f"user:{owner}:{name}"


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise UsageError(f"secret name {name!r}: use lower-case letters, digits, dots or dashes.")
    return name


def put(store: Store, keyring: KeyRing, owner: int, name: str, value: str, now: datetime) -> None:
    """Keep ``value`` as ``owner``'s secret ``name`` (replacing an earlier one)."""
    from jobnudge.store import user_secrets

    if not value:
        raise UsageError(f"{name}: the secret is empty; enter it, or remove it instead.")
    if len(value) > MAX_SECRET:
        raise UsageError(f"{name}: keep the secret under {MAX_SECRET} characters.")
    sealed = keyring.seal(value, _context(owner, _check_name(name)))
    user_secrets.put(store, owner, name, sealed, now)


def get(store: Store, keyring: KeyRing, owner: int, name: str) -> str | None:
    """``owner``'s secret ``name`` in clear, or None; SecretError if it does not open."""
    from jobnudge.store import user_secrets

    sealed = user_secrets.get(store, owner, _check_name(name))
    return None if sealed is None else keyring.open(sealed, _context(owner, name))


def delete(store: Store, owner: int, name: str) -> bool:
    from jobnudge.store import user_secrets

    return user_secrets.remove(store, owner, _check_name(name))


def names(store: Store, owner: int) -> list[str]:
    from jobnudge.store import user_secrets

    return user_secrets.names(store, owner)


def reseal_all(store: Store, keyring: KeyRing, now: datetime) -> tuple[int, int]:
    """Re-seal every secret not sealed with the newest key (after a new key was put first).
    Returns (re-sealed, already current); SecretError, changing nothing, if any secret does not
    open with the keys given (the old key must stay listed until this has run)."""
    from jobnudge.store import user_secrets

    changes = []
    current = 0
    for owner, name, sealed in user_secrets.all_sealed(store):
        if keyring.is_current(sealed):
            current += 1
            continue
        value = keyring.open(sealed, _context(owner, name))
        changes.append((owner, name, sealed, keyring.seal(value, _context(owner, name))))
    return user_secrets.reseal(store, changes, now), current
