"""What a user sees after the sync reads a reply the way a person would, on the real servers: an
out-of-office with a return date moves the status check and says why, a later real reply still
settles it; a bounce followed by mail from the right address offers the correction, and
accepting it from the command line fixes the contact."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from jobnudge.services import mail_approve, mail_send, mail_sync
from tests.pinned import as_env

from .conftest import MailWorld
from .helpers import filled, interviewed, nudge, rules
from .servers import PASSWORD
from .test_mail_sync import DSN

NUDGE = str(Path(sys.executable).parent / "nudge")


def _cli(world: MailWorld, *args: str) -> str:
    env = {
        **os.environ,
        "NUDGE_DATA_DIR": str(world.data_dir),
        "NUDGE_CONFIG": str(world.home / "nudge-home" / "config.toml"),
        "NUDGE_MAIL_PASSWORD": PASSWORD,
        "NUDGE_NOW": as_env(world.now),
        "COLUMNS": "200",
        "NO_COLOR": "1",
    }
    env.pop("NUDGE_DB", None)
    done = subprocess.run([NUDGE, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"nudge {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_an_out_of_office_moves_the_status_check_and_a_real_reply_still_settles_it(
    world: MailWorld,
) -> None:
    session = world.session()
    opp = interviewed(world, session)
    before = nudge(session, opp.id, "interview.status-check")
    world.employer_writes(
        "Automatische Antwort: Thank you",
        "Vielen Dank für Ihre Nachricht.\n\nIch bin bis einschließlich 4. Dezember 2026 nicht\n"
        "im Büro. In dringenden Fällen wenden Sie sich an empfang@acme.example.",
    )
    report = mail_sync.sync(session, world.account())
    assert report.logged == []
    [line] = report.automatic
    assert "out-of-office" in line and "waits until Mon 7 Dec" in line
    moved = nudge(session, opp.id, "interview.status-check")
    zone = ZoneInfo("America/New_York")
    assert moved.due.astimezone(zone).date().isoformat() == "2026-12-07"
    assert moved.due.astimezone(zone).time() == before.due.astimezone(zone).time()
    assert moved.reason.endswith(
        "Dana Lee's automatic reply says they are away until Fri 4 Dec, so this waits until "
        "Mon 7 Dec, their first working day after they are back."
    )
    assert "status-check" not in moved.reason  # no rule ids where a person reads

    world.employer_writes("Re: Thank you", "Back now: we decide on Friday, Alex.")
    report = mail_sync.sync(session, world.account())
    assert len(report.logged) == 1
    assert "interview.status-check" not in rules(session, opp.id)


def test_a_bounce_then_mail_from_the_right_address_offers_to_correct_the_contact(
    world: MailWorld,
) -> None:
    session = world.session()
    opp = interviewed(world, session)
    thanks = nudge(session, opp.id, "interview.thank-you")
    item = mail_approve.approve(
        session, mail_approve.prepare(session, filled(session, thanks.id)), send_after=session.now
    )
    mail_send.flush(session, world.account())
    raw = DSN.format(
        me=world.address, bad=world.employer_address, original=item.message_id, tag=opp.id
    ).replace("\n", "\r\n")
    world.dovecot.append(world.user, "INBOX", raw.encode())
    assert mail_sync.sync(session, world.account()).bounces

    right = "dana.lee.2@acme.example"
    world.employer_writes(
        "My address", "Hi Alex, your note bounced: this is my address now.", sender=right
    )
    report = mail_sync.sync(session, world.account())
    assert len(report.logged) == 1 and len(report.review) == 1  # a reply, and the offer
    listed = _cli(world, "mail", "review")
    assert "Is this a contact's new address?" in listed and right in listed

    accepted = _cli(world, "mail", "review", "accept", str(report.review[0]))
    assert accepted.strip() == f"Dana Lee's address is now {right}."
    session = world.session()
    [dana] = [c for c in session.store.contacts(session.owner) if c.name == "Dana Lee"]
    assert dana.email == right
    assert right not in mail_sync.bad_addresses(session)  # the next message goes out
