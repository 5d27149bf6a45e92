"""Real mail servers on 127.0.0.1 for the tests and the benchmark.

- :class:`Dovecot`: Debian's dovecot-imapd run in the foreground (``dovecot -F -c FILE``) from a
  config written into a temporary directory: passwd-file users, maildir, IMAP on a free high
  port, no TLS, no delay after a failed login.
- :class:`Smtp`: an aiosmtpd server in a thread, with AUTH, that delivers each message into the
  recipient's Dovecot INBOX by IMAP APPEND. It can refuse chosen recipients (550), file a copy
  in the sender's Sent mailbox itself before answering 250 (as Gmail and Outlook do), or drop
  the connection after the data instead of answering.

Both stop by themselves (``stop()``, called by the fixtures at the end of the session); every
wait is bounded.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

PASSWORD = "s3cret-pass"  # the test users' password (never a real one)
MAIL_UID = 65534  # nobody: Dovecot refuses to run mail processes as root
POOL = 600  # accounts per server


def server_env() -> dict[str, str]:
    """The environment for a server process, without ``faketime``'s preload: a mail server keeps
    its own clock, as a remote one does, when the suite runs with the clock moved (`.ci/run`).
    (Dovecot also clears its workers' environment, so a preloaded master would disagree with
    its own workers about the time and logins would stall.)"""
    return {
        k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


DOVECOT_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_failure_delay = 0
auth_cache_size = 0
mail_location = maildir:{root}/mail/%u
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
{oauth}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


OAUTH_PASSDB = """\
auth_mechanisms = plain login xoauth2 oauthbearer
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf.ext
}}
"""
OAUTH_ARGS = """\
introspection_mode = post
introspection_url = {url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
"""


class Dovecot:
    """A private Dovecot IMAP server; :meth:`add_user` creates accounts on the fly (Dovecot
    re-reads the passwd file when it changes). With ``introspection_url`` it also accepts
    OAuth 2.0 bearer tokens (XOAUTH2, OAUTHBEARER), asking that address whether each is live."""

    def __init__(self, introspection_url: str = "", pool: int = POOL) -> None:
        self.introspection_url = introspection_url
        self.pool = pool
        self.root = Path(tempfile.mkdtemp(prefix="jobnudge-dovecot-"))
        self.root.chmod(0o755)  # Dovecot's auth process (user dovecot) reads the passwd file
        self.port = free_port()
        self.users: dict[str, str] = {}
        self._next = 0
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Dovecot:
        root = self.root
        for sub in ("run", "state", "mail"):
            (root / sub).mkdir()
        if os.geteuid() == 0:
            uid = gid = MAIL_UID
            os.chown(root / "mail", uid, gid)
            users = ""
        else:  # an unprivileged developer: everything runs as them
            import pwd

            uid, gid = os.getuid(), os.getgid()
            name = pwd.getpwuid(uid).pw_name
            users = (
                f"default_login_user = {name}\ndefault_internal_user = {name}\n"
                f"default_internal_group = {name}\n"
            )
        # Dovecot re-reads a changed passwd file only now and then, so every account exists
        # from the start and add_user hands them out.
        self.users = {f"u{n:04d}": PASSWORD for n in range(self.pool)}
        lines = "".join(f"{name}:{{PLAIN}}{pw}::::\n" for name, pw in self.users.items())
        (root / "passwd").write_text(lines, encoding="utf-8")
        (root / "passwd").chmod(0o644)
        oauth = ""
        if self.introspection_url:
            (root / "oauth2.conf.ext").write_text(
                OAUTH_ARGS.format(url=self.introspection_url), encoding="utf-8"
            )
            (root / "oauth2.conf.ext").chmod(0o644)
            oauth = OAUTH_PASSDB.format(root=root)
        conf = root / "dovecot.conf"
        conf.write_text(
            DOVECOT_CONF.format(
                root=root, port=self.port, uid=uid, gid=gid, users=users, oauth=oauth
            ),
            encoding="utf-8",
        )
        check = subprocess.run(
            ["dovecot", "-n", "-c", str(conf)],
            capture_output=True,
            text=True,
            timeout=30,
            env=server_env(),
        )
        if check.returncode != 0:
            raise RuntimeError(f"dovecot rejects its test config: {check.stderr}")
        self._proc = subprocess.Popen(
            ["dovecot", "-F", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=server_env(),
        )
        try:
            wait_for_port(self.port)
        except TimeoutError:
            self.stop()
            log = (
                (root / "dovecot.log").read_text(errors="replace")
                if (root / "dovecot.log").exists()
                else ""
            )
            raise RuntimeError(f"dovecot did not start:\n{log}") from None
        return self

    def add_user(self, *, sent: str = "Sent") -> str:
        """A fresh account (name ``uNNNN``, password :data:`PASSWORD`), with a Sent mailbox."""
        name = f"u{self._next:04d}"
        self._next += 1
        if name not in self.users:
            raise RuntimeError(f"all {self.pool} test accounts are used; raise POOL")
        if sent:
            with self.imap(name) as m:
                m.create(sent)
        return name

    @contextlib.contextmanager
    def imap(self, user: str) -> Iterator[imaplib.IMAP4]:
        m = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        try:
            m.login(user, self.users[user])
            yield m
        finally:
            with contextlib.suppress(Exception):
                m.logout()

    def append(self, user: str, mailbox: str, raw: bytes, when: datetime | None = None) -> None:
        """File ``raw`` in ``user``'s ``mailbox``, received ``when`` (its IMAP internal date,
        which SEARCH SINCE reads), else at the server's time."""
        received = imaplib.Time2Internaldate(when) if when else None
        with self.imap(user) as m:
            typ, data = m.append(mailbox, "", received, raw)
            if typ != "OK":
                raise RuntimeError(f"APPEND to {user}/{mailbox} failed: {data!r}")

    def count(self, user: str, mailbox: str, message_id: str) -> int:
        """How many messages in ``user``'s ``mailbox`` carry this Message-ID."""
        with self.imap(user) as m:
            m.select(f'"{mailbox}"', readonly=True)
            typ, data = m.uid("SEARCH", "HEADER", "Message-ID", f'"{message_id}"')
            return len(data[0].split()) if typ == "OK" and data and data[0] else 0

    def messages(self, user: str, mailbox: str = "INBOX") -> list[bytes]:
        with self.imap(user) as m:
            m.select(f'"{mailbox}"', readonly=True)
            typ, data = m.uid("FETCH", "1:*", "(BODY.PEEK[])")
            if typ != "OK":
                return []
            return [item[1] for item in data if isinstance(item, tuple)]

    def reset_uidvalidity(self, user: str) -> None:
        """Make the server renumber ``user``'s INBOX: its index and UID list are removed (as a
        server rebuild does); the messages stay, under a new UIDVALIDITY."""
        inbox = self.root / "mail" / user
        for path in inbox.iterdir():
            if path.name.startswith("dovecot-uidlist") or path.name.startswith("dovecot.index"):
                path.unlink()

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Behaviour:
    """What the SMTP server does; tests change it and put it back."""

    refused: set[str] = field(default_factory=set)  # recipients answered 550
    server_copies: set[str] = field(default_factory=set)  # users whose Sent the server fills
    drop_after_data: bool = False  # close the connection instead of answering the data
    delivered: list[tuple[str, str]] = field(default_factory=list)  # (mailbox user, sender)


