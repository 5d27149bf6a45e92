"""Which spreadsheet column holds which field: guessed from the headers people and trackers
use, corrected with ``--map "Column=field"``, and saved under a name for the next import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from jobnudge.errors import UsageError
from jobnudge.tabular import header_languages
from jobnudge.tabular.headers import HEADERS, KEYWORDS, TRACKER_COLUMNS, TRACKERS

FIELDS: dict[str, str] = {
    "company": "the employer (required)",
    "role": "the job title (required)",
    "applied_on": "the date you applied",
    "status": "how far it got: applied, phone screen, interview 2, offer, rejected, ghosted...",
    "status_on": "the date of the status (when it was last updated)",
    "interview_on": "the date of an interview (a future one is scheduled)",
    "follow_up_on": "the follow-up date you planned (kept in the notes)",
    "contact": "a contact person at the employer",
    "recruiter": "a recruiter (a contact with the recruiter role)",
    "email": "the contact's (or recruiter's) email",
    "phone": "the contact's (or recruiter's) phone",
    "posting_url": "the link to the posting",
    "staffing_firm": "the staffing or recruitment firm the job came through (Hays, Randstad...)",
    "source": "where you found it (LinkedIn, referral...)",
    "notes": "free text",
    "salary": "the salary (kept in the notes)",
    "location": "the location (kept in the notes)",
    "ignore": "a column not to import",
}
"""Every field a column can be mapped to, with what it means (shown by --help and the docs)."""

REQUIRED = ("company", "role")
DATE_FIELDS = ("applied_on", "status_on", "interview_on", "follow_up_on")
SHARED = ("ignore", "notes")
"""Fields several columns may hold: every notes column is kept, each under its header."""
_SINGLE = tuple(f for f in FIELDS if f != "ignore")

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normal(header: str) -> str:
    """A header as compared: lower case, punctuation as spaces, spaces collapsed."""
    return " ".join(_NON_WORD.sub(" ", header.casefold().replace("_", " ")).split())


_LOOKUP: dict[str, str] = {}
for _field, _names in HEADERS.items():
    for _name in _names:
        _LOOKUP.setdefault(normal(_name), _field)


@dataclass
class ColumnMap:
    """Column index → field, with the tracker recognised and what the user corrected."""

    fields: dict[int, str]
    headers: list[str]
    tracker: str | None = None
    corrected: dict[int, str] = field(default_factory=dict)
    demoted: dict[int, str] = field(default_factory=dict)  # index → why it became notes

    def column(self, name: str) -> int | None:
        """The index of the column holding ``name``, if one does."""
        return self.by_field.get(name)

    @cached_property
    def by_field(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for index, value in sorted(self.fields.items()):
            found.setdefault(value, index)
        return found

    @cached_property
    def used(self) -> tuple[tuple[int, str], ...]:
        """(index, field) of every imported column, in column order."""
        return tuple((i, f) for i, f in sorted(self.fields.items()) if f != "ignore")

    @cached_property
    def labels(self) -> tuple[str, ...]:
        """How a warning or a note names each column: its header, else "column 7"."""
        return tuple(h.strip() or f"column {i + 1}" for i, h in enumerate(self.headers))

    @cached_property
    def plain_notes(self) -> int | None:
        """The notes column kept as it is; every other notes column is kept under its header.
        A column whose header says notes wins over one mapped there (or read as notes)."""
        notes = [
            i for i, f in sorted(self.fields.items()) if f == "notes" and i not in self.demoted
        ]
        named = [i for i in notes if guess(self.headers[i]) == "notes"]
        found = named or notes
        return found[0] if found else None

    def missing(self) -> list[str]:
        return [f for f in REQUIRED if self.column(f) is None]

    def as_saved(self) -> dict[str, str]:
        """What ``--save-mapping`` stores: header text → field, for every non-empty header."""
        return {
            self.headers[i]: self.fields.get(i, "ignore")
            for i in range(len(self.headers))
            if self.headers[i].strip()
        }


def recognise_tracker(headers: Sequence[str]) -> str | None:
    """The tracker whose export these headers look like (most of its columns present)."""
    have = {normal(h) for h in headers}
    best: tuple[float, str | None] = (0.0, None)
    for name, columns in TRACKERS.items():
        share = sum(normal(c) in have for c in columns) / len(columns)
        if share > best[0]:
            best = (share, name)
    return best[1] if best[0] >= 0.6 else None


def guess(header: str, tracker: str | None = None) -> str | None:
    """The field a header most likely holds, or None."""
    key = normal(header)
    if not key:
        return None
    if tracker and key in TRACKER_COLUMNS.get(tracker, {}):
        return TRACKER_COLUMNS[tracker][key]
    if key in _LOOKUP:
        return _LOOKUP[key]
    abroad = header_languages.exact(header)
    if abroad is not None:
        return abroad
    for needle, found in KEYWORDS:
        if needle in key:
            if found == "role" and "company" in key:
                continue
            return found
    return header_languages.by_keyword(header)


def auto(headers: Sequence[str]) -> ColumnMap:
    """The guessed mapping: each field goes to the first column that looks like it."""
    tracker = recognise_tracker(headers)
    fields: dict[int, str] = {}
    taken: set[str] = set()
    # Exact header names first, so "Date Applied" wins "applied_on" over a vaguer "Date".
    for exact_pass in (True, False):
        for index, header in enumerate(headers):
            if index in fields:
                continue
            key = normal(header)
            if (
                exact_pass
                and key not in _LOOKUP
                and header_languages.exact(header) is None
                and not (tracker and key in TRACKER_COLUMNS.get(tracker, {}))
            ):
                continue
            found = guess(header, tracker)
            if found is None:
                continue
            if found not in SHARED and found in taken:
                continue
            fields[index] = found
            taken.add(found)
    if "applied_on" not in taken:  # a lone "Date" column is the application date
        for index, header in enumerate(headers):
            plain = normal(header) in ("date", "day", "when") or header_languages.lone_date(header)
            if index not in fields and plain:
                fields[index] = "applied_on"
                break
    demoted: dict[int, str] = {}
    if tracker is None:  # a sheet kept by hand: its own columns are the user's words
        for index, header in enumerate(headers):
            if index not in fields and header.strip():
                fields[index] = "notes"
                demoted[index] = UNKNOWN_KEPT
    return ColumnMap(fields=fields, headers=list(headers), tracker=tracker, demoted=demoted)


UNKNOWN_KEPT = "kept in the notes under its header: not a column jobnudge reads"
"""Why a column of a hand-kept sheet that no field matches ("Next step", "Feeling") is read as
notes: what someone wrote down for months is not dropped unless they say so (map it to
``ignore``). A known tracker's export is different: its extra columns are the tracker's own
bookkeeping (board ids, colours), so they stay out."""


def parse_overrides(items: Sequence[str]) -> dict[str, str]:
    """``["Employer=company", "Stage=status"]`` → header → field, checking every field name."""
    out: dict[str, str] = {}
    for item in items:
        column, sep, target = item.rpartition("=")
        column, target = column.strip(), target.strip().lower().replace("-", "_")
        if not sep or not column or not target:
            raise UsageError(
                f"--map: '{item}' should be COLUMN=FIELD, e.g. --map \"Employer=company\"."
            )
        if target not in FIELDS:
            raise UsageError(f"--map: '{target}' is not a field; use one of {', '.join(FIELDS)}.")
        out[column] = target
    return out


def letter(index: int) -> str:
    """A column's spreadsheet letter: 0 → A, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _find_column(headers: Sequence[str], column: str, where: str) -> int:
    wanted = normal(column)
    for index, header in enumerate(headers):
        if header.strip() == column.strip():
            return index
    for index, header in enumerate(headers):
        if normal(header) == wanted:
            return index
    letters = column.strip().upper()
    if letters.isalpha() and len(letters) <= 2:
        index = 0
        for char in letters:
            index = index * 26 + (ord(char) - 64)
        if index - 1 < len(headers):
            return index - 1
    shown = ", ".join(repr(h) for h in headers[:30] if h.strip())
    raise UsageError(f"{where}: no column '{column}'; the columns are {shown}.")


