"""Mail passes on the job queue: with accounts and ``NUDGE_JOB_QUEUE=on``, two real
`nudge worker` processes serve each account's mailbox (real Dovecot and SMTP on loopback), one
job per account; the web process runs no mail loop and its pages show each account's last
pass from the database."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from starlette.applications import Starlette

from jobnudge.services import jobs
from jobnudge.web import create_app
from jobnudge.web.background import worker_of
from tests.web.conftest import NOW, SETTINGS, Client, pg_database, sign_up, store_of
from tests.web.queue_workers import logs, running, scalar, until

from .servers import PASSWORD, Dovecot, Smtp
from .test_server_mail import job_search, mail_doc, owner_of, pending, reply

pytestmark = pytest.mark.postgres

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Starlette, str]]:
    monkeypatch.setenv("NUDGE_SERVER_KEY", KEY)
    monkeypatch.setenv("NUDGE_PRIVATE_HOSTS", "127.0.0.1")  # the test mail servers' host
    monkeypatch.setenv(jobs.QUEUE_ENV, "on")
    with pg_database() as url:
        app = create_app(SETTINGS, db=url, accounts=True, now=lambda tz: NOW)
        try:
            yield app, url
        finally:
            store_of(app).close()


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_two_workers_serve_each_accounts_mailbox_as_its_own_job(
    queued: tuple[Starlette, str], dovecot: Dovecot, smtp: Smtp, tmp_path: Path
) -> None:
    app, url = queued
    employer = f"{dovecot.add_user(sent='')}@acme.example"
    users = {name: dovecot.add_user() for name in ("ann", "bob")}
    with Client(app):
        loop = worker_of(app)
        assert loop is not None and loop.queued and not loop.running
        clients = {name: sign_up(app, name) for name in users}
        for name, user in users.items():
            form = {**mail_doc(user, dovecot, smtp), "auth": "password", "password": PASSWORD}
            del form["since_days"], form["timeout_seconds"]
            if name == "bob":
                form["password"] = "not-his-password"
            answer = clients[name].send_form("/settings/mailbox", form)
            assert answer.status_code == 303, answer.text
        sessions = {name: job_search(app, owner_of(app, name), employer, NOW) for name in users}
        before = {name: pending(s) for name, s in sessions.items()}
        reply(dovecot, users["ann"], employer, NOW)
        reply(dovecot, users["bob"], employer, NOW)
        assert "Last mail sync" not in _text(clients["ann"].get("/settings/mailbox").text)

        def passes() -> int:
            found = scalar(
                store_of(app),
                "SELECT count(DISTINCT args->>'owner') FROM procrastinate_jobs "
                "WHERE task_name = 'jobnudge.mail_pass' AND status = 'succeeded'",
            )
            assert isinstance(found, int)
            return found

        with running(url, tmp_path, 2, "--mail-every", "1", "--remind-every", "0"):
            until(lambda: passes() == 2, 90, "a mail pass for each account")
            until(
                lambda: (
                    scalar(store_of(app), "SELECT count(*) FROM job_status WHERE kind = 'mail'")
                    == 2
                ),
                30,
                "both outcomes kept",
            )
        ann = _text(clients["ann"].get("/settings/mailbox").text)
        assert "ok Last mail sync" in ann, ann + logs(tmp_path)
        said = logs(tmp_path)
        assert said.count(f"mail for {users['ann']}: logged reply from Dana Lee") == 1, said
        bob = _text(clients["bob"].get("/settings/mailbox").text)
        assert "failed Last mail sync" in bob and "refused the login" in bob, bob
        settings_page = _text(clients["ann"].get("/settings").text)
        assert "this server reads new replies" in settings_page
        after = {name: pending(s) for name, s in sessions.items()}
        assert after["ann"] < before["ann"]  # her reply settled her follow-ups
        assert after["bob"] == before["bob"]  # his waits: his password is wrong
        assert PASSWORD not in logs(tmp_path) and "not-his-password" not in logs(tmp_path)
        # One job per account at a time, never two waiting: the queue's locks name the owner.
        locks = scalar(
            store_of(app),
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'jobnudge.mail_pass' "
            "AND (lock IS NULL OR lock NOT LIKE 'owner:%')",
        )
        assert locks == 0
