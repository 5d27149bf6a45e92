"""The ``user_secrets`` rows: sealed values only (sealing and opening is
``services.user_secrets``'s job, with the server key this module never sees)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update

from jobnudge.store.account_tables import user_secrets
from jobnudge.store.accounts import _read
from jobnudge.store.core import Store


def put(store: Store, owner: int, name: str, sealed: str, now: datetime) -> None:
    """Store ``sealed`` as ``owner``'s secret ``name``, replacing an earlier one."""
    table = user_secrets
    with store.writing() as conn:
        where = (table.c.owner_id == owner) & (table.c.name == name)
        if conn.scalar(select(table.c.name).where(where)) is None:
            conn.execute(
                insert(table).values(owner_id=owner, name=name, sealed=sealed, updated_at=now)
            )
        else:
            conn.execute(update(table).where(where).values(sealed=sealed, updated_at=now))


def get(store: Store, owner: int, name: str) -> str | None:
    table = user_secrets
    with _read(store) as conn:
        return conn.scalar(
            select(table.c.sealed).where((table.c.owner_id == owner) & (table.c.name == name))
        )


def remove(store: Store, owner: int, name: str) -> bool:
    """Forget ``owner``'s secret ``name``; whether there was one."""
    table = user_secrets
    with store.writing() as conn:
        result = conn.execute(
            delete(table).where((table.c.owner_id == owner) & (table.c.name == name))
        )
    return bool(result.rowcount)


def names(store: Store, owner: int) -> list[str]:
    table = user_secrets
    with _read(store) as conn:
        return list(
            conn.scalars(
                select(table.c.name).where(table.c.owner_id == owner).order_by(table.c.name)
            )
        )


def all_sealed(store: Store) -> list[tuple[int, str, str]]:
    """Every (owner, name, sealed) row, for rotating the server key."""
    table = user_secrets
    with _read(store) as conn:
        rows = conn.execute(select(table.c.owner_id, table.c.name, table.c.sealed)).all()
    return [(row[0], row[1], row[2]) for row in rows]


def reseal(store: Store, changes: list[tuple[int, str, str, str]], now: datetime) -> int:
    """Replace sealed values in one transaction: (owner, name, old sealed, new sealed); a row
    changed meanwhile (its old value differs) is left as it is. The number replaced."""
    table = user_secrets
    done = 0
    with store.writing() as conn:
        for owner, name, old, new in changes:
            result = conn.execute(
                update(table)
                .where(
                    (table.c.owner_id == owner) & (table.c.name == name) & (table.c.sealed == old)
                )
                .values(sealed=new, updated_at=now)
            )
            done += result.rowcount
    return done
