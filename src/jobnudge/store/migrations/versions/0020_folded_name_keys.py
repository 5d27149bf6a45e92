"""Company and contact names keyed without case, accents or typographic marks.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07

``name_key`` held the case-folded name, so "Muller GmbH" logged after "Müller GmbH" (or
"O’Reilly" after "O'Reilly") became a second company, while every look-up by name already
ignored accents and typographic marks. The key is now ``typography.name_key``. Companies an
older version let in twice under one new key are not merged (that would move the user's
records without asking): the oldest takes the key, each later one keeps a key no typed name can
give (the key, a unit separator, its id), so it stays reachable by id and can be renamed.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | None = None
depends_on: str | None = None

APART = "\x1f"  # a control character: refused in every stored name, so never typed


def _rekey(table: str, key: Callable[[str], str], *, unique: bool) -> None:
    conn = op.get_bind()
    names = sa.table(
        table, sa.column("id", sa.Integer), sa.column("owner_id", sa.Integer),
        sa.column("name", sa.Text), sa.column("name_key", sa.Text),
    )  # fmt: skip
    rows = conn.execute(
        sa.select(names.c.id, names.c.owner_id, names.c.name, names.c.name_key).order_by(
            names.c.owner_id, names.c.id
        )
    ).all()
    taken: set[tuple[int, str]] = set()
    changed: list[dict[str, object]] = []
    for row_id, owner, name, old in rows:
        new = key(name)
        if unique and (owner, new) in taken:
            new = f"{new}{APART}{row_id}"
        taken.add((owner, new))
        if new != old:
            changed.append({"row_id": row_id, "new": new, "parked": f"{APART}{row_id}"})
    if not changed:
        return
    by_id = names.c.id == sa.bindparam("row_id")
    # Parked first, so that no row takes a key another still holds (the unique constraint).
    conn.execute(sa.update(names).where(by_id).values(name_key=sa.bindparam("parked")), changed)
    conn.execute(sa.update(names).where(by_id).values(name_key=sa.bindparam("new")), changed)


def upgrade() -> None:
    from jobnudge.typography import name_key

    _rekey("companies", name_key, unique=True)
    _rekey("contacts", name_key, unique=False)


def downgrade() -> None:
    def casefolded(name: str) -> str:
        return name.casefold()

    _rekey("companies", casefolded, unique=True)
    _rekey("contacts", casefolded, unique=False)
