"""Noticing replies on the real IMAP server: incremental reads, a changed UIDVALIDITY, matching
by header and by address, auto-replies and bounces, messages sent from the user's own client,
proposals and the review list."""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime

from jobnudge.domain import EventType, Stage
from jobnudge.services import mail_approve, mail_send, mail_sync, records

from .conftest import MailWorld
from .helpers import interviewed, nudge, rules

DSN = """\
From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>
To: {me}
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{tag}@mx.acme.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.acme.example

Final-Recipient: rfc822; {bad}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <{bad}>: Recipient address rejected: User unknown

--B
Content-Type: text/rfc822-headers

From: {me}
To: {bad}
Subject: Thank you
Message-ID: {original}

--B--
"""


def _events(world: MailWorld, opportunity_id: int) -> list[EventType]:
    session = world.session()
    return [e.type for e in session.store.events(session.owner, opportunity_id)]


def test_incremental_sync_fetches_only_the_new_messages(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    for n in range(3):
        world.employer_writes(
            f"Newsletter {n}", "Nothing for you.", sender="news@elsewhere.example"
        )
    first = mail_sync.sync(session, world.account())
    inbox = next(m for m in first.mailboxes if m.mailbox == "INBOX")
    assert inbox.full and inbox.new == 3 and first.logged == []

    nothing = mail_sync.sync(session, world.account())
    assert [m.new for m in nothing.mailboxes] == [0, 0]
    assert nothing.bytes_read < first.bytes_read

    world.employer_writes("Next steps", "We will be in touch by Friday.")
    world.employer_writes("Newsletter 4", "Nothing.", sender="news@elsewhere.example")
    second = mail_sync.sync(session, world.account())
    inbox = next(m for m in second.mailboxes if m.mailbox == "INBOX")
    assert not inbox.full and inbox.new == 2 and inbox.last_uid == 5
    assert [lg.subject for lg in second.logged] == ["Next steps"]
    assert _events(world, opp.id).count(EventType.RECEIVED) == 1


def test_a_changed_uidvalidity_rereads_everything_and_logs_nothing_twice(
    world: MailWorld,
) -> None:
    session = world.session()
    opp = interviewed(world, session)
    world.employer_writes("Next steps", "We will be in touch by Friday.")
    first = mail_sync.sync(session, world.account())
    before = next(m for m in first.mailboxes if m.mailbox == "INBOX").uidvalidity
    assert len(first.logged) == 1

    world.dovecot.reset_uidvalidity(world.user)
    world.employer_writes("A second note", "Also: parking is on level 2.")
    again = mail_sync.sync(session, world.account())
    inbox = next(m for m in again.mailboxes if m.mailbox == "INBOX")
    assert inbox.full and inbox.uidvalidity != before
    assert again.duplicates == 1
    assert [lg.subject for lg in again.logged] == ["A second note"]
    assert _events(world, opp.id).count(EventType.RECEIVED) == 2


def test_a_reply_to_a_sent_follow_up_matches_by_header_and_settles_the_nudge(
    world: MailWorld,
) -> None:
    session = world.session()
    opp = interviewed(world, session)
    thanks = nudge(session, opp.id, "interview.thank-you")
    item = mail_approve.approve(
        session, mail_approve.prepare(session, thanks.id), send_after=session.now
    )
    mail_send.flush(session, world.account())
    assert "interview.status-check" in rules(session, opp.id)

    # From an address jobnudge has never seen: only the In-Reply-To header ties it to Acme.
    world.employer_writes(
        "Re: Thank you",
        "Thanks Alex, we will decide next week.",
        sender="hiring-team@recruitingtool.example",
        name="Hiring Team",
        in_reply_to=item.message_id,
    )
    report = mail_sync.sync(session, world.account())
    assert len(report.logged) == 1
    logged = report.logged[0]
    assert logged.opportunity.id == opp.id and "thread" in logged.why
    assert "interview.status-check" in [g.rule for g in logged.gone]
    assert "interview.status-check" not in rules(session, opp.id)
    sent_sync = next(m for m in report.mailboxes if m.mailbox == "Sent")
    assert sent_sync.new == 1 and report.duplicates == 1  # our own copy, already known


def test_matching_by_address_and_by_company_domain(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    world.employer_writes(
        "Parking", "Use the visitor spaces.", sender="reception@acme.example", name="Reception"
    )
    report = mail_sync.sync(session, world.account())
    assert [lg.why for lg in report.logged] == ["acme.example is a company's domain"]
    world.employer_writes("Next steps", "Decision by Friday.")
    report = mail_sync.sync(session, world.account())
    assert report.logged[0].why.endswith("is a contact")
    assert report.logged[0].event.contact_ids  # Dana, the contact
    assert _events(world, opp.id).count(EventType.RECEIVED) == 2


def test_an_out_of_office_reply_changes_nothing(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    world.employer_writes(
        "Automatic reply: Thank you",
        "I am out of the office until Monday.",
        headers={"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"},
    )
    world.employer_writes(
        "Away", "Back soon.", headers={"Precedence": "auto_reply"}, name="Dana Lee"
    )
    world.employer_writes("Out of Office", "On leave.", headers={"X-Autorespond": "1"})
    report = mail_sync.sync(session, world.account())
    assert report.logged == [] and len(report.automatic) == 3
    assert "interview.status-check" in rules(session, opp.id)
    assert EventType.RECEIVED not in _events(world, opp.id)


def test_a_bounce_flags_the_address_and_is_not_a_reply(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    thanks = nudge(session, opp.id, "interview.thank-you")
    item = mail_approve.approve(
        session, mail_approve.prepare(session, thanks.id), send_after=session.now
    )
    mail_send.flush(session, world.account())
    raw = DSN.format(
        me=world.address, bad=world.employer_address, original=item.message_id, tag=opp.id
    ).replace("\n", "\r\n")
    world.dovecot.append(world.user, "INBOX", raw.encode())
    report = mail_sync.sync(session, world.account())
    assert report.logged == [] and len(report.bounces) == 1
    flagged = mail_sync.bad_addresses(session)
    assert "550 5.1.1" in flagged[world.employer_address]
    assert EventType.RECEIVED not in _events(world, opp.id)
    check = nudge(session, opp.id, "interview.status-check")
    prepared = mail_approve.prepare(session, check.id)
    assert prepared.bad_address is not None


def test_a_message_from_the_users_own_client_is_logged_as_sent(world: MailWorld) -> None:
    session = world.session()
    interviewed(world, session)
    written = format_datetime(session.now - timedelta(hours=1))  # after the interview, never fixed
    raw = (
        f"From: Alex Morgan <{world.address}>\r\nTo: Dana Lee <{world.employer_address}>\r\n"
        "Subject: Thank you for today\r\nMessage-ID: <own-client-1@seeker.example>\r\n"
        f"Date: {written}\r\n\r\nDear Ms. Lee, thank you for your time.\r\n"
    )
    world.dovecot.append(world.user, "Sent", raw.encode())
    report = mail_sync.sync(session, world.account())
    assert len(report.logged) == 1
    event = report.logged[0].event
    assert event.type is EventType.SENT and event.kind is not None
    assert event.kind.value == "thank-you"
    assert "interview.thank-you" in [g.rule for g in report.logged[0].gone]


def test_unsure_matches_and_rejections_wait_on_the_review_list(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    second = records.add_opportunity(
        session, "Acme", "BI Developer", applied=session.now - timedelta(days=3), again=True
    ).opportunity
    assert second is not None
    # Dana is linked to the first opportunity only: sure. Reception is at Acme, which now has
    # two active opportunities: unsure.
    world.employer_writes(
        "Your visit", "Please bring ID.", sender="reception@acme.example", name="Reception"
    )
    report = mail_sync.sync(session, world.account())
    assert report.logged == [] and len(report.review) == 1
    [view] = mail_sync.review_list(session)
    assert view.item.kind == "match"
    assert {o.id for o in view.candidates} == {opp.id, second.id}
    done = mail_sync.accept(session, view.item.id, str(second.id))
    assert done.opportunity.id == second.id
    assert _events(world, second.id).count(EventType.RECEIVED) == 1
    assert mail_sync.review_list(session) == []

    world.employer_writes(
        "Your application",
        "We regret to inform you that we will not be moving forward with your application.",
    )
    report = mail_sync.sync(session, world.account())
    assert report.logged[0].proposed == "rejected"
    assert session.store.stage(session.owner, opp.id) is Stage.INTERVIEWING  # not decided
    [proposal] = mail_sync.review_list(session)
    assert proposal.item.kind == "rejected" and proposal.item.opportunity_id == opp.id
    mail_sync.accept(session, proposal.item.id)
    assert session.store.stage(session.owner, opp.id) is Stage.REJECTED

    world.employer_writes("Hello", "Who is this?", sender="someone@unrelated.example")
    world.employer_writes(
        "Your interview", "Booked: Thursday 10:00.", sender="no-reply@ats.example", name="Acme"
    )
    report = mail_sync.sync(session, world.account())
    assert report.logged == [] and len(report.review) == 1  # the stranger is not asked about
    [named] = mail_sync.review_list(session)
    assert named.item.reason == "the company is named in it"
    ignored = mail_sync.ignore(session, report.review[0])
    assert ignored.from_address == "no-reply@ats.example"
    assert mail_sync.review_list(session) == []
    world.dovecot.reset_uidvalidity(world.user)
    assert mail_sync.sync(session, world.account()).review == []  # not asked twice