def apply(
    base: ColumnMap, corrections: Mapping[str, str], *, where: str = "--map", strict: bool = True
) -> ColumnMap:
    """``base`` with columns (named by header text or spreadsheet letter) set to new fields.

    A field given to a column is taken away from any other column that had it. With
    ``strict=False`` (a saved mapping) columns missing from this file are skipped.
    """
    fields = dict(base.fields)
    corrected: dict[int, str] = dict(base.corrected)
    for column, target in corrections.items():
        if target not in FIELDS:
            raise UsageError(f"{where}: '{target}' is not a field; use one of {', '.join(FIELDS)}.")
        try:
            index = _find_column(base.headers, column, where)
        except UsageError:
            if strict:
                raise
            continue
        if target not in SHARED:
            for other, value in list(fields.items()):
                if value == target and other != index:
                    del fields[other]
        fields[index] = target
        corrected[index] = target
    demoted = {i: why for i, why in base.demoted.items() if i not in corrected}
    return ColumnMap(
        fields=fields,
        headers=base.headers,
        tracker=base.tracker,
        corrected=corrected,
        demoted=demoted,
    )


def demote_non_dates(
    base: ColumnMap, samples: Mapping[int, Sequence[object]], is_date: Callable[[object], bool]
) -> ColumnMap:
    """``base`` with every guessed date column whose values are mostly not dates (a "Follow
    up?" column holding "yes" or "send thanks") read as notes instead, saying why.

    A column the user mapped (``--map``, a saved mapping, the web picker) keeps its field: its
    odd cells are kept as notes one by one.
    """
    fields = dict(base.fields)
    demoted = dict(base.demoted)
    for index, name in base.fields.items():
        if name not in DATE_FIELDS or index in base.corrected:
            continue
        values = [v for v in samples.get(index, ()) if v is not None and str(v).strip()]
        if not values:
            continue
        dates = sum(1 for v in values if is_date(v))
        if dates * 2 > len(values):
            continue
        odd = list(dict.fromkeys(str(v).strip()[:30] for v in values if not is_date(v)))[:3]
        shown = ", ".join(repr(v) for v in odd)
        fields[index] = "notes"
        demoted[index] = (
            f"read as notes, not as {FIELDS[name].split(' (')[0]}: {dates} of its "
            f"{len(values)} values are dates (the others are like {shown})"
        )
    return ColumnMap(
        fields=fields,
        headers=base.headers,
        tracker=base.tracker,
        corrected=dict(base.corrected),
        demoted=demoted,
    )


def describe(mapping: ColumnMap) -> list[dict[str, object]]:
    """One entry per column for the dry run: header, field (or null) and how it was chosen."""
    return [
        {
            "column": index + 1,
            "header": header,
            "field": mapping.fields.get(index),
            "how": "corrected"
            if index in mapping.corrected
            else "demoted"
            if index in mapping.demoted
            else "guessed",
            **({"why": mapping.demoted[index]} if index in mapping.demoted else {}),
        }
        for index, header in enumerate(mapping.headers)
    ]
