"""A pipeline's name tables kept in a SQLite file, for the command line's quick check.

Building the tables (``base.tables``) from a 10,000-company search costs a few hundred
milliseconds and reading the companies as records as much again; the checker then asks them
about the fifty-odd words of one message. This file holds the tables as built, so a check
reads only the rows for its words. It is made from the very tables the checker computes
(:func:`build`), so both answer alike; ``tests/cli/test_quickcheck.py`` compares whole checks.

It is valid only for the ``stamp`` it was built for; the caller makes the stamp from what the
tables depend on (the database file, its user and that user's revision, which every write
raises; the dictionary; this code), and :func:`open_kept` returns None for any other, so a
stale file is rebuilt, never read.

Standard library only (sqlite3, json): the quick check imports it before anything else.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Collection, Container, Iterator, Mapping, Sequence

from jobnudge import keptfile
from jobnudge.domain.light import Company
from jobnudge.drafts.checks.base import LexiconLike, Tables
from jobnudge.drafts.checks.company_names import Target

FORMAT = "1"
"""This layout's version, part of every stamp."""

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE companies (pos INTEGER PRIMARY KEY, id INTEGER NOT NULL, name TEXT NOT NULL,
    aliases TEXT NOT NULL, domains TEXT NOT NULL, staffing INTEGER NOT NULL);
