"""OAuth 2.0 mail sign-in end to end, against real servers on 127.0.0.1: a small OAuth issuer
(tests/mail/issuer.py), Dovecot checking bearer tokens with it (OAUTHBEARER, XOAUTH2) and an
SMTP server doing the same (XOAUTH2). `nudge mail login` by device code and by browser with
PKCE, then sync and send; an access token running out (by the clock, or withdrawn early) is
renewed without the user noticing; a revoked sign-in is one clear message naming the fix."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from jobnudge.errors import MailError
from jobnudge.services import mail_account, mail_approve, mail_send, mail_sync
from tests.pinned import as_env

from .conftest import MailWorld
from .helpers import filled, interviewed, nudge
from .issuer import CLIENT_ID, Issuer
from .oauth_smtp import OAuthSmtp
from .servers import Dovecot

NUDGE = str(Path(sys.executable).parent / "nudge")


def oauth_settings(issuer: Issuer, token_file: Path) -> dict[str, Any]:
    return {
        "auth": "oauth",
        "oauth_provider": "custom",
        "oauth_client_id": CLIENT_ID,
        "oauth_token_url": f"{issuer.url}/token",
        "oauth_device_url": f"{issuer.url}/devicecode",
        "oauth_authorize_url": f"{issuer.url}/authorize",
        "oauth_revoke_url": f"{issuer.url}/revoke",
        "oauth_scopes": "offline_access mail",
        "password_source": "file",
        "token_file": str(token_file),
    }


class OAuthWorld(MailWorld):
    issuer: Issuer
    token_file: Path
    env: dict[str, str]

    def nudge(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [NUDGE, *args], env=self.env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == code, f"nudge {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done

    def device_login(self) -> str:
        """`nudge mail login` as a user runs it: read the code, "type it" at the issuer."""
        proc = subprocess.Popen(
            [NUDGE, "mail", "login"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            found = re.search(r"open (\S+) and enter the code (\w+)", first)
            assert found, first
            assert found.group(1) == f"{self.issuer.url}/device"
            approve = (
                f"{self.issuer.url}/device/approve?user_code={found.group(2)}&user={self.user}"
            )
            with urllib.request.urlopen(approve, timeout=10) as answer:
                assert answer.status == 200
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        assert proc.returncode == 0, err
        return first + out


@pytest.fixture
def oworld(
    oauth_dovecot: Dovecot,
    oauth_smtp: OAuthSmtp,
    issuer: Issuer,
    tmp_path: Path,
    pinned_now: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[OAuthWorld]:
    monkeypatch.delenv("NUDGE_MAIL_PASSWORD", raising=False)
    made = OAuthWorld(oauth_dovecot, oauth_smtp, tmp_path, pinned_now)
    made.issuer = issuer
    made.token_file = tmp_path / "secret" / "mail-oauth.json"
    made.configure(**oauth_settings(issuer, made.token_file))
    home = tmp_path / "cli"
    home.mkdir()
    (home / "config.toml").write_text(made.toml(), encoding="utf-8")
    made.data_dir = home / "data"
    made.env = {
        **os.environ,
        "NUDGE_DATA_DIR": str(made.data_dir),
        "NUDGE_CONFIG": str(home / "config.toml"),
        "NUDGE_NOW": as_env(pinned_now),
        "COLUMNS": "200",
        "NO_COLOR": "1",
    }
    made.env.pop("NUDGE_DB", None)
    try:
        yield made
    finally:
        made.close()


def test_device_login_then_sync_and_send_with_tokens(oworld: OAuthWorld) -> None:
    out = oworld.device_login()
    assert f"Signed in as {oworld.user}" in out and str(oworld.token_file) in out
    assert stat.S_IMODE(oworld.token_file.stat().st_mode) == 0o600
    refresh = oworld.issuer.live_refresh_tokens(oworld.user)
    assert len(refresh) == 1 and refresh[0] not in out  # the secret is never printed
    assert refresh[0] in oworld.token_file.read_text()

    tested = oworld.nudge("mail", "test").stdout
    assert "ok   imap login: logged in as" in tested and "with an OAuth token" in tested
    assert "ok   smtp login" in tested

    session = oworld.session()
    opp = interviewed(oworld, session)
    oworld.employer_writes("Interview on Tuesday", "See you then.")
    account = mail_account.account(oworld.settings())
    assert account.bearer is not None and account.password == ""
    assert mail_sync.sync(session, account).logged
    handle = filled(session, nudge(session, opp.id, "interview.thank-you").id)
    item = mail_approve.approve(
        session, mail_approve.prepare(session, handle), send_after=session.now
    )
    report = mail_send.flush(session, account)
    assert [o.state for o in report.outcomes] == ["sent"], report
    assert oworld.dovecot.count(oworld.employer, "INBOX", item.message_id) == 1
    assert oworld.dovecot.count(oworld.user, "Sent", item.message_id) == 1  # APPEND by token
    assert (oworld.employer, oworld.user) in oworld.smtp.behaviour.delivered  # signed in by token
    log = (oworld.dovecot.root / "dovecot.log").read_text()
    assert f"user=<{oworld.user}>, method=OAUTHBEARER" in log
    assert account.bearer.refreshes == 0  # the token from the sign-in served every step


def test_the_token_is_renewed_before_it_runs_out(oworld: OAuthWorld) -> None:
    oworld.device_login()
    before = oworld.issuer.state.grants["refresh_token"]
    first = oworld.issuer.live_refresh_tokens(oworld.user)
    oworld.employer_writes("Hello", "A note.")
    # 56 minutes later the hour-long token has less than the 5 minutes' margin left.
    oworld.env["NUDGE_NOW"] = as_env(oworld.now + timedelta(minutes=56))
    oworld.nudge("mail", "sync")
    assert oworld.issuer.state.grants["refresh_token"] == before + 1
    now_live = oworld.issuer.live_refresh_tokens(oworld.user)
    assert now_live != first and now_live[0] in oworld.token_file.read_text()  # rotated, kept
    oworld.nudge("mail", "sync")  # the renewed token serves the next run
    assert oworld.issuer.state.grants["refresh_token"] == before + 1


def test_a_token_withdrawn_early_is_renewed_mid_session(
    oworld: OAuthWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    oworld.device_login()
    session = oworld.session()
    opp = interviewed(oworld, session)
    oworld.employer_writes("Interview on Tuesday", "See you then.")
    account = mail_account.account(oworld.settings())
    assert account.bearer is not None
    assert mail_sync.sync(session, account).logged
    oworld.issuer.expire_access(oworld.user)  # the provider ends the token before its hour
    handle = filled(session, nudge(session, opp.id, "interview.thank-you").id)
    mail_approve.approve(session, mail_approve.prepare(session, handle), send_after=session.now)
    report = mail_send.flush(session, account)  # SMTP refuses the old token, then takes a new one
    assert [o.state for o in report.outcomes] == ["sent"], report
    assert account.bearer.refreshes == 1
    oworld.issuer.expire_access(oworld.user)
    oworld.employer_writes("Re: Thanks", "Thank you, Alex.")
    assert mail_sync.sync(session, account).mailboxes  # IMAP: refused, renewed, read
    assert account.bearer.refreshes == 2


def test_a_revoked_sign_in_is_one_clear_message_with_the_fix(oworld: OAuthWorld) -> None:
    oworld.device_login()
    oworld.issuer.revoke_user(oworld.user)  # withdrawn at the provider's security page
    done = oworld.nudge("mail", "sync", code=MailError.exit_code)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "is no longer valid" in lines[0] and "nudge mail login" in lines[0]
    assert "Traceback" not in done.stderr
    oworld.device_login()  # the fix it names works
    oworld.nudge("mail", "sync")


def test_browser_login_with_pkce_over_a_loopback_redirect(oworld: OAuthWorld) -> None:
    oworld.issuer.state.consent_as = oworld.user
    proc = subprocess.Popen(
        [NUDGE, "mail", "login", "--browser", "--no-browser"],
        env=oworld.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        proc.stdout.readline()
        url = proc.stdout.readline().strip()
        assert url.startswith(f"{oworld.issuer.url}/authorize?") and "code_challenge=" in url
        assert "code_challenge_method=S256" in url and "redirect_uri=http%3A%2F%2F127.0.0.1" in url
        with urllib.request.urlopen(url, timeout=10) as page:  # the browser follows the redirect
            assert b"Signed in" in page.read()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode == 0, err
    assert f"Signed in as {oworld.user}" in out
    oworld.nudge("mail", "test")


def test_logout_withdraws_the_sign_in_at_the_provider(oworld: OAuthWorld) -> None:
    oworld.device_login()
    assert oworld.issuer.live_refresh_tokens(oworld.user)
    out = oworld.nudge("mail", "logout").stdout
    assert "the provider withdrew the sign-in" in out
    assert oworld.issuer.live_refresh_tokens(oworld.user) == []
    assert not oworld.token_file.exists()
    done = oworld.nudge("mail", "sync", code=MailError.exit_code)
    assert "has not been made yet" in done.stderr and "nudge mail login" in done.stderr
