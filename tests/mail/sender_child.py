"""The sender as the fault-injection test runs it: in a child process of its own, with
``NUDGE_MAIL_FAULT`` set so that it SIGKILLs itself at the chosen step of the send path."""

from __future__ import annotations

import os
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

from jobnudge import config
from jobnudge.mail.account import Account
from jobnudge.mail.fault import FAULT_ENV
from jobnudge.services import mail_send
from jobnudge.services.session import open_session

# Imported here so the fork server has them loaded before any child starts (a child that had to
# import the playbook, SQLAlchemy or the mail adapters itself would spend most of a trial on it).
PRELOAD = (
    "jobnudge.playbook.engine",
    "jobnudge.playbook.rules_search",
    "jobnudge.store.core",
    "jobnudge.store.mail",
    "jobnudge.mail.smtp",
    "jobnudge.mail.imap",
    "jobnudge.services.nudges",
)
for _name in PRELOAD:
    __import__(_name)


def flush(data_dir: str, settings_toml: str, password: str, fault: str, now: datetime) -> None:
    os.environ[FAULT_ENV] = fault
    settings = config.parse(tomllib.loads(settings_toml))
    session = open_session(None, settings=settings, data_dir=Path(data_dir))
    session.now = now
    try:
        mail_send.flush(session, Account(settings.mail, password), grace=timedelta(0))
    finally:
        session.close()
