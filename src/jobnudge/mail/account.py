"""The mail account in use: the ``[mail]`` settings plus the password, looked up at the moment
it is needed and never stored, printed or logged.

Where the password comes from (``mail.password_source``):

- ``keyring``: the system keyring (the optional ``keyring`` package), service
  :data:`KEYRING_SERVICE`, the account's user name;
- ``env``: the ``NUDGE_MAIL_PASSWORD`` environment variable;
- ``file``: ``mail.password_file``, which must be readable by its owner only (mode 0600);
- ``auto`` (default): the keyring when it holds one, else the variable, else the file.

With ``mail.auth = "oauth"`` there is no password: the account carries a
:class:`~jobnudge.mail.oauth.Bearer`, whose refresh token is kept in the same places (the
keyring, else ``mail.token_file``), put there by ``nudge mail login``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jobnudge.config import Mail
from jobnudge.errors import ConfigError

if TYPE_CHECKING:
    from jobnudge.mail.oauth import Bearer
    from jobnudge.mail.tokenstore import TokenStore

KEYRING_SERVICE = "jobnudge-mail"
PASSWORD_ENV = "NUDGE_MAIL_PASSWORD"  # noqa: S105 - the variable's name, not a password


@dataclass(frozen=True, slots=True)
class Account:
    settings: Mail
    password: str = field(repr=False)
    bearer: Bearer | None = field(default=None, repr=False, compare=False)

    @property
    def secret(self) -> str:
        """The password, or the empty string: what a log line must never show."""
        return self.password

    @property
    def username(self) -> str:
        return self.settings.username


def _from_keyring(username: str, *, required: bool) -> str | None:
    try:
        import keyring
    except ImportError:
        if required:
            raise ConfigError(
                "mail.password_source is 'keyring' but the keyring package is not installed; "
                "install it (pip install 'jobnudge[keyring]') or use 'env' or 'file'."
            ) from None
        return None
    try:
        found = keyring.get_password(KEYRING_SERVICE, username)
    except Exception as exc:  # no usable backend (a headless machine): the keyring is absent
        if required:
            raise ConfigError(
                f"mail.password_source is 'keyring' but the system keyring cannot be used "
                f"({type(exc).__name__}); use 'env' or 'file' on this machine."
            ) from None
        return None
    if found is None and required:
        raise ConfigError(
            f"The system keyring holds no password for service '{KEYRING_SERVICE}', user "
            f"'{username}'; store it with: keyring set {KEYRING_SERVICE} {username}"
        )
    return str(found) if found is not None else None


def _from_file(path_text: str) -> str:
    path = Path(path_text).expanduser()
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ConfigError(f"mail.password_file: there is no file {path}.") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"mail.password_file {path} can be read by other users (mode "
            f"{stat.S_IMODE(info.st_mode):04o}); refusing to use it. Run: chmod 600 {path}"
        )
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise ConfigError(
            f"mail.password_file {path} belongs to another user; it must be your own file "
            "with mode 0600."
        )
    password = path.read_text(encoding="utf-8").rstrip("\r\n")
    if not password:
        raise ConfigError(f"mail.password_file {path} is empty.")
    return password


def password(mail: Mail, environ: Mapping[str, str] | None = None) -> str:
    """The account's password from the configured source; a ConfigError saying how to provide
    it when there is none (the message never contains a password)."""
    env = os.environ if environ is None else environ
    source = mail.password_source
    if source in ("auto", "keyring"):
        found = _from_keyring(mail.username, required=source == "keyring")
        if found:
            return found
    if source in ("auto", "env") and env.get(PASSWORD_ENV):
        return env[PASSWORD_ENV]
    if source == "env":
        raise ConfigError(
            f"mail.password_source is 'env' but {PASSWORD_ENV} is not set in the environment."
        )
    if source == "file" or (source == "auto" and mail.password_file):
        return _from_file(mail.password_file)
    raise ConfigError(
        f"No mail password found for {mail.username}: store it in the system keyring "
        f"(keyring set {KEYRING_SERVICE} {mail.username}), set {PASSWORD_ENV}, or name a file "
        "readable only by you in mail.password_file."
    )


def token_store(mail: Mail, data_dir: Path | None = None) -> TokenStore:
    """Where this laptop keeps the mailbox's OAuth tokens."""
    from jobnudge.config import data_dir as default_dir
    from jobnudge.mail.tokenstore import for_laptop

    return for_laptop(
        mail.password_source, mail.username, mail.oauth.token_file, data_dir or default_dir()
    )


def open_account(
    mail: Mail,
    environ: Mapping[str, str] | None = None,
    now: Callable[[], datetime] | None = None,
    *,
    sending_only: bool = False,
) -> Account:
    """The account with its password (or its OAuth tokens), or a ConfigError naming what is
    missing (``sending_only``: a server that only sends needs no IMAP host)."""
    if not (mail.sends if sending_only else mail.configured):
        missing = [
            key
            for key, value in (
                ("mail.username", mail.username),
                ("mail.smtp_host", mail.smtp.host),
                ("mail.imap_host", mail.imap.host or ("-" if sending_only else "")),
            )
            if not value
        ]
        raise ConfigError(
            f"Mail is not set up: {', '.join(missing)} missing in the settings file. Add a "
            '[mail] section (preset = "gmail" or "outlook", or the servers); see docs/mail.md.'
        )
    if not mail.from_address:
        raise ConfigError(
            "mail.address: give the address your messages come from (the user name is not one)."
        )
    if mail.auth == "oauth":
        from jobnudge.mail.oauth import Bearer
        from jobnudge.oauthconfig import check_ready

        if now is None:
            raise RuntimeError("an OAuth account needs the clock (now=...)")
        check_ready(mail.oauth)
        bearer = Bearer(mail.oauth, token_store(mail), mail.username, now, mail.timeout_seconds)
        return Account(mail, "", bearer)
    return Account(mail, password(mail, environ))
