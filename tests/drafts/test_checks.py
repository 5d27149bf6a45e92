"""The checker's finer points: offsets, switches, names, companies and addresses."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from jobnudge.config import Playbook
from jobnudge.domain import Channel, Company, Contact
from jobnudge.drafts import CODES, Finding, Severity, check
from jobnudge.drafts import spelling as dictionary

from . import records as r

TRIGGERS = {
    "wrong-company": "Dear Ms. Lee,\n\nThank you. Globex was great. Any questions, ask.",
    "wrong-recipient": "Dear Ms. Lee,\n\nThank you. Write to dana@gmail.com with questions.",
    "name-spelling": "Dear Ms. Lea,\n\nThank you for the Data Analyst chat. Any questions?",
    "formality": "Hey Ms. Lee,\n\nThank you for the Data Analyst chat. Any questions?",
    "too-long": "Dear Ms. Lee,\n\nThank you for the Data Analyst chat. Any questions?"
    + " Y." * 200,
    "pleading": "Dear Ms. Lee,\n\nThank you. I am desperate. Data Analyst. Any questions?",
    "missing-thanks": "Dear Ms. Lee,\n\nThe Data Analyst role. Any questions?",
    "missing-offer-to-help": "Dear Ms. Lee,\n\nThank you for the Data Analyst chat.",
    "spelling": "Dear Ms. Lee,\n\nThank you for the Data Analyst chat. Any questionz?",
    "placeholder": "Dear Ms. Lee,\n\nThank you for the Data Analyst chat. TBD. Any questions?",
    "timing": "Dear Ms. Lee,\n\nThank you for the Data Analyst chat. Any questions?",
    "no-address": "To: Dana Lee\n\nDear Ms. Lee,\n\nThank you for the Data Analyst chat. "
    "Any questions?",
}
NO_EMAIL = replace(r.DANA, email="")
TRIGGER_RECORDS: dict[str, dict[str, Any]] = {"no-address": {"contact": NO_EMAIL}}


def run(text: str, **overrides: Any) -> list[Finding]:
    arguments: dict[str, Any] = {
        "channel": Channel.EMAIL,
        "opportunity": r.OPPORTUNITY,
        "company": r.ACME,
        "contact": r.DANA,
        "pipeline_companies": r.PIPELINE,
        "settings": r.SETTINGS,
        "rule": "interview.thank-you",
        "people": [r.SAM],
    }
    arguments.update(overrides)
    return check(text, **arguments)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_fires_and_can_be_switched_off(code: str) -> None:
    blocked = ("guard.no-hounding",) if code == "timing" else ()
    text, records = TRIGGERS[code], TRIGGER_RECORDS.get(code, {})
    assert code in codes(run(text, blocked_by=blocked, **records))
    settings = replace(r.SETTINGS, checks_off=frozenset({code}))
    assert code not in codes(run(text, blocked_by=blocked, settings=settings, **records))


def test_offsets_point_at_the_problem_and_messages_say_what_to_do() -> None:
    text = "Dear Ms. Lee,\n\nThank you. I met Sam Ortis and Initech's Data Analyst. Questions?"
    found = {f.code: f for f in run(text)}
    assert found["name-spelling"].excerpt(text) == "Sam Ortis"
    assert "Sam Ortiz" in found["name-spelling"].message
    assert found["wrong-company"].excerpt(text) == "Initech"
    assert "another employer in your pipeline" in found["wrong-company"].message
    assert found["wrong-company"].as_dict()["severity"] == "error"


def test_findings_come_most_serious_first() -> None:
    text = "Hey Dana,\n\nGlobex. TBD."
    severities = [f.severity.rank for f in run(text)]
    assert severities == sorted(severities)


def test_the_checker_never_fires_on_correct_accented_names() -> None:
    zoe = Contact(20, "Zoë Ó Súilleabháin-D'Arcy", company_id=1, salutation="Dr.")
    text = (
        "Dear Dr. Ó Súilleabháin-D'Arcy,\n\nThank you, and please thank Zoë "
        "Ó Súilleabháin-D'Arcy's team for the Data Analyst interview. Any questions?"
    )
    assert run(text, contact=zoe) == []
    dropped = run(text.replace("thank Zoë", "thank Zoe"), contact=zoe)
    assert codes(dropped) == ["name-spelling"]


def test_a_contact_on_first_names_may_be_greeted_by_first_name() -> None:
    text = "Hi Priya,\n\nThank you for the referral to Acme Robotics. Any questions, ask."
    assert run(text, contact=r.PRIYA, company=None, rule="referral.update") == []


def test_employer_names_inside_a_longer_right_name_do_not_count() -> None:
    acme = Company(9, "Acme")
    robotics = Company(1, "Acme Robotics", domains=("acme.com",))
    pipeline = (acme, robotics, r.GLOBEX)
    fine = "Dear Ms. Lee,\n\nThank you for the Acme Robotics interview. Any questions?"
    assert run(fine, company=robotics, pipeline_companies=pipeline) == []
    wrong = "Dear Ms. Lee,\n\nThank you for the Acme interview at Acme Robotics. Any questions?"
    found = run(wrong, company=robotics, pipeline_companies=pipeline)
    assert [(f.code, f.excerpt(wrong)) for f in found] == [("wrong-company", "Acme")]


def test_ordinary_word_companies_count_only_as_names() -> None:
    base = "Dear Ms. Lee,\n\nThank you for the Data Analyst chat. {} Any questions?"
    assert run(base.format("An apple a day.")) == []
    assert codes(run(base.format("APPLE called."))) == ["wrong-company"]
    assert codes(run(base.format("Apple called."))) == ["wrong-company"]
    assert run(base.format("Pineapples and Appleton.")) == []


def test_addresses_the_user_and_the_companys_domains_are_fine() -> None:
    text = (
        "Dear Ms. Lee,\n\nThank you. Cc: hr@jobs.acme.com and dana.lee@acme.com; reply to "
        "alex.kim@example.com with any questions. Data Analyst."
    )
    assert run(text) == []
    assert codes(run(text, to_address="Dana.Lee@acme.com")) == []
    assert codes(run(text, to_address="dana@acme.co")) == ["wrong-recipient"]


def test_phone_numbers_compare_by_digits() -> None:
    text = "Hello Ms. Lee, thank you for the Data Analyst interview. Any questions?"
    assert run(text, channel=Channel.TEXT, to_address="(555) 010-0100") == []
    assert codes(run(text, channel=Channel.TEXT, to_address="555 010 0101")) == ["wrong-recipient"]


def test_limits_come_from_the_settings() -> None:
    text = "Hello Ms. Lee, thank you for the Data Analyst interview. Any questions?"
    tight = replace(r.SETTINGS, playbook=Playbook(text_max_chars=40))
    found = run(text, channel=Channel.TEXT, settings=tight)
    assert codes(found) == ["too-long"]
    assert found[0].start == 40 and "keep it under 40" in found[0].message


def test_timing_turns_each_guard_into_one_warning() -> None:
    text = TRIGGERS["timing"]
    found = run(text, blocked_by=("guard.call-hours", "guard.call-hours", "guard.some-new-one"))
    timing = [f for f in found if f.code == "timing"]
    assert len(timing) == 2
    assert "between 7 am and 8:30 pm" in timing[0].message
    assert "not to send this yet" in timing[1].message
    assert "guard." not in timing[1].message  # guard ids are for programs, not people
    assert all(f.severity is Severity.WARNING and f.start == f.end == 0 for f in timing)


def test_spelling_knows_records_and_job_words_and_skips_links() -> None:
    text = (
        "Dear Ms. Lee,\n\nThank you for the Data Analyst interview; my onboarding plan and "
        "résumé are at https://exmpl.dev/alexx, and the SQL work at Initech is on my CV. "
        "Any questions?"
    )
    assert codes(run(text)) == ["wrong-company"]


def test_the_dictionary_loads_once() -> None:
    assert dictionary.dictionary() is dictionary.dictionary()
    assert dictionary.is_known("onboarding") and not dictionary.is_known("recieve")


def test_a_header_label_is_never_taken_for_a_misspelt_name() -> None:
    to = Contact(id=40, name="Tó Silva", company_id=r.ACME.id, salutation="Mx.")
    text = (
        "To: Tó Silva <to@acme.example>\nSubject: Thanks\n\n"
        "Dear Mx. Silva,\n\nThank you. Any questions?"
    )
    found = run(text, contact=to, people=[to])
    assert not [f for f in found if f.code == "name-spelling"]


def test_the_users_own_name_is_no_slip_for_a_contacts() -> None:
    """ "Dana de la Cruz" (the user) begins with "Dana de", one letter from a contact "Dana Ae":
    a name written whole is right, and no part of it is a misspelling of another's."""
    me = replace(r.SETTINGS, profile=replace(r.SETTINGS.profile, name="Dana de la Cruz"))
    dana = replace(r.DANA, name="Dana Ae")
    text = "Dear Dana Ae,\n\nThank you for the Data Analyst chat. Any questions?\n\nDana de la Cruz"
    assert "name-spelling" not in codes(run(text, settings=me, contact=dana, people=[]))
    slip = text.replace("Dear Dana Ae", "Dear Dana Ae,\n\nDana Ee says hi")
    assert "name-spelling" in codes(run(slip, settings=me, contact=dana, people=[]))


