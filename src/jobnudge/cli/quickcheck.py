"""``nudge check`` answered before Typer, Click, Rich or SQLAlchemy is imported.

``cli/entry.py`` offers the arguments here after the agenda's fast path (``cli/quick.py``)
declined them. Like that path, this one answers only when it is sure to print what the full
command prints, byte for byte, with the same exit status (``tests/cli/test_quickcheck.py``
compares the two), and returns None in every other case, for the full command to run:

- the arguments are exactly ``check``'s (``--json``, ``--db``, ``--now`` before it; the file,
  ``--to``, ``--contact``, ``--channel``, ``--json`` after), each once, no shell completion;
- the settings were remembered by an earlier full run (``quick.recall``), the database is a
  SQLite file at the current schema (``store.fastread``);
- the opportunity and the contact are found without doubt (an id, or one match): a name that
  matches nothing, or several, is the full command's to explain;
- the findings print as Rich would print them: plain text of single-width characters with no
  markup look-alikes (``:name:``), at 40 columns or more (else Rich's own wrapping decides).

It runs the same checker on the same records (read with sqlite3, ``store/fastrecords.py``, as
the light records of ``domain/light.py``: the records without ``dataclasses``);
only the pipeline's name tables come from a kept file (``drafts/checks/kept.py``), rebuilt
whenever the user's data changes.
"""

from __future__ import annotations

import os
import sys

from jobnudge.bounds import is_digits
from jobnudge.cli import quick
from jobnudge.cli.quickcheck_print import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Mapping, Sequence

    from jobnudge.domain.records import Contact, Opportunity
    from jobnudge.drafts.checks.base import Tables
    from jobnudge.drafts.findings import Finding

CHANNELS = ("email", "call", "voicemail", "text", "card", "in-person")
"""``domain.enums.Channel``'s values (a test checks they agree)."""


class Request:
    __slots__ = ("as_json", "channel", "contact", "db", "file", "now", "to")

    def __init__(self) -> None:
        self.as_json = False
        self.db: str | None = None
        self.now: str | None = None
        self.file: str | None = None
        self.to: str | None = None
        self.contact: str | None = None
        self.channel: str | None = None


_BEFORE = ("--db", "--now")
_AFTER = ("--to", "--contact", "--channel")


def parse(argv: Sequence[str]) -> Request | None:
    """The request ``argv`` makes, when it is a ``check`` the quick path answers; else None."""
    asked = Request()
    seen: set[str] = set()
    command = False
    index = 0
    while index < len(argv):
        word = argv[index]
        name, equals, value = word.partition("=")
        if word == "check" and not command:
            command = True
            seen.discard("--json")
        elif name in seen:
            return None
        elif word == "--json":
            asked.as_json = True
        elif (name in _BEFORE and not command) or (name in _AFTER and command):
            if not equals:
                index += 1
                if index == len(argv):
                    return None
                value = argv[index]
            if not value or value.startswith("-"):
                return None
            setattr(asked, name[2:], value)
        elif command and asked.file is None and (word == "-" or not word.startswith("-")):
            asked.file = word
            name = "FILE"
        else:
            return None
        seen.add(name)
        index += 1
    if not command or asked.file is None or asked.to is None:
        return None
    if asked.channel is not None and asked.channel not in CHANNELS:
        return None
    return asked


def answer(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> tuple[str, int] | None:
    """What ``nudge check`` with ``argv`` prints and its exit status, when this path can tell."""
    env = os.environ if environ is None else environ
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in env):
        return None
    if "TTY_COMPATIBLE" in env or "TTY_INTERACTIVE" in env:
        return None  # Rich's own say on colour
    asked = parse(argv)
    if asked is None:
        return None
    known = quick.recall(env)
    if known is None or known.checker is None:
        return None
    path = quick.sqlite_path(asked.db or env.get("NUDGE_DB") or None, known)
    if path is None:
        return None
    from jobnudge.store import fastread

    if not fastread.schema_is_current(path):
        return None
    now = asked.now or env.get("NUDGE_NOW") or None
    if now is not None:
        from jobnudge import clock

        clock.resolve(now, known.tz)  # a time the full command would refuse: it says why
    text = _text(asked.file)  # type: ignore[arg-type]
    if text is None or not text.strip():
        return None
    findings = _findings(path, text, asked, known)
    if findings is None:
        return None
    status = 1 if any(str(f.severity) == "error" for f in findings) else 0
    if asked.as_json:
        from jobnudge.cli.agendaview import json_text
        from jobnudge.text_safety import printable

        return printable(json_text([f.as_dict() for f in findings])), status
    shown = show(text, findings, env)
    return None if shown is None else (shown, status)


def _text(file: str) -> str | None:
    """The message, read as the full command reads it (``textfile.read``); None when that
    would fail, for the full command to say why. Standard input is read once and put back for
    the full command, should it run."""
    from jobnudge import textfile
    from jobnudge.errors import UsageError

    if file == "-":
        import io

        data = sys.stdin.buffer.read()
        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
        try:
            return textfile.decode_input(data, "FILE")
        except UsageError:
            return None  # the full command says why

    try:
        if not os.path.isfile(file) or os.path.getsize(file) > textfile.MAX_BYTES:
            return None
        with open(file, encoding="utf-8") as message:
            return message.read()
    except (OSError, ValueError):  # ValueError: not UTF-8, or a NUL in the name
        return None


