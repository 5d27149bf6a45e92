"""The ``[remind]`` settings: when the morning digest goes out, where to, and how much it says.

Apprise URLs carry tokens, so they are never settings: on a laptop they come from the system
keyring, ``NUDGE_APPRISE_URLS`` or a file only the user can read (as the mail password does);
on a server with accounts each user's are sealed with the server key (``user_secrets``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from jobnudge.errors import ConfigError

CHANNELS = ("email", "apprise", "desktop")
DAYS = ("working", "every")
DETAILS = ("full", "brief")
SOURCES = ("auto", "keyring", "env", "file")

REMIND_KEYS = {
    "hour": "the local hour the morning digest goes out (0 to 23.99; 8.5 is 08:30); default 8",
    "days": '"working" (no digest on weekends and public holidays, the default) or "every"',
    "quiet_hours": 'when nothing is sent, like "21:00-07:30" (empty: never quiet)',
    "channels": 'where digests go: any of "email", "apprise", "desktop" (empty: none)',
    "detail": '"full" (who, what, why and the link, the default) or "brief" (who and what)',
    "email_to": "the address the e-mail digest goes to (default: profile.email)",
    "apprise_source": 'where the Apprise URLs come from: "auto", "keyring", "env" or "file"',
    "apprise_file": "a file readable only by you with one Apprise URL a line",
    "web_url": "the web app's address, for links in the digest (default: `nudge draft` "
    "commands; `nudge serve` fills in its own)",
}

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class Quiet:
    """Quiet hours; ``start > end`` wraps past midnight (21:00-07:00)."""

    start: time
    end: time

    def contains(self, clock: time) -> bool:
        if self.start <= self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class Remind:
    hour: float = 8
    days: str = "working"
    quiet: Quiet | None = None
    channels: tuple[str, ...] = ()
    detail: str = "full"
    email_to: str = ""
    apprise_source: str = "auto"
    apprise_file: str = ""
    web_url: str = ""


def _clock(text: str, where: str, whole: str) -> time:
    found = _CLOCK.match(text)
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise ConfigError(
            f'{where}: remind.quiet_hours must look like "21:00-07:30" (24-hour clock), '
            f"not {whole.strip()!r}."
        )
    return time(int(found[1]), int(found[2]))


def parse_quiet(text: str, where: str = "config") -> Quiet | None:
    """``"21:00-07:30"`` as :class:`Quiet`; empty text is no quiet hours."""
    if not text.strip():
        return None
    start, dash, end = text.partition("-")
    if not dash:
        raise ConfigError(
            f'{where}: remind.quiet_hours must be a start and an end like "21:00-07:30", '
            f"not {text!r}."
        )
    quiet = Quiet(_clock(start, where, text), _clock(end, where, text))
    if quiet.start == quiet.end:
        raise ConfigError(
            f"{where}: remind.quiet_hours starts and ends at {quiet.start:%H:%M}; give two "
            "different times, or leave it empty."
        )
    return quiet


def _choice(doc: Mapping[str, Any], key: str, choices: tuple[str, ...], where: str) -> str:
    value = doc.get(key, choices[0])
    if not isinstance(value, str) or value.strip().lower() not in choices:
        raise ConfigError(
            f"{where}: remind.{key} must be one of {', '.join(choices)}, not {value!r}."
        )
    return value.strip().lower()


def parse_remind(section: Any, where: str = "config") -> Remind:
    """The ``[remind]`` section; every problem names its key and the fix."""
    if not isinstance(section, Mapping):
        raise ConfigError(f"{where}: 'remind' must be a table of settings ([remind]).")
    for key in section:
        if key not in REMIND_KEYS:
            raise ConfigError(
                f"{where}: unknown key 'remind.{key}'. Keys: {', '.join(sorted(REMIND_KEYS))}."
            )
    for key in ("quiet_hours", "email_to", "apprise_file", "web_url"):
        if key in section and not isinstance(section[key], str):
            raise ConfigError(f"{where}: 'remind.{key}' must be text, not {section[key]!r}.")
    hour = section.get("hour", 8)
    if isinstance(hour, bool) or not isinstance(hour, int | float) or not 0 <= hour < 24:
        raise ConfigError(
            f"{where}: remind.hour must be a number from 0 to 23.99 (8.5 is 08:30), not {hour!r}."
        )
    channels = section.get("channels", [])
    if isinstance(channels, str):
        channels = [channels]
    if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
        raise ConfigError(
            f'{where}: remind.channels must be a list like ["email", "apprise"], not {channels!r}.'
        )
    chosen: list[str] = []
    for name in channels:
        clean = name.strip().lower()
        if clean not in CHANNELS:
            raise ConfigError(
                f"{where}: remind.channels: {name!r} is not a channel; use {', '.join(CHANNELS)}."
            )
        if clean not in chosen:
            chosen.append(clean)
    email_to = str(section.get("email_to", "")).strip()
    if email_to and ("@" not in email_to or any(c.isspace() for c in email_to)):
        raise ConfigError(f"{where}: remind.email_to must be one e-mail address, not {email_to!r}.")
    source = _choice(section, "apprise_source", SOURCES, where)
    if source == "file" and not str(section.get("apprise_file", "")).strip():
        raise ConfigError(
            f"{where}: remind.apprise_source is 'file' but remind.apprise_file is empty."
        )
    web_url = str(section.get("web_url", "")).strip().rstrip("/")
    if web_url and not web_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"{where}: remind.web_url must start with http:// or https://, not {web_url!r}."
        )
    quiet = parse_quiet(str(section.get("quiet_hours", "")), where)
    minutes = round(float(hour) * 60)
    at = time(min(minutes // 60, 23), minutes % 60)
    if quiet is not None and quiet.contains(at):
        raise ConfigError(
            f"{where}: remind.hour {at:%H:%M} falls within remind.quiet_hours ({quiet}), so no "
            "digest would ever go out; choose an hour outside the quiet hours, or change them."
        )
    return Remind(
        hour=float(hour),
        days=_choice(section, "days", DAYS, where),
        quiet=quiet,
        channels=tuple(chosen),
        detail=_choice(section, "detail", DETAILS, where),
        email_to=email_to,
        apprise_source=source,
        apprise_file=str(section.get("apprise_file", "")).strip(),
        web_url=web_url,
    )


def to_document(remind: Remind) -> dict[str, Any]:
    """The settings as a ``[remind]`` table (what the Settings page saves)."""
    doc: dict[str, Any] = {
        "hour": remind.hour,
        "days": remind.days,
        "quiet_hours": str(remind.quiet) if remind.quiet else "",
        "channels": list(remind.channels),
        "detail": remind.detail,
    }
    for key in ("email_to", "apprise_file", "web_url"):
        if getattr(remind, key):
            doc[key] = getattr(remind, key)
    if remind.apprise_source != "auto":
        doc["apprise_source"] = remind.apprise_source
    return doc
