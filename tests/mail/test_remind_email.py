"""The e-mail digest, delivered through the real SMTP server to the real Dovecot the mail tests
start, and read back: the right items, each once, across repeated runs, a refused delivery and
a run killed in the middle of its deliveries."""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from jobnudge import config
from jobnudge.services import reminding
from jobnudge.services.session import Session
from tests.pinned import as_env
from tests.remind.world import Hook, build_search

from .conftest import MailWorld

NUDGE = str(Path(sys.executable).parent / "nudge")


def remind_toml(world: MailWorld, channels: list[str]) -> str:
    listed = ", ".join(f'"{c}"' for c in channels)
    return world.toml() + f'\n[remind]\nchannels = [{listed}]\nemail_to = "{world.address}"\n'


@pytest.fixture
def seeker(world: MailWorld) -> Iterator[Session]:
    session = world.session()
    session.settings = config.parse(tomllib.loads(remind_toml(world, ["email"])))
    build_search(session, email=world.employer_address)
    yield session


def inbox(world: MailWorld) -> list[EmailMessage]:
    found = []
    for raw in world.dovecot.messages(world.user, "INBOX"):
        msg = email.message_from_bytes(raw, policy=default)
        assert isinstance(msg, EmailMessage)
        found.append(msg)
    return found


def text_of(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def test_the_digest_arrives_with_a_text_and_an_html_part(world: MailWorld, seeker: Session) -> None:
    report = reminding.run(seeker)
    assert [o.state for o in report.outcomes] == ["delivered"]
    [msg] = inbox(world)
    assert msg["To"].addresses[0].addr_spec == world.address
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Subject"].startswith("jobnudge for Tue 24 Nov:")
    text = text_of(msg)
    assert text.count("Send a thank-you → Dana Lee") == 1
    assert text.count("Interview at Initech") == 1
    assert "Check in on your application (Globex · BI Developer)" in text
    page = html_of(msg)
    assert 'name="viewport"' in page and "max-width:600px" in page
    assert "Send a thank-you → Dana Lee" in page


def test_each_item_is_sent_once_across_runs_and_days(world: MailWorld, seeker: Session) -> None:
    start = seeker.now
    for minutes in (0, 10, 20, 30, 240):
        seeker.now = start + timedelta(minutes=minutes)
        reminding.run(seeker)
    assert len(inbox(world)) == 1
    # Wednesday 08:10 in New York: the follow-ups already reminded are not repeated.
    seeker.now = start.replace(hour=13, minute=10) + timedelta(days=1)
    reminding.run(seeker)
    reminding.run(seeker)
    messages = inbox(world)
    every = "\n".join(text_of(m) for m in messages)
    assert every.count("Send a thank-you → Dana Lee") == 1
    assert every.count("Interview at Initech") == 1
    assert every.count("Check in on your application (Globex") == 1
    assert len(messages) <= 2


def test_a_refused_delivery_is_retried_and_then_sent_once(
    world: MailWorld, seeker: Session
) -> None:
    world.smtp.behaviour.refused.add(world.address.lower())
    first = reminding.run(seeker)
    assert [o.state for o in first.outcomes] == ["failed"]
    assert "550" in first.outcomes[0].detail
    assert inbox(world) == []
    world.smtp.behaviour.refused.discard(world.address.lower())
    seeker.now += timedelta(minutes=10)
    assert [o.state for o in reminding.run(seeker).outcomes] == ["delivered"]
    seeker.now += timedelta(minutes=10)
    reminding.run(seeker)
    [msg] = inbox(world)
    assert text_of(msg).count("Send a thank-you → Dana Lee") == 1


def test_a_digest_handed_over_without_an_answer_is_never_sent_again(
    world: MailWorld, seeker: Session
) -> None:
    world.smtp.behaviour.drop_after_data = True
    first = reminding.run(seeker)
    assert [o.state for o in first.outcomes] == ["handed"]
    world.smtp.behaviour.drop_after_data = False
    seeker.now += timedelta(minutes=10)
    again = reminding.run(seeker)
    assert all(o.state != "delivered" for o in again.outcomes)
    assert inbox(world) == []  # this server lost it; a second copy is never risked


def test_a_run_killed_mid_delivery_is_finished_by_the_next_without_repeats(
    world: MailWorld, seeker: Session, tmp_path: Path
) -> None:
    settings_file = tmp_path / "remind.toml"
    settings_file.write_text(remind_toml(world, ["email", "apprise"]), encoding="utf-8")
    hook = Hook().start()
    hook.hold = __import__("threading").Event()
    env = {
        **os.environ,
        "NUDGE_CONFIG": str(settings_file),
        "NUDGE_DATA_DIR": str(world.data_dir),
        "NUDGE_APPRISE_URLS": hook.url(),
        "NUDGE_NOW": as_env(seeker.now),
    }
    try:
        run = subprocess.Popen(
            [NUDGE, "remind"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            assert hook.arrived.wait(30), "the Apprise delivery never started"
        finally:
            run.send_signal(signal.SIGKILL)
            run.communicate(timeout=30)
        assert run.returncode == -signal.SIGKILL
        assert len(inbox(world)) == 1  # e-mail went first and was recorded
        assert hook.received == []
        hook.hold = None
        env["NUDGE_NOW"] = as_env(seeker.now + timedelta(minutes=10))  # the next cron run
        done = subprocess.run(
            [NUDGE, "remind"], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert "apprise: sent" in done.stdout and "email" not in done.stdout
        [msg] = inbox(world)
        assert len(hook.received) == 1
        assert hook.received[0]["title"] == msg["Subject"]
        assert hook.received[0]["message"].count("Send a thank-you → Dana Lee") == 1
        env["NUDGE_NOW"] = as_env(seeker.now + timedelta(minutes=20))
        subprocess.run([NUDGE, "remind"], env=env, capture_output=True, timeout=60, check=True)
        assert len(inbox(world)) == 1 and len(hook.received) == 1
    finally:
        hook.stop()
