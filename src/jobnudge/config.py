"""Settings: every playbook number with its default and the reason for it, loaded from TOML.

The file lives in the user's config dir (``nudge config path``); ``NUDGE_CONFIG`` points
elsewhere. Unknown keys and wrong types are errors that name the key, so a typo never silently
falls back to a default. Per-opportunity overrides use the same names.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jobnudge import text_safety, zones
from jobnudge.errors import ConfigError, UsageError
from jobnudge.oauthconfig import OAUTH_KEYS, OAuth, parse_oauth
from jobnudge.remindconfig import Remind, parse_remind
from jobnudge.webconfig import Web, parse_web

APP_NAME = "jobnudge"


@dataclass(frozen=True, slots=True)
class Spec:
    """One tunable number: its default, its unit and why it is what it is. ``why`` is for
    people; ``sources`` names the articles the advice comes from (machine-readable, shown in
    ``--json``; empty where the number is ours)."""

    name: str
    default: float
    unit: str
    why: str
    minimum: float = 0
    maximum: float = 10_000
    sources: str = ""


PLAYBOOK_SPECS: tuple[Spec, ...] = (
    Spec(
        "apply_check_in_days",
        7,
        "days",
        "Check in about a week after applying (say so in the cover letter).",
        sources="003",
    ),
    Spec(
        "apply_check_in_window_days",
        10,
        "days",
        "The check-in stays worth sending until 10 days after applying.",
        sources="003",
    ),
    Spec(
        "confirm_working_days_before",
        1,
        "working days",
        "Confirm an interview the working day before it.",
        1,
        10,
        sources="003",
    ),
    Spec(
        "thank_you_min_minutes",
        60,
        "minutes",
        "Not within the first hour after the interview: it reads as rushed.",
        0,
        720,
        sources="002",
    ),
    Spec(
        "thank_you_max_hours",
        24,
        "hours",
        "A thank-you later than a day looks unprofessional.",
        1,
        168,
        sources="002, 003",
    ),
    Spec(
        "workday_end_hour",
        17,
        "hour of day",
        "Thank-yous land towards the end of the interviewer's working day.",
        0,
        23,
        sources="002",
    ),
    Spec(
        "workday_start_hour",
        9,
        "hour of day",
        "Start of the contact's working day, used to avoid interrupting it.",
        0,
        23,
    ),
    Spec(
        "first_round_status_days",
        5,
        "working days",
        "After a phone or first-round interview, follow up within the week.",
        1,
        60,
        sources="004",
    ),
    Spec(
        "later_round_status_min_days",
        7,
        "days",
        "After a second or later round, wait 7 to 10 days.",
        1,
        60,
        sources="004",
    ),
    Spec(
        "later_round_status_max_days",
        10,
        "days",
        "After a second or later round, wait 7 to 10 days.",
        1,
        90,
        sources="004",
    ),
    Spec(
        "silence_retry_days",
        7,
        "days",
        "Wait a full week after an unanswered follow-up, then one more polite email.",
        sources="003",
    ),
    Spec(
        "silence_move_on_after",
        2,
        "unanswered follow-ups",
        "Continued silence means they moved on, and so should you; the number is ours.",
        1,
        10,
        sources="001",
    ),
    Spec(
        "cooldown_days",
        7,
        "days",
        "Never the same question to the same employer twice inside this.",
        1,
        60,
        sources="000, 003",
    ),
    Spec(
        "referral_update_days",
        2,
        "days",
        "Tell the person who referred you within a couple of days of each step.",
        sources="003",
    ),
    Spec(
        "references_thanks_days",
        3,
        "days",
        "Thank references within a few days of the outcome (our reading of the advice).",
        sources="003, 004",
    ),
    Spec(
        "offer_thank_you_hours",
        24,
        "hours",
        "Thank the employer for an offer within a day (the window is ours).",
        1,
        168,
        sources="003",
    ),
    Spec(
        "offer_decide_days_before",
        2,
        "working days",
        "Have your answer to an offer ready this long before the date they asked for it "
        "(the number is ours).",
        0,
        30,
    ),
    Spec(
        "rejection_note_days",
        2,
        "days",
        "A gracious note within a day or two of a rejection (the window is ours).",
        1,
        30,
        sources="001",
    ),
    Spec(
        "reconnect_days",
        90,
        "days",
        "Check back about new openings months after a gracious note (our reading of the advice).",
        sources="001",
    ),
    Spec(
        "staffing_every_days",
        14,
        "days",
        "Stay in regular touch with staffing firms (the cadence is ours).",
        1,
        90,
        sources="003",
    ),
    Spec(
        "pipeline_min_active",
        5,
        "opportunities",
        "Below this many active applications, add more while you wait.",
        0,
        1000,
        sources="000",
    ),
    Spec(
        "review_weekday",
        0,
        "weekday (0 = Monday)",
        "The weekly review day (review this week's job search activities).",
        0,
        6,
        sources="003",
    ),
    Spec(
        "call_start_hour",
        7,
        "hour of day",
        "No calls before 7 am in the contact's time zone (early morning is fine).",
        0,
        23,
        sources="001",
    ),
    Spec(
        "call_end_minutes",
        20 * 60 + 30,
        "minutes after midnight",
        "No calls after 8:30 pm in the contact's time zone (2 am sounds desperate).",
        0,
        24 * 60,
        sources="001",
    ),
    Spec(
        "email_max_words",
        150,
        "words",
        "Follow-ups are short and to the point.",
        20,
        2000,
        sources="000",
    ),
    Spec("voicemail_max_seconds", 40, "seconds", "A brief message.", 5, 600, sources="000, 001"),
    Spec("text_max_chars", 320, "characters", "Two text messages at most.", 40, 2000),
)

SPEC_BY_NAME: Mapping[str, Spec] = {s.name: s for s in PLAYBOOK_SPECS}


@dataclass(frozen=True, slots=True)
class Pair:
    """Two playbook numbers that bound one span: ``first`` must come before ``second`` (or
    equal it, unless ``strict``), once each is scaled to a common unit."""

    first: str
    second: str
    reason: str  # what would go wrong otherwise, for the message
    strict: bool = False
    first_scale: float = 1
    second_scale: float = 1


PLAYBOOK_PAIRS: tuple[Pair, ...] = (
    Pair(
        "workday_start_hour",
        "workday_end_hour",
        "the working day would end before it starts",
        strict=True,
    ),
    Pair(
        "call_start_hour",
        "call_end_minutes",
        "no moment would be inside the call hours",
        strict=True,
        first_scale=60,
    ),
    Pair(
        "later_round_status_min_days",
        "later_round_status_max_days",
        "the status check would fall due after its window closed",
    ),
    Pair(
        "apply_check_in_days",
        "apply_check_in_window_days",
        "the check-in would fall due after its window closed",
    ),
    Pair(
        "thank_you_min_minutes",
        "thank_you_max_hours",
        "the earliest moment for a thank-you would come after its deadline",
        second_scale=60,
    ),
)
"""The start/end and min/max pairs among ``PLAYBOOK_SPECS`` (hours against minutes for the
call hours, minutes against hours for the thank-you)."""


class ContradictorySettings(ConfigError):
    """Two playbook numbers contradict each other; ``fields`` names both (the first, then the
    second of the pair), so a form can mark them."""

    def __init__(self, message: str, fields: tuple[str, str]) -> None:
        super().__init__(message)
        self.fields = fields


@dataclass(frozen=True, slots=True)
class Playbook:
    """The numbers the rules use. Field names match ``PLAYBOOK_SPECS``."""

    apply_check_in_days: float = 7
    apply_check_in_window_days: float = 10
    confirm_working_days_before: float = 1
    thank_you_min_minutes: float = 60
    thank_you_max_hours: float = 24
    workday_end_hour: float = 17
    workday_start_hour: float = 9
    first_round_status_days: float = 5
    later_round_status_min_days: float = 7
    later_round_status_max_days: float = 10
    silence_retry_days: float = 7
    silence_move_on_after: float = 2
    cooldown_days: float = 7
    referral_update_days: float = 2
    references_thanks_days: float = 3
    offer_thank_you_hours: float = 24
    offer_decide_days_before: float = 2
    rejection_note_days: float = 2
    reconnect_days: float = 90
    staffing_every_days: float = 14
    pipeline_min_active: float = 5
    review_weekday: float = 0
    call_start_hour: float = 7
    call_end_minutes: float = 20 * 60 + 30
    email_max_words: float = 150
    voicemail_max_seconds: float = 40
    text_max_chars: float = 320

    @property
    def call_start(self) -> time:
        return time(int(self.call_start_hour))

    @property
    def call_end(self) -> time:
        minutes = min(int(self.call_end_minutes), 24 * 60 - 1)
        return time(minutes // 60, minutes % 60)

    def with_overrides(self, overrides: Mapping[str, float]) -> Playbook:
        """This playbook with one opportunity's overrides applied (validated the same way)."""
        if not overrides:
            return self
        return replace(self, **check_numbers(overrides, "opportunity settings"))


