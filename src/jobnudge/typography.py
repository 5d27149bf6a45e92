"""The same name however it was typed: typographic look-alikes, case and accents.

Word processors and mail programs replace what was typed: "O'Brien" becomes "O’Brien", a
hyphen a non-breaking one, a space a non-breaking space. A person reads them as the same name,
so every comparison of names (the draft checker, looking records up by name) reads them through
:func:`plain` or :func:`fold`.

Standard library only: the command line's quick check imports it before anything else.
"""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "’‘ʼ′`´ʹʻ＇"
"""Characters typed or substituted for an apostrophe (U+0027)."""
HYPHENS = "‐‑‒–−﹣－"
"""Characters typed or substituted for a hyphen-minus (U+002D); not the em dash, which
separates clauses rather than joining words."""
SPACES = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
"""Space characters other than U+0020 (no-break, narrow, thin, em, ideographic...)."""

_PLAIN = str.maketrans(
    {**dict.fromkeys(APOSTROPHES, "'"), **dict.fromkeys(HYPHENS, "-"), **dict.fromkeys(SPACES, " ")}
)
VARIANTS = frozenset(APOSTROPHES + HYPHENS + SPACES)
INVISIBLE_CATEGORY = "Cf"
"""The Unicode category of the characters that show nothing of their own: format characters
such as the soft hyphen, zero-width spaces and joiners, the byte order mark, direction marks
and isolates (U+200E, U+2066...), the word joiner, the Arabic letter mark, the Mongolian vowel
separator and the tag characters. A name copied from a profile, a signature or a page carries
them unseen, so they never make it another name (:func:`fold`), and a text of only them and
spaces is blank (``text_safety.is_blank``). A category, not a list: a list misses the next
one."""


def invisible(char: str) -> bool:
    """Whether ``char`` shows nothing of its own (:data:`INVISIBLE_CATEGORY`)."""
    return unicodedata.category(char) == INVISIBLE_CATEGORY


def plain(text: str) -> str:
    """``text`` with each typographic apostrophe, hyphen and space replaced by its plain one.

    One character for one, so offsets into ``text`` stay offsets into the result.
    """
    if text.isascii() and "`" not in text:
        return text
    return text.translate(_PLAIN)


def fold(text: str) -> str:
    """What names are compared by: :func:`plain`, case-folded, without accents ("Zoë" and
    "zoe", "José Ñúñez" and "jose nunez", "O’Reilly" and "o'reilly"), each Latin letter that
    is a base letter with a mark Unicode does not decompose read as that base letter ("Yılmaz"
    and "yilmaz", "Łukasz" and "lukasz", "Søren" and "soren": :func:`latin_base`), and without
    invisible format characters ("Anna\u200e" and "anna": :func:`invisible`)."""
    if text.isascii() and "`" not in text:
        return text.lower()
    folded = _fold_once(text)
    for _ in range(3):  # until stable: "𝙰" decomposes to "A", which only then folds to "a"
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return folded


