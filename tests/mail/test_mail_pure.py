"""The pure parts of mail, without servers: settings, the password's sources, composing,
parsing, classifying and matching."""

from __future__ import annotations

import sys
import tomllib
import types
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import Header
from pathlib import Path

import pytest

from jobnudge import config
from jobnudge.errors import ConfigError
from jobnudge.mail import account, classify, compose
from jobnudge.mail.imap_syntax import decode_mailbox, encode_mailbox, uid_set
from jobnudge.mail.match import MatchIndex, match
from jobnudge.mail.parse import body_text, parse_headers


def _mail(text: str) -> config.Mail:
    return config.parse(tomllib.loads(text)).mail


def test_presets_fill_the_servers_and_keys_override_them() -> None:
    gmail = _mail('[mail]\npreset = "gmail"\nusername = "a@gmail.com"\n')
    assert (gmail.smtp.host, gmail.smtp.port, gmail.smtp.security) == ("smtp.gmail.com", 465, "tls")
    assert gmail.sent == "[Gmail]/Sent Mail" and gmail.append_sent is False
    assert gmail.from_address == "a@gmail.com" and gmail.configured
    outlook = _mail('[mail]\npreset = "outlook"\nusername = "a@outlook.com"\nsent = "Sent"\n')
    assert outlook.smtp.security == "starttls" and outlook.smtp.port == 587
    assert outlook.sent == "Sent"
    plain = _mail('[mail]\nsmtp_host = "mx"\nsmtp_security = "starttls"\n')
    assert plain.smtp.port == 587 and plain.imap.port == 993 and not plain.configured
    assert config.parse({}).mail == config.Mail()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[mail]\npasword = "x"\n', "unknown key 'mail.pasword'"),
        ('[mail]\npreset = "yahoo"\n', "mail.preset 'yahoo' is unknown"),
        ('[mail]\nsmtp_security = "ssl"\n', "must be one of tls, starttls, none"),
        ("[mail]\nsmtp_port = 70000\n", "must be 1 to 65535"),
        ('[mail]\nimap_port = "993"\n', "must be a whole number"),
        ('[mail]\nappend_sent = "yes"\n', "must be true or false"),
        ('[mail]\npassword_source = "file"\n', "password_file is empty"),
        ("[mail]\ntimeout_seconds = 0\n", "from 1 to 600"),
    ],
)
def test_bad_mail_settings_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config.parse(tomllib.loads(text))


def test_the_password_comes_from_env_or_a_private_file_never_a_shared_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # no keyring package here
    mail = _mail('[mail]\nusername = "me"\npassword_source = "env"\n')
    assert account.password(mail, {"NUDGE_MAIL_PASSWORD": "pw1"}) == "pw1"
    secret = tmp_path / "pw"
    secret.write_text("pw2\n")
    secret.chmod(0o644)
    mail = _mail(f'[mail]\nusername = "me"\npassword_file = "{secret}"\n')
    with pytest.raises(ConfigError, match="can be read by other users") as caught:
        account.password(mail, {})
    assert "chmod 600" in caught.value.message and "pw2" not in caught.value.message
    secret.chmod(0o600)
    assert account.password(mail, {}) == "pw2"
    with pytest.raises(ConfigError, match="No mail password found"):
        account.password(_mail('[mail]\nusername = "me"\n'), {})


def test_the_keyring_comes_first_when_it_holds_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[tuple[str, str]] = []

    def get_password(service: str, user: str) -> str | None:
        asked.append((service, user))
        return "from-keyring" if user == "me" else None

    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_password=get_password))
    mail = _mail('[mail]\nusername = "me"\n')
    assert account.password(mail, {"NUDGE_MAIL_PASSWORD": "env"}) == "from-keyring"
    assert asked == [("jobnudge-mail", "me")]
    other = _mail('[mail]\nusername = "you"\npassword_source = "keyring"\n')
    with pytest.raises(ConfigError, match="keyring set jobnudge-mail you"):
        account.password(other, {})
    acct = account.Account(mail, "hunter2")
    assert "hunter2" not in repr(acct)


def test_a_composed_message_carries_its_threading_headers() -> None:
    out = compose.Outgoing(
        from_name="Alex Morgan",
        from_address="alex@example.org",
        to_name="Renée Dupont",
        to_address="renee@acme.example",
        subject="Merci — entretien",
        body="Chère Mme Dupont,\n\n.Un point\n",
        message_id=compose.make_message_id("alex@example.org"),
        in_reply_to="<b@acme>",
        references=compose.references_for("<b@acme>", ("<a@acme>",)),
    )
    raw = compose.to_bytes(out, datetime(2026, 3, 5, 14, 0, tzinfo=UTC))
    assert raw.isascii() and b"\r\n" in raw
    msg = message_from_bytes(raw, policy=policy.default)
    assert msg["References"] == "<a@acme> <b@acme>" and msg["In-Reply-To"] == "<b@acme>"
    assert msg["Subject"] == "Merci — entretien" and "Renée" in str(msg["To"])
    assert msg.get_content().startswith("Chère Mme Dupont")
    assert out.message_id.endswith("@example.org>")
    assert compose.reply_subject("RE: Fwd: re: Interview") == "Re: Interview"


def test_the_draft_form_is_read_back() -> None:
    d = compose.parse_draft("To: Dana Lee <dana@acme.example>\nSubject: Thanks\n\nHi Dana\n")
    assert (d.to_name, d.to_address, d.subject, d.body) == (
        "Dana Lee",
        "dana@acme.example",
        "Thanks",
        "Hi Dana\n",
    )
    assert compose.parse_draft("Dear Dana,\nthanks.\n").body == "Dear Dana,\nthanks.\n"