@dataclass(frozen=True, slots=True)
class Profile:
    """Who the user is: used for drafts, for their own time zone and their holidays."""

    name: str = ""
    email: str = ""
    phone: str = ""
    signature: str = ""
    tz: str = "UTC"
    country: str = "US"


MAIL_SECURITY = ("tls", "starttls", "none")
"""How a mail connection is protected: TLS from the first byte, STARTTLS after the greeting, or
nothing (only for a server on this machine)."""
DEFAULT_PORTS = {
    "smtp": {"tls": 465, "starttls": 587, "none": 25},
    "imap": {"tls": 993, "starttls": 143, "none": 143},
}
PASSWORD_SOURCES = ("auto", "keyring", "env", "file")
MAIL_PRESETS: Mapping[str, Mapping[str, Any]] = {
    # Both save a copy of what their SMTP server sends in the Sent folder themselves, and
    # both sign in with OAuth 2.0 by default (mail.auth = "oauth"; oauthconfig.py).
    "gmail": {
        "smtp_host": "smtp.gmail.com",
        "smtp_port": 465,
        "smtp_security": "tls",
        "imap_host": "imap.gmail.com",
        "imap_port": 993,
        "imap_security": "tls",
        "inbox": "INBOX",
        "sent": "[Gmail]/Sent Mail",
        "append_sent": False,
    },
    "outlook": {
        "smtp_host": "smtp-mail.outlook.com",
        "smtp_port": 587,
        "smtp_security": "starttls",
        "imap_host": "outlook.office365.com",
        "imap_port": 993,
        "imap_security": "tls",
        "inbox": "INBOX",
        "sent": "Sent Items",
        "append_sent": False,
    },
}


