"""Background work on the job queue, through the web app and two real `nudge worker`
processes on one PostgreSQL database: the web process starts no loops of its own; each
account's morning digest goes out once however many workers tick; Settings shows the outcome
from the database; a large upload is imported by a worker, its page following it from waiting
to done (or failed, nothing imported)."""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from starlette.applications import Starlette

from jobnudge import config
from jobnudge.services import import_runs, jobs
from jobnudge.services.session import Session
from jobnudge.web import create_app
from jobnudge.web.background import worker_of
from jobnudge.web.reminders import reminder_worker_of
from tests.remind.world import Hook, build_search

from .conftest import NOW, SETTINGS, Client, pg_database, sign_up, store_of
from .queue_workers import logs, running, scalar, until

pytestmark = pytest.mark.postgres

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
NO_TICKS = ("--remind-every", "0", "--mail-every", "0")


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Starlette, str]]:
    monkeypatch.setenv("NUDGE_SERVER_KEY", KEY)
    monkeypatch.setenv("NUDGE_PRIVATE_HOSTS", "127.0.0.1")  # the test's HTTP endpoints
    monkeypatch.setenv(jobs.QUEUE_ENV, "on")
    with pg_database() as url:
        app = create_app(SETTINGS, db=url, accounts=True, now=lambda tz: NOW)
        try:
            yield app, url
        finally:
            store_of(app).close()


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _remind_by(client: Client, url: str) -> None:
    about = client.send_form(
        "/settings/profile", {"name": "A", "tz": "America/New_York", "country": "US", "email": ""}
    )
    assert about.status_code == 303, about.text
    saved = client.send_form(
        "/settings/reminders",
        {"channels": ["apprise"], "remind_time": "08:00", "days": "every", "apprise_urls": url},
    )
    assert saved.status_code == 303, saved.text


def _owner(app: Starlette, name: str) -> int:
    found = scalar(store_of(app), "SELECT id FROM users WHERE name = :n", n=name)
    assert isinstance(found, int)
    return found


def _ticks(app: Starlette) -> int:
    found = scalar(
        store_of(app),
        "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'jobnudge.remind_tick' "
        "AND status = 'succeeded'",
    )
    assert isinstance(found, int)
    return found


def test_two_workers_send_each_account_one_digest_a_morning(
    queued: tuple[Starlette, str], tmp_path: Path
) -> None:
    app, url = queued
    hooks = {"ann": Hook().start(), "bob": Hook().start()}
    try:
        with Client(app):
            remind, mail = reminder_worker_of(app), worker_of(app)
            assert remind is not None and remind.queued and not remind.running
            assert mail is not None and mail.queued and not mail.running
            names = {t.name for t in threading.enumerate()}
            assert not any(n.startswith(("jobnudge-mail", "jobnudge-remind")) for n in names)
            clients = {name: sign_up(app, name) for name in hooks}
            for name, client in clients.items():
                _remind_by(client, hooks[name].url())
                owner = _owner(app, name)
                build_search(
                    Session(store_of(app), app.state.nudge.prefs.settings(owner), owner, NOW)
                )
            assert _ticks(app) == 0 and all(h.received == [] for h in hooks.values())

            with running(url, tmp_path, 2, "--remind-every", "1", "--mail-every", "0"):
                until(lambda: all(len(h.received) == 1 for h in hooks.values()), 90, "the digests")
                seen = _ticks(app)
                until(lambda: _ticks(app) >= seen + 3, 60, "three more ticks")
                # A changed setting makes the next tick look at Ann again: her digest for
                # this morning is out already, so nothing more goes.
                _remind_by(clients["ann"], hooks["ann"].url())
                assert (
                    scalar(
                        store_of(app),
                        "SELECT next_at FROM job_status WHERE owner_id = :o AND kind = 'remind'",
                        o=_owner(app, "ann"),
                    )
                    is None
                )
                until(
                    lambda: (
                        scalar(
                            store_of(app),
                            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = "
                            "'jobnudge.remind' AND status = 'succeeded' AND args->>'owner' = :o",
                            o=str(_owner(app, "ann")),
                        )
                        == 2
                    ),
                    60,
                    "a second look at Ann",
                )
            assert [len(h.received) for h in hooks.values()] == [1, 1], logs(tmp_path)
            assert "Send a thank-you" in hooks["ann"].received[0]["message"]
            # Both workers tick, the database keeps one job per tick.
            ticks = scalar(
                store_of(app),
                "SELECT count(*) - count(DISTINCT args->>'timestamp') FROM procrastinate_jobs "
                "WHERE task_name = 'jobnudge.remind_tick'",
            )
            assert ticks == 0
            page = _text(clients["bob"].get("/settings").text)
            assert "ok Last looked" in page, page  # from the database: this process sent none
            assert remind.passes == 0
    finally:
        for hook in hooks.values():
            hook.stop()


