"""Inviting people in bulk: a CSV of names and e-mail addresses (and optionally roles) becomes
one sign-up link each, mailed through the server's own SMTP settings (``[mail]`` of the
server's settings, its password from the keyring, ``NUDGE_MAIL_PASSWORD`` or a file).

The whole list is checked before anything is written: one bad line refuses the file with a
message naming the line and the field. An updated list may name people invited before: a member
or someone whose invitation is still open is left out and reported by line, and the others are
invited; an open invitation is sent again (a new link, the old one ended) only when asked. The
invitations are then written in one transaction and mailed one by one over a single SMTP
connection; a message that does not go is noted beside its invitation (the administrator can
copy the link from the page instead).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING

from jobnudge.errors import MailError, NudgeError, UsageError

if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.store import Store
    from jobnudge.store.org_invites import Taken

MAX_PEOPLE = 5_000
MAX_BYTES = 2_000_000
ROLE_NAMES = {
    "": "seeker",
    "seeker": "seeker",
    "job seeker": "seeker",
    "client": "seeker",
    "coach": "coach",
    "advisor": "coach",
    "adviser": "coach",
    "admin": "admin",
    "administrator": "admin",
}


@dataclass(frozen=True)
class Person:
    full_name: str
    email: str
    role: str
    line: int = 0  # in the file, counting blank lines, for messages


@dataclass
class Report:
    invited: list[tuple[Person, str]] = field(default_factory=list)  # (person, sign-up link)
    mailed: int = 0
    not_mailed: list[tuple[Person, str]] = field(default_factory=list)  # (person, why)
    mail_set_up: bool = True
    skipped: list[tuple[Person, str]] = field(default_factory=list)  # (person, why), by line
    resent: set[str] = field(default_factory=set)  # addresses (lower case) sent a new link
    already_invited: int = 0  # of ``skipped``: open invitations not sent again


def _left_out(taken: Taken) -> str:
    """Why ``person`` gets no new invitation: "is already a member (Ada Admin)"."""
    if taken.kind == "member":
        return f"is already a member ({taken.name})"
    since = f" from {taken.since:%Y-%m-%d}" if taken.since is not None else ""
    return f"already has an invitation{since} still open, so it was not sent again"


def _text(data: bytes) -> str:
    """The list as text, its encoding told for sure (``tabular.encodings``) or the file
    refused with the fix: a guessed code page would put a garbled name on an invitation."""
    from jobnudge.tabular.encodings import Unsure, decode

    try:
        return decode(data)
    except Unsure as unsure:
        if unsure.binary:
            raise UsageError(
                "file: it is not a text CSV; save the sheet as CSV UTF-8 and try again."
            ) from None
        raise UsageError(
            "file: it is not UTF-8 and has no byte-order mark, so its encoding cannot be told "
            f"for sure (read as Windows-1252, the first line that is not UTF-8 says "
            f"'{unsure.shown}'); save it again as UTF-8 (in Excel: Save As, \"CSV UTF-8\") and "
            "try again. Nobody was invited."
        ) from None


def parse(data: bytes) -> list[Person]:
    """The people of a CSV: columns name and email (and role: seeker, coach or admin; a job
    seeker when absent). A header row naming the columns may come first, in any order."""
    from jobnudge.services.orgs import check_email, check_full_name

    if len(data) > MAX_BYTES:
        raise UsageError(f"file: keep the list under {MAX_BYTES // 1_000_000} MB; split it.")
    text = _text(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        numbered = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise UsageError(
            f"file: line {reader.line_num} cannot be read as CSV ({exc}); save the sheet as "
            "CSV UTF-8 and try again."
        ) from None
    rows = [r for _, r in numbered]
    if not rows:
        raise UsageError("file: it is empty; put one person a line: name, e-mail (, role).")
    columns = {"name": 0, "email": 1, "role": 2}
    head = [c.strip().lower().replace("-", "").replace(" ", "") for c in rows[0]]
    if not any("@" in c for c in rows[0]):
        named = {
            "name": next((i for i, c in enumerate(head) if c in ("name", "fullname")), None),
            "email": next((i for i, c in enumerate(head) if c in ("email", "emailaddress")), None),
            "role": next((i for i, c in enumerate(head) if c == "role"), None),
        }
        if named["name"] is None or named["email"] is None:
            raise UsageError(
                "file: the first line should name the columns 'name' and 'email' (and "
                "optionally 'role'), or be the first person."
            )
        columns = {k: v for k, v in named.items() if v is not None}
        numbered = numbered[1:]
        rows = rows[1:]
    if len(rows) > MAX_PEOPLE:
        raise UsageError(f"file: at most {MAX_PEOPLE} people at once; split the list.")
    people: list[Person] = []
    seen: set[str] = set()
    for number, row in numbered:

        def cell(name: str, row: list[str] = row) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        where = f"line {number}"
        try:
            full_name = check_full_name(cell("name"), f"{where}, name")
            email = check_email(cell("email"), f"{where}, email")
        except NudgeError as exc:
            raise UsageError(exc.message) from None
        role = ROLE_NAMES.get(cell("role").lower())
        if role is None:
            raise UsageError(
                f"{where}, role: '{cell('role')[:40]}' is not a role; write seeker, coach or admin."
            )
        if email.lower() in seen:
            raise UsageError(f"{where}, email: {email} is on the list twice; keep one line.")
        seen.add(email.lower())
        people.append(Person(full_name, email, role, number))
    if not people:
        raise UsageError("file: no people in it; put one person a line: name, e-mail (, role).")
    return people


def message(
    person: Person, org_name: str, inviter: str, link: str, sender: str, now: datetime
) -> bytes:
    """The invitation e-mail: plain text, the link on a line of its own."""
    from jobnudge.services.orgs import ROLE_WORDS

    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = f"{person.full_name} <{person.email}>"
    mail["Subject"] = f"{org_name} invites you to jobnudge"
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or None)
    role = ROLE_WORDS[person.role]
    mail.set_content(
        f"Hello {person.full_name},\n\n"
        f"{inviter} of {org_name} invites you to jobnudge as a {role}. jobnudge tells you each\n"
        "day whom to follow up with in your job search, when, and why.\n\n"
        "Create your account here (the link works once, for 14 days):\n\n"
        f"{link}\n\n"
        "Joining a coach's caseload is up to you: a coach sees your search only after you\n"
        "agree, and you can withdraw that at any time.\n"
    )
    return mail.as_bytes()


def invite(
    store: Store,
    server: Settings | None,
    admin: int,
    people: list[Person],
    base_url: str,
    now: datetime,
    *,
    resend: bool = False,
) -> Report:
    """Invite ``people`` into the acting administrator's organisation and mail each a link;
    members and open invitations are left out (``Report.skipped``), an open invitation sent
    again with a new link when ``resend``."""
    from urllib.parse import quote

    from jobnudge.services.orgs import admin_of
    from jobnudge.store import org_invites

    me = admin_of(store, admin)
    taken = org_invites.taken_addresses(store, me.org_id, now)
    report = Report()
    fresh: list[Person] = []
    for person in people:
        found = taken.get(person.email.lower())
        if found is None or (found.kind == "invited" and resend):
            fresh.append(person)
            if found is not None:
                report.resent.add(person.email.lower())
            continue
        report.skipped.append((person, _left_out(found)))
        report.already_invited += found.kind == "invited"
    people = fresh
    if not people:
        return report
    tokens = org_invites.invite(
        store,
        me.org_id,
        admin,
        [(p.full_name, p.email, p.role) for p in people],
        now,
        replacing=sorted(report.resent),
    )
    links = [f"{base_url.rstrip('/')}/signup?invite={quote(t)}" for t in tokens]
    report.invited = list(zip(people, links, strict=True))
    results: list[tuple[str, str]] = []
    mail = server.mail if server is not None else None
    if mail is None or not (mail.smtp.host and mail.username and mail.from_address):
        report.mail_set_up = False
        why = "the server has no mail set up ([mail] in its settings)"
        report.not_mailed = [(p, why) for p in people]
        org_invites.record_mail(store, [(t, why) for t in tokens])
        return report
    from jobnudge.mail.account import open_account
    from jobnudge.mail.smtp import ACCEPTED, SmtpClient

    try:
        account = open_account(mail, sending_only=True)
        client = SmtpClient(mail.smtp, mail.username, account.password, mail.timeout_seconds)
        client.connect()
    except (MailError, NudgeError) as exc:
        report.not_mailed = [(p, exc.message) for p in people]
        org_invites.record_mail(store, [(t, exc.message) for t in tokens])
        return report
    inviter = me.full_name or me.name
    broken = ""
    try:
        for person, token, link in zip(people, tokens, links, strict=True):
            if broken:
                results.append((token, broken))
                report.not_mailed.append((person, broken))
                continue
            raw = message(person, me.org_name, inviter, link, mail.from_address, now)
            try:
                done = client.deliver(raw, mail.from_address, [person.email], lambda: None)
            except MailError as exc:
                results.append((token, exc.message))
                report.not_mailed.append((person, exc.message))
                try:
                    client.connect()
                except MailError as again:
                    broken = again.message
                continue
            if done.outcome == ACCEPTED:
                results.append((token, "sent"))
                report.mailed += 1
            else:
                results.append((token, done.reply))
                report.not_mailed.append((person, done.reply))
    finally:
        client.close()
        org_invites.record_mail(store, results)
    return report
