"""Preparing and approving a follow-up email: the saved draft (or a file, or a new draft)
addressed, threaded onto the conversation and checked; approving it puts it in the outbox in
one transaction with its Message-ID already made. ``services.mail_send`` delivers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jobnudge.domain import Channel, MessageKind
from jobnudge.errors import ConfigError, Conflict, UsageError
from jobnudge.mail.compose import (
    Outgoing,
    make_message_id,
    parse_draft,
    references_for,
    reply_subject,
)
from jobnudge.plural import count
from jobnudge.services import nudges
from jobnudge.store import mail as mailstore
from jobnudge.store import mail_flagged
from jobnudge.store.mail import ACTIVE, QUEUED, OutboxItem

if TYPE_CHECKING:
    from jobnudge.drafts import Finding
    from jobnudge.services.session import Session
    from jobnudge.store.rows import AgendaRow


@dataclass(frozen=True)
class Prepared:
    """A follow-up email ready to approve: what will be sent and what the checker thinks."""

    row: AgendaRow
    outgoing: Outgoing  # message_id is "" until approval makes one
    kind: MessageKind
    findings: list[Finding]
    source: str  # where the text came from
    bad_address: str | None  # why the address is flagged, if it bounced before


def prepare(session: Session, handle: str, *, file: Path | None = None) -> Prepared:
    """The email a nudge calls for: the draft saved by ``nudge draft`` (or ``file``, or a new
    draft), addressed, threaded onto the conversation, and checked."""
    from jobnudge.drafts import NoDraft, NotAMessage
    from jobnudge.services import drafting

    row = nudges.find(session, handle)
    kind = drafting.KIND_FOR_RULE.get(row.rule)
    if kind is None:
        raise UsageError(
            f"NUDGE: {row.short_id} is a prompt, not a message; there is nothing to send."
        )
    try:
        composed = drafting.compose(session, handle, Channel.EMAIL)
    except (NoDraft, NotAMessage) as exc:
        raise UsageError(f"NUDGE: {exc.message}") from None
    saved = drafting.saved_path(row)
    if file is not None:
        from jobnudge import textfile

        text, source = textfile.read(file, "--file"), str(file)
    elif saved.is_file():
        text, source = saved.read_text(encoding="utf-8"), str(saved)
    else:
        text, source = composed.draft.text, "a new draft"
    draft = parse_draft(text)
    to_address = draft.to_address or composed.draft.to_address
    to_name = draft.to_name or composed.draft.to_name
    if "@" not in to_address:
        who = to_name or "the contact"
        raise UsageError(
            f"NUDGE: {who} has no email address; add it with "
            f'`nudge contact edit "{who}" --email ADDRESS`, or put a "To:" line in the draft.'
        )
    subject = draft.subject or composed.draft.subject
    if not subject:
        raise UsageError('NUDGE: the draft has no "Subject:" line; add one (nudge draft --edit).')
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    if row.opportunity_id is not None:
        parent = mailstore.latest_message(
            session.store, session.owner, row.opportunity_id, row.contact_id
        )
        if parent is not None:
            in_reply_to = parent.message_id
            references = references_for(parent.message_id, tuple(parent.reference_ids))
            subject = reply_subject(parent.subject or subject)
    mail = session.settings.mail
    from_address = mail.from_address or session.settings.profile.email
    if not from_address:
        raise ConfigError(
            "mail.address: give the address your messages come from ([mail] address = ...)."
        )
    outgoing = Outgoing(
        from_name=session.settings.profile.name,
        from_address=from_address,
        to_name=to_name,
        to_address=to_address,
        subject=subject,
        body=draft.body,
        message_id="",
        in_reply_to=in_reply_to,
        references=references,
    )
    bad = mail_flagged.bad_addresses(session.store, session.owner).get(to_address.lower())
    return Prepared(
        row=row,
        outgoing=outgoing,
        kind=kind,
        findings=drafting.recheck(session, composed, text),
        source=source,
        bad_address=bad,
    )


def preview(prepared: Prepared) -> str:
    """The message as it will be sent (the Date is set when it is sent)."""
    out = prepared.outgoing
    lines = [
        f"From: {out.from_name} <{out.from_address}>".replace(" <", " <", 1),
        f"To: {out.to_name} <{out.to_address}>" if out.to_name else f"To: {out.to_address}",
        f"Subject: {out.subject}",
        f"Message-ID: {out.message_id or '(made when you approve it)'}",
    ]
    if out.in_reply_to:
        lines.append(f"In-Reply-To: {out.in_reply_to}")
        lines.append(f"References: {' '.join(out.references)}")
    return "\n".join(lines) + "\n\n" + out.body


def when_due(session: Session, prepared: Prepared) -> datetime:
    """The nudge's recommended moment (e.g. the end of the interviewer's working day for a
    thank-you), or now when that has passed."""
    return max(session.now, prepared.row.due)


def approve(
    session: Session, prepared: Prepared, *, send_after: datetime, force: bool = False
) -> OutboxItem:
    """Put the message in the outbox (one transaction), its Message-ID made now."""
    errors = [f for f in prepared.findings if str(f.severity) == "error"]
    if errors and not force:
        codes = ", ".join(sorted({f.code for f in errors}))
        raise UsageError(
            f"The checker found {count(len(errors), 'error')} in the draft ({codes}); fix it with "
            f"`nudge draft {prepared.row.short_id} --edit`, or add --force to send it as it is."
        )
    out = prepared.outgoing
    if prepared.bad_address and not force:
        raise Conflict(
            f"{out.to_address} bounced before ({prepared.bad_address}); correct the contact's "
            "email (nudge contact edit NAME --email ...), or add --force."
        )
    message_id = make_message_id(out.from_address)
    row = prepared.row
    with session.store.transaction(now=session.now) as tx:
        for item in mailstore.outbox_for_nudge(tx, session.owner, row.key):
            if item.state in ACTIVE:
                raise Conflict(
                    f"This follow-up is already in the outbox as #{item.id} ({item.state}); "
                    f"`nudge mail outbox` shows it, `nudge mail cancel {item.id}` withdraws it."
                )
        return mailstore.add_outbox(
            tx,
            session.owner,
            message_id=message_id,
            state=QUEUED,
            nudge_key=row.key,
            rule=row.rule,
            opportunity_id=row.opportunity_id,
            contact_id=row.contact_id,
            kind=prepared.kind,
            from_name=out.from_name,
            from_address=out.from_address,
            to_name=out.to_name,
            to_address=out.to_address,
            subject=out.subject,
            body=out.body,
            in_reply_to=out.in_reply_to,
            reference_ids=list(out.references),
            raw=None,
            send_after=send_after,
        )
