"""The agenda's fast path: ``nudge``, ``nudge today`` and ``nudge --json today`` answered
before Typer, Click or Rich is imported.

``cli/entry.py`` hands the arguments here first. This module answers only when it is sure to
print what the full command would print, byte for byte (``tests/cli/test_quick.py`` compares
the two), and says "not mine" (None) in every other case, and the full command runs as always:

- the arguments are exactly the agenda's (``--json``, ``--db``, ``--now`` before ``today``;
  ``--json``, ``--days``, ``--all`` after it), each given once, with no shell completion asked;
- the settings were validated by an earlier full run and have not changed since: that run
  left what the agenda needs from them (:func:`remember`) beside the hash of what they were
  read from, so this path never parses or validates the settings file itself;
- the database is a SQLite file already at the current schema (``store.fastread``);
- nothing fails on the way (an unreadable time, a locked file...): the full command then says
  what is wrong, as it always did.

What it uses: the standard library, ``store.fastread``, the playbook's ``acting`` guards and
calendar, and the renderer both paths share (``cli/agendaview.py``).
"""

from __future__ import annotations

import marshal
import os
import sys
from datetime import datetime, time, timedelta

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs this path
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from jobnudge.cli.agendaview import Line
    from jobnudge.config import Settings
    from jobnudge.store.fastread import Record

FORMAT = 2
"""Version of the remembered settings' layout; a different one is ignored."""
LOCAL_USER = "local"  # services.session.LOCAL_USER (a test checks they agree)
DEFAULT_FILE_NAME = "jobnudge.sqlite"  # store.location.DEFAULT_FILE_NAME (likewise)
DEFAULT_DAYS = 7
MAX_DAYS = 3650  # the --days option's bound in cli/agenda.py (likewise)

ENVIRONMENT = (
    "NUDGE_DATA_DIR",
    "NUDGE_CONFIG",
    "HOME",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_DIRS",
    "XDG_CONFIG_DIRS",
    "TZ",
)
"""What the data folder, the settings file and the default zone are found from."""


class Request:
    """What the agenda was asked for."""

    __slots__ = ("as_json", "days", "db", "everything", "now")

    def __init__(self) -> None:
        self.as_json = False
        self.db: str | None = None
        self.now: str | None = None
        self.days = DEFAULT_DAYS
        self.everything = False


def parse(argv: Sequence[str]) -> Request | None:
    """The request ``argv`` makes, when it is one the fast path answers; else None."""
    asked = Request()
    seen: set[str] = set()
    index = 0
    command = False
    while index < len(argv):
        word = argv[index]
        name, equals, value = word.partition("=")
        if name in seen:
            return None  # given twice: let Click decide what that means
        seen.add(name)
        if not command and word == "today":
            command = True
            seen.discard("--json")  # the command's own --json is another option
        elif word == "--json" and not equals:
            asked.as_json = True
        elif word == "--all" and command:
            asked.everything = True
        elif (name in ("--db", "--now") and not command) or (name == "--days" and command):
            if not equals:
                index += 1
                if index == len(argv):
                    return None
                value = argv[index]
            if not value or value.startswith("-"):
                return None
            if name == "--days":
                if not (value.isascii() and value.isdigit()) or int(value) > MAX_DAYS:
                    return None
                asked.days = int(value)
            elif name == "--db":
                asked.db = value
            else:
                asked.now = value
        else:
            return None
        index += 1
    return asked


# --------------------------------------------------------------------- remembered settings


def _cache_file(environ: Mapping[str, str]) -> str:
    """Where the settings the agenda needs are remembered: in the data folder when
    ``NUDGE_DATA_DIR`` names it, else in the user's cache folder (found without platformdirs,
    whose import costs more than this whole path)."""
    data = environ.get("NUDGE_DATA_DIR")
    if data:
        return os.path.join(data, "cache", "agenda-settings")
    cache = environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(cache, "jobnudge", "agenda-settings")


