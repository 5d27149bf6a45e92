"""Settings validation (config.py): playbook numbers that contradict each other are refused with
a message naming both settings and the fix, as a ConfigError like the range checks."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.config import PLAYBOOK_SPECS, SPEC_BY_NAME, Playbook, parse
from jobnudge.drafts.findings import CODES
from jobnudge.errors import ConfigError

PROFILE = {"tz": "America/New_York", "country": "US"}


def settings_with(**numbers: Any) -> Playbook:
    return parse({"profile": PROFILE, "playbook": numbers}, "settings").playbook


@pytest.mark.parametrize(
    ("numbers", "first", "second"),
    [
        (
            {"workday_start_hour": 18, "workday_end_hour": 8},
            "workday_start_hour",
            "workday_end_hour",
        ),
        ({"workday_start_hour": 17}, "workday_start_hour", "workday_end_hour"),  # end: default 17
        (
            {"later_round_status_min_days": 20, "later_round_status_max_days": 8},
            "later_round_status_min_days",
            "later_round_status_max_days",
        ),
        (
            {"later_round_status_min_days": 11},
            "later_round_status_min_days",
            "later_round_status_max_days",
        ),
        (
            {"apply_check_in_days": 12, "apply_check_in_window_days": 9},
            "apply_check_in_days",
            "apply_check_in_window_days",
        ),
        (
            {"thank_you_min_minutes": 180, "thank_you_max_hours": 2},
            "thank_you_min_minutes",
            "thank_you_max_hours",
        ),
        ({"call_start_hour": 21}, "call_start_hour", "call_end_minutes"),  # 21:00 after 20:30
        ({"call_start_hour": 9, "call_end_minutes": 540}, "call_start_hour", "call_end_minutes"),
    ],
)
def test_contradictory_pairs_are_refused_naming_both_and_the_fix(
    numbers: dict[str, float], first: str, second: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_with(**numbers)

    message = caught.value.message
    assert message.startswith("settings: playbook: ")
    assert f"'{first}'" in message and f"'{second}'" in message
    assert f"Lower {first} or raise {second}" in message  # says what to change
    assert caught.value.fields == (first, second)
    assert caught.value.exit_code != 0 and 400 <= caught.value.http_status < 500


@pytest.mark.parametrize(
    "numbers",
    [
        {},
        {"workday_start_hour": 8, "workday_end_hour": 18},
        {"later_round_status_min_days": 10, "later_round_status_max_days": 10},  # one day
        {"apply_check_in_days": 10},  # the window (10) may end on the day itself
        {"thank_you_min_minutes": 120, "thank_you_max_hours": 2},
        {"call_start_hour": 20, "call_end_minutes": 1230},
        {"workday_start_hour": 22, "workday_end_hour": 23},
    ],
)
def test_consistent_numbers_are_accepted(numbers: dict[str, float]) -> None:
    playbook = settings_with(**numbers)

    assert {k: asdict(playbook)[k] for k in numbers} == numbers


def test_the_defaults_are_consistent_and_within_their_ranges() -> None:
    defaults = Playbook()
    for spec in PLAYBOOK_SPECS:
        assert getattr(defaults, spec.name) == spec.default
        assert spec.minimum <= spec.default <= spec.maximum
    assert SPEC_BY_NAME["workday_start_hour"].default < SPEC_BY_NAME["workday_end_hour"].default
    settings_with()  # no error


def test_a_range_error_still_comes_first_and_names_its_setting() -> None:
    with pytest.raises(ConfigError, match="'workday_end_hour' must be between 0 and 23"):
        settings_with(workday_start_hour=18, workday_end_hour=30)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("America/Denver", "America/Denver"),
        ("america/denver", "America/Denver"),
        ("new york", "America/New_York"),
        ("Europe/Berlin", "Europe/Berlin"),
    ],
)
def test_the_profile_zone_is_read_as_people_type_it(typed: str, stored: str) -> None:
    assert parse({"profile": {"tz": typed}}).profile.tz == stored


@pytest.mark.parametrize(("typed", "hint"), [("EST", "America/New_York"), ("PST", "Los_Angeles")])
def test_a_zone_an_hour_off_half_the_year_is_refused(typed: str, hint: str) -> None:
    with pytest.raises(ConfigError, match=f"profile.tz: '{typed}'.*{hint}"):
        parse({"profile": {"tz": typed}})


def test_an_unknown_zone_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"profile\.tz: 'Mars/Olympus' is not an IANA time zone"):
        parse({"profile": {"tz": "Mars/Olympus"}})


@given(st.lists(st.sampled_from(sorted(CODES)), max_size=5), st.text(min_size=1, max_size=20))
def test_checks_off_accepts_every_checker_code_and_refuses_any_other(
    known: list[str], typo: str
) -> None:
    assert parse({"checks": {"off": known}}).checks_off == frozenset(known)
    if typo in CODES:
        return
    with pytest.raises(ConfigError, match=r"'checks\.off' names .*not a checker code") as refused:
        parse({"checks": {"off": [*known, typo]}})
    assert all(code in str(refused.value) for code in CODES)
    assert refused.value.exit_code == 3


def test_a_misspelt_checker_code_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"checks\.off.*'spellling'.*Checker codes: .*spelling"):
        parse({"checks": {"off": ["spellling"]}})
