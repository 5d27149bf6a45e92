"""Incremental mail sync: a mailbox of 20,000 messages, 10 new ones, against a first full sync.

Reproduce (from the repository root; needs dovecot-imapd installed and root, as in CI):

    .venv/bin/python bench/bench_mail.py                  # ~1 minute on a 2-core machine
    .venv/bin/python bench/bench_mail.py --messages 2000 --runs 3   # a quick look

A private Dovecot (the test suite's, ``tests/mail/servers.py``) serves one account whose INBOX
is filled with ``--messages`` realistic messages written straight into its maildir (2-4 KB each:
newsletters, notifications and, one in fifty, a message from a contact of the search). The
search itself is a SQLite store with 12 opportunities and their contacts.

- *full*: a first sync on a fresh database (every header fetched, matched messages' text too),
  repeated ``--runs`` times;
- *incremental*: 10 new messages are appended over IMAP, then ``nudge mail sync`` runs; repeated
  ``--runs`` times on the same database. Each run must fetch exactly the 10 new messages.

Wall time is measured around :func:`jobnudge.services.mail_sync.sync` (connection and login
included); bytes are those read from the IMAP server's socket (``ImapClient.bytes_read``).
Medians are reported.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.mail.servers import MAIL_UID, PASSWORD, Dovecot  # noqa: E402

from jobnudge import config  # noqa: E402
from jobnudge.domain import Role  # noqa: E402
from jobnudge.mail.account import Account  # noqa: E402
from jobnudge.services import mail_sync, records  # noqa: E402
from jobnudge.services.session import Session, open_session  # noqa: E402

NEW = 10
LOREM = (
    "Thank you for your interest. This week in data: dashboards, pipelines and the people who "
    "build them. Read on for five stories, two events and one job you might like. "
)


def message(n: int, rng: random.Random, when: datetime, contacts: list[str]) -> bytes:
    if n % 50 == 0:
        sender, name, subject = rng.choice(contacts), "Recruiter", f"Re: your application {n}"
    else:
        sender, name, subject = f"news{n % 97}@letters{n % 13}.example", "News", f"Digest {n}"
    body = (LOREM * rng.randint(10, 22)).strip()
    head = (
        f"From: {name} <{sender}>\r\nTo: Alex Morgan <alex@seeker.example>\r\n"
        f"Subject: {subject}\r\nDate: {format_datetime(when)}\r\n"
        f"Message-ID: <bench-{n}-{rng.getrandbits(40):x}@letters.example>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "X-Mailer: bench\r\nReceived: from mx.letters.example by mx.seeker.example\r\n\r\n"
    )
    return (head + body + "\r\n").encode()


def fill_maildir(dovecot: Dovecot, user: str, count: int, contacts: list[str]) -> None:
    """Write ``count`` messages into the INBOX maildir (Dovecot indexes them on first use)."""
    rng = random.Random(7)
    home = dovecot.root / "mail" / user
    start = datetime.now(UTC) - timedelta(days=300)
    for sub in ("cur", "new", "tmp"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    for n in range(count):
        when = start + timedelta(minutes=20 * n)
        path = home / "cur" / f"{int(when.timestamp())}.M{n}P1.bench:2,S"
        path.write_bytes(message(n, rng, when, contacts))
        os.utime(path, (when.timestamp(), when.timestamp()))
    if os.geteuid() == 0:
        for dirpath, _dirs, files in os.walk(dovecot.root / "mail" / user):
            os.chown(dirpath, MAIL_UID, MAIL_UID)
            for f in files:
                os.chown(Path(dirpath) / f, MAIL_UID, MAIL_UID)


def settings_for(dovecot: Dovecot, user: str) -> config.Settings:
    text = f"""
[profile]
name = "Alex Morgan"
email = "alex@seeker.example"
tz = "America/New_York"

