"""One account's mail pass: read what is new (``nudge mail sync``), then send what is due
(``nudge mail flush``). ``nudge serve``'s mail loop (``web.background``) and the job queue's
``mail_pass`` job (``services.background_jobs``) both run it.

Reading comes before sending: a reply that arrived since the last pass settles its follow-up
first, so a queued message that is no longer due is cancelled rather than sent. Each step is
committed before the next, as for a sender killed outright; a failure is kept, never raised,
with the password in use kept out of every text.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from jobnudge.errors import MailError, NudgeError
from jobnudge.plural import count

if TYPE_CHECKING:
    from jobnudge.config import Mail, Settings
    from jobnudge.secretbox import KeyRing
    from jobnudge.store import Store


@dataclass
class Found:
    """What one user's pass found: lines to log and the problems for the status."""

    who: str = ""  # the mailbox's user name, for the log
    secret: str = ""  # the password in use, to keep it out of every text kept or logged
    problems: list[str] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (log level, line)
    logged: int = 0
    sent: int = 0

    def clean(self, text: str) -> str:
        return text.replace(self.secret, "***") if self.secret else text

    @property
    def error(self) -> str | None:
        return self.clean("; ".join(self.problems)) if self.problems else None


def describe(exc: BaseException) -> str:
    if isinstance(exc, NudgeError):
        return exc.message
    return f"unexpected {type(exc).__name__}: {exc}"


def serve(
    store: Store,
    owner: int,
    settings_of: Callable[[int], Settings],
    now: Callable[[str], datetime],
    instant: Callable[[], datetime],
    *,
    keyring: KeyRing | None = None,
    server_mail: Mail | None = None,
    accounts: bool = True,
    halt: threading.Event | None = None,
) -> Found | None:
    """Sync, then flush, for ``owner``; None when they have no mailbox set up. Never raises:
    every problem ends up in the result. With ``accounts`` the mailbox's secret is the
    account's own, sealed with ``keyring``; else the local user's (keyring, environment)."""
    from jobnudge.services import mail_account, mail_send, mail_sync
    from jobnudge.services.session import Session

    found = Found(who=f"user #{owner}")
    try:
        settings = settings_of(owner)
        if not settings.mail.configured:
            return None
        found.who = settings.mail.username
        if accounts:
            from jobnudge.secretbox import require
            from jobnudge.services import mail_server

            account = mail_server.account(
                store, require(keyring), owner, settings, instant, server_mail
            )
        else:
            account = mail_account.account(settings)
        found.secret = account.password
        tz = settings.profile.tz
        session = Session(store, settings, owner, now(tz))
        try:
            report = mail_sync.sync(session, account)
        except MailError as exc:
            found.problems.append(exc.message)
        else:
            found.logged = len(report.logged)
            for lg in report.logged:
                what = "reply from" if lg.event.type.value == "received" else "sent to"
                line = f"logged {what} {lg.who} on {lg.opportunity.company}: “{lg.subject}”"
                found.notes.append((logging.INFO, line))
            if report.review:
                found.notes.append(
                    (logging.INFO, f"{count(len(report.review), 'new message')} to review")
                )
        if halt is None or not halt.is_set():
            session.now = now(tz)
            flushed = mail_send.flush(session, account)
            found.problems += flushed.errors
            for o in flushed.outcomes:
                level = logging.WARNING if o.state in ("failed", "unknown") else logging.INFO
                found.notes.append((level, f"#{o.item} {o.state}: {o.to} — {o.detail}"))
            found.sent = sum(o.state == "sent" for o in flushed.outcomes)
    except NudgeError as exc:
        found.problems.append(exc.message)
    except Exception as exc:  # a bug or the database: the caller's loop must outlive it
        found.problems.append(describe(exc))
        found.notes.append((logging.ERROR, "".join(traceback.format_exception(exc)).rstrip("\n")))
    return found
