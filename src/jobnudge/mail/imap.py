"""Reading and filing mail over IMAP (``imaplib``): mailbox status (UIDVALIDITY, UIDNEXT), UID
searches, header and message fetches in batches, APPEND, and a search for one Message-ID.

Every byte read from the server is counted (:attr:`ImapClient.bytes_read`), so the benchmark
and the tests can tell that an incremental sync fetched the new messages only.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING

from jobnudge.config import MailServer
from jobnudge.errors import MailError
from jobnudge.mail import net
from jobnudge.mail.imap_syntax import decode_mailbox, encode_mailbox, uid_set

if TYPE_CHECKING:
    from jobnudge.mail.oauth import Bearer

BATCH = 500  # UIDs per FETCH command


class _CountingIMAP4(imaplib.IMAP4):
    bytes_read = 0

    def read(self, size: int) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readline(self) -> bytes:
        data = super().readline()
        self.bytes_read += len(data)
        return data


class _CountingIMAP4SSL(imaplib.IMAP4_SSL):
    bytes_read = 0

    def read(self, size: int) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readline(self) -> bytes:
        data = super().readline()
        self.bytes_read += len(data)
        return data


@dataclass(frozen=True, slots=True)
class MailboxStatus:
    name: str
    uidvalidity: int
    uidnext: int  # 0 when the server did not say
    exists: int


_LIST = re.compile(rb'^\((?P<flags>[^)]*)\) (?P<delim>"[^"]*"|NIL) (?P<name>.*)$')
_UID = re.compile(rb"UID (\d+)")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class ImapClient:
    """One logged-in IMAP session; use as a context manager."""

    def __init__(
        self,
        server: MailServer,
        username: str,
        password: str,
        timeout: float,
        bearer: Bearer | None = None,
    ) -> None:
        self.server = server
        self.username = username
        self._password = password
        self.bearer = bearer  # OAuth: a token over OAUTHBEARER or XOAUTH2 instead of a password
        self.timeout = timeout
        self._imap: _CountingIMAP4 | _CountingIMAP4SSL | None = None
        self._selected: str | None = None
        self._closed_bytes = 0

    @property
    def bytes_read(self) -> int:
        """Bytes read from the server by this client so far (across reconnections)."""
        return self._closed_bytes + (self._imap.bytes_read if self._imap else 0)

    def _here(self) -> str:
        return net.where("imap", self.server)

    def connect(self) -> None:
        server = self.server
        net.resolve("imap", server)
        imap: _CountingIMAP4 | _CountingIMAP4SSL
        try:
            if server.security == "tls":
                imap = _CountingIMAP4SSL(
                    server.host, server.port, ssl_context=net.context(), timeout=self.timeout
                )
            else:
                imap = _CountingIMAP4(server.host, server.port, timeout=self.timeout)
        except imaplib.IMAP4.error as exc:
            raise MailError(
                f"{self._here()} did not greet as an IMAP server ({exc}).", "connect"
            ) from None
        except OSError as exc:
            raise net.explain("imap", server, exc, self.timeout) from None
        self._imap = imap
        if server.security == "starttls":
            if "STARTTLS" not in imap.capabilities:
                self.close()
                raise MailError(
                    f"{self._here()} does not offer STARTTLS, so the password would travel in "
                    'clear; use its TLS port (mail.imap_security = "tls").',
                    "tls",
                )
            try:
                imap.starttls(ssl_context=net.context())
            except (OSError, imaplib.IMAP4.error) as exc:
                self.close()
                raise net.explain("imap", server, exc, self.timeout) from None
        if self.bearer is not None:
            self._token_login(imap, self.bearer)
            return
        try:
            imap.login(self.username, self._password)
        except imaplib.IMAP4.error as exc:
            self.close()
            raise MailError(
                f"{self._here()} refused the login for {self.username!r} ({_words(exc)}). "
                "Check the password and mail.username (for Gmail and Outlook, "
                'mail.auth = "oauth").',
                "login",
            ) from None
        except OSError as exc:
            self.close()
            raise net.explain("imap", server, exc, self.timeout) from None

    def _token_login(self, imap: imaplib.IMAP4, bearer: Bearer) -> None:
        """SASL OAUTHBEARER when offered, else XOAUTH2; a refused token is renewed once (it
        may have been withdrawn early) before the login counts as failed."""
        from jobnudge.mail.oauth import mechanism, sasl

        chosen = mechanism(set(imap.capabilities))
        if chosen is None:
            self.close()
            raise MailError(
                f"{self._here()} does not offer OAuth sign-in (XOAUTH2 or OAUTHBEARER); "
                'use a password with it (mail.auth = "password").',
                "login",
            )
        last = "no reason given"
        for fresh in (False, True):
            try:
                token = bearer.token(fresh=fresh)
            except MailError:
                self.close()
                raise
            said = iter([s.encode() for s in sasl(chosen, self.username, *self._at(), token)])
            try:
                imap.authenticate(chosen, partial(_next, said))
                return
            except imaplib.IMAP4.error as exc:
                last = _words(exc)
            except OSError as exc:
                self.close()
                raise net.explain("imap", self.server, exc, self.timeout) from None
        self.close()
        raise MailError(
            f"{self._here()} refused the sign-in token for {self.username!r} ({last}). "
            f"Check mail.username; if it persists: {bearer.fix}",
            "login",
        )

    def _at(self) -> tuple[str, int]:
        return self.server.host, self.server.port

    def _conn(self) -> _CountingIMAP4 | _CountingIMAP4SSL:
        if self._imap is None:
            raise RuntimeError("connect() first")
        return self._imap

    def _check(
        self, result: tuple[str, Sequence[object]], doing: str, stage: str = "sync"
    ) -> list[object]:
        typ, data = result
        if typ != "OK":
            raise MailError(f"{self._here()}: {doing} failed ({_words(list(data))}).", stage)
        return list(data)

    def mailboxes(self) -> list[tuple[frozenset[str], str]]:
        """Every mailbox with its flags (``\\Sent``, ``\\Noselect``...)."""
        data = self._check(self._conn().list(), "LIST")
        found = []
        for item in data:
            line = b" ".join(item) if isinstance(item, tuple) else item
            if not isinstance(line, bytes):
                continue
            parsed = _LIST.match(line.strip())
            if not parsed:
                continue
            name = parsed.group("name").decode("utf-8", "replace").strip()
            if isinstance(item, tuple) and isinstance(item[-1], bytes):
                name = item[-1].decode("utf-8", "replace")
            elif name.startswith('"') and name.endswith('"'):
                name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            flags = frozenset(parsed.group("flags").decode().split())
            found.append((flags, decode_mailbox(name)))
        return found

    def examine(self, mailbox: str) -> MailboxStatus:
        """Open ``mailbox`` read-only and return its UIDVALIDITY and UIDNEXT."""
        imap = self._conn()
        try:
            typ, data = imap.select(encode_mailbox(mailbox), readonly=True)
        except imaplib.IMAP4.error as exc:
            typ, data = "NO", [str(exc).encode()]
        if typ != "OK":
            self._selected = None
            raise MailError(self._missing(mailbox, data), "mailbox")
        self._selected = mailbox
        validity = imap.response("UIDVALIDITY")[1]
        uidnext = imap.response("UIDNEXT")[1]
        exists = data[0] if data else b"0"
        return MailboxStatus(
            mailbox,
            int(validity[0]) if validity and validity[0] else 0,
            int(uidnext[0]) if uidnext and uidnext[0] else 0,
            int(exists) if isinstance(exists, bytes) and exists.isdigit() else 0,
        )

    def _missing(self, mailbox: str, data: Sequence[object]) -> str:
        try:
            boxes = self.mailboxes()
        except MailError:
            boxes = []
        names = [n for f, n in boxes if "\\Noselect" not in f]
        special = [n for f, n in boxes if f & {"\\Sent", "\\Inbox"}]
        hint = f" The server has: {', '.join(names[:15])}." if names else ""
        if special:
            hint += f" Marked as special: {', '.join(special)}."
        return (
            f"{self._here()}: there is no mailbox {mailbox!r} ({_words(data)}); set mail.inbox "
            f"and mail.sent to existing names.{hint}"
        )

    def search(self, *criteria: str) -> list[int]:
        """UIDs in the selected mailbox matching ``criteria`` (e.g. ``"UID", "5:*"``)."""
        data = self._check(self._conn().uid("SEARCH", *criteria), "UID SEARCH")
        return sorted(int(n) for chunk in data if isinstance(chunk, bytes) for n in chunk.split())

    def uids_after(self, last_uid: int) -> list[int]:
        """The UIDs above ``last_uid`` (``n:*`` also names the highest UID; it is dropped)."""
        return [u for u in self.search("UID", f"{last_uid + 1}:*") if u > last_uid]

    def uids_since(self, day: datetime | None) -> list[int]:
        if day is None:
            return self.search("ALL")
        return self.search("SINCE", day.strftime("%d-%b-%Y"))

    def _fetch(self, uids: Sequence[int], items: str) -> Iterator[tuple[int, bytes]]:
        data = self._check(self._conn().uid("FETCH", uid_set(uids), items), "UID FETCH")
        for number, item in enumerate(data):
            if not isinstance(item, tuple) or len(item) < 2:
                continue
            prefix, literal = item[0], item[1]
            found = _UID.search(prefix) if isinstance(prefix, bytes) else None
            if found is None and number + 1 < len(data):
                after = data[number + 1]
                found = _UID.search(after) if isinstance(after, bytes) else None
            if found is not None and isinstance(literal, bytes):
                yield int(found.group(1)), literal

    def fetch_headers(self, uids: Sequence[int]) -> Iterator[tuple[int, bytes]]:
        """``(uid, header block)`` for each UID, in batches of :data:`BATCH`."""
        ordered = sorted(uids)
        for start in range(0, len(ordered), BATCH):
            yield from sorted(
                self._fetch(ordered[start : start + BATCH], "(UID BODY.PEEK[HEADER])")
            )

    def fetch_message(self, uid: int, limit: int = 262_144) -> bytes:
        """The first ``limit`` bytes of one message (enough for its text and any DSN part)."""
        for found_uid, data in self._fetch([uid], f"(UID BODY.PEEK[]<0.{limit}>)"):
            if found_uid == uid:
                return data
        return b""

    def find_message_id(self, mailbox: str, message_id: str) -> list[int]:
        """UIDs in ``mailbox`` whose Message-ID header is exactly ``message_id``."""
        self.examine(mailbox)
        quoted = '"' + message_id.replace("\\", "\\\\").replace('"', '\\"') + '"'
        hits = self.search("HEADER", "Message-ID", quoted)
        if not hits:
            return []
        exact = []
        for uid, header in self._fetch(hits, "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"):
            if message_id.encode() in header.replace(b"\r\n\t", b" ").replace(b"\r\n ", b" "):
                exact.append(uid)
        return sorted(exact)

    def append(self, mailbox: str, raw: bytes, when: datetime) -> None:
        """File a copy of ``raw`` in ``mailbox``, marked as read."""
        imap = self._conn()
        try:
            typ, data = imap.append(
                encode_mailbox(mailbox), r"(\Seen)", imaplib.Time2Internaldate(when), raw
            )
        except imaplib.IMAP4.error as exc:
            typ, data = "NO", [str(exc).encode()]
        if typ != "OK":
            raise MailError(
                f"{self._here()}: could not file the sent copy in {mailbox!r} ({_words(data)}); "
                "check mail.sent.",
                "mailbox",
            )

    def close(self) -> None:
        imap, self._imap = self._imap, None
        if imap is None:
            return
        self._closed_bytes += imap.bytes_read
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            imap.logout()

    def __enter__(self) -> ImapClient:
        self.connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _next(said: Iterator[bytes], _challenge: bytes) -> bytes:
    return next(said, b"")


def _words(value: object) -> str:
    if isinstance(value, list | tuple):
        value = b" ".join(v for v in value if isinstance(v, bytes))
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value).split()) or "no reason given"
