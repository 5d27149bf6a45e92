"""Company names written loosely: misspelt ("Brightline Helth") or by a distinctive part of the
name ("Parkside" for Parkside Bank). Caught when they are names; never on ordinary English."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jobnudge.domain import Channel, Company, Opportunity
from jobnudge.drafts import Finding, Severity, check, spelling
from jobnudge.drafts.text import WORD, fold

from . import records as r

BRIGHTLINE = Company(30, "Brightline Health", domains=("brightline.example",))
PARKSIDE = Company(31, "Parkside Bank", domains=("parksidebank.example",))
OTHERS = (
    PARKSIDE,
    Company(32, "Northwind Analytics"),
    Company(33, "Quellwerk GmbH"),
    Company(34, "Harbor & Pine"),
    Company(35, "Blue Harbor Health"),
    Company(36, "Summit Partners"),
    Company(37, "Granite Insurance"),
    Company(38, "Vantage Energy"),
    Company(39, "Target"),
    Company(40, "Initech Solutions"),
)
PIPELINE = (*r.PIPELINE, BRIGHTLINE, *OTHERS)
OPPORTUNITY = Opportunity(200, company_id=30, company="Brightline Health", role="Data Analyst")
DANA = replace(r.DANA, company_id=30)
EXAMPLES = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


def run(text: str, rule: str | None = "interview.thank-you") -> list[Finding]:
    return check(
        text,
        channel=Channel.EMAIL,
        opportunity=OPPORTUNITY,
        company=BRIGHTLINE,
        contact=DANA,
        pipeline_companies=PIPELINE,
        settings=r.SETTINGS,
        rule=rule,
    )


def company_findings(text: str, rule: str | None = None) -> list[tuple[str, str]]:
    found = run(text, rule)
    return [(str(f.severity), f.excerpt(text)) for f in found if f.code == "wrong-company"]


def letter(text: str) -> str:
    return f"Dear Ms. Lee,\n\n{text} I'm happy to answer any questions.\n\nBest,\nAlex Kim"


# --- examples ---------------------------------------------------------------------------------


def test_a_misspelt_name_of_the_company_written_to_is_an_error() -> None:
    text = letter("Thank you for the Data Analyst interview at Brightline Helth today.")

    found = [f for f in run(text) if f.code == "wrong-company"]

    assert [(f.severity, f.excerpt(text)) for f in found] == [(Severity.ERROR, "Brightline Helth")]
    assert "misspelling of Brightline Health" in found[0].message


def test_another_employer_named_by_a_distinctive_part_of_its_name_is_an_error() -> None:
    text = letter("Thank you for the interview at Brightline Health. Parkside asked me too.")

    found = [f for f in run(text) if f.code == "wrong-company"]

    assert [(f.severity, f.excerpt(text)) for f in found] == [(Severity.ERROR, "Parkside")]
    assert "Parkside Bank, another employer" in found[0].message


def test_the_right_company_by_a_distinctive_part_names_the_employer() -> None:
    text = letter("Thank you for meeting me at Brightline today.")

    assert company_findings(text, "interview.thank-you") == []


def test_ordinary_words_from_company_names_never_count() -> None:
    text = letter(
        "Thank you for the interview at Brightline Health. I walked past the bank by the "
        "park side of the harbor, a summit of granite and pine, with blue energy."
    )

    assert company_findings(text) == []


def test_a_misspelt_other_employer_is_named_as_that_employer() -> None:
    text = letter("Thank you for the interview at Brightline Health, unlike Northwnd Analytics.")

    found = company_findings(text)

    assert found == [("error", "Northwnd Analytics")]


def test_an_ordinary_one_word_name_opening_a_sentence_is_only_a_warning() -> None:
    text = letter("Thank you for the interview at Brightline Health. Target dates suit me.")

    assert company_findings(text) == [("warning", "Target")]
    mid = letter("Thank you for the interview at Brightline Health, where Target called me.")
    assert company_findings(mid) == [("error", "Target")]


# --- misspellings, generated ------------------------------------------------------------------

# Names matched loosely: not a one-word ordinary word like Target (see company_names).
NAMES = [
    c.name
    for c in (BRIGHTLINE, *OTHERS)
    if len(c.name.replace(" ", "")) >= 6 and (" " in c.name or not spelling.is_known(c.name))
]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@cache
def dictionary() -> dict[str, int]:
    return spelling.word_counts()


@st.composite
def one_slip(draw: st.DrawFn) -> tuple[str, str]:
    """A company name and the same name with one slip in a letter after the first: a letter
    replaced, added, dropped, or two neighbours swapped."""
    name = draw(st.sampled_from(NAMES))
    letters = [i for i, c in enumerate(name) if c.isalpha() and i > 0]
    at = draw(st.sampled_from(letters))
    kind = draw(st.sampled_from(["replace", "insert", "delete", "swap"]))
    new = draw(st.sampled_from(LETTERS))
    if kind == "replace":
        written = name[:at] + new + name[at + 1 :]
    elif kind == "insert":
        written = name[:at] + new + name[at:]
    elif kind == "delete":
        written = name[:at] + name[at + 1 :]
    else:
        assume(at + 1 < len(name) and name[at + 1].isalpha())
        written = name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    return name, written


def real_words_only(written: str) -> bool:
    """A slip that made real words ("Health" → "Wealth") is left alone by design."""
    known = {fold(w) for c in PIPELINE for n in c.names for w in WORD.findall(n)}
    return all(fold(w) in dictionary() or fold(w) in known for w in WORD.findall(written))


@EXAMPLES
@given(one_slip(), st.sampled_from(["Thank you for meeting me at {}.", "{} was a pleasure."]))
def test_a_company_name_with_one_slip_is_caught(slip: tuple[str, str], sentence: str) -> None:
    name, written = slip
    assume(fold(written) != fold(name) and not real_words_only(written))
    text = letter("Thank you for the interview at Brightline Health. " + sentence.format(written))
    if name == BRIGHTLINE.name:
        text = letter(sentence.format(written))

    found = [f for f in run(text, None) if f.code == "wrong-company"]

    assert [f.excerpt(text) for f in found] == [written], found
    assert found[0].severity is Severity.ERROR


# --- ordinary English, generated --------------------------------------------------------------

COMPANY_WORDS = sorted(
    {fold(w) for c in PIPELINE for n in c.names for w in WORD.findall(n) if fold(w) in dictionary()}
)


@cache
def common_words() -> list[str]:
    """The 5,000 most frequent words of the offline dictionary, and every dictionary word
    that is also part of a company's name ("bank", "health", "summit", "target")."""
    counts = dictionary()
    ordered = sorted((w for w in counts if w.isalpha()), key=lambda w: -counts[w])
    return sorted({*ordered[:5000], *COMPANY_WORDS})


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """A sentence of common words: a capital only at its start (a capital after a comma or a
    semicolon would be a name, not ordinary English), commas and semicolons inside it."""
    words = draw(st.lists(st.sampled_from(common_words()), min_size=3, max_size=14))
    breaks = draw(st.sets(st.integers(0, len(words) - 2), max_size=2))
    marks = [draw(st.sampled_from([",", ";"])) if i in breaks else "" for i in range(len(words))]
    end = draw(st.sampled_from([".", "!", "?"]))
    text = " ".join(w + m for w, m in zip(words, marks, strict=True))
    return text[:1].upper() + text[1:] + end


