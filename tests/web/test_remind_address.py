"""On a server with accounts, the e-mail digest goes only to an address its holder confirmed by
a link, and the server sends tests and confirmation links within limits: through a real SMTP
server on 127.0.0.1, with the app's clock moved by the test."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from starlette.applications import Starlette

from jobnudge.config import Mail, MailServer
from jobnudge.errors import UsageError
from jobnudge.services import remind_addresses
from jobnudge.services.session import Session
from jobnudge.store import accounts, open_store
from jobnudge.store.remind_tables import remind_sends
from jobnudge.web import create_app
from jobnudge.web.reminders import reminder_worker_of
from jobnudge.web.security import FLASH_COOKIE
from tests.remind.world import build_search

from .conftest import NOW, SETTINGS, Client, Clock, pg_database, sign_up, store_of
from .inbox import LOGIN, Inbox

ADDRESS = "alex.morgan@home.example"


@pytest.fixture
def served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Starlette, Inbox, Clock]]:
    monkeypatch.setenv("NUDGE_MAIL_PASSWORD", LOGIN[1])
    with Inbox() as inbox:
        mail = Mail(
            address="reminders@centre.example",
            username=LOGIN[0],
            smtp=MailServer("127.0.0.1", inbox.port, "none"),  # sends only: no IMAP host
            password_source="env",
            timeout_seconds=10,
        )
        clock = Clock(NOW)
        app = create_app(
            replace(SETTINGS, mail=mail),
            db=f"sqlite:///{tmp_path / 'server.sqlite'}",
            data_dir=tmp_path / "data",
            now=clock,
            accounts=True,
            mail_interval=0,
            remind_interval=3600,  # the test runs the passes itself
        )
        try:
            yield app, inbox, clock
        finally:
            store_of(app).close()


def _email_reminders(client: Client, address: str = ADDRESS) -> str:
    saved = client.send_form(
        "/settings/reminders",
        {"channels": ["email"], "remind_time": "08:00", "days": "every", "email_to": address},
    )
    assert saved.status_code == 303, saved.text
    return client.get("/settings").text


def _link(inbox: Inbox, index: int = -1) -> str:
    _rcpt, message = inbox.messages[index]
    [text] = [
        bytes(part.get_payload(decode=True)).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    ]
    found = re.search(r"https?://[^/\s]+(/reminders/confirm\?token=[\w%-]+)", text)
    assert found, text
    return found.group(1)


def _owner(app: Starlette) -> int:
    found = accounts.credential(store_of(app), "alex")
    assert found is not None
    return int(found[0])


def _search(app: Starlette) -> None:
    """A search with follow-ups due, so that a digest has something to say."""
    owner = _owner(app)
    store = store_of(app)
    build_search(Session(store, app.state.nudge.prefs.settings(owner), owner, NOW))


def flash(response: httpx.Response) -> str:
    """The message a redirect carries to the next page."""
    return unquote(response.cookies.get(FLASH_COOKIE) or "")


def test_the_email_digest_waits_for_the_address_to_be_confirmed(
    served: tuple[Starlette, Inbox, Clock],
) -> None:
    app, inbox, clock = served
    with Client(app):
        alex = sign_up(app, "alex")
        page = _email_reminders(alex)
        assert "not confirmed" in page and ADDRESS in page
        assert [rcpt for rcpt, _ in inbox.messages] == [[ADDRESS]]  # the link, nothing else
        _, asked = inbox.messages[0]
        assert asked["Subject"] == "Confirm where your jobnudge reminders go"
        _search(app)
        worker = reminder_worker_of(app)
        assert worker is not None
        clock.moment = NOW + timedelta(days=1, hours=-2)  # 08:30 the next morning in New York
        report = worker.run_pass()
        assert report is not None and report.delivered == 0
        assert len(inbox.messages) == 1  # no digest to an unconfirmed address
        assert "once it is confirmed" in alex.get("/settings").text

        link = _link(inbox)
        stranger = Client(app)  # the address's holder: no account, not signed in
        form = stranger.get(link)
        assert (
            form.status_code == 200 and ADDRESS in form.text and "Yes, send them here" in form.text
        )
        assert "not confirmed" in alex.get("/settings").text  # opening the page confirms nothing
        token = link.split("token=", 1)[1]
        done = stranger.send_form("/reminders/confirm", {"token": token})
        assert done.status_code == 200 and "may now come to" in done.text
        assert '<span class="pill ok">confirmed</span>' in alex.get("/settings").text
        again = stranger.send_form("/reminders/confirm", {"token": token})
        assert again.status_code == 404 and "used, replaced" in again.text  # one use only

        clock.moment += timedelta(hours=1)
        worker.forget(_owner(app))  # look again now, not in an hour
        report = worker.run_pass()
        assert report is not None and report.delivered == 1
        rcpt, digest = inbox.messages[-1]
        assert rcpt == [ADDRESS] and digest["Subject"].startswith("jobnudge for ")


def test_links_are_limited_replaced_and_expire(served: tuple[Starlette, Inbox, Clock]) -> None:
    app, inbox, clock = served
    with Client(app):
        alex = sign_up(app, "alex")
        _email_reminders(alex)
        first = _link(inbox)
        refused = alex.send_form("/settings/reminders/address", {})
        assert "No link sent: a link went to" in flash(refused)
        assert len(inbox.messages) == 1
        clock.moment += timedelta(minutes=11)
        sent = alex.send_form("/settings/reminders/address", {})
        assert "A link to confirm it went to" in flash(sent)
        second = _link(inbox)
        assert first != second
        anyone = Client(app)
        assert anyone.get(first).status_code == 404  # replaced by the newer link
        assert anyone.get(second).status_code == 200
        clock.moment += timedelta(minutes=11)
        alex.send_form("/settings/reminders/address", {})
        assert len(inbox.messages) == 3
        clock.moment += timedelta(minutes=11)
        over = alex.send_form("/settings/reminders/address", {})
        assert f"{ADDRESS} has had 3 confirmation links today" in flash(over)
        for other in ("alex@work.example", "alex@phone.example"):  # the account's own limit
            assert "went to" in flash(_save(alex, other))
        assert len(inbox.messages) == 5
        over = alex.send_form("/settings/reminders", _form("alex@third.example"))
        assert "at most 5 confirmation links a day" in flash(over)
        assert len(inbox.messages) == 5
        live = _link(inbox)
        clock.moment += timedelta(days=2, minutes=1)
        assert anyone.get(live).status_code == 404  # two days old
        clock.moment -= timedelta(days=1)
        confirmed = anyone.send_form("/reminders/confirm", {"token": live.split("=", 1)[1]})
        assert confirmed.status_code == 200


def test_send_a_test_is_limited_per_hour(served: tuple[Starlette, Inbox, Clock]) -> None:
    app, inbox, clock = served
    with Client(app):
        alex = sign_up(app, "alex")
        _email_reminders(alex)
        refused = alex.send_form("/settings/reminders/test", {"channel": "email"})
        assert "once it is confirmed" in flash(refused)
        assert len(inbox.messages) == 1  # only the link
        token = _link(inbox).split("=", 1)[1]
        Client(app).send_form("/reminders/confirm", {"token": token})
        for _ in range(4):  # the refused one counted: four more go
            said = alex.send_form("/settings/reminders/test", {"channel": "email"})
            assert "Test sent by e-mail" in flash(said)
        over = alex.send_form("/settings/reminders/test", {"channel": "email"})
        assert "at most 5 tests an hour" in flash(over)
        assert len(inbox.messages) == 5
        clock.moment += timedelta(hours=1, minutes=1)
        said = alex.send_form("/settings/reminders/test", {"channel": "email"})
        assert flash(said).endswith("look for it in your inbox (and the spam folder).")
        assert len(inbox.messages) == 6


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(max_size=300))
def test_no_made_up_link_confirms_anything(
    served: tuple[Starlette, Inbox, Clock], token: str
) -> None:
    app, _inbox, _clock = served
    client = Client(app)
    shown = client.get("/reminders/confirm", params={"token": token})
    posted = client.send_form("/reminders/confirm", {"token": token})
    if "\x00" in token:  # refused before any page reads it
        assert shown.status_code == 400 and posted.status_code == 422
        assert "NUL" in shown.text and "NUL" in posted.text
    else:
        assert shown.status_code == 404
        assert posted.status_code == 404 and "used, replaced" in posted.text


def test_the_local_app_has_no_confirmation_pages(make_app: object) -> None:
    app = make_app()  # type: ignore[operator]
    assert Client(app).get("/reminders/confirm?token=x").status_code == 404


@pytest.mark.postgres
def test_two_workers_cannot_both_let_the_last_test_through(tmp_path: Path) -> None:
    """Tests counted by ten threads at once on PostgreSQL: exactly the limit go through."""
    with pg_database() as url:
        store = open_store(url, data_dir=tmp_path)
        try:
            owner = store.ensure_user("alex")
            outcomes: list[str] = []
            start = threading.Barrier(10)

            def press() -> None:
                start.wait(10)
                try:
                    remind_addresses.count_test(store, owner, NOW)
                    outcomes.append("sent")
                except UsageError:
                    outcomes.append("refused")

            threads = [threading.Thread(target=press) for _ in range(10)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            assert sorted(outcomes) == ["refused"] * 5 + ["sent"] * 5
            with store.engine.connect() as conn:
                counted = conn.scalar(select(func.count()).select_from(remind_sends))
            assert counted == remind_addresses.TESTS_PER_HOUR
        finally:
            store.close()


def test_many_accounts_cannot_mail_one_address_over_and_over(
    served: tuple[Starlette, Inbox, Clock],
) -> None:
    """Accounts are cheap to make, so the limits on one address hold across all of them."""
    app, inbox, clock = served
    victim = "someone.else@example.org"
    with Client(app):
        clients = [sign_up(app, name) for name in ("ann", "bob", "cat", "dan")]
        said = [flash(_save(c, victim)) for c in clients[:2]]
        assert "went to someone.else@example.org" in said[0]
        assert "a link went to someone.else@example.org at" in said[1]  # 10 minutes apart
        for client in clients[1:3]:
            clock.moment += timedelta(minutes=11)
            client.send_form("/settings/reminders", _form(victim))
        assert len(inbox.messages) == 3
        clock.moment += timedelta(minutes=11)
        over = clients[3].send_form("/settings/reminders", _form(victim))
        assert "has had 3 confirmation links today" in flash(over)
        assert len(inbox.messages) == 3 and {r[0] for r, _ in inbox.messages} == {victim}


def _form(address: str) -> dict[str, object]:
    return {"channels": ["email"], "remind_time": "08:00", "days": "every", "email_to": address}


def _save(client: Client, address: str) -> httpx.Response:
    saved: httpx.Response = client.send_form("/settings/reminders", _form(address))
    assert saved.status_code == 303, saved.text
    return saved


@pytest.mark.parametrize(
    "address",
    ["straße@example.com", "josé@exämple.com", "sam@example", "sam@-example.com"],
)
def test_an_address_the_server_cannot_mail_is_named_and_uses_no_link(
    served: tuple[Starlette, Inbox, Clock], address: str
) -> None:
    app, inbox, _clock = served
    with Client(app):
        alex = sign_up(app, "alex")
        said = flash(_save(alex, address))
        assert "is not one e-mail address this server can send to" in said, said
        assert "email_to" not in said and inbox.messages == []
        page = alex.get("/settings")
        assert page.status_code == 200 and "(none sent yet)" in page.text


@pytest.mark.parametrize("address", ["me@evil.example,victim@example.org", "a@b.c; d@e.f"])
def test_several_addresses_in_one_are_refused_under_the_field(
    served: tuple[Starlette, Inbox, Clock], address: str
) -> None:
    app, inbox, _clock = served
    with Client(app):
        alex = sign_up(app, "alex")
        refused = alex.send_form("/settings/reminders", _form(address))
        assert refused.status_code == 422
        assert "Send e-mail to must be one e-mail address" in refused.text
        assert inbox.messages == []


def test_an_accented_domain_is_mailed_in_its_ascii_form(
    served: tuple[Starlette, Inbox, Clock],
) -> None:
    app, inbox, _clock = served
    with Client(app):
        alex = sign_up(app, "alex")
        said = flash(_save(alex, "sam@exämple.com"))
        assert "went to sam@xn--exmple-cua.com" in said
        assert [r for r, _ in inbox.messages] == [["sam@xn--exmple-cua.com"]]
