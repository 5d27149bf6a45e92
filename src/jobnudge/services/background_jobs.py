"""A server's periodic work as jobs on the queue (``NUDGE_JOB_QUEUE=on`` with accounts): the
morning digests and each account's mail pass, run by ``nudge worker`` processes instead of
threads inside every web process.

How it holds together:

- Two periodic jobs, ``remind_tick`` (every minute) and ``mail_tick`` (every
  ``mail.sync_minutes``), are deferred by the queue itself once per tick across all workers
  (Procrastinate's periodic tasks: the database refuses a second copy of one tick). A tick only
  chooses whom to serve and queues one job per account.
- ``remind`` and ``mail_pass`` serve one account each, locked by the account (two never run at
  once for one user) and at most one waiting per account, so a slow mailbox holds up only its
  own next turns. Retries are bounded by the queue.
- Each account's outcome (when, what went wrong, how many messages) and when to look at it
  again are kept in ``job_status`` in one transaction: the Settings page of any web process
  reads them there. A digest still goes out once per channel and morning: that rests on the
  digest's own records (``services.reminding``), whichever worker prepares it.
- The worker's own settings file (``NUDGE_CONFIG``) is the server's: its ``[mail]`` account
  sends the e-mail digests, ``remind.web_url`` is where the digest's links point, and the
  server key (``NUDGE_SERVER_KEY`` or ``web.server_key_file``) opens each account's secrets.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from jobnudge.errors import NudgeError

if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.secretbox import KeyRing
    from jobnudge.store import Store
    from jobnudge.store.job_records import PassStatus

log = logging.getLogger("jobnudge.jobs")

REMIND, MAIL = "remind", "mail"
SERVER_ONLY = frozenset({"desktop"})  # a server's desktop is nobody's
AN_HOUR = timedelta(hours=1)


def status(store: Store, owner: int, kind: str) -> PassStatus | None:
    """How ``owner``'s last pass of ``kind`` ("remind" or "mail") went, from the database."""
    from jobnudge.store import job_records

    return job_records.status(store, owner, kind)


def forget(store: Store, owner: int, kind: str) -> None:
    """Look at ``owner`` at the next tick (their settings changed)."""
    from jobnudge.store import job_records

    job_records.forget(store, owner, kind)


def _server() -> tuple[Settings, KeyRing | None]:
    from jobnudge import config
    from jobnudge.services import remind_secrets

    settings = config.load()
    try:
        keyring = remind_secrets.server_keyring(settings)
    except NudgeError as exc:
        log.warning("jobs: the server key cannot be read: %s", exc.message)
        keyring = None
    return settings, keyring


def _instant() -> datetime:
    from jobnudge import clock

    return clock.now()


# Morning digests


def remind_tick(store: Store) -> None:
    """Queue a ``remind`` job for each account whose morning digest may be due now; note when
    to look again at the others (before their hour, or with nothing to send by)."""
    from jobnudge.remind import schedule
    from jobnudge.services import jobs
    from jobnudge.services.remind_batch import account_settings, next_look
    from jobnudge.store import job_records

    now = _instant()
    later = job_records.waiting(store, REMIND, now)
    owners = [o for o in store.owners() if o not in later]
    chosen: list[int] = []
    wait: dict[int, datetime] = {}
    for owner, settings in account_settings(store, owners):
        if isinstance(settings, NudgeError):
            job_records.record(store, owner, REMIND, now, settings.message, next_at=now + AN_HOUR)
            continue
        if not [c for c in settings.remind.channels if c not in SERVER_ONLY]:
            wait[owner] = now + AN_HOUR
            continue
        remind, tz = settings.remind, settings.profile.tz
        if schedule.decide(remind, tz, settings.profile.country, now).slot is None:
            wait[owner] = next_look(settings, now, settled=False)
            continue
        chosen.append(owner)
    job_records.set_next(store, REMIND, wait, now)
    jobs.submit_many(store, "remind", [{"owner": o} for o in chosen])


def remind(store: Store, owner: int) -> None:
    """Prepare and deliver one account's digest (``services.remind_batch``), then keep how it
    went. A database that fails midway raises, for the queue to retry."""
    from jobnudge import clock
    from jobnudge.services import mail_account, remind_secrets
    from jobnudge.services.remind_batch import (
        ServerEmail,
        account_settings,
        run_batch,
        server_channels,
    )
    from jobnudge.store import job_records

    now = _instant()
    [(_owner, settings)] = list(account_settings(store, [owner]))
    if isinstance(settings, NudgeError):
        job_records.record(store, owner, REMIND, now, settings.message, next_at=now + AN_HOUR)
        return
    server, keyring = _server()
    email = None
    if server.mail.sends:
        try:
            email = ServerEmail(mail_account.sender(server), _instant)
        except NudgeError as exc:
            log.warning("reminders: no e-mail from this server: %s", exc.message)

    def apprise_urls(who: int) -> list[str]:
        return remind_secrets.apprise_urls(store, keyring, who)

    try:
        report = run_batch(
            store,
            [(owner, settings)],
            clock.now,
            server_channels(email, apprise_urls, store),
            workers=2,
            preparers=1,
            web_url=server.remind.web_url,
            skip=SERVER_ONLY,
        )
    finally:
        if email is not None:
            email.close()
    if -1 in report.errors:
        raise RuntimeError(report.errors[-1])
    error = report.errors.get(owner)
    sent = sum(o.state == "delivered" for _who, o in report.outcomes)
    job_records.record(
        store, owner, REMIND, now, error, sent=sent, next_at=report.next_look.get(owner)
    )
    if error:
        log.warning("reminders for user #%s: %s", owner, error)


# Mail passes


def mail_tick(store: Store) -> None:
    """Queue a ``mail_pass`` job for each account naming a mailbox (none without a server key:
    the server's own secrets are never lent)."""
    from jobnudge.services import jobs, mail_server

    _settings, keyring = _server()
    if keyring is None:
        return
    jobs.submit_many(store, "mail_pass", [{"owner": o} for o in mail_server.owners(store)])


def mail_pass(store: Store, owner: int) -> None:
    """One account's mail pass (``services.mail_pass``), its outcome kept for Settings."""
    from jobnudge import clock, config
    from jobnudge.services import mail_pass as passes
    from jobnudge.services.preferences import StoredPreferences
    from jobnudge.store import job_records

    server, keyring = _server()
    prefs = StoredPreferences(store, config.data_dir() / "web-templates")
    found = passes.serve(
        store,
        owner,
        prefs.settings,
        clock.now,
        _instant,
        keyring=keyring,
        server_mail=server.mail,
        accounts=True,
    )
    if found is None:
        return
    for level, text in found.notes:
        log.log(level, "mail for %s: %s", found.who, found.clean(text))
    error = found.error
    if error is not None:
        log.warning("mail for %s failed: %s", found.who, error)
    job_records.record(store, owner, MAIL, _instant(), error, logged=found.logged, sent=found.sent)


def periodic(settings: Settings) -> dict[str, float]:
    """The periodic jobs and their seconds apart, by the server's settings."""
    every = {"remind_tick": 60.0}
    if settings.mail.sync_minutes > 0:
        every["mail_tick"] = settings.mail.sync_minutes * 60.0
    return every
