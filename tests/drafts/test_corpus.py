"""The hand-written corpus: bad drafts raise exactly the findings listed, good ones none."""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from jobnudge.domain import Channel, Company, Contact
from jobnudge.drafts import MESSAGE_CHANNELS, check

from . import records as r

CORPUS = Path(__file__).with_name("corpus")
PEOPLE: dict[str, Contact | None] = {
    "dana": r.DANA,
    "sam": r.SAM,
    "priya": r.PRIYA,
    "omar": r.OMAR,
    "rina": r.RINA,
    "raj": r.RAJ,
    "none": None,
}


def cases(name: str) -> list[dict[str, Any]]:
    with (CORPUS / name).open("rb") as handle:
        return list(tomllib.load(handle)["case"])


def run(case: dict[str, Any]) -> tuple[str, list[tuple[str, str, str]]]:
    contact = PEOPLE[case["addressee"]]
    company: Company | None = r.ACME
    if contact is not None:
        company = next((c for c in r.PIPELINE if c.id == contact.company_id), None)
    settings = replace(r.SETTINGS, checks_off=frozenset(case.get("checks_off", ())))
    text = case["text"].strip("\n")
    findings = check(
        text,
        channel=Channel(case["channel"]),
        opportunity=r.OPPORTUNITY,
        company=company,
        contact=contact,
        pipeline_companies=r.PIPELINE,
        settings=settings,
        people=[p for p in (PEOPLE[k] for k in case.get("people", ())) if p is not None],
        to_address=case.get("to_address", ""),
        blocked_by=case.get("blocked_by", ()),
        rule=case["rule"],
    )
    return text, [(f.code, str(f.severity), f.excerpt(text)) for f in findings]


@pytest.mark.parametrize("case", cases("bad.toml"), ids=lambda c: c["name"])
def test_bad_drafts_raise_exactly_the_listed_findings(case: dict[str, Any]) -> None:
    _, found = run(case)
    expected = [tuple(e) for e in case["expect"]]
    listed_hints = any(severity == "hint" for _, severity, _ in expected)
    serious = [f for f in found if f[1] != "hint" or listed_hints]
    assert Counter(f[:2] for f in serious) == Counter(e[:2] for e in expected), found
    unmatched = list(serious)
    for code, severity, excerpt in sorted(expected, key=lambda e: -len(e[2])):
        match = next(
            (f for f in unmatched if f[:2] == (code, severity) and f[2].startswith(excerpt)),
            None,
        )
        assert match is not None, f"no {code} at {excerpt!r} in {found}"
        unmatched.remove(match)


@pytest.mark.parametrize(
    "case", cases("good.toml") + cases("near-misses.toml"), ids=lambda c: c["name"]
)
def test_good_drafts_raise_no_error_or_warning(case: dict[str, Any]) -> None:
    _, found = run(case)
    assert [f for f in found if f[1] != "hint"] == []


def test_good_corpus_covers_every_rule_and_channel() -> None:
    covered = {(c["rule"], c["channel"]) for c in cases("good.toml")}
    wanted = {(rule, str(ch)) for rule, chans in MESSAGE_CHANNELS.items() for ch in chans}
    assert wanted <= covered, sorted(wanted - covered)


def test_bad_corpus_covers_every_code() -> None:
    from jobnudge.drafts import CODES

    raised = {e[0] for c in cases("bad.toml") for e in c["expect"]}
    assert raised == set(CODES)