def _surroundings(environ: Mapping[str, str]) -> tuple[object, ...]:
    """Everything besides the settings file that changes where files are or the default zone."""
    try:
        zone_link = os.readlink("/etc/localtime")
    except OSError:
        zone_link = ""
    return (
        FORMAT,
        _version(),
        sys.platform,
        os.getuid() if hasattr(os, "getuid") else -1,
        tuple(environ.get(name) for name in ENVIRONMENT),
        zone_link,
    )


def _version() -> str:
    from jobnudge import __version__

    return __version__


def _stamp(path: str) -> tuple[int, int, int] | None:
    """The settings file's identity: it changed when any of these did (None: no file)."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_mtime_ns, found.st_size, found.st_ino)


def remember(settings: Settings, environ: Mapping[str, str] | None = None) -> None:
    """Keep what the agenda needs from ``settings`` (just loaded and validated by the full
    command) for the fast path; best-effort: a folder that cannot be written only loses the
    speed-up."""
    from jobnudge import config
    from jobnudge.store.location import sqlite_file

    env = os.environ if environ is None else environ
    data_dir = config.data_dir()
    config_file = str(config.config_path())
    place = sqlite_file(settings.database, data_dir) if settings.database else None
    playbook = settings.playbook
    start, end = playbook.call_start, playbook.call_end
    values = (
        str(data_dir),
        config_file,
        settings.database is None,
        None if place is None else str(place),
        settings.profile.tz,
        settings.profile.country,
        (start.hour, start.minute),
        (end.hour, end.minute),
        (
            settings.profile.name,
            settings.profile.signature,
            settings.profile.email,
            sorted(settings.checks_off),
            playbook.email_max_words,
            playbook.voicemail_max_seconds,
            playbook.text_max_chars,
        ),
    )
    record: Any = (_surroundings(env), _stamp(config_file), values)  # marshal takes it
    target = _cache_file(env)
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            with open(target, "rb") as old:
                if old.read() == marshal.dumps(record):
                    return
        except (OSError, ValueError, EOFError):
            pass
        partial = f"{target}.{os.getpid()}.tmp"
        with open(partial, "wb") as out:
            marshal.dump(record, out)
        os.replace(partial, target)
    except OSError:
        return


class Known:
    """The remembered settings, when they still hold."""

    __slots__ = (
        "call_hours",
        "checker",
        "config_file",
        "country",
        "data_dir",
        "default_db",
        "sqlite",
        "tz",
    )

    def __init__(self, values: Sequence[object]) -> None:
        data_dir, config_file, default_db, sqlite, tz, country, start, end, checks = values
        self.data_dir = str(data_dir)
        self.config_file = str(config_file)
        self.default_db = bool(default_db)
        self.sqlite = None if sqlite is None else str(sqlite)
        self.tz = str(tz)
        self.country = str(country)
        self.call_hours = (time(*start), time(*end))  # type: ignore[misc]
        self.checker = CheckerSettings(checks, self.call_hours)  # type: ignore[arg-type]


class _Part:
    """A plain bag of attributes (a part of :class:`CheckerSettings`)."""

    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


class CheckerSettings:
    """What the draft checker reads of ``config.Settings`` (``drafts/checks``), as remembered:
    the quick check (``cli/quickcheck.py``) passes it in their place, without importing the
    settings' module."""

    def __init__(self, values: Sequence[Any], call_hours: tuple[time, time]) -> None:
        name, signature, email, off, email_words, voicemail_seconds, text_chars = values
        self.profile = _Part(name=name, signature=signature, email=email)
        self.playbook = _Part(
            email_max_words=email_words,
            voicemail_max_seconds=voicemail_seconds,
            text_max_chars=text_chars,
            call_start=call_hours[0],
            call_end=call_hours[1],
        )
        self.checks_off = frozenset(off)