[mail]
username = "{user}"
address = "alex@seeker.example"
smtp_host = "127.0.0.1"
smtp_security = "none"
imap_host = "127.0.0.1"
imap_port = {dovecot.port}
imap_security = "none"
sent = "Sent"
password_source = "env"
since_days = 36500
timeout_seconds = 60
"""
    return config.parse(tomllib.loads(text))


def search(session: Session) -> list[str]:
    """Twelve opportunities with a contact each; returns the contacts' addresses."""
    addresses = []
    for n in range(12):
        company = f"Company{n}"
        records.add_opportunity(
            session, company, "Data Analyst", applied=session.now - timedelta(days=5 + n)
        )
        address = f"recruiter{n}@company{n}.example"
        records.add_contact(
            session,
            f"Recruiter {n}",
            company=company,
            email=address,
            roles=frozenset({Role.RECRUITER}),
        )
        addresses.append(address)
    return addresses


def fresh_session(settings: config.Settings, base: Path, name: str) -> Session:
    return open_session(None, settings=settings, data_dir=base / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="jobnudge-bench-mail-"))
    dovecot = Dovecot().start()
    try:
        user = dovecot.add_user()
        settings = settings_for(dovecot, user)
        account = Account(settings.mail, PASSWORD)
        probe = fresh_session(settings, base, "probe")
        contacts = search(probe)
        probe.close()
        began = time.perf_counter()
        fill_maildir(dovecot, user, args.messages, contacts)
        print(f"wrote {args.messages} messages in {time.perf_counter() - began:.1f} s")
        with dovecot.imap(user) as m:  # let Dovecot index the maildir once, outside the timings
            m.select("INBOX", readonly=True)

        full_times, full_bytes = [], []
        session = None
        for run in range(args.runs if args.runs < 3 else 3):
            session = fresh_session(settings, base, f"full{run}")
            search(session)
            began = time.perf_counter()
            report = mail_sync.sync(session, account)
            full_times.append(time.perf_counter() - began)
            full_bytes.append(report.bytes_read)
            inbox = next(m for m in report.mailboxes if m.mailbox == "INBOX")
            fetched = sum(m.new for m in report.mailboxes if m.mailbox == "INBOX")
            assert inbox.full and fetched == args.messages, (fetched, args.messages)
            if run < 2:
                session.close()
        assert session is not None

        inc_times, inc_bytes = [], []
        rng = random.Random(11)
        serial = args.messages
        for _run in range(args.runs):
            for _ in range(NEW):
                dovecot.append(user, "INBOX", message(serial, rng, datetime.now(UTC), contacts))
                serial += 1
            session.now = datetime.now(UTC)
            began = time.perf_counter()
            report = mail_sync.sync(session, account)
            inc_times.append(time.perf_counter() - began)
            inc_bytes.append(report.bytes_read)
            fetched = sum(m.new for m in report.mailboxes if m.mailbox == "INBOX")
            assert fetched == NEW and not any(m.full for m in report.mailboxes), report.mailboxes
        session.close()

        ft, fb = statistics.median(full_times), statistics.median(full_bytes)
        it, ib = statistics.median(inc_times), statistics.median(inc_bytes)
        print()
        print(
            f"| sync ({args.messages:,} messages in INBOX) | runs | messages fetched | "
            "wall time (median) | bytes read (median) |"
        )
        print("|---|---|---|---|---|")
        print(
            f"| first full sync | {len(full_times)} | {args.messages:,} | {ft:.2f} s | "
            f"{fb / 1e6:.1f} MB |"
        )
        print(
            f"| incremental, {NEW} new | {len(inc_times)} | {NEW} | {it * 1000:.0f} ms | "
            f"{ib / 1e3:.1f} kB |"
        )
        print(f"\nincremental / full: time {it / ft:.4f}, bytes {ib / fb:.5f}")
        print(
            f"full runs: {', '.join(f'{t:.2f}' for t in full_times)} s; "
            f"incremental runs: {', '.join(f'{t * 1000:.0f}' for t in inc_times)} ms"
        )
    finally:
        dovecot.stop()
        import shutil

        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
