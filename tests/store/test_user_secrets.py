"""A server's secrets for its users: sealed in the database, each only its owner's, rotatable."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text

from jobnudge import secretbox
from jobnudge.errors import UsageError
from jobnudge.secretbox import SecretError
from jobnudge.services import user_secrets
from jobnudge.store import Store

CLEAR = "correct-horse-battery-staple-7731"


def _ring(*keys: str) -> secretbox.KeyRing:
    return secretbox.parse_keys(",".join(keys), "test")


def _dump(store: Store) -> str:
    """Every cell of every table, as text: what a copy of the database shows."""
    from jobnudge.store.tables import metadata

    cells = []
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(text(f'SELECT * FROM "{table.name}"')):
                cells.extend(str(value) for value in row)
    return "\n".join(cells)


def test_a_secret_is_kept_sealed_and_opens_for_its_owner_only(
    store: Store, pinned_now: datetime
) -> None:
    ring = _ring(secretbox.new_key())
    alice, bob = store.ensure_user("alice"), store.ensure_user("bob")
    user_secrets.put(store, ring, alice, "mail.password", CLEAR, pinned_now)
    assert user_secrets.get(store, ring, alice, "mail.password") == CLEAR
    assert user_secrets.get(store, ring, bob, "mail.password") is None
    assert CLEAR not in _dump(store)
    assert user_secrets.names(store, alice) == ["mail.password"]

    # Copying alice's sealed value into bob's row does not give bob her password.
    with store.engine.begin() as conn:
        sealed = conn.scalar(
            text("SELECT sealed FROM user_secrets WHERE owner_id = :o"), {"o": alice}
        )
        conn.execute(
            text("INSERT INTO user_secrets VALUES (:o, 'mail.password', :s, :t)"),
            {"o": bob, "s": sealed, "t": pinned_now.replace(tzinfo=None)},
        )
    with pytest.raises(SecretError):
        user_secrets.get(store, ring, bob, "mail.password")

    user_secrets.put(store, ring, alice, "mail.password", "a-new-one-1234", pinned_now)
    assert user_secrets.get(store, ring, alice, "mail.password") == "a-new-one-1234"
    assert user_secrets.delete(store, alice, "mail.password")
    assert not user_secrets.delete(store, alice, "mail.password")
    assert user_secrets.get(store, ring, alice, "mail.password") is None


def test_rotation_reseals_everything_and_the_old_key_can_then_go(
    store: Store, pinned_now: datetime
) -> None:
    old, new = secretbox.new_key(), secretbox.new_key()
    owners = [store.ensure_user(f"user{i}") for i in range(3)]
    for owner in owners:
        user_secrets.put(store, _ring(old), owner, "mail.password", f"{CLEAR}-{owner}", pinned_now)
    with pytest.raises(SecretError):  # without the old key nothing is changed
        user_secrets.reseal_all(store, _ring(new), pinned_now)
    assert user_secrets.reseal_all(store, _ring(new, old), pinned_now) == (3, 0)
    assert user_secrets.reseal_all(store, _ring(new, old), pinned_now) == (0, 3)
    for owner in owners:
        assert user_secrets.get(store, _ring(new), owner, "mail.password") == f"{CLEAR}-{owner}"


@pytest.mark.parametrize("name", ["", "Mail", "mail password", "x" * 81, "../etc"])
def test_a_bad_secret_name_is_refused(store: Store, pinned_now: datetime, name: str) -> None:
    ring = _ring(secretbox.new_key())
    owner = store.ensure_user("alice")
    with pytest.raises(UsageError, match="secret name"):
        user_secrets.put(store, ring, owner, name, CLEAR, pinned_now)


def test_an_empty_or_huge_secret_is_refused(store: Store, pinned_now: datetime) -> None:
    ring = _ring(secretbox.new_key())
    owner = store.ensure_user("alice")
    with pytest.raises(UsageError, match="empty"):
        user_secrets.put(store, ring, owner, "mail.password", "", pinned_now)
    with pytest.raises(UsageError, match="under"):
        user_secrets.put(store, ring, owner, "mail.password", "x" * 20_000, pinned_now)
    assert user_secrets.names(store, owner) == []
