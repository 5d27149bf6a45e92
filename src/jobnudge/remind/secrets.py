"""Where a laptop's Apprise URLs come from: they carry tokens, so like the mail password they
live in the system keyring, the ``NUDGE_APPRISE_URLS`` variable or a file only the user can
read, never in the settings file or the database. (On a server with accounts, each user's are
sealed with the server key: ``services/reminding.py`` reads them through ``user_secrets``.)
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from jobnudge.errors import ConfigError
from jobnudge.remindconfig import Remind

KEYRING_SERVICE = "jobnudge-remind"
KEYRING_USER = "apprise"
URLS_ENV = "NUDGE_APPRISE_URLS"
SECRET_NAME = "remind.apprise"  # noqa: S105 - the user_secrets name, not a secret


def split_urls(text: str) -> list[str]:
    """URLs one a line (or separated by spaces or commas), comment lines (#) left out."""
    found = []
    for line in text.splitlines():
        if line.strip().startswith("#"):
            continue
        found += [u for u in re.split(r"[\s,]+", line) if u]
    return found


def check_urls(urls: list[str], where: str = "Apprise URLs") -> list[str]:
    """``urls`` if each names a scheme ("ntfy://...", "json://..."), else a ConfigError that
    shows only the scheme part, never a token."""
    for url in urls:
        scheme = urlsplit(url).scheme
        if not scheme or "://" not in url:
            shown = url.split(":", 1)[0][:20]
            raise ConfigError(
                f"{where}: {shown!r}... is not an Apprise URL; each looks like "
                "ntfy://topic, tgram://token/chat or json://host/path."
            )
    return urls


def redact(text: str, urls: list[str]) -> str:
    """``text`` with every URL replaced by its scheme: a message never shows a token."""
    for url in sorted(urls, key=len, reverse=True):
        text = text.replace(url, f"{urlsplit(url).scheme}://***")
    return text


def _from_keyring(*, required: bool) -> str | None:
    try:
        import keyring
    except ImportError:
        if required:
            raise ConfigError(
                "remind.apprise_source is 'keyring' but the keyring package is not installed; "
                "install it (pip install 'jobnudge[keyring]') or use 'env' or 'file'."
            ) from None
        return None
    try:
        found = keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception as exc:  # no usable backend (a headless machine): the keyring is absent
        if required:
            raise ConfigError(
                f"remind.apprise_source is 'keyring' but the system keyring cannot be used "
                f"({type(exc).__name__}); use 'env' or 'file' on this machine."
            ) from None
        return None
    if found is None and required:
        raise ConfigError(
            f"The system keyring holds no Apprise URLs for service '{KEYRING_SERVICE}', user "
            f"'{KEYRING_USER}'; store them with: keyring set {KEYRING_SERVICE} {KEYRING_USER}"
        )
    return str(found) if found is not None else None


def _from_file(path_text: str) -> str:
    path = Path(path_text).expanduser()
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ConfigError(f"remind.apprise_file: there is no file {path}.") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"remind.apprise_file {path} can be read by other users (mode "
            f"{stat.S_IMODE(info.st_mode):04o}); refusing to use it. Run: chmod 600 {path}"
        )
    return path.read_text(encoding="utf-8")


def apprise_urls(remind: Remind, environ: Mapping[str, str] | None = None) -> list[str]:
    """The user's Apprise URLs from the configured source, or a ConfigError saying how to
    provide them."""
    env = os.environ if environ is None else environ
    source = remind.apprise_source
    text: str | None = None
    if source in ("auto", "keyring"):
        text = _from_keyring(required=source == "keyring")
    if not text and source in ("auto", "env"):
        text = env.get(URLS_ENV) or None
        if text is None and source == "env":
            raise ConfigError(
                f"remind.apprise_source is 'env' but {URLS_ENV} is not set in the environment."
            )
    if not text and (source == "file" or (source == "auto" and remind.apprise_file)):
        text = _from_file(remind.apprise_file)
    urls = split_urls(text or "")
    if not urls:
        raise ConfigError(
            "remind.channels includes apprise but no Apprise URL is set: store them in the "
            f"system keyring (keyring set {KEYRING_SERVICE} {KEYRING_USER}), set {URLS_ENV}, "
            "or name a file readable only by you in remind.apprise_file."
        )
    return check_urls(urls)
