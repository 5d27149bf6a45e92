"""Reading replies, without a server: the rejection and offer matcher under any wrapping, spacing,
case, quotes and accents (hypothesis), return dates in four languages, receipts, relayed replies
and the reason a moved follow-up gives."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.domain import Event, EventType, Nudge
from jobnudge.mail import classify, ooo, receipts, verdicts
from jobnudge.mail.parse import parse_headers
from jobnudge.playbook import guards

REJECTIONS = [
    "After careful consideration, we have decided to move forward with other candidates.",
    "Unfortunately we will not be moving forward with your application at this time.",
    "We’ve decided not to proceed with your application.",
    "We are not able to offer you the position.",
    "Nach reiflicher Überlegung müssen wir Ihnen leider mitteilen, dass wir uns für eine andere "
    "Kandidatin entschieden haben.",
    "Leider können wir Ihre Bewerbung nicht weiter berücksichtigen.",
    "Nous sommes au regret de vous informer que votre candidature n'a pas été retenue.",
    "Après étude de votre dossier, nous ne donnerons pas suite à votre candidature.",
    "Lamentamos comunicarte que hemos decidido seguir adelante con otros candidatos.",
    "Te informamos de que tu candidatura no ha sido seleccionada.",
    "We have decided to pursue other candidates for this role.",
    "Thank you for your patience; we have filled the position.",
    "Sadly, the hiring manager has decided to go with someone else.",
]
OFFERS = [
    "We are delighted to offer you the position of Data Analyst.",
    "The panel was unanimous and we are pleased to extend an offer.",
    "Wir freuen uns, Ihnen die Position als Data Engineer anbieten zu können.",
    "Nous avons le plaisir de vous proposer le poste de consultante data.",
    "Nos complace ofrecerte el puesto de Analista de Datos.",
]
NEITHER = [
    "To be clear, we have not decided to move forward with other candidates.",
    "We regret to inform you that Priya is unwell, so we need to move your interview.",
    "Before we can extend an offer we need two references.",
    "If we decide to move forward with other candidates, I will let you know.",
    "Leider muss ich unseren Termin am Donnerstag verschieben.",
    "Nous regrettons de ne pas avoir pu vous rappeler hier.",
    "Lamentablemente tenemos que cambiar la fecha de la entrevista.",
    "We would love to hear more about your experience with other candidates' onboarding.",
    "We are also interviewing other candidates this week, so expect a decision on Friday.",
]

_BREAKS = st.sampled_from([" ", "  ", "\n", "\r\n", "\t", " \n ", "\n\n"])


@st.composite
def rewritten(draw: st.DrawFn, sentence: str) -> str:
    """The sentence as a mail client or a hurried writer might leave it: wrapped anywhere, any
    spacing, any case, straight or typographic quotes, accents typed or not."""
    out = [sentence.split()[0]]
    for word in sentence.split()[1:]:
        out.append(draw(_BREAKS))
        out.append(word)
    text = "".join(out)
    if draw(st.booleans()):
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    if draw(st.booleans()):
        text = text.replace("'", "’") if "'" in text else text.replace("’", "'")
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_rejections_read_the_same_however_wrapped_spaced_or_cased(data: st.DataObject) -> None:
    sentence = data.draw(st.sampled_from(REJECTIONS))
    assert verdicts.verdict("Your application", data.draw(rewritten(sentence))) == "rejected"


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_offers_and_traps_read_the_same_however_written(data: st.DataObject) -> None:
    offer = data.draw(st.sampled_from(OFFERS))
    assert verdicts.verdict("Re: Thank you", data.draw(rewritten(offer))) == "offer"
    trap = data.draw(st.sampled_from(NEITHER))
    assert verdicts.verdict("Re: Thank you", data.draw(rewritten(trap))) is None


WRITTEN = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("I am out of the office until Friday, December 4, with limited access.", "2026-12-04"),
        ("Ich bin bis einschließlich 4. Dezember 2026 nicht im Büro.", "2026-12-04"),
        ("Ich bin bis zum 11.12. im Urlaub.", "2026-12-11"),
        (
            "Ich werde ab 23.11.2026 nicht im Büro sein. Ich kehre zurück am 07.12.2026.",
            "2026-12-07",
        ),
        ("Je suis absente jusqu'au vendredi 4 décembre inclus.", "2026-12-04"),
        ("Je suis en congés et serai de retour le 14/12/2026.", "2026-12-14"),
        ("Estoy fuera de la oficina hasta el 4 de diciembre.", "2026-12-04"),
        ("Me encuentro de vacaciones hasta el lunes 7 de diciembre de 2026.", "2026-12-07"),
        ("I'm away until December 11th.", "2026-12-11"),
        ("I am away until the 4th of December.", "2026-12-04"),
        ("I am out of the office until 12/4.", "2026-12-04"),  # English: month first
        ("Je serai absente du 25/11 au 04/12 inclus.", "2026-12-04"),
        ("Estaré ausente del 25 de noviembre al 4 de diciembre.", "2026-12-04"),
        ("Ich bin vom 25.11. bis 4.12. im Urlaub.", "2026-12-04"),
        ("Back on 2026-12-09.", "2026-12-09"),
        ("Back on 12/9 after the conference.", "2026-12-09"),  # English: month first
        ("I am on leave until 10 January.", "2027-01-10"),  # the next 10 January
        ("I am on parental leave until January 2027.", None),  # no day: nothing to move to
        ("I am out this week; call 555-1234 or 4.5 hours later, in the marketing office.", None),
    ],
)
def test_return_days_in_four_languages(text: str, back: str | None) -> None:
    found = ooo.return_day(text, WRITTEN, english=ooo.looks_english(text))
    assert (found.isoformat() if found else None) == back


@pytest.mark.parametrize(
    ("subject", "text", "away"),
    [
        ("Automatische Antwort: Gespräch", "", True),
        ("Réponse automatique : Merci", "", True),
        ("Respuesta automática: Gracias", "", True),
        ("Out of Office AutoReply: Thank you", "", True),
        ("Abwesenheitsnotiz: Gespräch", "", True),
        ("Auto: Thank you", "", True),
        ("Im Urlaub", "", True),
        ("Re: Thank you", "I am currently out of the office and will reply on my return.", True),
        ("Re: Thank you", "I was out of the office last week, sorry for the slow reply.", False),
        (
            "Re: Thank you",
            "Before I head out on vacation until December 4: we decide by 10.",
            False,
        ),
        ("Re: Out of office next week?", "Could we meet before you leave?", False),
        (
            "Re: Thank you",
            "Thank you for your email. I am travelling, but wanted to let you know we decide soon.",
            False,
        ),
    ],
)
def test_out_of_office_subjects_and_bodies(subject: str, text: str, away: bool) -> None:
    assert (ooo.is_out_of_office(subject, text) is not None) is away


@pytest.mark.parametrize(
    ("sender", "subject", "text", "why"),
    [
        ("no-reply@acme.example", "Thank you for applying", "We received your application.", 1),
        ("recrutement@x.example", "Accusé de réception", "Message automatique.", 1),
        ("bewerbung@x.example", "Eingangsbestätigung", "Vielen Dank für Ihre Bewerbung.", 1),
        ("noreply@x.example", "Hemos recibido tu candidatura", "Gracias.", 1),
        ("acme@myworkday.example", "Application received", "Thank you for applying.", 1),
        ("careers@acme.example", "Job alert", "2 new jobs match your alert.", 1),
        ("recruiting@acme.example", "Next", "Thank you for your application. Free on Monday?", 0),
        ("maria@acme.example", "Hello", "Thanks for applying! I would like to call you.", 0),
        ("reception@acme.example", "Badge", "Your visitor badge is ready.", 0),
    ],
)
def test_receipts_alerts_and_people(sender: str, subject: str, text: str, why: int) -> None:
    assert bool(receipts.not_an_answer(sender, subject, text)) is bool(why)


def test_a_group_relay_names_the_person_and_our_echo_names_us() -> None:
    relayed = parse_headers(
        b"From: 'Sam Ortiz' via Copperleaf Hiring <hiring@copperleaf.example>\r\n"
        b"Reply-To: Sam Ortiz <sam.ortiz@copperleaf.example>\r\nPrecedence: list\r\n"
        b"List-Id: <hiring.copperleaf.example>\r\nSubject: Re: Thank you\r\n\r\n"
    )
    assert classify.relayed_by(relayed) == ("Sam Ortiz", "sam.ortiz@copperleaf.example")
    assert classify.bulk(relayed) and classify.automatic(relayed) is None
    digest = parse_headers(
        b"From: Copperleaf Hiring <hiring@copperleaf.example>\r\nList-Id: <h.example>\r\n\r\n"
    )
    assert classify.relayed_by(digest) is None and classify.bulk(digest)
    direct = parse_headers(b"From: Sam <sam@x.example>\r\nReply-To: sam.o@y.example\r\n\r\n")
    assert classify.relayed_by(direct) is None  # a person's own Reply-To is no relay


def test_bounces_in_several_languages_and_without_a_report() -> None:
    for sender, subject in [
        ("postmaster@brennwerk.example", "Unzustellbar: Gespräch"),
        ("MAILER-DAEMON@mx.example", "failure notice"),
        ("postmaster@x.example", "Non remis : Merci"),
    ]:
        h = parse_headers(f"From: {sender}\r\nSubject: {subject}\r\n\r\n".encode())
        assert classify.is_bounce(h), subject
    person = parse_headers(b"From: dana@acme.example\r\nSubject: Undeliverable lunch\r\n\r\n")
    assert not classify.is_bounce(person)


def test_a_snooze_with_a_reason_says_it_instead_of_the_date() -> None:
    due = datetime(2026, 12, 1, 14, tzinfo=UTC)
    base = Nudge(
        key="interview.status-check:1:1:2",
        rule="interview.status-check",
        opportunity_id=1,
        contact_id=1,
        channel=None,
        due=due,
        due_by=due + timedelta(days=3),
        reason="The status check falls due.",
    )
    note = "Dana Lee's automatic reply says they are away until Fri 4 Dec, so this waits."
    snooze = Event(
        id=9,
        opportunity_id=1,
        type=EventType.NUDGE_SNOOZED,
        at=due - timedelta(days=5),
        nudge_key=base.key,
        until=due + timedelta(days=6),
        note=note,
    )
    [moved] = guards.apply_decisions([base], [snooze], "America/New_York")
    assert moved.due == due + timedelta(days=6) and moved.reason.endswith(note)
    assert "interview." not in moved.reason and "Snoozed" not in moved.reason
    [plain] = guards.apply_decisions([base], [replace(snooze, note="")], "America/New_York")
    assert "Snoozed until" in plain.reason
