"""The ``[mail]`` settings: the account's servers and how each connection is protected, the
provider presets (Gmail, Outlook), where the password comes from, and the section's checks.
The password itself is never a setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jobnudge.errors import ConfigError
from jobnudge.oauthconfig import OAUTH_KEYS, OAuth, parse_oauth

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
