"""Settings: who the user is, the playbook's numbers, mail, web and the digest, loaded from TOML.

The file lives in the user's config dir (``nudge config path``); ``NUDGE_CONFIG`` points
elsewhere. Unknown keys and wrong types are errors that name the key, so a typo never silently
falls back to a default. Per-opportunity overrides use the same names.

The parts of the settings live in their own modules (``playbookspecs``, ``playbookconfig``,
``mailconfig``, ``webconfig``, ``remindconfig``, ``oauthconfig``); this module is the one the
rest of the program imports settings from, so it names the playbook's and the mail account's
parts again (``__all__``): they are the fields of ``Settings`` and belong to its interface.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jobnudge import text_safety, zones
from jobnudge.errors import ConfigError, UsageError
from jobnudge.mailconfig import Mail, MailServer, parse_mail
from jobnudge.playbookconfig import ContradictorySettings, Playbook, check_numbers, check_pairs
from jobnudge.playbookspecs import PLAYBOOK_SPECS, SPEC_BY_NAME, Spec
from jobnudge.remindconfig import Remind, parse_remind
from jobnudge.webconfig import Web, parse_web

__all__ = [
    "APP_NAME",
    "PLAYBOOK_SPECS",
    "SPEC_BY_NAME",
    "ContradictorySettings",
    "Mail",
    "MailServer",
    "Playbook",
    "Profile",
    "Settings",
    "Spec",
    "check_numbers",
    "check_pairs",
    "config_dir",
    "config_path",
    "data_dir",
    "load",
    "parse",
    "parse_mail",
    "system_zone",
]

APP_NAME = "jobnudge"


@dataclass(frozen=True, slots=True)
class Profile:
    """Who the user is: used for drafts, for their own time zone and their holidays."""

    name: str = ""
    email: str = ""
    phone: str = ""
    signature: str = ""
    tz: str = "UTC"
    country: str = "US"


@dataclass(frozen=True, slots=True)
class Settings:
    profile: Profile = field(default_factory=Profile)
    playbook: Playbook = field(default_factory=Playbook)
    checks_off: frozenset[str] = frozenset()  # checker codes switched off
    database: str | None = None  # a database URL; None means the SQLite file in the data dir
    mail: Mail = field(default_factory=Mail)  # the mail account, when one is set up
    web: Web = field(default_factory=Web)  # how `nudge serve` meets the network
    remind: Remind = field(default_factory=Remind)  # the morning digest (`nudge remind`)


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME))


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(os.environ.get("NUDGE_DATA_DIR") or user_data_dir(APP_NAME))


def config_path() -> Path:
    return Path(os.environ.get("NUDGE_CONFIG") or config_dir() / "config.toml")


def parse(document: Mapping[str, Any], where: str = "config") -> Settings:
    """Settings from a parsed TOML document; every problem names its key."""
    known_tables = {"profile", "playbook", "checks", "database", "mail", "web", "remind"}
    for key in document:
        if key not in known_tables:
            raise ConfigError(
                f"{where}: unknown section '{key}'. Sections: {', '.join(sorted(known_tables))}."
            )
    profile_doc = dict(document.get("profile", {}))
    given_tz = profile_doc.get("tz")
    profile_doc.setdefault("tz", system_zone())
    profile_fields = {f.name for f in fields(Profile)}
    for key, value in profile_doc.items():
        if key not in profile_fields:
            raise ConfigError(
                f"{where}: unknown key 'profile.{key}'. Keys: {', '.join(sorted(profile_fields))}."
            )
        if not isinstance(value, str):
            raise ConfigError(f"{where}: 'profile.{key}' must be text, not {value!r}.")
        try:  # the signature has lines; the rest are one line, and none drives a terminal
            (text_safety.text if key == "signature" else text_safety.line)(value, key)
        except UsageError as exc:
            raise ConfigError(f"{where}: profile.{exc.message}") from None
    profile = Profile(**profile_doc)
    if given_tz is not None:  # any case, a city alone; never EST or PST
        profile = replace(profile, tz=zones.canonical(profile.tz, f"{where}: profile.tz"))
    else:
        zones.check_zone(profile.tz, f"{where}: profile.tz")
    if len(profile.country) != 2 or not profile.country.isalpha():
        raise ConfigError(
            f"{where}: profile.country must be a two-letter country code like 'US', "
            f"not {profile.country!r}."
        )
    profile = replace(profile, country=profile.country.upper())
    numbers = check_numbers(dict(document.get("playbook", {})), f"{where}: playbook")
    checks = document.get("checks", {})
    off = checks.get("off", []) if isinstance(checks, Mapping) else None
    if not isinstance(off, list) or not all(isinstance(c, str) for c in off):
        raise ConfigError(f"{where}: 'checks.off' must be a list of checker codes.")
    from jobnudge.drafts.findings import CODES

    unknown = [c for c in off if c not in CODES]
    if unknown:
        listed = ", ".join(repr(c) for c in unknown)
        raise ConfigError(
            f"{where}: 'checks.off' names {listed}, which is not a checker code. "
            f"Checker codes: {', '.join(CODES)}."
        )
    database = document.get("database", {}).get("url")
    if database is not None and not isinstance(database, str):
        raise ConfigError(f"{where}: 'database.url' must be text.")
    return Settings(
        profile=profile,
        playbook=check_pairs(Playbook(**numbers), f"{where}: playbook"),
        checks_off=frozenset(off),
        database=database,
        mail=parse_mail(document.get("mail", {}), where),
        web=parse_web(document.get("web", {}), where),
        remind=parse_remind(document.get("remind", {}), where),
    )


def system_zone() -> str:
    """The machine's IANA zone (``TZ``, else where ``/etc/localtime`` points), else UTC.

    tzlocal does this too, but costs ~70 ms of start-up; the agenda must print in far less.
    """
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = Path("/etc/localtime").readlink()
        candidates.append(str(target).split("zoneinfo/", 1)[-1])
    except OSError:
        pass
    for name in candidates:
        if ((name and "/" in name) or name == "UTC") and zones.looks_like_zone(name):
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
            return name
    return "UTC"


def load(path: Path | None = None) -> Settings:
    """The user's settings, or the defaults when there is no config file yet.

    Without a ``profile.tz`` the machine's own zone is used, so "tomorrow 3pm" means what the
    user's clock says.
    """
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(profile=Profile(tz=system_zone()))
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the line it names.") from exc
    return parse(document, str(path))