CREATE INDEX companies_id ON companies (id);
CREATE TABLE lex_names (name TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE lex_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE lex_keys (name TEXT PRIMARY KEY, needed TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE lex_key_words (word TEXT, name TEXT, PRIMARY KEY (word, name)) WITHOUT ROWID;
CREATE TABLE owners (key TEXT PRIMARY KEY, positions TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE parts (part TEXT PRIMARY KEY, ord INTEGER NOT NULL, positions TEXT NOT NULL,
    spelling TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE targets (ord INTEGER PRIMARY KEY, key TEXT NOT NULL, words INTEGER NOT NULL,
    positions TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE name_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
"""


def build(path: str, stamp: str, pipeline: tuple[Company, ...], tables: Tables) -> None:
    """Write ``tables`` (the tables of ``pipeline``) to ``path`` for ``stamp``, replacing any
    file there at once; best-effort: a folder that cannot be written only loses the speed-up."""
    place = {id(company): index for index, company in enumerate(pipeline)}

    def positions(companies: Sequence[Company]) -> str:
        return ",".join(str(place[id(c)]) for c in companies)

    lexicon, loose = tables.lexicon, tables.loose
    assert isinstance(lexicon.names, frozenset) and isinstance(loose.words, frozenset)
    keys = lexicon.keys  # type: ignore[union-attr]  # a computed Lexicon
    partial = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        if os.path.exists(partial):
            os.remove(partial)
        conn = sqlite3.connect(partial)
        try:
            conn.executescript(_SCHEMA)
            conn.executemany(
                "INSERT INTO companies VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        i,
                        c.id,
                        c.name,
                        json.dumps(c.aliases),
                        json.dumps(c.domains),
                        c.is_staffing_firm,
                    )
                    for i, c in enumerate(pipeline)
                ],
            )
            conn.executemany("INSERT INTO lex_names VALUES (?)", [(n,) for n in lexicon.names])
            conn.executemany("INSERT INTO lex_words VALUES (?)", [(w,) for w in lexicon.words])  # type: ignore[attr-defined]
            conn.executemany(
                "INSERT INTO lex_keys VALUES (?, ?)", [(n, " ".join(sorted(w))) for n, w in keys]
            )
            conn.executemany(
                "INSERT OR IGNORE INTO lex_key_words VALUES (?, ?)",
                [(w, n) for n, needed in keys for w in (needed or {""})],
            )
            conn.executemany(
                "INSERT INTO owners VALUES (?, ?)",
                [(k, positions(cs)) for k, cs in tables.owners.items()],
            )
            parts = loose.parts  # type: ignore[attr-defined]  # a computed Names
            conn.executemany(
                "INSERT INTO parts VALUES (?, ?, ?, ?)",
                [
                    (p, i, positions(cs), loose.part_spelling[p])  # type: ignore[attr-defined]
                    for i, (p, cs) in enumerate(parts.items())
                ],
            )
            conn.executemany(
                "INSERT INTO targets VALUES (?, ?, ?, ?, ?)",
                [
                    (i, t.key, t.words, positions(t.companies), t.name)
                    for i, t in enumerate(loose.targets)  # type: ignore[attr-defined]
                ],
            )
            conn.executemany("INSERT INTO name_words VALUES (?)", [(w,) for w in loose.words])
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("longest", str(loose.longest)), ("stamp", stamp)],
            )
            conn.commit()
        finally:
            conn.close()
        os.replace(partial, path)
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            os.remove(partial)


def open_kept(path: str, stamp: str) -> Kept | None:
    """The tables kept in ``path`` when they were built for ``stamp``; else None."""
    if not os.path.isfile(path):
        return None
    try:
        conn = sqlite3.connect(f"file:{keptfile.uri_path(path)}?mode=ro", uri=True)
        try:
            found = conn.execute("SELECT value FROM meta WHERE name = 'stamp'").fetchone()
        except sqlite3.Error:
            conn.close()
            return None
    except sqlite3.Error:
        return None
    if found is None or found[0] != stamp:
        conn.close()
        return None
    return Kept(conn)


class _Lookup:
    """Membership in one column of a kept table, remembered per word."""

    __slots__ = ("conn", "seen", "sql")

    def __init__(self, conn: sqlite3.Connection, table: str, column: str) -> None:
        self.conn = conn
        self.sql = f"SELECT 1 FROM {table} WHERE {column} = ?"  # noqa: S608 - fixed names
        self.seen: dict[object, bool] = {}

    def __contains__(self, item: object) -> bool:
        known = self.seen.get(item)
        if known is None:
            known = isinstance(item, str) and (
                self.conn.execute(self.sql, (item,)).fetchone() is not None
            )
            self.seen[item] = known
        return known


class Kept:
    """The kept tables of one pipeline, read as the checker asks."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._companies: dict[int, Company] = {}
        self.lexicon = _KeptLexicon(self)
        self.owners = _KeptOwners(self)
        self.loose = _KeptNames(self)

    def close(self) -> None:
        self.conn.close()

    def tables(self) -> Tables:
        return Tables(self.lexicon, self.owners, self.loose, self.covers)

    def company(self, position: int) -> Company:
        found = self._companies.get(position)
        if found is None:
            row = self.conn.execute(
                "SELECT id, name, aliases, domains, staffing FROM companies WHERE pos = ?",
                (position,),
            ).fetchone()
            found = _company(row)
            self._companies[position] = found
        return found

    def companies(self, positions: str) -> tuple[Company, ...]:
        return tuple(self.company(int(p)) for p in positions.split(",") if p)

    def covers(self, company: Company) -> bool:
        """Whether ``company`` (as it is now) is one of the kept pipeline's."""
        rows = self.conn.execute(
            "SELECT id, name, aliases, domains, staffing FROM companies WHERE id = ?",
            (company.id,),
        ).fetchall()
        return any(_company(row) == company for row in rows)

    def matching(
        self, table: str, column: str, words: Collection[str], extra: str
    ) -> list[tuple[object, ...]]:
        """Rows of ``table`` whose ``column`` is one of ``words``."""
        sql = f"SELECT {extra} FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))"  # noqa: S608
        return self.conn.execute(sql, (json.dumps(sorted(words)),)).fetchall()


def _company(row: tuple[object, ...]) -> Company:
    ident, name, aliases, domains, staffing = row
    return Company(
        id=ident,  # type: ignore[arg-type]
        name=name,  # type: ignore[arg-type]
        aliases=tuple(json.loads(aliases)),  # type: ignore[arg-type]
        domains=tuple(json.loads(domains)),  # type: ignore[arg-type]
        is_staffing_firm=bool(staffing),
    )


class _KeptLexicon(LexiconLike):
    def __init__(self, kept: Kept) -> None:
        self.kept = kept
        self.names: Container[str] = _Lookup(kept.conn, "lex_names", "name")
        self.words: Container[str] = _Lookup(kept.conn, "lex_words", "word")

    def candidates(self, text_words: frozenset[str]) -> set[str]:
        rows = self.kept.matching(
            "lex_key_words JOIN lex_keys USING (name)",
            "word",
            {*text_words, ""},
            "DISTINCT name, needed",
        )
        return {
            str(name)
            for name, needed in rows
            if frozenset(str(needed).split(" ")) - {""} <= text_words
        }


class _KeptOwners(Mapping[str, tuple[Company, ...]]):
    """Each name → its companies, read one name at a time (``get``); never listed whole."""

    def __init__(self, kept: Kept) -> None:
        self.kept = kept

    def __getitem__(self, key: str) -> tuple[Company, ...]:
        row = self.kept.conn.execute(
            "SELECT positions FROM owners WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            raise KeyError(key)
        return self.kept.companies(row[0])

    def __iter__(self) -> Iterator[str]:
        raise NotImplementedError("the kept owners are read by name")

    def __len__(self) -> int:
        raise NotImplementedError("the kept owners are read by name")


class _KeptNames:
    def __init__(self, kept: Kept) -> None:
        self.kept = kept
        self.words: Container[str] = _Lookup(kept.conn, "name_words", "word")
        self._keys: list[str] | None = None
        row = kept.conn.execute("SELECT value FROM meta WHERE name = 'longest'").fetchone()
        self.longest = int(row[0])
        self.has_targets = kept.conn.execute("SELECT 1 FROM targets LIMIT 1").fetchone() is not None

    @property
    def keys(self) -> Sequence[str]:
        if self._keys is None:
            self._keys = [
                k for (k,) in self.kept.conn.execute("SELECT key FROM targets ORDER BY ord")
            ]
        return self._keys

    def target(self, index: int) -> Target:
        key, words, positions, name = self.kept.conn.execute(
            "SELECT key, words, positions, name FROM targets WHERE ord = ?", (index,)
        ).fetchone()
        return Target(key, words, self.kept.companies(positions), name)

    def parts_in(
        self, text_words: Collection[str]
    ) -> Iterator[tuple[str, tuple[Company, ...], str]]:
        rows = self.kept.matching("parts", "part", text_words, "part, positions, spelling, ord")
        for part, positions, spelled, _ord in sorted(rows, key=lambda r: r[3]):  # type: ignore[arg-type,return-value]
            yield str(part), self.kept.companies(str(positions)), str(spelled)