@pytest.mark.parametrize(
    ("recorded", "written"),
    [
        ("Oguz Yilmaz", "Oğuz Yılmaz"),
        ("Soren Kierkegaard", "Søren Kierkegaard"),
        ("Zoe Lee", "Zoë Lee"),
    ],
)
def test_a_name_written_with_the_letters_its_record_was_typed_without_is_right(
    recorded: str, written: str
) -> None:
    """A record typed on a keyboard without the person's letters ("Oguz Yilmaz") is not a
    reason to call their own spelling ("Oğuz Yılmaz") a misspelling; the other way round (an
    accent dropped from a record that has it) still is one."""
    person = replace(r.DANA, name=recorded)
    family = written.split()[-1]
    for text in (
        f"Dear {written},\\n\\nThank you for the Data Analyst chat. Any questions?",
        f"Dear {family},\\n\\nThank you, {written}, for the Data Analyst chat. Any questions?",
    ):
        assert "name-spelling" not in codes(run(text, contact=person, people=[]))
    dropped = replace(r.DANA, name=written)
    text = f"Dear {recorded},\\n\\nThank you for the Data Analyst chat. Any questions?"
    assert "name-spelling" in codes(run(text, contact=dropped, people=[]))


@pytest.mark.parametrize(
    ("channel", "field", "what"),
    [
        (Channel.EMAIL, "email", "e-mail address"),
        (Channel.TEXT, "phone", "phone number"),
        (Channel.CALL, "phone", "phone number"),
        (Channel.VOICEMAIL, "phone", "phone number"),
    ],
)
def test_a_message_to_a_contact_with_no_address_says_so_and_how_to_add_one(
    channel: Channel, field: str, what: str
) -> None:
    raj = Contact(21, "Raj Patel", company_id=1, salutation="Mr.")
    text = "To: Raj Patel\n\nDear Mr. Patel,\n\nThank you for the Data Analyst chat. Questions?"
    (found,) = [f for f in run(text, contact=raj, channel=channel) if f.code == "no-address"]
    assert found.severity is Severity.WARNING
    assert found.excerpt(text) == "Raj Patel"  # the "To:" line that has no address
    assert f"Raj Patel has no {what} on record" in found.message
    assert f'`nudge contact edit "Raj Patel" --{field} {field.upper()}`' in found.message
    # Written in the "To:" line, or recorded on the contact: somewhere to go, nothing to say.
    typed = "raj@acme.com" if field == "email" else "+1 555 010 0300"
    given = text.replace("To: Raj Patel", f"To: Raj Patel <{typed}>")
    assert "no-address" not in codes(run(given, contact=raj, channel=channel))
    recorded = replace(raj, **{field: typed})
    assert "no-address" not in codes(run(text, contact=recorded, channel=channel))
    # A card or a meeting needs neither; a message to nobody in particular has no contact.
    assert "no-address" not in codes(run(text, contact=raj, channel=Channel.CARD))
    assert "no-address" not in codes(run(text, contact=None, channel=channel))
