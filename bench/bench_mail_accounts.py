"""A server with accounts: one mail pass over 1,000 accounts, each with its own mailbox.

Reproduce (from the repository root; needs dovecot-imapd installed and root, as in CI):

    .venv/bin/python bench/bench_mail_accounts.py                         # ~4 minutes here
    .venv/bin/python bench/bench_mail_accounts.py --accounts 200 --runs 1 --workers 1,4

A private Dovecot (``tests/mail/servers.py``) holds ``--accounts`` mailboxes. The server's
store (a throwaway PostgreSQL database, as a server with accounts should use; ``--sqlite`` for
the SQLite file) holds as many accounts, each with its own ``[mail]`` settings, its own
password sealed with a server key (``services.user_secrets``) and one opportunity with its
contact. Before each timed pass, 10 new messages are written into every INBOX maildir (one from
the account's contact, nine newsletters), so the pass reads exactly 10 new messages per account
(and sends nothing: the outboxes are empty).

The pass is ``MailWorker.run_pass`` as ``nudge serve --accounts`` runs it: every account's
settings read and secret opened, IMAP login, Inbox and Sent examined, new headers fetched and
matched, the contact's message logged, then the outbox checked; ``--workers`` accounts at once.
The baseline is 1 worker (one account after the other, as the local-mode loop works).

Reported per worker count (medians of ``--runs`` passes): wall time, accounts per second, the
speed-up against 1 worker, the most IMAP connections open at once (sampled from
``/proc/net/tcp``) and the CPU the benchmark process and Dovecot used per wall second
(2.0 = both cores busy).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine_lines, table  # noqa: E402
from tests.mail.servers import MAIL_UID, PASSWORD, Dovecot  # noqa: E402

NEW = 10
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def maildir(path: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)


def drop_messages(dovecot: Dovecot, user: str, contact: str, round_: int) -> None:
    """``NEW`` messages into ``user``'s INBOX maildir: one from the contact, the rest news."""
    rng = random.Random(round_ * 100_003 + int(user[1:]))
    home = dovecot.root / "mail" / user
    for n in range(NEW):
        when = NOW - timedelta(hours=1, minutes=n)
        if n == 0:
            sender, subject = contact, f"Re: our interview ({round_})"
        else:
            sender, subject = f"news{n}@letters{n % 3}.example", f"Digest {round_}-{n}"
        raw = (
            f"From: Sender <{sender}>\r\nTo: {user}@seeker.example\r\nSubject: {subject}\r\n"
            f"Date: {format_datetime(when)}\r\n"
            f"Message-ID: <b{round_}-{n}-{rng.getrandbits(40):x}@letters.example>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "Thanks for your note; here is what is new this week. " * rng.randint(5, 15)
            + "\r\n"
        ).encode()
        path = home / "new" / f"{int(when.timestamp())}.R{round_}N{n}P{rng.getrandbits(20)}.b"
        path.write_bytes(raw)
        if os.geteuid() == 0:
            os.chown(path, MAIL_UID, MAIL_UID)


def open_connections(port: int) -> int:
    """Established TCP connections whose local port is ``port`` (Dovecot's side)."""
    count = 0
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":
                count += 1
    return count


def cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / tick
    return total


def dovecot_pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if command in ("dovecot", "imap", "imap-login", "auth", "anvil", "log", "config"):
                found.append(int(entry.name))
    return found


def build_server(
    dovecot: Dovecot, count: int, folder: Path, db: str | None
) -> tuple[object, list[str], str]:
    """The server's store with ``count`` accounts; (app state, mailbox users, employer)."""
    from sqlalchemy import insert

    from jobnudge import config
    from jobnudge.domain import Role
    from jobnudge.secretbox import load_keyring, new_key
    from jobnudge.services import mail_server, records
    from jobnudge.services.session import Session
    from jobnudge.store.account_tables import credentials
    from jobnudge.web import create_app

    keyring = load_keyring({"NUDGE_SERVER_KEY": new_key()}, None)
    app = create_app(
        config.Settings(),
        data_dir=folder,
        db=db,
        accounts=True,
        now=lambda tz: NOW,
        keyring=keyring,
        mail_interval=0,
        keep_pages=False,
    )
    state = app.state.nudge
    users = [dovecot.add_user(sent="") for _ in range(count)]
    employer = "dana.lee@acme.example"
    for user in users:
        home = dovecot.root / "mail" / user
        maildir(home)
        maildir(home / ".Sent")
        if os.geteuid() == 0:
            for dirpath, _dirs, _files in os.walk(home):
                os.chown(dirpath, MAIL_UID, MAIL_UID)
    owners = [state.store.ensure_user(f"acct-{user}") for user in users]
    with state.store.engine.begin() as conn:
        for owner in owners:
            conn.execute(
                insert(credentials).values(
                    owner_id=owner, password_hash="-", created_at=NOW, updated_at=NOW
                )
            )
    for owner, user in zip(owners, users, strict=True):
        doc = {
            "profile": {"name": "Alex Morgan", "tz": "UTC", "country": "US"},
            "mail": {
                "username": user,
                "address": f"{user}@seeker.example",
                "imap_host": "127.0.0.1",
                "imap_port": dovecot.port,
                "imap_security": "none",
                "smtp_host": "127.0.0.1",
                "smtp_port": 9,
                "smtp_security": "none",
                "since_days": 3650,
                "timeout_seconds": 60,
            },
        }
        settings = state.prefs.save(owner, doc)
        mail_server.save_password(state.store, keyring, owner, PASSWORD, NOW)
        session = Session(state.store, settings, owner, NOW)
        records.add_opportunity(session, "Acme", "Data Analyst", applied=NOW - timedelta(days=9))
        records.add_contact(
            session, "Dana Lee", company="Acme", email=employer, roles=frozenset({Role.RECRUITER})
        )
    return state, users, employer