@dataclass(frozen=True, slots=True)
class MailServer:
    """One side of a mail account: where to connect and how the connection is protected."""

    host: str = ""
    port: int = 0
    security: str = "tls"  # one of MAIL_SECURITY


@dataclass(frozen=True, slots=True)
class Mail:
    """The user's mail account (``[mail]``): never the password, which comes from the system
    keyring, the ``NUDGE_MAIL_PASSWORD`` variable or a file only the user can read."""

    preset: str = ""  # "gmail", "outlook" or "" (every server setting given by hand)
    address: str = ""  # the From address; default the user name when it is an address
    username: str = ""
    smtp: MailServer = field(default_factory=lambda: MailServer(port=465))
    imap: MailServer = field(default_factory=lambda: MailServer(port=993))
    inbox: str = "INBOX"
    sent: str = "Sent"
    append_sent: bool = True  # False where the server files sent mail in Sent itself
    password_source: str = "auto"  # noqa: S105 - where the password is looked up, not one
    password_file: str = ""
    timeout_seconds: float = 30
    since_days: int = 30  # how far back a first (or full) sync looks
    sync_minutes: int = 5  # how often `nudge serve` syncs and sends what is due; 0: never
    auth: str = "password"
    oauth: OAuth = field(default_factory=OAuth)

    @property
    def configured(self) -> bool:
        return bool(self.username and self.smtp.host and self.imap.host)

    @property
    def sends(self) -> bool:
        """Enough to send (a server's digests and invitations): no mailbox is read."""
        return bool(self.username and self.smtp.host)

    @property
    def from_address(self) -> str:
        return self.address or (self.username if "@" in self.username else "")