CSV_HEAD = b"Company,Role,Date applied,Status\n"


def _sheet(rows: int, first: int = 0, firm: str = "Firm", encoding: str = "utf-8") -> bytes:
    lines = [f"{firm} {n},Analyst {n},2026-11-02,applied\n" for n in range(first, rows)]
    return CSV_HEAD + "".join(lines).encode(encoding)


def _queue_upload(
    client: Client, content: bytes, name: str, data: dict[str, str] | None = None
) -> str:
    held = client.send_form(
        "/import-export", data or {}, files={"file": (name, content, "text/csv")}
    )
    assert held.status_code == 303, held.text[:600]
    token = held.headers["location"].rsplit("/", 1)[-1]
    done = client.send_form(f"/import-export/uploads/{token}/import", {})
    assert done.status_code == 303, done.text[:600]
    location = str(done.headers["location"])
    assert re.fullmatch(r"/import-export/runs/\d+", location), location
    return location


def test_a_large_upload_is_imported_by_a_worker_and_its_page_follows_it(
    queued: tuple[Starlette, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(import_runs.THRESHOLD_ENV, "5")
    app, url = queued
    with Client(app):
        ivy = sign_up(app, "ivy")
        owner = _owner(app, "ivy")
        small = ivy.send_form(
            "/import-export", {}, files={"file": ("few.csv", _sheet(3), "text/csv")}
        )
        token = small.headers["location"].rsplit("/", 1)[-1]
        here = ivy.send_form(f"/import-export/uploads/{token}/import", {})
        assert here.headers["location"] == "/pipeline"  # at most 5 rows: imported at once

        windows = {"encoding": "cp1252"}  # saved by Excel on Windows: the worker reads it so
        run = _queue_upload(ivy, _sheet(11, 3, "Müller GmbH", "cp1252"), "big.csv", windows)
        waiting = ivy.get(run)
        assert 'http-equiv="refresh"' in waiting.text
        assert "waiting Waiting for its turn" in _text(waiting.text)
        kept = list((config.data_dir() / "imports" / str(owner)).iterdir())
        assert [p.name.split("-", 1)[1] for p in kept] == ["big.csv"]
        assert len(store_of(app).all_opportunity_ids(owner)) == 3
        assert sign_up(app, "max").get(run).status_code == 404  # nobody else's to see

        gone = _queue_upload(ivy, _sheet(20, 11), "lost.csv")
        for path in (config.data_dir() / "imports" / str(owner)).glob("*-lost.csv"):
            path.unlink()  # the file is gone from the server before a worker takes it

        with running(url, tmp_path, 1, *NO_TICKS):
            until(
                lambda: (
                    scalar(
                        store_of(app),
                        "SELECT count(*) FROM import_runs WHERE state IN ('done', 'failed')",
                    )
                    == 2
                ),
                90,
                "both imports",
            )
        done = ivy.get(run)
        said = _text(done.text)
        assert "done Imported 8 new opportunities" in said, said + logs(tmp_path)
        assert 'http-equiv="refresh"' not in done.text
        assert len(store_of(app).all_opportunity_ids(owner)) == 11
        companies = {o.company for o, _stage in store_of(app).opportunities(owner)}
        assert {f"Müller GmbH {n}" for n in range(3, 11)} <= companies
        assert list((config.data_dir() / "imports" / str(owner)).iterdir()) == []
        failed = _text(ivy.get(gone).text)
        assert "failed Nothing was imported. lost.csv: no such file" in failed, failed
        assert str(config.data_dir()) not in failed
