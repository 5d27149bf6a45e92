"""Company and contact names keyed with each undecomposable Latin letter as its base letter.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-09

``name_key`` dropped accents by Unicode decomposition (NFKD), which leaves the letters whose mark
is part of the letter: the dotless "ı", "ł", "ø", "đ", "ħ", "æ", "œ", "þ", "ð" and others. So
"Oguz Yilmaz" typed on a US keyboard was a second contact beside "Oğuz Yılmaz", and "Lodz
Logistics" a second company beside "Łódź Logistics". The key is now ``typography.name_key``,
which reads each such letter as its base letter (``typography.latin_base``). Companies an older
version let in twice under one new key are not merged, as in revisions 0020 and 0022: the oldest
takes the key, each later one keeps a key no typed name can give (the key, a unit separator,
its id).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
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
    from jobnudge.typography import plain

    folded: dict[str, str] = {}

    def fold_before(char: str) -> str:
        """Revision 0022's fold of one character: case-folded, decomposed, marks and format
        characters dropped, until stable. Folding is one character at a time (case folding
        and decomposition are), so a name's old key is its characters' folds joined."""
        found = folded.get(char)
        if found is None:
            found = char
            for _ in range(4):
                decomposed = unicodedata.normalize("NFKD", plain(found).casefold())
                again = plain(
                    "".join(
                        c
                        for c in decomposed
                        if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
                    )
                )
                if again == found:
                    break
                found = again
            folded[char] = found
        return found

    def keyed_before(name: str) -> str:
        return " ".join("".join(fold_before(c) for c in name).split())

    _rekey("companies", keyed_before, unique=True)
    _rekey("contacts", keyed_before, unique=False)