@dataclass(frozen=True, slots=True)
class Settings:
    profile: Profile = field(default_factory=Profile)
    playbook: Playbook = field(default_factory=Playbook)
    checks_off: frozenset[str] = frozenset()  # checker codes switched off
    database: str | None = None  # a database URL; None means the SQLite file in the data dir
    mail: Mail = field(default_factory=Mail)  # the mail account, when one is set up
    web: Web = field(default_factory=Web)  # how `nudge serve` meets the network
    remind: Remind = field(default_factory=Remind)  # the morning digest (`nudge remind`)


def check_numbers(values: Mapping[str, Any], where: str) -> dict[str, float]:
    """Validate playbook numbers by name, type and range; raise naming the first bad one."""
    out: dict[str, float] = {}
    for name, value in values.items():
        spec = SPEC_BY_NAME.get(name)
        if spec is None:
            known = ", ".join(sorted(SPEC_BY_NAME))
            raise ConfigError(f"{where}: unknown setting '{name}'. Known settings: {known}.")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: '{name}' must be a number ({spec.unit}), not {value!r}.")
        if not spec.minimum <= value <= spec.maximum:
            raise ConfigError(
                f"{where}: '{name}' must be between {spec.minimum:g} and {spec.maximum:g} "
                f"{spec.unit}; it is {value:g}."
            )
        out[name] = float(value)
    return out


def _shown(name: str, value: float) -> str:
    unit = SPEC_BY_NAME[name].unit
    if unit == "hour of day":
        return f"{value:g}, i.e. {int(value):02d}:{round(value % 1 * 60):02d}"
    if unit == "minutes after midnight":
        return f"{value:g}, i.e. {int(value) // 60:02d}:{int(value) % 60:02d}"
    return f"{value:g} {unit}"


def check_pairs(playbook: Playbook, where: str) -> Playbook:
    """``playbook`` if no start/end or min/max pair contradicts itself (the numbers not given
    count at their defaults), else a ContradictorySettings naming both numbers and the fix."""
    for pair in PLAYBOOK_PAIRS:
        first = getattr(playbook, pair.first)
        second = getattr(playbook, pair.second)
        low, high = first * pair.first_scale, second * pair.second_scale
        if low < high or (low == high and not pair.strict):
            continue
        relation = "before" if pair.strict else "at most"
        a, b = SPEC_BY_NAME[pair.first], SPEC_BY_NAME[pair.second]
        raise ContradictorySettings(
            f"{where}: '{pair.first}' ({_shown(pair.first, first)}) must be {relation} "
            f"'{pair.second}' ({_shown(pair.second, second)}): otherwise {pair.reason}. "
            f"Lower {pair.first} or raise {pair.second} (the defaults are {a.default:g} and "
            f"{b.default:g}).",
            (pair.first, pair.second),
        )
    return playbook


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


_MAIL_TEXT = (
    "preset",
    "address",
    "username",
    "smtp_host",
    "smtp_security",
    "imap_host",
    "imap_security",
    "inbox",
    "sent",
    "password_source",
    "password_file",
)
_MAIL_WHOLE = ("smtp_port", "imap_port", "since_days", "sync_minutes")
_MAIL_KEYS = frozenset(
    (*_MAIL_TEXT, *_MAIL_WHOLE, *OAUTH_KEYS, "auth", "append_sent", "timeout_seconds")
)


