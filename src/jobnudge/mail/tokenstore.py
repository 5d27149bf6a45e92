"""Where a mailbox's OAuth tokens are kept between runs, like the password: the system keyring,
or a file only its owner can read (mode 0600); on a server, sealed in the database
(``services.mail_server``). The refresh token is the secret; the access token beside it only
saves a round trip and is useless an hour later.

A kept entry is JSON: ``refresh_token``, ``access_token``, ``expires_at`` (ISO 8601, UTC) and
``username``, so tokens of one mailbox are never offered to another.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any, Protocol

from jobnudge.errors import ConfigError

KEYRING_SERVICE = "jobnudge-mail-oauth"
TOKEN_FILE = "mail-oauth.json"  # noqa: S105 - a file name


class TokenStore(Protocol):
    """Keeps one mailbox's tokens."""

    where: str  # said to the user: "the system keyring", "/home/alex/.../mail-oauth.json"

    def load(self) -> dict[str, Any] | None: ...

    def save(self, tokens: dict[str, Any]) -> None: ...

    def clear(self) -> None: ...


def _decoded(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return found if isinstance(found, dict) and found.get("refresh_token") else None


class FileTokens:
    """A JSON file readable by its owner only; replaced at once on every save."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)

    def load(self) -> dict[str, Any] | None:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(
                f"mail.token_file {self.path} can be read by other users (mode "
                f"{stat.S_IMODE(info.st_mode):04o}); refusing to use it. Run: chmod 600 "
                f"{self.path}"
            )
        return _decoded(self.path.read_text(encoding="utf-8"))

    def save(self, tokens: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(tokens, out)
            temporary.replace(self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class KeyringTokens:
    """The system keyring (the optional ``keyring`` package), service :data:`KEYRING_SERVICE`."""

    where = "the system keyring"

    def __init__(self, username: str) -> None:
        self.username = username

    def load(self) -> dict[str, Any] | None:
        import keyring

        return _decoded(keyring.get_password(KEYRING_SERVICE, self.username))

    def save(self, tokens: dict[str, Any]) -> None:
        import keyring

        keyring.set_password(KEYRING_SERVICE, self.username, json.dumps(tokens))

    def clear(self) -> None:
        import keyring

        with contextlib.suppress(Exception):
            keyring.delete_password(KEYRING_SERVICE, self.username)


def _keyring_usable() -> bool:
    try:
        import keyring

        keyring.get_password(KEYRING_SERVICE, "jobnudge-probe")
    except Exception:  # not installed, or no backend on a headless machine
        return False
    return True


def for_laptop(source: str, username: str, token_file: str, data_dir: Path) -> TokenStore:
    """The store ``mail.password_source`` points at: the keyring for ``keyring`` (and for
    ``auto`` when one works), else ``mail.token_file`` (default: the data dir)."""
    if source == "keyring" and not _keyring_usable():
        raise ConfigError(
            "mail.password_source is 'keyring' but the system keyring cannot be used here; "
            'use "file" (the tokens then go to mail.token_file, readable only by you).'
        )
    if source == "keyring" or (source == "auto" and _keyring_usable()):
        return KeyringTokens(username)
    path = Path(token_file).expanduser() if token_file else data_dir / TOKEN_FILE
    return FileTokens(path)
