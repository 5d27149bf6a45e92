"""Settings → Reminders and the server's own reminders: saving the settings (bad input named,
nothing written), "send a test" to a real HTTP endpoint, the page title's count, Apprise URLs
sealed per account, and each account's digest at its own local hour without one slow channel
holding back the others."""

from __future__ import annotations

import base64
import os
import threading
import tomllib
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from starlette.applications import Starlette

from jobnudge.services.session import Session
from jobnudge.web import create_app
from jobnudge.web.reminders import reminder_worker_of
from tests.remind.world import Hook, build_search

from .conftest import NOW, SETTINGS, Client, Clock, sign_up, store_of

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()


@pytest.fixture
def hook() -> Iterator[Hook]:
    server = Hook().start()
    try:
        yield server
    finally:
        server.stop()


def test_reminders_are_saved_to_the_settings_file(client: Client, tmp_path: Path) -> None:
    page = client.get("/settings")
    assert 'id="reminders"' in page.text and "Send a test" in page.text
    saved = client.send_form(
        "/settings/reminders",
        {
            "channels": ["email", "apprise"],
            "remind_time": "07:30",
            "days": "every",
            "quiet_start": "21:00",
            "quiet_end": "07:00",
            "detail": "brief",
            "email_to": "alex@seeker.example",
        },
    )
    assert saved.status_code == 303, saved.text
    written = tomllib.loads((tmp_path / "config.toml").read_text(encoding="utf-8"))["remind"]
    assert written == {
        "hour": 7.5,
        "days": "every",
        "quiet_hours": "21:00-07:00",
        "channels": ["email", "apprise"],
        "detail": "brief",
        "email_to": "alex@seeker.example",
    }
    again = client.get("/settings")
    assert 'value="07:30"' in again.text and 'value="21:00"' in again.text


def test_bad_reminder_settings_are_named_and_nothing_is_written(
    client: Client, tmp_path: Path
) -> None:
    bad = client.send_form(
        "/settings/reminders",
        {"channels": ["email"], "remind_time": "25:00", "quiet_start": "21:00"},
    )
    assert bad.status_code == 422
    assert "Send at must be a time like 07:30" in bad.text
    assert "Quiet hours need both a start and an end" in bad.text
    assert not (tmp_path / "config.toml").exists()
    wrong = client.send_form("/settings/reminders/test", {"channel": "pager"})
    assert wrong.status_code == 422 and "is not one of email, apprise, desktop" in wrong.text


def test_send_a_test_reaches_the_apprise_endpoint(
    client: Client, hook: Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUDGE_APPRISE_URLS", hook.url("test"))
    sent = client.send_form("/settings/reminders/test", {"channel": "apprise"})
    assert sent.status_code == 303
    assert len(hook.received) == 1
    assert hook.received[0]["title"] == "jobnudge test: reminders reach you by apprise"
    shown = client.get(sent.headers["location"])
    assert "Test sent by phone or chat" in shown.text
    monkeypatch.delenv("NUDGE_APPRISE_URLS")
    failed = client.send_form("/settings/reminders/test", {"channel": "apprise"})
    assert failed.status_code == 303
    assert "did not go through: remind.channels includes apprise but no Apprise URL" in (
        client.get(failed.headers["location"]).text
    )


def test_the_page_title_counts_the_follow_ups_due_now(demo: Starlette) -> None:
    from jobnudge.services import reminding
    from jobnudge.services.session import Session

    store = store_of(demo)
    session = Session(store, SETTINGS, store.ensure_user("local"), NOW)
    due = reminding.due_now_count(session)
    assert due > 0
    with Client(demo) as client:
        assert f"<title>({due}) Today · jobnudge</title>" in client.get("/").text
        assert f"<title>({due}) Settings · jobnudge</title>" in client.get("/settings").text


def test_an_empty_search_has_a_plain_title(client: Client) -> None:
    assert "<title>Today · jobnudge</title>" in client.get("/").text


@pytest.fixture
def server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], tuple[Starlette, Clock]]]:
    monkeypatch.setenv("NUDGE_SERVER_KEY", KEY)
    monkeypatch.setenv("NUDGE_PRIVATE_HOSTS", "127.0.0.1")  # the test's HTTP endpoints
    made: list[Starlette] = []

    def build() -> tuple[Starlette, Clock]:
        clock = Clock(NOW)
        app = create_app(
            SETTINGS,
            db=f"sqlite:///{tmp_path / 'server.sqlite'}",
            data_dir=tmp_path / "data",
            accounts=True,
            now=clock,
            remind_interval=3600,  # the test runs the passes itself
        )
        made.append(app)
        return app, clock

    yield build
    for app in made:
        store_of(app).close()


def _settings(client: Client, tz: str, url: str) -> None:
    about = client.send_form(
        "/settings/profile", {"name": "A", "tz": tz, "country": "US", "email": ""}
    )
    assert about.status_code == 303, about.text
    saved = client.send_form(
        "/settings/reminders",
        {"channels": ["apprise"], "remind_time": "08:00", "days": "every", "apprise_urls": url},
    )
    assert saved.status_code == 303, saved.text


def _search(app: Starlette, name: str) -> int:
    store = store_of(app)
    with store.engine.connect() as conn:
        owner = conn.execute(text("SELECT id FROM users WHERE name = :n"), {"n": name}).scalar()
    assert owner is not None
    settings = app.state.nudge.prefs.settings(owner)
    build_search(Session(store, settings, owner, NOW))
    return int(owner)