def _fold_once(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", plain(text).casefold())
    # Format characters have no case, decomposition or combining class: dropped here, they
    # are dropped as if they had never been typed.
    kept = (
        c
        for c in decomposed
        if not unicodedata.combining(c) and unicodedata.category(c) != INVISIBLE_CATEGORY
    )
    folded = "".join(kept)
    if not folded.isascii():
        folded = "".join(c if c.isascii() else latin_base(c) for c in folded)
    return plain(folded)


LATIN_LETTERS = {
    "ı": "i",  # dotless i (Turkish, Azerbaijani)
    "ȷ": "j",  # dotless j
    "æ": "ae",
    "œ": "oe",
    "þ": "th",  # thorn (Icelandic)
    "ð": "d",  # eth (Icelandic, Faroese)
    "ĸ": "k",  # kra (Greenlandic)
    "ŋ": "ng",  # eng (Sami)
}
"""Lower-case Latin letters that are not a base letter with a mark, read as a keyboard without
them writes them: the ligatures as their two letters, the Icelandic and Sami letters as they are
transliterated. "ß" needs no entry: case folding already makes it "ss"."""
_MARKED = re.compile(r"LATIN (?:SMALL|CAPITAL) (?:LETTER|LIGATURE) (AE|OE|[A-Z]) WITH ")
_BASES: dict[str, str] = {}


def latin_base(char: str) -> str:
    """The ASCII letters a keyboard without ``char`` writes for it, when ``char`` is a Latin
    letter NFKD does not decompose: one with a stroke, bar, hook or tail is its base letter
    ("ø", "ł", "đ", "ħ", "ƒ", "ɨ" are o, l, d, h, f, i, as their Unicode names say: "LATIN SMALL
    LETTER O WITH STROKE"), and :data:`LATIN_LETTERS` holds the rest; anything else (another
    script, a symbol) is ``char`` itself. Read from the character's name, not a list: a list
    misses the next one. Remembered per character."""
    found = _BASES.get(char)
    if found is None:
        found = LATIN_LETTERS.get(char)
        if found is None:
            # The capital's name too: "ɵ" (BARRED O), what "Ɵ" (O WITH MIDDLE TILDE) folds to.
            upper = char.upper()
            marked = _MARKED.match(unicodedata.name(char, "")) or _MARKED.match(
                unicodedata.name(upper, "") if len(upper) == 1 else ""
            )
            found = marked.group(1).lower() if marked else char
        _BASES[char] = found
    return found


def name_key(text: str) -> str:
    """What two names are one by: :func:`fold` (so without invisible format characters), runs
    of spaces as one, no space at either end.

    "Müller GmbH" and "Muller  GmbH", "Société Générale" and "societe generale", "O'Reilly"
    and "O’Reilly" share a key. The store keeps it beside each company and contact name, so
    that matching a name and searching names are indexed comparisons on either backend.

    Remembered for the names seen last: an import asks for the same few thousand company names,
    roles and people row after row.
    """
    found = _KEYS.get(text)
    if found is None:
        found = " ".join(fold(text).split())
        if len(text) <= _KEPT_LENGTH:  # a name, not a message's subject or a pasted page
            if len(_KEYS) >= _KEYS_KEPT:
                _KEYS.clear()
            _KEYS[text] = found
    return found


_KEYS: dict[str, str] = {}
_KEYS_KEPT = 65_536
"""Names whose key is remembered; the whole memory is let go when it fills (a dict lookup
costs a tenth of folding, and a plain dict needs no lock between a server's threads)."""
_KEPT_LENGTH = 200
"""The longest text remembered (the store's limit for a name): at most a few tens of MB."""


def same_name(one: str, other: str) -> bool:
    """Whether two names are one however they were typed (:func:`name_key`)."""
    return name_key(one) == name_key(other)


TITLES = frozenset(
    {"dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "mister", "sir"}
    | {"dame", "rev", "mme", "mlle", "herr", "frau", "sr", "sra", "srta"}
)
"""Words (folded, without their full stop) written before a person's name as a title: "Dr.
Helen O'Brien" is Helen O'Brien. Not "M." (an initial as often as "Monsieur")."""


def untitled(name: str) -> str:
    """A person's ``name`` without the titles written before it ("Dr. Helen O'Brien" and "Prof.
    Dr. Anna Keller" are "Helen O'Brien" and "Anna Keller"). A name that is only a title, or a
    title without a full stop before a single word ("Miss Saigon"), stays whole; "Dr. Lee" is
    "Lee". Runs of spaces as one."""
    words = name.split()
    start = 0
    while start < len(words) - 2 and _is_title(words[start]):
        start += 1
    if start == len(words) - 2 and _is_title(words[start]) and words[start].endswith("."):
        start += 1  # "Dr. Lee": a title with its full stop before one word
    return " ".join(words[start:])


def _is_title(word: str) -> bool:
    return fold(word).rstrip(".") in TITLES


def person_key(name: str) -> str:
    """What two people's names are one by: :func:`name_key` of the name without its titles
    (:func:`untitled`), so "Dr. Helen O'Brien" and "Helen O’Brien" are one person."""
    return name_key(untitled(name))


def same_person(one: str, other: str) -> bool:
    """Whether two people's names are one however they were typed, titles or not."""
    return person_key(one) == person_key(other)


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack``, both folded, runs of spaces as one."""
    return name_key(needle) in name_key(haystack)


def bare_key(text: str) -> str:
    """:func:`name_key` with only its letters and digits: what a name is looked up by when it
    was typed without its punctuation ("oreilly" for "O’Reilly", "Jean Luc" for "Jean-Luc",
    "ACME Inc" for "Acme, Inc."). Looser than the name key, so only a fallback."""
    return "".join(c for c in name_key(text) if c.isalnum())


def bare_contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` by :func:`bare_key` (a blank needle never
    does: a lookup of punctuation alone names nothing)."""
    wanted = bare_key(needle)
    return bool(wanted) and wanted in bare_key(haystack)