def recall(environ: Mapping[str, str]) -> Known | None:
    """The settings :func:`remember` kept, if the environment and the settings file are still
    what they were then."""
    try:
        with open(_cache_file(environ), "rb") as kept:
            surroundings, stamp, values = marshal.load(kept)  # noqa: S302 - our own file, in the user's folder
        if surroundings != _surroundings(environ):
            return None
        known = Known(values)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if stamp != _stamp(known.config_file):
        return None
    return known


# --------------------------------------------------------------------------- the agenda


def sqlite_path(db: str | None, known: Known) -> str | None:
    """The SQLite file ``--db``/``NUDGE_DB`` (``db``) or the settings name; None for
    PostgreSQL or an in-memory database (the full store's)."""
    if db is not None:
        from jobnudge.store.location import sqlite_file

        found = sqlite_file(db, known.data_dir)  # type: ignore[arg-type]
        return None if found is None else str(found)
    if known.default_db:
        return os.path.join(known.data_dir, DEFAULT_FILE_NAME)
    return known.sqlite


def answer(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str | None:
    """What ``nudge`` with ``argv`` prints, when the fast path can tell; else None."""
    env = os.environ if environ is None else environ
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in env):
        return None  # shell completion is Click's
    asked = parse(argv)
    if asked is None:
        return None
    known = recall(env)
    if known is None:
        return None
    path = sqlite_path(asked.db or env.get("NUDGE_DB") or None, known)
    if path is None:
        return None  # PostgreSQL or in-memory: the full store
    from jobnudge.store import fastread

    if not fastread.schema_is_current(path):
        return None  # no file yet, or one to migrate: the full store does both
    from jobnudge import clock

    now = clock.resolve(asked.now or env.get("NUDGE_NOW") or None, known.tz)
    records = fastread.agenda_records(path, LOCAL_USER, now + timedelta(days=asked.days), now)
    lines = assess(records, known, now)
    from jobnudge.cli import agendaview, terminal

    if asked.as_json:
        return agendaview.json_text(agendaview.json_rows(lines, known.tz))
    limit = None if asked.everything else agendaview.PER_GROUP
    return agendaview.text(
        lines,
        known.tz,
        now,
        limit=limit,
        width=terminal.terminal_width(env),  # type: ignore[arg-type]
        paint=terminal.Paint.for_stream(sys.stdout, env),  # type: ignore[arg-type]
    )


VOICE = ("call", "voicemail")  # domain.enums.Channel.is_voice (a test checks they agree)


def assess(records: Sequence[Record], known: Known, now: datetime) -> list[Line]:
    """The agenda's lines: each record's group and the guards acting now would break, by the
    same functions ``services.nudges.assess`` uses."""
    from jobnudge.cli.agendaview import Line
    from jobnudge.playbook import acting

    if any(record[10] in VOICE for record in records):
        from jobnudge import holidaycache

        holidaycache.install(os.path.join(known.data_dir, "cache"))  # as the full command does
    end_of_today = acting.today_end(now, known.tz)
    lines: list[Line] = []
    for record in records:
        (key, short, rule, opportunity_id, company, role, contact_id, contact, contact_tz,
         country, channel, due, due_by, _expires, tz, reason, message) = record  # fmt: skip
        blocked = acting.blocked(
            now,
            due,
            channel in VOICE,
            tz,
            country or known.country,
            known.call_hours,
        )
        lines.append(
            Line(
                short_id=short,
                key=key,
                rule=rule,
                group=acting.group(due, due_by, now, end_of_today),
                opportunity_id=opportunity_id,
                company=company,
                role=role,
                contact=contact,
                contact_id=contact_id,
                contact_tz=contact_tz,
                channel=channel,
                due=due,
                due_by=due_by,
                blocked_by=blocked,
                reason=reason,
                message=message,
            )
        )
    return lines


def run(argv: Sequence[str]) -> bool:
    """Print the agenda and return True when the fast path answers ``argv``; False (having
    printed nothing) for the full command to run instead."""
    try:
        out = answer(argv)
    except Exception:  # any doubt: the full command runs and reports as it always has
        return False
    if out is None:
        return False
    sys.stdout.write(out)
    sys.stdout.flush()
    return True
