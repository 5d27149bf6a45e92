"""Names typed with typographic look-alikes (curly apostrophes, non-breaking hyphens and spaces)
are the same names to the checker, and an employer is recognised without its legal form
("O'Reilly Media" for "O'Reilly Media, Inc."), however either is typed."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge import typography
from jobnudge.domain import Channel, Company, Contact, Opportunity, Role
from jobnudge.drafts import Finding, check

from . import records as r

EXAMPLES = settings(max_examples=150, deadline=None)

BRIGHTLINE = Company(30, "Brightline Health")
OPPORTUNITY = Opportunity(200, company_id=30, company="Brightline Health", role="Data Analyst")


def _variants(plain_char: str) -> list[str]:
    pool = {
        "'": typography.APOSTROPHES,
        "-": typography.HYPHENS,
        " ": typography.SPACES,
    }[plain_char]
    return [plain_char, *pool]


@st.composite
def typed(draw: st.DrawFn, name: str) -> str:
    """``name`` as a word processor may have typed it: each apostrophe, hyphen and space
    replaced by any of its look-alikes."""
    return "".join(draw(st.sampled_from(_variants(c))) if c in "'- " else c for c in name)


PEOPLE = ["Siobhan O'Brien", "Anne-Marie Dubois", "Jean-Luc D'Arcy", "Mary-Kate O'Neil-Smith"]


def _run(text: str, contact: Contact, pipeline: tuple[Company, ...]) -> list[Finding]:
    return check(
        text,
        channel=Channel.EMAIL,
        opportunity=OPPORTUNITY,
        company=BRIGHTLINE,
        contact=contact,
        pipeline_companies=(BRIGHTLINE, *pipeline),
        settings=r.SETTINGS,
    )


def _letter(greeting_name: str, body: str = "") -> str:
    return (
        f"Dear {greeting_name},\n\nThank you for the Data Analyst interview at Brightline "
        f"Health. {body}I'm happy to answer any questions.\n\nBest,\nAlex Kim"
    )


@EXAMPLES
@given(st.sampled_from(PEOPLE).flatmap(lambda n: st.tuples(st.just(n), typed(n), typed(n))))
def test_a_name_typed_with_look_alikes_is_the_same_name(names: tuple[str, str, str]) -> None:
    recorded_plain, recorded, written = names
    contact = Contact(
        50,
        recorded,
        company_id=30,
        salutation="Ms.",
        email="p@brightline.example",
        roles=frozenset({Role.INTERVIEWER}),
    )
    surname = written[len(typography.plain(written).split(" ")[0]) + 1 :]
    for greeting in (f"Ms. {surname}", written):
        text = _letter(greeting, f"Meeting {written} was a pleasure. ")
        found = [f for f in _run(text, contact, ()) if f.code == "name-spelling"]
        assert found == [], (recorded_plain, greeting, found)


def test_the_trial_case_curly_apostrophe_in_the_greeting() -> None:
    contact = replace(r.DANA, id=51, name="Siobhan O'Brien", company_id=30)
    text = _letter("Ms. O’Brien")

    assert [f for f in _run(text, contact, ()) if f.code == "name-spelling"] == []


EMPLOYERS = [
    ("O'Reilly Media, Inc.", ["O'Reilly Media, Inc.", "O'Reilly Media", "O'Reilly"]),
    ("Quellwerk GmbH", ["Quellwerk GmbH", "Quellwerk"]),
    ("Northwind Analytics, LLC", ["Northwind Analytics, LLC", "Northwind Analytics", "Northwind"]),
    ("Harbor-Pine Ltd.", ["Harbor-Pine Ltd.", "Harbor-Pine"]),
    ("D'Angelo & Sons, Ltd.", ["D'Angelo & Sons", "D'Angelo"]),
]


@EXAMPLES
@given(
    st.sampled_from(EMPLOYERS).flatmap(
        lambda e: st.tuples(st.just(e[0]), typed(e[0]), st.sampled_from(e[1]).flatmap(typed))
    )
)
def test_another_employer_is_caught_in_any_form_it_is_written(
    names: tuple[str, str, str],
) -> None:
    _, recorded, written = names
    other = Company(60, recorded)
    contact = replace(r.DANA, company_id=30)
    text = _letter("Ms. Lee", f"I also spoke with {written} last week. ")

    found = [f for f in _run(text, contact, (other,)) if f.code == "wrong-company"]

    assert [(str(f.severity), typography.plain(f.excerpt(text))) for f in found] == [
        ("error", typography.plain(written).rstrip("."))
    ] or [(str(f.severity), typography.plain(f.excerpt(text))) for f in found] == [
        ("error", typography.plain(written))
    ], found


def test_the_employer_written_to_without_its_legal_form_is_the_employer() -> None:
    employer = Company(30, "O’Reilly Media, Inc.")
    opportunity = Opportunity(
        200, company_id=30, company="O’Reilly Media, Inc.", role="Data Analyst"
    )
    contact = replace(r.DANA, company_id=30)
    text = (
        "Dear Ms. Lee,\n\nThank you for the Data Analyst interview at O'Reilly Media today. "
        "I'm happy to answer any questions.\n\nBest,\nAlex Kim"
    )
    found = check(
        text,
        channel=Channel.EMAIL,
        opportunity=opportunity,
        company=employer,
        contact=contact,
        pipeline_companies=(employer,),
        settings=r.SETTINGS,
        rule="interview.thank-you",
    )
    assert [f for f in found if f.code == "wrong-company"] == []


def test_a_one_word_legal_stem_that_is_an_ordinary_word_is_not_a_name() -> None:
    other = Company(61, "Target Inc.")
    contact = replace(r.DANA, company_id=30)
    text = _letter("Ms. Lee", "I set a target date for the project. ")

    assert [f for f in _run(text, contact, (other,)) if f.code == "wrong-company"] == []


@given(st.text())
def test_plain_keeps_offsets_and_fold_ignores_look_alikes(text: str) -> None:
    assert len(typography.plain(text)) == len(text)
    assert typography.fold(text) == typography.fold(typography.plain(text))
    assert not typography.VARIANTS & set(typography.plain(text))


# --- a name ending in a full stop ends a sentence with one ----------------------------------

NAME_WORD = st.sampled_from(["Brightwave", "Olsen", "Harbor", "Quill", "Vantor", "Media"])


@EXAMPLES
@given(
    employer=st.lists(NAME_WORD, min_size=1, max_size=2).map(" ".join),
    suffix=st.sampled_from([", Inc.", " Ltd.", " Co.", " S.A.", " Jr."]),
    person=st.lists(NAME_WORD, min_size=2, max_size=2).map(" ".join),
)
def test_no_message_doubles_a_full_stop_after_a_name(
    employer: str, suffix: str, person: str
) -> None:
    """Every message the checker can give about the employer or the addressee, with names
    that end in ".": another employer named, one misspelt, the wrong greeting, none named."""
    name = employer + suffix
    ours = Company(30, name)
    other = Company(60, "Northwind Analytics, Inc.")
    opportunity = Opportunity(200, company_id=30, company=name, role="Data Analyst")
    contact = replace(r.DANA, id=70, name=person + suffix, company_id=30, salutation="")
    texts = [
        "Dear Ms. Lee,\n\nI also met Northwind Analytics and Northwnd Analytics. Target "
        "dates are set. Thanks.\n",
        "Dear Dana,\n\nHello.\n",
        f"Dear {person.split()[0]}x,\n\nThanks.\n",
    ]
    for text in texts:
        found = check(
            text,
            channel=Channel.EMAIL,
            opportunity=opportunity,
            company=ours,
            contact=contact,
            pipeline_companies=(ours, other, Company(61, "Target")),
            people=[r.DANA],
            settings=r.SETTINGS,
            rule="interview.thank-you",
        )
        assert found, text
        for finding in found:
            assert ".." not in finding.message.replace("...", ""), finding.message
