"""Sending against the real servers: delivered once, threaded, filed in Sent; and every bad
server (wrong password, refused recipient, TLS failure, a dropped connection) gives a clear
message and leaves the outbox consistent."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

import pytest

from jobnudge.domain import EventType
from jobnudge.errors import ConfigError, Conflict, MailError, UsageError
from jobnudge.services import mail_account, mail_approve, mail_outbox, mail_send, mail_sync
from jobnudge.store import mail as mailstore

from .conftest import MailWorld
from .helpers import filled, interviewed, nudge, rules
from .servers import Dropper

NO_GRACE = timedelta(0)


def _invitation(world: MailWorld, session_now: object) -> str:
    from datetime import datetime

    assert isinstance(session_now, datetime)
    return world.employer_writes(
        "Interview on Tuesday",
        "Looking forward to meeting you on Tuesday.",
        when=session_now - timedelta(days=2),
    )


def test_a_thank_you_arrives_once_threaded_and_filed_in_sent(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    invitation = _invitation(world, session.now)
    assert mail_sync.sync(session, world.account()).logged  # the thread jobnudge replies to
    thanks = nudge(session, opp.id, "interview.thank-you")

    prepared = mail_approve.prepare(session, thanks.id)
    assert prepared.outgoing.in_reply_to == invitation
    item = mail_approve.approve(session, prepared, send_after=session.now)
    assert item.state == "queued" and item.message_id.startswith("<")
    assert session.store.events(session.owner, opp.id)[-1].type is not EventType.SENT

    report = mail_send.flush(session, world.account())
    assert [o.state for o in report.outcomes] == ["sent"], report

    delivered = world.dovecot.messages(world.employer)
    assert len(delivered) == 1
    msg = message_from_bytes(delivered[0], policy=policy.default)
    assert msg["Message-ID"] == item.message_id
    assert msg["In-Reply-To"] == invitation
    assert msg["References"] == invitation
    assert msg["Subject"] == "Re: Interview on Tuesday"
    assert world.dovecot.count(world.user, "Sent", item.message_id) == 1
    sent = mailstore.outbox_item(session.store, session.owner, item.id)
    assert sent.state == "sent" and sent.copy_saved and sent.event_id is not None
    event = session.store.event(session.owner, sent.event_id)
    assert event.type is EventType.SENT and "Dear Ms. Lee" in event.body
    assert "interview.thank-you" not in rules(session, opp.id)

    again = mail_send.flush(session, world.account())
    assert again.outcomes == [] and len(world.dovecot.messages(world.employer)) == 1


def test_where_the_server_files_sent_mail_nothing_is_appended(world: MailWorld) -> None:
    world.configure(append_sent=False)
    world.smtp.behaviour.server_copies.add(world.user)
    session = world.session()
    opp = interviewed(world, session)
    item = mail_approve.approve(
        session,
        mail_approve.prepare(session, nudge(session, opp.id, "interview.thank-you").id),
        send_after=session.now,
    )
    mail_send.flush(session, world.account(append_sent=False))
    assert world.dovecot.count(world.user, "Sent", item.message_id) == 1
    assert world.dovecot.count(world.employer, "INBOX", item.message_id) == 1


def test_a_follow_up_is_approved_only_once(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    handle = nudge(session, opp.id, "interview.thank-you").id
    mail_approve.approve(session, mail_approve.prepare(session, handle), send_after=session.now)
    with pytest.raises(Conflict, match="already in the outbox"):
        mail_approve.approve(session, mail_approve.prepare(session, handle), send_after=session.now)


def test_a_scheduled_status_check_is_cancelled_when_they_reply_first(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    check = nudge(session, opp.id, "interview.status-check")
    prepared = mail_approve.prepare(session, filled(session, check.id))
    item = mail_approve.approve(
        session, prepared, send_after=mail_approve.when_due(session, prepared)
    )
    assert item.send_after == check.due

    world.employer_writes("Next steps", "We will decide by Friday and let you know.")
    logged = mail_sync.sync(session, world.account()).logged
    assert [g.rule for g in logged[0].gone] == ["interview.status-check"]

    later = world.session(now=check.due + timedelta(minutes=1))
    report = mail_send.flush(later, world.account())
    assert [o.state for o in report.outcomes] == ["cancelled"]
    assert "no longer due" in report.outcomes[0].detail
    assert world.dovecot.count(world.employer, "INBOX", item.message_id) == 0


def test_checker_errors_and_missing_addresses_stop_the_approval(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    handle = nudge(session, opp.id, "interview.thank-you").id
    draft = world.home / "draft.txt"
    draft.write_text("Subject: Thanks\n\nDear Ms. Lee, thanks! [[one thing you learned]]\n")
    with pytest.raises(UsageError, match="placeholder"):
        mail_approve.approve(
            session, mail_approve.prepare(session, handle, file=draft), send_after=session.now
        )
    from jobnudge.services import records

    records.edit_contact(session, "Dana Lee", email="")
    with pytest.raises(UsageError, match="no email address"):
        mail_approve.prepare(session, nudge(session, opp.id, "interview.thank-you").id)


def test_wrong_password_is_named_and_the_message_stays_queued(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    item = mail_approve.approve(
        session,
        mail_approve.prepare(session, nudge(session, opp.id, "interview.thank-you").id),
        send_after=session.now,
    )
    report = mail_send.flush(session, world.account(password="wrong"))
    assert report.outcomes == []
    assert "refused the login" in report.errors[0] and "wrong" not in report.errors[0]
    assert mailstore.outbox_item(session.store, session.owner, item.id).state == "queued"
    assert mail_send.flush(session, world.account()).outcomes[0].state == "sent"


def test_a_refused_recipient_fails_with_the_servers_answer_and_is_not_retried(
    world: MailWorld,
) -> None:
    world.smtp.behaviour.refused.add(world.employer_address)
    session = world.session()
    opp = interviewed(world, session)
    item = mail_approve.approve(
        session,
        mail_approve.prepare(session, nudge(session, opp.id, "interview.thank-you").id),
        send_after=session.now,
    )
    report = mail_send.flush(session, world.account())
    assert report.outcomes[0].state == "failed"
    assert "550" in report.outcomes[0].detail and "not retried" in report.outcomes[0].detail
    assert mail_send.flush(session, world.account()).outcomes == []  # not blindly again
    failed = mailstore.outbox_item(session.store, session.owner, item.id)
    assert failed.state == "failed" and "Recipient address rejected" in failed.server_reply
    assert "interview.thank-you" in rules(session, opp.id)  # nothing recorded as sent

    world.smtp.behaviour.refused.clear()
    assert mail_outbox.retry(session, world.account(), item.id).state == "queued"
    assert mail_send.flush(session, world.account()).outcomes[0].state == "sent"
    assert world.dovecot.count(world.employer, "INBOX", item.message_id) == 1


def test_tls_required_against_a_plain_server_is_a_tls_failure(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    item = mail_approve.approve(
        session,
        mail_approve.prepare(session, nudge(session, opp.id, "interview.thank-you").id),
        send_after=session.now,
    )
    report = mail_send.flush(session, world.account(smtp_security="tls"))
    assert "TLS handshake failed" in report.errors[0]
    assert mailstore.outbox_item(session.store, session.owner, item.id).state == "queued"
    with pytest.raises(MailError) as caught:
        from jobnudge.mail.imap import ImapClient

        acct = world.account(imap_security="starttls")
        ImapClient(acct.settings.imap, world.user, acct.password, 5).connect()
    assert caught.value.stage == "tls" and "STARTTLS" in caught.value.message


@pytest.mark.parametrize("server_files_copies", [True, False])
def test_a_connection_dropped_after_the_data_leaves_it_unknown_until_the_sent_check(
    world: MailWorld, server_files_copies: bool
) -> None:
    world.configure(append_sent=not server_files_copies)
    session = world.session()
    opp = interviewed(world, session)
    item = mail_approve.approve(
        session,
        mail_approve.prepare(session, nudge(session, opp.id, "interview.thank-you").id),
        send_after=session.now,
    )
    dropper = Dropper().start()
    try:
        account = world.account(smtp_port=dropper.port, append_sent=not server_files_copies)
        report = mail_send.flush(session, account)
    finally:
        dropper.stop()
    assert report.outcomes[0].state == "unknown"
    assert "lost after the message was handed over" in report.outcomes[0].detail
    assert len(dropper.received) == 1
    stored = mailstore.outbox_item(session.store, session.owner, item.id)
    assert stored.state == "unknown" and stored.handed_over_at is not None

    settled = mail_send.flush(
        session, world.account(append_sent=not server_files_copies), grace=NO_GRACE
    )
    if server_files_copies:  # not in Sent, where the server files every copy: it did not go
        assert [o.state for o in settled.outcomes] == ["queued", "sent"]
        assert world.dovecot.count(world.employer, "INBOX", item.message_id) == 1
    else:  # nothing can tell: it waits for the user, never sent blindly
        assert [o.state for o in settled.outcomes] == ["unknown"]
        assert "nudge mail retry" in settled.outcomes[0].detail
        assert world.dovecot.count(world.employer, "INBOX", item.message_id) == 0


def test_an_unknown_message_found_in_sent_is_recorded_not_resent(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    item = mail_approve.approve(
        session,
        mail_approve.prepare(session, nudge(session, opp.id, "interview.thank-you").id),
        send_after=session.now,
    )
    with session.store.transaction() as tx:  # as if the sender died after filing the copy
        raw = "From: a@b\r\nMessage-ID: " + item.message_id + "\r\nSubject: x\r\n\r\nhi\r\n"
        mailstore.update_outbox(
            tx, session.owner, item.id, state="unknown", raw=raw, handed_over_at=session.now
        )
    world.dovecot.append(world.user, "Sent", raw.encode())
    report = mail_send.flush(session, world.account(), grace=NO_GRACE)
    assert [o.state for o in report.outcomes] == ["sent"]
    assert world.dovecot.count(world.employer, "INBOX", item.message_id) == 0
    assert "interview.thank-you" not in rules(session, opp.id)


def test_mail_test_names_each_step(world: MailWorld) -> None:
    good = mail_account.test(world.settings())
    assert all(c.ok for c in good), good
    assert {(c.side, c.step) for c in good} >= {
        ("smtp", "dns"),
        ("smtp", "login"),
        ("imap", "login"),
        ("imap", "mailbox"),
    }
    bad = mail_account.test(world.settings(sent="Sent Items", smtp_host="no-such-host.invalid"))
    failed = {(c.side, c.step): c.detail for c in bad if not c.ok}
    assert "does not resolve" in failed[("smtp", "dns")]
    assert "no mailbox 'Sent Items'" in failed[("imap", "mailbox")]
    assert "The server has:" in failed[("imap", "mailbox")]


def test_no_password_anywhere_is_a_clear_setting_error(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUDGE_MAIL_PASSWORD")
    with pytest.raises(ConfigError, match="NUDGE_MAIL_PASSWORD is not set"):
        mail_account.account(world.settings())
