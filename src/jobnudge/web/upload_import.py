"""Reading a held upload as the user chose: the columns guessed from its headers with their
corrections on top, its dry run, the import itself (one transaction), or a run queued for a
worker when the file is large. The work is the command line's ``services.importing``; this
module turns the page's choices into that service's ``--map``, ``--dates``, ``--mapping`` and
``--encoding``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from jobnudge.web import forms
from jobnudge.web.uploads import Upload

if TYPE_CHECKING:
    from jobnudge.services.importing import ImportReport
    from jobnudge.services.session import Session
    from jobnudge.tabular.mapping import ColumnMap

FIELD_LABELS = {
    "company": "Company",
    "role": "Role",
    "applied_on": "Date applied",
    "status": "Status",
    "status_on": "Status date",
    "interview_on": "Interview date",
    "follow_up_on": "Follow-up date",
    "contact": "Contact",
    "recruiter": "Recruiter",
    "email": "Email",
    "phone": "Phone",
    "posting_url": "Posting link",
    "staffing_firm": "Staffing firm",
    "source": "Source",
    "notes": "Notes",
    "salary": "Salary",
    "location": "Location",
}
"""The fields a column can feed, in the words the page uses (``tabular.mapping.FIELDS``)."""

ENCODINGS = (
    ("", "Automatic (UTF-8 or UTF-16, told from the file)"),
    ("cp1252", "Windows (Western European, cp1252)"),
    ("mac-roman", "Mac Roman"),
    ("latin-1", "Latin-1 (ISO-8859-1)"),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
)
"""The text encodings the page offers (``--encoding`` takes these names): a code page cannot be
told from the file, so the user names the one the file was saved in. XLSX ignores it."""

WINDOWS = ENCODINGS[1][1]

_NAME_IT_HERE = (
    f"or choose its encoding under “Encoding” (a CSV saved by Excel on Windows is most often "
    f"“{WINDOWS}”)"
)


def web_words(text: str, upload_path: Path | None = None, name: str = "") -> str:
    """A service's message as the page says it: the file by its own name, choices by theirs."""
    if upload_path is not None:
        text = text.replace(str(upload_path), name)
    from jobnudge.tabular.csv_read import NAME_IT

    return (
        text.replace("as you said (--dates)", "as you chose")
        .replace("(see --dates)", "(see “Dates” below)")
        .replace("--dates", "the Dates choice")
        .replace(NAME_IT, _NAME_IT_HERE)
        .replace(
            "check the encoding the file was saved in.",
            "check the encoding the file was saved in and choose it under “Encoding”.",
        )
        .replace("--encoding", "the Encoding choice")
    )


def is_workbook(upload: Upload) -> bool:
    """Whether the upload is an XLSX workbook, which carries its own encoding (the page then
    hides the choice); told as ``tabular.table.open_table`` tells it."""
    with upload.path.open("rb") as handle:
        start = handle.read(2)
    return start == b"PK" or upload.path.suffix.lower() in (".xlsx", ".xlsm")


def letter(index: int) -> str:
    """A column's spreadsheet letter: 0 → A, 26 → AA."""
    from jobnudge.tabular.mapping import letter as spreadsheet_letter

    return spreadsheet_letter(index)


def column_headers(path: Path, encoding: str = "") -> list[str]:
    """The file's headers, read in ``encoding`` when the user chose one ("" = automatic)."""
    from jobnudge.tabular.table import open_table

    with open_table(path, encoding or None) as table:
        return list(table.headers)


def _base(session: Session, headers: list[str], mapping_name: str) -> ColumnMap:
    """The guessed columns, with the saved mapping chosen on top (as ``import_file`` does)."""
    from jobnudge.services.importing import saved_mappings
    from jobnudge.tabular import mapping

    columns = mapping.auto(headers)
    if mapping_name:
        saved = saved_mappings(session).get(mapping_name)
        if saved is None:
            raise forms.Invalid({"mapping": f"No saved column mapping is named '{mapping_name}'."})
        columns = mapping.apply(columns, saved, where="mapping", strict=False)
    return columns


def _column_key(headers: list[str], index: int) -> str:
    """How ``--map`` names a column: its header when that is unique, else its letter."""
    header = headers[index].strip()
    if header and sum(h.strip() == header for h in headers) == 1:
        return header
    return letter(index)


def corrections(headers: list[str], base: ColumnMap, wanted: dict[int, str] | None) -> list[str]:
    """``--map`` items turning ``base`` into the columns the user chose."""
    out: list[str] = []
    if wanted is None:
        return out
    from jobnudge.tabular.mapping import DATE_FIELDS

    for index in range(len(headers)):
        want = wanted.get(index, "") or "ignore"
        have = base.fields.get(index) or "ignore"
        if want != have or want in DATE_FIELDS:  # a date column chosen here stays one
            out.append(f"{_column_key(headers, index)}={want}")
    return out


