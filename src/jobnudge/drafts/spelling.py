"""The offline English dictionary, loaded once per process and only when first needed.

pyspellchecker ships its word list inside the wheel, so nothing is downloaded; loading it costs
a few hundred milliseconds, which is why it sits behind a cached function and is never imported
at start-up (ARCHITECTURE.md, convention 11). The command line also keeps the word counts in its
data dir (:func:`keep_in`): telling known words from unknown ones then needs no SpellChecker,
which is built only when a suggestion is wanted. Beside them it keeps the words in a SQLite
file (:func:`known_words`), so a short check asks about its own words and loads none of the
others. Paths are plain ``os.path`` strings: the quick check starts without ``pathlib``.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Container, Mapping
from functools import cache

from jobnudge import keptfile

TYPE_CHECKING = False  # not typing's: the quick check (cli/quickcheck.py) avoids importing it
if TYPE_CHECKING:
    import sqlite3

    from spellchecker import SpellChecker

JOB_WORDS_FILE = os.path.join(os.path.dirname(__file__), "words.txt")
COUNTS_FILE = "words.marshal"
WORDS_FILE = "words.sqlite"
LOOKUPS = 2000
"""Questions :func:`known_words` answers from the SQLite file before it loads every word
(building a 10,000-company pipeline's name tables asks tens of thousands)."""

_folder: str | None = None  # where the word counts are kept between runs (the CLI sets it)
_built: list[SpellChecker] = []  # the checker that computed the counts, when one did


def keep_in(folder: str | os.PathLike[str] | None) -> None:
    """Keep the word counts in ``folder`` (the command line's data dir), so a short command
    reads them in ~25 ms instead of building pyspellchecker's dictionary (~230 ms)."""
    global _folder
    _folder = None if folder is None else os.fspath(folder)
    word_counts.cache_clear()
    dictionary.cache_clear()
    known_words.cache_clear()
    _built.clear()


def _stamp() -> str:
    """What the kept counts were made from: the dictionary package, the job words, Python."""
    mine = os.stat(JOB_WORDS_FILE)
    return (
        f"{keptfile.package_stamp('spellchecker')}:{mine.st_size}:{mine.st_mtime_ns}:"
        f"{sys.version_info[:2]}:{marshal.version}"
    )


@cache
def word_counts() -> dict[str, int]:
    """Every known word (English plus job-search words) with its frequency.

    Enough to tell whether a word is known; suggestions need :func:`dictionary`. Read from the
    kept file when it was made from the same sources, else built and kept (best-effort).
    """
    path = os.path.join(_folder, COUNTS_FILE) if _folder is not None else None
    stamp = _stamp() if path is not None else ""
    if path is not None:
        try:
            with open(path, "rb") as kept_file:
                data = kept_file.read()
            # marshal: five times faster than json here; it builds values, never runs code,
            # and the file is this program's own, in the user's data dir.
            kept = marshal.loads(data)  # noqa: S302
        except (OSError, EOFError, ValueError, TypeError):
            kept = None
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp:
            counts = kept[1]
            if isinstance(counts, dict):
                return counts
    checker = _english()
    _built.append(checker)
    counts = dict(checker.word_frequency.dictionary)
    if path is not None:
        keptfile.write(path, marshal.dumps((stamp, counts)))
    return counts


@cache
def known_words() -> Container[str]:
    """Every known word (:func:`word_counts`' keys), for membership tests only: read word by
    word from the kept SQLite file when there is one made from the same sources, else the
    counts themselves."""
    if _folder is None:
        return word_counts()
    import sqlite3

    path = os.path.join(_folder, WORDS_FILE)
    stamp = _stamp()
    try:
        conn = sqlite3.connect(f"file:{keptfile.uri_path(path)}?mode=ro", uri=True)
        try:
            kept = conn.execute("SELECT value FROM meta WHERE name = 'stamp'").fetchone()
        except sqlite3.Error:
            kept = None
        if kept is not None and kept[0] == stamp:
            return _KeptWords(conn)
        conn.close()
    except sqlite3.Error:
        pass
    counts = word_counts()
    _keep_words(path, stamp, counts)
    return counts


def _keep_words(path: str, stamp: str, counts: Mapping[str, int]) -> None:
    """Write the words to ``path`` (at once; best-effort, like :func:`keptfile.write`)."""
    import contextlib
    import sqlite3

    folder, name = os.path.split(path)
    partial = os.path.join(folder, f".{name}.{os.getpid()}")
    try:
        os.makedirs(folder, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.remove(partial)
        conn = sqlite3.connect(partial)
        try:
            conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
            conn.execute("CREATE TABLE words (word TEXT PRIMARY KEY) WITHOUT ROWID")
            conn.executemany("INSERT INTO words VALUES (?)", ((w,) for w in counts))
            conn.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))
            conn.commit()
        finally:
            conn.close()
        os.replace(partial, path)
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            os.remove(partial)


class _KeptWords:
    """Membership in the kept words, one query per new word, until :data:`LOOKUPS` questions
    make loading them all the cheaper way."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._seen: dict[object, bool] = {}
        self._all: Container[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self._all is not None:
            return word in self._all
        found = self._seen.get(word)
        if found is None:
            if len(self._seen) >= LOOKUPS:
                self._all = word_counts()
                return word in self._all
            found = isinstance(word, str) and (
                self._conn.execute("SELECT 1 FROM words WHERE word = ?", (word,)).fetchone()
                is not None
            )
            self._seen[word] = found
        return found


def _english() -> SpellChecker:
    from spellchecker import SpellChecker

    checker = SpellChecker(language="en", distance=1)
    checker.word_frequency.load_words(job_words())
    return checker


@cache
def dictionary() -> SpellChecker:
    """The English dictionary plus job-search words, for suggestions; loaded on first use."""
    counts = word_counts()
    if _built:
        return _built[0]
    from spellchecker import SpellChecker

    checker = SpellChecker(language=None, distance=1)
    checker.word_frequency.load_json(counts)
    return checker


@cache
def job_words() -> frozenset[str]:
    """Words a job seeker writes that the general dictionary lacks ("onboarding", "résumé")."""
    with open(JOB_WORDS_FILE, encoding="utf-8") as words:
        lines = words.read().splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def is_known(word: str) -> bool:
    """Whether the dictionary knows ``word`` (any case, curly apostrophes allowed)."""
    return word.lower().replace("’", "'") in known_words()


def suggestion(word: str) -> str | None:
    """The likeliest correction one edit away, or None.

    The commonest candidate, and of equally common ones the first in alphabetical order:
    pyspellchecker's own ``correction`` takes whichever a set yields first, which differs
    from one process to the next, so the same draft would get a different hint each run.
    """
    lower = word.lower().replace("’", "'")
    checker = dictionary()
    found = checker.candidates(lower)
    if not found:
        return None
    bare = _bare(lower)
    accented = [c for c in found if _bare(c) == bare]  # "resume" -> "résumé" before all else
    best = min(accented or found, key=lambda c: (-checker[c], c))
    return best if best != word.lower() else None


def _bare(word: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