def test_headers_and_text_are_read_leniently() -> None:
    raw = (
        b"From: =?utf-8?q?Ren=C3=A9e?= <Renee@Acme.Example>\r\nTo: a@x, B <b@y>\r\n"
        b"Cc: c@z\r\nSubject: Re: Next\r\n steps\r\nIn-Reply-To: <p@x>\r\n"
        b"References: <o@x> <p@x>\r\nDate: not a date\r\n\r\n"
        b"Thanks!\r\n\r\nOn Mon, Alex wrote:\r\n> old text\r\n"
    )
    h = parse_headers(raw)
    assert h.from_address == "renee@acme.example" and h.from_name == "Renée"
    assert h.recipients == ("a@x", "b@y", "c@z") and h.subject == "Re: Next steps"
    assert h.references == ("<o@x>", "<p@x>") and h.date is None
    assert h.message_id.endswith("@no-message-id.jobnudge.invalid>")
    assert parse_headers(raw).message_id == h.message_id  # stable
    assert body_text(raw) == "Thanks!"


@pytest.mark.parametrize(
    "headers",
    [
        "Auto-Submitted: auto-replied",
        "X-Autoreply: yes",
        "X-Autorespond: on",
        "Precedence: auto_reply",
        "List-Id: <news.acme>",
    ],
)
def test_automatic_messages_are_recognised(headers: str) -> None:
    h = parse_headers(f"From: d@acme\r\nSubject: Hello\r\n{headers}\r\n\r\n".encode())
    assert classify.automated(h)


def test_ordinary_mail_offers_rejections_and_kinds() -> None:
    h = parse_headers(b"From: d@acme\r\nSubject: Re: Interview\r\nAuto-Submitted: no\r\n\r\n")
    assert classify.automated(h) is None and not classify.is_bounce(h)
    assert classify.proposal("Update", "We regret to inform you that we will not ...") == "rejected"
    assert classify.proposal("Update", "We regret to inform you that Dana is ill.") is None
    assert classify.proposal("Offer", "We are pleased to offer you the role") == "offer"
    assert classify.proposal("Next steps", "Let's talk on Monday") is None
    assert classify.infer_kind("Thank you for today", "").value == "thank-you"
    assert classify.infer_kind("Checking in", "").value == "follow-up"
    assert classify.infer_kind("Hello", "Just confirming Tuesday").value == "confirmation"


def test_matching_order_thread_address_domain_name() -> None:
    index = MatchIndex(
        threads={"<ours@me>": (7, 3)},
        contacts_by_address={"dana@acme.example": (3,)},
        companies_by_domain={"acme.example": (1,)},
        opportunities_of_contact={3: (7,)},
        opportunities_of_company={1: (7, 8)},
        company_names={1: ("Acme",)},
        active=frozenset({7, 8}),
        own_addresses=frozenset({"me@me.example"}),
    )

    def h(sender: str, extra: str = "", subject: str = "Hi") -> object:
        return parse_headers(f"From: {sender}\r\nSubject: {subject}\r\n{extra}\r\n".encode())

    by_thread = match(h("x@elsewhere", "In-Reply-To: <ours@me>"), "in", index)  # type: ignore[arg-type]
    assert (by_thread.certainty, by_thread.opportunity_id) == ("sure", 7)
    by_address = match(h("Dana@Acme.example"), "in", index)  # type: ignore[arg-type]
    assert (by_address.certainty, by_address.contact_id) == ("sure", 3)
    by_domain = match(h("hr@jobs.acme.example"), "in", index)  # type: ignore[arg-type]
    assert by_domain.certainty == "unsure" and by_domain.candidates == (7, 8)
    by_name = match(h("no-reply@ats.example", subject="Your Acme application"), "in", index)  # type: ignore[arg-type]
    assert by_name.certainty == "unsure" and by_name.reason == "the company is named in it"
    assert match(h("a@gmail.com"), "in", index).certainty == "none"  # type: ignore[arg-type]
    sent = parse_headers(b"From: me@me.example\r\nTo: dana@acme.example\r\n\r\n")
    assert match(sent, "out", index).opportunity_id == 7


def test_mailbox_names_and_uid_sets() -> None:
    for name in ("INBOX", "Sent Items", "[Gmail]/Sent Mail", "Éléments envoyés", "A&B"):
        quoted = encode_mailbox(name)
        assert quoted.isascii() and decode_mailbox(quoted[1:-1]) == name
    assert encode_mailbox("Éléments envoyés") == '"&AMk-l&AOk-ments envoy&AOk-s"'
    assert uid_set([1, 2, 3, 5, 9, 10]) == "1:3,5,9:10"


@pytest.mark.parametrize(
    ("company", "subject", "named"),
    [
        ("Müller GmbH", "Ihre Bewerbung bei Muller GmbH", True),
        ("Societe Generale", "Société Générale : votre candidature", True),
        ("O'Reilly", "Your O’Reilly application", True),
        ("Hewlett-Packard", "Hewlett\u2011Packard interview", True),
        ("Acme Labs", "ACME  LABS update", True),
        ("Müller GmbH", "Mueller GmbH update", False),  # other letters: another name
        ("Acme", "Acmeville news", False),  # not a whole word
    ],
)
def test_a_company_named_another_way_is_a_candidate(
    company: str, subject: str, named: bool
) -> None:
    index = MatchIndex(
        opportunities_of_company={1: (7,)}, company_names={1: (company,)}, active=frozenset({7})
    )
    encoded = Header(subject, "utf-8").encode()  # as a mail program sends a non-ASCII subject
    headers = parse_headers(f"From: no-reply@ats.example\r\nSubject: {encoded}\r\n\r\n".encode())
    found = match(headers, "in", index)
    assert (found.candidates == (7,)) is named