@dataclass
class Preview:
    upload: Upload
    columns: list[dict[str, Any]]
    missing: list[str]
    report: ImportReport | None = None


_MAIN_FIELDS = {"sheet": "One sheet as CSV", "from": "Report from", "to": "Report to"}
_IMPORT_FIELDS = {"file": "Spreadsheet", "encoding": "Encoding", "backup": "Backup file"}
_CHOICES = {"dates": "Dates like 03/05/2026", "mapping": "Columns"}


def beside_main(read_only: bool) -> dict[str, str]:
    """The main page's fields that show their message beside them, with the label the errors
    summary links to them by (it does not say the message twice); the import and restore
    forms are not shown to a read-only view."""
    return (
        _MAIN_FIELDS
        | {"format": "Report format"}
        | ({} if read_only else _IMPORT_FIELDS | _CHOICES)
    )


def beside_preview(found: Preview | None) -> dict[str, str]:
    """:func:`beside_main` for the dry run: its choices and, once read, each column's field."""
    columns = {f"col-{c['index']}": f"Column {c['letter']}" for c in found.columns} if found else {}
    return {"encoding": "Encoding", **_CHOICES, "mapping": "Start from", **columns}


def _date_order(upload: Upload) -> Literal["dmy", "mdy"] | None:
    """The date order chosen on the page as ``import_file`` takes it (None: from the file)."""
    return "dmy" if upload.choices.dates == "dmy" else "mdy" if upload.choices.dates else None


def preview(session: Session, upload: Upload) -> Preview:
    """The dry run of an upload as the user chose to read it (nothing is written)."""
    from jobnudge.services.importing import import_file
    from jobnudge.tabular import mapping

    headers = column_headers(upload.path, upload.choices.encoding)
    base = _base(session, headers, upload.choices.mapping)
    items = corrections(headers, base, upload.choices.columns)
    chosen = mapping.apply(base, mapping.parse_overrides(items))
    columns = [
        {
            "index": index,
            "letter": letter(index),
            "header": header,
            "field": "" if chosen.fields.get(index) in (None, "ignore") else chosen.fields[index],
            "how": "chosen" if index in chosen.corrected else "guessed",
        }
        for index, header in enumerate(headers)
    ]
    missing = chosen.missing()
    if missing:
        return Preview(upload, columns, missing)
    report = import_file(
        session,
        upload.path,
        dry_run=True,
        overrides=items,
        mapping_name=upload.choices.mapping or None,
        dates=_date_order(upload),
        encoding=upload.choices.encoding or None,
    )
    for described in report.columns:  # a guessed date column read as notes shows as notes
        if described.get("how") == "demoted":
            entry = columns[int(str(described["column"])) - 1]
            entry["field"], entry["why"] = "notes", str(described.get("why", ""))
    return Preview(upload, columns, missing, report)


def _complete_items(session: Session, upload: Upload) -> list[str]:
    """The ``--map`` items of the user's choices; refused when no column holds a field an
    import cannot do without."""
    from jobnudge.tabular import mapping

    headers = column_headers(upload.path, upload.choices.encoding)
    base = _base(session, headers, upload.choices.mapping)
    items = corrections(headers, base, upload.choices.columns)
    missing = mapping.apply(base, mapping.parse_overrides(items)).missing()
    if missing:
        need = " and the ".join(FIELD_LABELS[m].lower() for m in missing)
        raise forms.Invalid({"file": f"No column holds the {need}; nothing was imported."})
    return items


def run_import(session: Session, upload: Upload, save_as: str | None) -> ImportReport:
    """The import itself, in one transaction, read exactly as the dry run was."""
    from jobnudge.services.importing import import_file

    items = _complete_items(session, upload)
    return import_file(
        session,
        upload.path,
        overrides=items,
        mapping_name=upload.choices.mapping or None,
        save_as=save_as,
        dates=_date_order(upload),
        encoding=upload.choices.encoding or None,
    )


def queue_large(session: Session, upload: Upload, save_as: str | None) -> int | None:
    """With the job queue on, a file over the row threshold goes to a worker (moved into the
    data dir under its owner); the run's id, or None to import here as always."""
    from jobnudge.services import import_runs, jobs

    if not jobs.queue_on(session.store):
        return None
    encoding = upload.choices.encoding or None
    rows = import_runs.rows_over(upload.path, import_runs.threshold(), encoding)
    if rows is None:
        return None
    items = _complete_items(session, upload)
    return import_runs.queue(
        session.store,
        session.owner,
        upload.path,
        upload.name,
        rows - 1,
        session.now,
        overrides=items,
        mapping_name=upload.choices.mapping or None,
        save_as=save_as,
        dates=upload.choices.dates or None,
        encoding=encoding,
    )