class _Handler:
    def __init__(self, dovecot: Dovecot, behaviour: Behaviour) -> None:
        self.dovecot = dovecot
        self.behaviour = behaviour

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.lower() in self.behaviour.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        if self.behaviour.drop_after_data:
            server.transport.close()
            return "421 4.3.0 closing (test: dropped after DATA)"
        login = session.auth_data  # what the authenticator returned: the user name
        sender = login.decode() if isinstance(login, bytes) else str(login or "")
        for rcpt in envelope.rcpt_tos:
            user = rcpt.split("@", 1)[0].lower()
            if user in self.dovecot.users:
                self.dovecot.append(user, "INBOX", raw)
                self.behaviour.delivered.append((user, sender))
        if sender in self.behaviour.server_copies:
            self.dovecot.append(sender, "Sent", raw)
        return "250 2.0.0 OK: queued"


class Smtp:
    """aiosmtpd on a free port, authenticating against the Dovecot users."""

    def __init__(self, dovecot: Dovecot) -> None:
        self.dovecot = dovecot
        self.behaviour = Behaviour()
        self.port = free_port()
        self._controller: Any = None

    def start(self) -> Smtp:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        users = self.dovecot.users

        def authenticator(
            server: Any, session: Any, envelope: Any, mechanism: str, data: Any
        ) -> AuthResult:
            if isinstance(data, LoginPassword):
                name, password = data.login.decode(), data.password.decode()
                if users.get(name) == password:
                    return AuthResult(success=True, auth_data=name)
            return AuthResult(success=False, handled=False)

        self._controller = Controller(
            _Handler(self.dovecot, self.behaviour),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticator,
            auth_required=True,
            auth_require_tls=False,
            ready_timeout=10,
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()


class Dropper:
    """A bare SMTP server that accepts everything up to the message's data, then hangs up
    without answering: the 'connection lost after DATA' case, byte for byte."""

    def __init__(self) -> None:
        self.port = free_port()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", self.port))
        self._sock.listen(5)
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.received: list[bytes] = []

    def start(self) -> Dropper:
        self._thread.start()
        return self

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                self._session(conn)

    def _session(self, conn: socket.socket) -> None:
        f = conn.makefile("rb")
        conn.sendall(b"220 dropper ESMTP\r\n")
        try:
            while True:
                line = f.readline()
                if not line:
                    return
                verb = line.split(b" ", 1)[0].strip().upper()
                if verb in (b"EHLO", b"HELO"):
                    conn.sendall(b"250-dropper\r\n250 AUTH PLAIN LOGIN\r\n")
                elif verb == b"AUTH":
                    conn.sendall(b"235 2.7.0 ok\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    data = b""
                    while not data.endswith(b"\r\n.\r\n"):
                        chunk = f.readline()
                        if not chunk:
                            return
                        data += chunk
                    self.received.append(data)
                    return  # hang up instead of answering
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")
        except OSError:
            return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()