def _findings(path: str, text: str, asked: Request, known: quick.Known) -> list[Finding] | None:
    """The checker's findings, as ``services.drafting.check_text`` would give them; None when
    a record is not found without doubt."""
    from jobnudge.domain.enums import Channel
    from jobnudge.drafts import spelling
    from jobnudge.drafts.checks import check
    from jobnudge.drafts.checks.company import roles_besides
    from jobnudge.store import fastrecords

    spelling.keep_in(_cache_folder(known))  # as the full command does (cli/main.py)
    conn = fastrecords.connect(path)
    try:
        user = fastrecords.user(conn, quick.LOCAL_USER)
        if user is None:
            return None
        owner = user[0]
        opp = _opportunity(conn, owner, asked.to)  # type: ignore[arg-type]
        if opp is None:
            return None
        company = fastrecords.company_by_id(conn, owner, opp.company_id)
        person = None
        if asked.contact is not None:
            person = _contact(conn, owner, asked.contact)
            if person is None:
                return None
        people = fastrecords.opportunity_contacts(conn, owner, opp.id)
        roles = roles_besides(opp, fastrecords.opportunities(conn, owner))
        tables = _tables(conn, path, user, known)
    finally:
        conn.close()
    channel = Channel(asked.channel or "email")
    return check(
        text,
        channel=channel,
        opportunity=opp,
        company=company,
        contact=person,
        pipeline_companies=() if company is None else (company,),
        settings=known.checker,  # type: ignore[arg-type]  # what the checker reads of Settings
        people=people,
        to_address=person.email if person and channel is Channel.EMAIL else "",
        prepared=tables,
        roles=roles,
    )


def _cache_folder(known: quick.Known) -> str:
    return os.path.join(known.data_dir, "cache")


def _opportunity(conn: sqlite3.Connection, owner: int, ref: str) -> Opportunity | None:
    """``services.lookup.opportunity`` where it finds one without doubt; else None."""
    from jobnudge import bounds, typography
    from jobnudge.store import fastrecords

    text = ref.strip()
    if not text:
        return None
    wanted = bounds.record_id(text) if is_digits(text) else None
    if wanted is not None:
        found = fastrecords.opportunity(conn, owner, wanted)
        if found is not None:
            return found
    needle = text.casefold()
    wanted_id = bounds.record_id(needle)
    every = fastrecords.opportunities(conn, owner)
    by_id = [o for o in every if o.id == wanted_id]
    matches = by_id + [
        o for o in every if o not in by_id and typography.contains(f"{o.company} {o.role}", needle)
    ]
    if is_digits(text):
        exact = [o for o in matches if o.id == bounds.record_id(text)]
        if exact:
            return exact[0]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        exact_names = [
            o for o in matches if typography.fold(f"{o.company} {o.role}") == typography.fold(text)
        ]
        if len(exact_names) == 1:
            return exact_names[0]
    return None  # none (the postings may hold it) or several: the full command decides


def _contact(conn: sqlite3.Connection, owner: int, ref: str) -> Contact | None:
    """``services.lookup.contact`` where it finds one without doubt; else None."""
    from jobnudge import bounds, typography
    from jobnudge.store import fastrecords

    text = ref.strip()
    if is_digits(text):
        return fastrecords.contact(conn, owner, bounds.record_id(text) or 0)
    found = fastrecords.find_contacts(conn, owner, text)
    exact = [c for c in found if typography.same_person(c.name, text)]
    if len(exact) == 1:
        return exact[0]
    return found[0] if len(found) == 1 else None


def _tables(
    conn: sqlite3.Connection, path: str, user: tuple[int, int, str], known: quick.Known
) -> Tables:
    """The pipeline's name tables: kept ones made for the data as it is now, else computed
    from the companies and kept for the next check."""
    import zlib  # not hashlib: loading OpenSSL would cost more than this whole step

    from jobnudge.drafts import spelling
    from jobnudge.drafts.checks import base, kept
    from jobnudge.store import fastrecords
    from jobnudge.store.revision import HEAD

    full = os.path.realpath(path)
    found = os.stat(full)
    code = ";".join(
        str(os.stat(module.__file__).st_mtime_ns)  # type: ignore[arg-type]
        for module in (
            base,
            kept,
            sys.modules["jobnudge.drafts.checks.company_names"],
            sys.modules["jobnudge.drafts.text"],
            sys.modules["jobnudge.typography"],
        )
    )
    stamp = "|".join(
        (
            kept.FORMAT,
            full,
            f"{found.st_dev}:{found.st_ino}",
            *map(str, user),
            HEAD,
            spelling._stamp(),
            quick._version(),
            code,
        )
    )
    name = f"{zlib.crc32(full.encode()):08x}"  # a clash only rebuilds: the stamp holds the path
    where = os.path.join(_cache_folder(known), f"checker-names-{name}.sqlite")
    held = kept.open_kept(where, stamp)
    if held is not None:
        return held.tables()
    pipeline = fastrecords.companies(conn, user[0])
    computed = base.tables(pipeline)
    kept.build(where, stamp, pipeline, computed)
    return computed


def run(argv: Sequence[str]) -> bool:
    """Print the check and exit with its status when this path answers ``argv``; False
    (having printed nothing) for the full command to run instead."""
    try:
        found = answer(argv)
    except Exception:  # any doubt: the full command runs and reports as it always has
        return False
    if found is None:
        return False
    out, status = found
    sys.stdout.write(out)
    sys.stdout.flush()
    if status:
        raise SystemExit(status)
    return True