def parse_mail(section: Any, where: str = "config") -> Mail:
    """The ``[mail]`` section: a preset's values, then the keys given; every problem named."""
    if not isinstance(section, Mapping):
        raise ConfigError(f"{where}: 'mail' must be a table of settings ([mail]).")
    for key in section:
        if key not in _MAIL_KEYS:
            raise ConfigError(
                f"{where}: unknown key 'mail.{key}'. Keys: {', '.join(sorted(_MAIL_KEYS))}."
            )
    for key in _MAIL_TEXT:
        if key in section and not isinstance(section[key], str):
            raise ConfigError(f"{where}: 'mail.{key}' must be text, not {section[key]!r}.")
    for key in _MAIL_WHOLE:
        value = section.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ConfigError(f"{where}: 'mail.{key}' must be a whole number, not {value!r}.")
    preset = str(section.get("preset", "")).strip().lower()
    if preset and preset not in MAIL_PRESETS:
        raise ConfigError(
            f"{where}: mail.preset '{preset}' is unknown; use one of "
            f"{', '.join(sorted(MAIL_PRESETS))}, or leave it out and give the servers."
        )
    doc: dict[str, Any] = {**MAIL_PRESETS.get(preset, {}), **section}
    servers = {}
    for side in ("smtp", "imap"):
        security = str(doc.get(f"{side}_security", "tls")).strip().lower()
        if security not in MAIL_SECURITY:
            raise ConfigError(
                f"{where}: mail.{side}_security must be one of {', '.join(MAIL_SECURITY)}, "
                f"not {security!r}."
            )
        port = doc.get(f"{side}_port", DEFAULT_PORTS[side][security])
        if not 1 <= port <= 65535:
            raise ConfigError(f"{where}: mail.{side}_port must be 1 to 65535; it is {port}.")
        servers[side] = MailServer(str(doc.get(f"{side}_host", "")).strip(), port, security)
    append_sent = doc.get("append_sent", True)
    if not isinstance(append_sent, bool):
        raise ConfigError(f"{where}: 'mail.append_sent' must be true or false.")
    timeout = doc.get("timeout_seconds", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 1 <= timeout <= 600:
        raise ConfigError(f"{where}: 'mail.timeout_seconds' must be a number from 1 to 600.")
    source = str(doc.get("password_source", "auto")).strip().lower()
    if source not in PASSWORD_SOURCES:
        raise ConfigError(
            f"{where}: mail.password_source must be one of {', '.join(PASSWORD_SOURCES)}."
        )
    auth, oauth = parse_oauth(doc, preset, where)
    if source == "file" and not doc.get("password_file") and auth == "password":
        raise ConfigError(
            f"{where}: mail.password_source is 'file' but mail.password_file is empty."
        )
    since = doc.get("since_days", 30)
    if not 0 <= since <= 36_500:
        raise ConfigError(f"{where}: mail.since_days must be 0 to 36500; it is {since}.")
    every = doc.get("sync_minutes", 5)
    if not 0 <= every <= 1440:
        raise ConfigError(
            f"{where}: mail.sync_minutes must be 0 (never) to 1440 (once a day); it is {every}."
        )
    for key in ("inbox", "sent"):
        if key in doc and not str(doc[key]).strip():
            raise ConfigError(f"{where}: mail.{key} must name a mailbox.")
    return Mail(
        preset=preset,
        address=str(doc.get("address", "")).strip(),
        username=str(doc.get("username", "")).strip(),
        smtp=servers["smtp"],
        imap=servers["imap"],
        inbox=str(doc.get("inbox", "INBOX")).strip(),
        sent=str(doc.get("sent", "Sent")).strip(),
        append_sent=append_sent,
        password_source=source,
        password_file=str(doc.get("password_file", "")).strip(),
        timeout_seconds=float(timeout),
        since_days=since,
        sync_minutes=every,
        auth=auth,
        oauth=oauth,
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