def timed_pass(
    state: object, workers: int, port: int, pids: list[int], only: int = 0
) -> dict[str, float]:
    """One pass (over the first ``only`` accounts when given: the sequential baseline)."""
    from jobnudge.web.background import MailWorker

    class Some(MailWorker):
        def owners(self) -> list[int]:
            found = super().owners()
            return found[:only] if only else found

    worker = Some(state, 3600.0, workers)  # type: ignore[arg-type]
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], open_connections(port))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    cpu_before = os.times()
    dovecot_before = cpu_seconds(pids)
    sampler.start()
    started = time.perf_counter()
    worker.run_pass()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    after = os.times()
    own = (after.user - cpu_before.user) + (after.system - cpu_before.system)
    served = dovecot_pids()
    dove = cpu_seconds(served) - dovecot_before
    errors = [s.error for s in worker._status.values() if s.error]
    if errors:
        raise SystemExit(f"{len(errors)} accounts failed, e.g. {errors[0]}")
    logged = sum(s.logged for s in worker._status.values())
    if worker._pool is not None:
        worker._pool.shutdown(wait=True)
    served_count = len(worker._status)
    return {
        "wall": wall,
        "rate": served_count / wall,
        "peak": peak[0],
        "cpu": (own + max(dove, 0.0)) / wall,
        "logged": logged,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="4,8,16")
    parser.add_argument(
        "--baseline-accounts",
        type=int,
        default=100,
        help="accounts in the sequential (1 worker) baseline pass, run in the same session",
    )
    parser.add_argument(
        "--sqlite", action="store_true", help="the SQLite file instead of PostgreSQL"
    )
    args = parser.parse_args()
    from contextlib import nullcontext

    from bench.common import pg_database

    with nullcontext(None) if args.sqlite else pg_database() as db:
        run(args, db)


def run(args: argparse.Namespace, db: str | None) -> None:
    counts = [int(w) for w in args.workers.split(",")]
    os.environ.setdefault("NUDGE_NOW", NOW.isoformat())
    dovecot = Dovecot(pool=args.accounts + 10)
    dovecot.start()
    folder = Path(tempfile.mkdtemp(prefix="jobnudge-bench-accounts-"))
    try:
        t0 = time.perf_counter()
        state, users, employer = build_server(dovecot, args.accounts, folder, db)
        print(f"built {args.accounts} accounts in {time.perf_counter() - t0:.0f} s", flush=True)
        round_ = 0
        for user in users:  # a first pass settles each mailbox's UIDVALIDITY and last UID
            drop_messages(dovecot, user, employer, round_)
        timed_pass(state, max(counts), dovecot.port, dovecot_pids())
        results: dict[int, list[dict[str, float]]] = {w: [] for w in (1, *counts)}
        for _run in range(args.runs):
            for workers in (1, *counts):  # interleaved: drift on the shared machine hits all
                round_ += 1
                only = args.baseline_accounts if workers == 1 else 0
                for user in users[: only or None]:  # only the accounts this pass serves
                    drop_messages(dovecot, user, employer, round_)
                found = timed_pass(state, workers, dovecot.port, dovecot_pids(), only)
                results[workers].append(found)
                print(f"  {workers} workers: {found['wall']:.1f} s", flush=True)
        base = statistics.median(r["rate"] for r in results[1])
        rows = []
        for workers in (1, *counts):
            wall = statistics.median(r["wall"] for r in results[workers])
            rate = statistics.median(r["rate"] for r in results[workers])
            served = args.baseline_accounts if workers == 1 else args.accounts
            rows.append(
                (
                    workers,
                    served,
                    f"{wall:.1f} s",
                    f"{rate:.1f}",
                    f"{rate / base:.2f}x",
                    f"{max(r['peak'] for r in results[workers]):.0f}",
                    f"{statistics.median(r['cpu'] for r in results[workers]):.2f}",
                    f"{statistics.median(r['logged'] for r in results[workers]):.0f}",
                )
            )
        print()
        print("\n".join(machine_lines(with_pg=db is not None)))
        print(
            f"\n{args.accounts} accounts, {NEW} new messages each, median of {args.runs} "
            f"passes, {'SQLite' if db is None else 'PostgreSQL'}; baseline: 1 worker (one "
            f"account after the other) over the first {args.baseline_accounts} accounts\n"
        )
        print(
            table(
                (
                    "workers",
                    "accounts",
                    "wall",
                    "accounts/s",
                    "vs baseline",
                    "IMAP connections (peak)",
                    "CPU cores busy",
                    "replies logged",
                ),
                rows,
            )
        )
    finally:
        state_store = locals().get("state")
        if state_store is not None:
            state_store.store.close()  # type: ignore[attr-defined]
        dovecot.stop()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