ONE_WORD_ORDINARY = {n for c in PIPELINE for n in c.names if " " not in n and spelling.is_known(n)}
"""One-word names (aliases too) that are ordinary words: "Acme", "Apple", "Target"."""


@EXAMPLES
@given(st.lists(sentences(), min_size=1, max_size=6))
def test_ordinary_english_sentences_never_name_a_company(lines: list[str]) -> None:
    text = letter(" ".join(lines))

    for severity, written in company_findings(text):
        if not written:  # the whole message names neither the company nor the role: not a name
            continue
        # "Target dates ..." may be the company: said as a warning where a sentence opens.
        assert severity == "warning" and written in ONE_WORD_ORDINARY, (severity, written)


# --- real drafts ------------------------------------------------------------------------------


def corpus_cases() -> list[dict[str, object]]:
    cases: list[dict[str, object]] = []
    for name in ("good.toml", "near-misses.toml"):
        with (Path(__file__).with_name("corpus") / name).open("rb") as handle:
            cases += tomllib.load(handle)["case"]
    return cases


def test_the_good_drafts_stay_clean_in_a_pipeline_of_look_alike_names() -> None:
    pipeline = (*r.PIPELINE, *OTHERS, BRIGHTLINE)
    for case in corpus_cases():
        text = str(case["text"]).strip("\n")
        found = check(
            text,
            channel=Channel(str(case["channel"])),
            opportunity=r.OPPORTUNITY,
            company=r.ACME,
            contact=None,
            pipeline_companies=pipeline,
            settings=replace(r.SETTINGS, checks_off=frozenset({"wrong-recipient"})),
            people=[r.DANA, r.SAM, r.PRIYA, r.OMAR, r.RINA],
            rule=str(case["rule"]),
        )
        errors = [f for f in found if f.code == "wrong-company" and f.start < f.end]
        assert errors == [], (case["name"], errors)