def test_each_account_gets_its_digest_at_its_own_hour(
    server: Callable[[], tuple[Starlette, Clock]],
) -> None:
    app, clock = server()
    east, west = Hook().start(), Hook().start()
    try:
        with Client(app):
            tokyo, york = sign_up(app, "kenji"), sign_up(app, "alex")
            _settings(tokyo, "Asia/Tokyo", east.url())
            _settings(york, "America/New_York", west.url())
            _search(app, "kenji")
            _search(app, "alex")
            worker = reminder_worker_of(app)
            assert worker is not None
            with store_of(app).engine.connect() as conn:
                sealed = conn.execute(text("SELECT sealed FROM user_secrets")).scalars().all()
            assert len(sealed) == 2 and all(str(east.port) not in s for s in sealed)
            page = york.get("/settings")
            assert "Saved: json://…" in page.text and str(west.port) not in page.text
            # 15:30 UTC: 10:30 in New York (digest due), 00:30 on Wednesday in Tokyo (not yet).
            report = worker.run_pass()
            assert report is not None and report.delivered == 1
            assert len(west.received) == 1 and east.received == []
            assert worker.run_pass() is None  # both are settled or waiting: nobody looked at
            clock.moment = NOW + timedelta(hours=7, minutes=31)  # 08:01 in Tokyo
            worker.run_pass()
            assert len(east.received) == 1 and len(west.received) == 1
            assert "Send a thank-you" in east.received[0]["message"]
    finally:
        east.stop()
        west.stop()


def test_a_slow_channel_does_not_hold_back_the_others(
    server: Callable[[], tuple[Starlette, Clock]],
) -> None:
    app, _clock = server()
    slow, fast = Hook().start(), Hook().start()
    slow.hold = threading.Event()
    try:
        with Client(app):
            _settings(sign_up(app, "slow"), "America/New_York", slow.url() + "?rto=15")
            _settings(sign_up(app, "fast"), "America/New_York", fast.url())
            _search(app, "slow")
            _search(app, "fast")
            worker = reminder_worker_of(app)
            assert worker is not None
            done: list[Any] = []
            passing = threading.Thread(target=lambda: done.append(worker.run_pass()))
            passing.start()
            assert slow.arrived.wait(20)
            assert fast.arrived.wait(20)
            deadline = threading.Event()
            for _ in range(100):  # the fast one is recorded while the slow one still waits
                if fast.received:
                    break
                deadline.wait(0.1)
            assert len(fast.received) == 1 and slow.received == []
            slow.hold.set()
            passing.join(30)
            assert done and done[0].delivered == 2
    finally:
        slow.stop()
        fast.stop()


def test_without_a_server_key_apprise_urls_are_refused_with_the_fix(
    make_app: Callable[..., Starlette], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUDGE_SERVER_KEY", raising=False)
    app = make_app(accounts=True)
    with Client(app):
        client = sign_up(app, "alex")
        refused = client.send_form(
            "/settings/reminders",
            {"channels": ["apprise"], "remind_time": "08:00", "apprise_urls": "ntfy://x/y"},
        )
        assert refused.status_code == 422
        assert "this server has no key to keep secrets with" in refused.text
        assert os.environ.get("NUDGE_SERVER_KEY") is None


def test_the_local_app_sends_the_digest_with_links_into_itself(
    tmp_path: Path, hook: Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_file = tmp_path / "local.toml"
    settings_file.write_text(
        '[profile]\nname = "Alex Morgan"\ntz = "America/New_York"\ncountry = "US"\n\n'
        '[remind]\nchannels = ["apprise"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NUDGE_APPRISE_URLS", hook.url())
    app = create_app(
        None,
        db=f"sqlite:///{tmp_path / 'local.sqlite'}",
        data_dir=tmp_path / "data",
        settings_path=settings_file,
        now=lambda tz: NOW,
        remind_interval=3600,
    )
    app.state.web_url = "http://127.0.0.1:8765"  # what `nudge serve` sets once it listens
    try:
        # The search exists before the app starts: its reminder thread makes a pass at once,
        # and a pass over a half-built search would take the morning's digest.
        store = store_of(app)
        owner = store.ensure_user("local")
        build_search(Session(store, app.state.nudge.prefs.settings(owner), owner, NOW))
        with Client(app):
            worker = reminder_worker_of(app)
            assert worker is not None
            worker.run_pass()
            worker.run_pass()
        [payload] = hook.received
        assert "Open: http://127.0.0.1:8765/nudges/" in payload["message"]
        assert "/draft" in payload["message"]
    finally:
        store_of(app).close()


def test_an_apprise_url_on_the_servers_own_network_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """On a server, an account cannot make the digest post to the server's own ports, its
    network or a cloud metadata service (unless the administrator allowed the host)."""
    from jobnudge.errors import ConfigError
    from jobnudge.secretbox import parse_keys
    from jobnudge.services.remind_secrets import save_apprise_urls
    from jobnudge.store import open_store

    store = open_store(None, data_dir=tmp_path / "data")
    try:
        owner = store.ensure_user("alex")
        ring = parse_keys(KEY, "key")
        for url in (
            "json://127.0.0.1:5432/x",
            "form://10.0.0.5/hook",
            "jsons://169.254.169.254/latest",
            "json://[::1]:8080/",
            "ntfy://localhost/topic",
        ):
            with pytest.raises(ConfigError, match="own network"):
                save_apprise_urls(store, ring, owner, url, NOW)
        assert save_apprise_urls(store, ring, owner, "tgram://123456:abcdef/987", NOW) == 1
        monkeypatch.setenv("NUDGE_PRIVATE_HOSTS", "10.0.0.0/24")
        assert save_apprise_urls(store, ring, owner, "form://10.0.0.5/hook", NOW) == 1
    finally:
        store.close()
