"""Company and contact names keyed without any invisible format character.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07

``name_key`` dropped six invisible characters (soft hyphen, zero-width spaces and joiners, byte
order mark) but kept the other format characters a name copied from a profile, a signature or
a page carries unseen: "Anna\\u200e Keller" (a left-to-right mark) and "Anna Keller", or
"\\u2066Siemens\\u2069" (a bidi isolate) and "Siemens", were two contacts or two companies. The
key is now ``typography.name_key``, which drops every format character (Unicode category Cf),
as ``text_safety.is_blank`` counts them as nothing. Companies an older version let in twice
under one new key are not merged, as in revision 0020: the oldest takes the key, each later one
keeps a key no typed name can give (the key, a unit separator, its id).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | None = None
depends_on: str | None = None

APART = "\x1f"  # a control character: refused in every stored name, so never typed
DROPPED_BEFORE = str.maketrans(dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff"))
"""The invisible characters revision 0021's key dropped; it kept every other one."""


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
    from jobnudge.typography import fold

    def keyed_before(name: str) -> str:
        """Revision 0021's key: the format characters it did not drop kept where they were.
        Folding is one character at a time but for combining marks (dropped), so the pieces
        between them fold as the whole did."""
        pieces: list[str] = []
        piece: list[str] = []
        for char in name.translate(DROPPED_BEFORE):
            if unicodedata.category(char) == "Cf":
                pieces += [fold("".join(piece)), char]
                piece = []
            else:
                piece.append(char)
        pieces.append(fold("".join(piece)))
        return " ".join("".join(pieces).split())

    _rekey("companies", keyed_before, unique=True)
    _rekey("contacts", keyed_before, unique=False)
