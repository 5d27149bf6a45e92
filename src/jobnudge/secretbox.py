"""Secrets a server keeps for its users (mailbox passwords, refresh tokens, notification URLs),
sealed with a server key that never enters the database.

AES-256-GCM from ``cryptography``. The key comes from ``NUDGE_SERVER_KEY`` or from a key file
(``web.server_key_file``); several keys, newest first, make rotation possible: the first seals,
every one opens, and ``nudge server-key rotate`` re-seals everything with the first. Each
secret is sealed with a *context* ("user:12:mail.password") as associated data, so a sealed
value copied into another user's row, or under another name, does not open.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jobnudge.errors import UsageError

ENV = "NUDGE_SERVER_KEY"
KEY_BYTES = 32
PREFIX = "jn1"
_NONCE = 12
HOW_TO_MAKE = "make one with `nudge server-key new`"


class SecretError(UsageError):
    """A secret cannot be sealed or opened: no key, a wrong key, or a damaged value."""


def new_key() -> str:
    """A fresh random key in the form the environment variable and key file take."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode().rstrip("=")


def _decode(text: str, where: str) -> bytes:
    cleaned = text.strip()
    try:
        raw = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise SecretError(
            f"{where}: a server key is {KEY_BYTES} random bytes in URL-safe base64 "
            f"(43 characters); {HOW_TO_MAKE}."
        )
    return raw


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"jobnudge server key id\0" + key).hexdigest()[:8]


@dataclass(frozen=True)
class KeyRing:
    """The server's keys, newest first."""

    keys: tuple[bytes, ...]

    @property
    def current_id(self) -> str:
        return _key_id(self.keys[0])

    def seal(self, text: str, context: str) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(_NONCE)
        sealed = AESGCM(self.keys[0]).encrypt(nonce, text.encode(), _aad(context))
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{PREFIX}:{self.current_id}:{body}"

    def open(self, sealed: str, context: str) -> str:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        prefix, _, rest = sealed.partition(":")
        key_id, _, body = rest.partition(":")
        if prefix != PREFIX or not body:
            raise SecretError("a stored secret is damaged; enter it again in Settings.")
        key = next((k for k in self.keys if _key_id(k) == key_id), None)
        if key is None:
            raise SecretError(
                "a stored secret was sealed with a server key this server no longer has; "
                f"put the old key after the new one in {ENV} or the key file, or enter the "
                "secret again in Settings."
            )
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], _aad(context)).decode()
        except (InvalidTag, binascii.Error, ValueError, UnicodeDecodeError):
            raise SecretError(
                "a stored secret does not open with this server's key; enter it again in Settings."
            ) from None

    def is_current(self, sealed: str) -> bool:
        """Whether ``sealed`` was sealed with the newest key (else rotation re-seals it)."""
        return sealed.split(":", 2)[1:2] == [self.current_id]


def _aad(context: str) -> bytes:
    return f"jobnudge:{context}".encode()


def parse_keys(text: str, where: str) -> KeyRing:
    """Keys separated by commas, spaces or lines, newest first; ``#`` starts a comment."""
    words = [
        word
        for line in text.splitlines()
        for word in line.split("#", 1)[0].replace(",", " ").split()
    ]
    if not words:
        raise SecretError(f"{where}: no server key found; {HOW_TO_MAKE}.")
    return KeyRing(tuple(_decode(word, where) for word in words))


def read_key_file(path: Path) -> KeyRing:
    """The keys in ``path``, refused when others may read the file (as ssh refuses a key)."""
    where = f"web.server_key_file ({path})"
    try:
        info = path.stat()
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SecretError(f"{where}: no such file; {HOW_TO_MAKE} and save it there.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretError(f"{where}: cannot be read ({exc.__class__.__name__}).") from None
    if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(
            f"{where}: other users may read it; run `chmod 600 {path}` so only the server's "
            "user can."
        )
    return parse_keys(text, where)


def load_keyring(environ: Mapping[str, str], key_file: str | None) -> KeyRing | None:
    """The server's keys from the environment, else from the key file; None when neither is
    set (then the server keeps no secrets and says so where one is asked for)."""
    if environ.get(ENV, "").strip():
        return parse_keys(environ[ENV], ENV)
    if key_file:
        return read_key_file(Path(key_file).expanduser())
    return None


def require(keyring: KeyRing | None) -> KeyRing:
    """``keyring``, or the message an administrator needs when the server has no key."""
    if keyring is None:
        raise SecretError(
            f"this server has no key to keep secrets with: set {ENV} or web.server_key_file "
            f"({HOW_TO_MAKE}; docs/security.md)."
        )
    return keyring
