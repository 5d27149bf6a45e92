"""Spans of days and time zones typed the way people say them: "2 weeks" is ``2w`` wherever a
response time is typed (and what a posting stating "within 2 weeks" is read as); a big city
that names no zone ("San Francisco") is its zone, and an unknown one is refused with the
nearest known name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge import zone_cities, zones
from jobnudge.errors import ConfigError, UsageError
from jobnudge.postings.statements import response_days
from jobnudge.spans import MAX_DAYS, parse_days

# --- spans of days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("2 weeks", 14),
        ("2w", 14),
        ("14", 14),
        ("two weeks", 14),
        ("a fortnight", 14),
        ("10 days", 10),
        ("10d", 10),
        ("a week", 7),
        ("1 month", 30),
        ("a month", 30),
        ("10 working days", 14),
        ("2 Weeks", 14),
    ],
)
def test_a_span_is_read_however_it_is_written(typed: str, days: int) -> None:
    assert parse_days(typed, field="--responds-within") == days


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2 weeks ago", "is not a number of days; write e.g. '10', '2w' or '2 weeks'"),
        ("soon", "is not a number of days"),
        ("two", "needs its unit"),
        ("13 months", f"at most {MAX_DAYS} days"),
        ("99999999999 days", f"at most {MAX_DAYS} days"),
        ("2 working weeks", "write the days"),
    ],
)
def test_a_span_that_is_no_span_is_refused_naming_the_field(typed: str, words: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_days(typed, field="--responds-within")
    assert refused.value.message.startswith("--responds-within: ")
    assert words in refused.value.message


UNITS = st.sampled_from(
    [("day", 1), ("days", 1), ("d", 1), ("week", 7), ("weeks", 7), ("w", 7), ("months", 30)]
)


@given(n=st.integers(0, 60), unit=UNITS, space=st.booleans(), upper=st.booleans())
def test_a_count_and_its_unit_are_days_times_the_unit(
    n: int, unit: tuple[str, int], space: bool, upper: bool
) -> None:
    word, size = unit
    typed = f"{n}{' ' if space else ''}{word}"
    typed = typed.upper() if upper else typed
    if n * size > MAX_DAYS:
        with pytest.raises(UsageError, match="at most"):
            parse_days(typed, field="--responds-within")
        return
    assert parse_days(typed, field="--responds-within") == n * size


@given(
    n=st.one_of(st.integers(1, 30).map(str), st.sampled_from(["a", "two", "three", "ten"])),
    unit=st.sampled_from(["days", "weeks", "working days", "business days", "months"]),
)
def test_a_typed_span_is_the_span_a_posting_states(n: str, unit: str) -> None:
    """The same words are the same number of days, typed or read in a posting."""
    words = f"{n} {unit}"
    stated = response_days(f"We will respond to every application within {words}.")
    try:
        typed = parse_days(words, field="--responds-within")
    except UsageError:
        assert stated is None  # beyond what either takes
        return
    assert stated == typed or (stated is None and typed > 180)


# --- time zones by city ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("San Francisco", "America/Los_Angeles"),
        ("san francisco", "America/Los_Angeles"),
        ("Munich", "Europe/Berlin"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Bengaluru", "Asia/Kolkata"),
        ("Washington D.C.", "America/New_York"),
        ("Port au Prince", "America/Port-au-Prince"),
    ],
)
def test_a_big_city_is_its_zone(typed: str, zone: str) -> None:
    assert zones.canonical(typed, "--tz") == zone


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("San Fransisco", "'San Francisco' (America/Los_Angeles)"),
        ("Franfurt", "'Frankfurt' (Europe/Berlin)"),
        ("Washingten DC", "'Washington DC' (America/New_York)"),
        ("Europe/Berln", "'Europe/Berlin'"),
        ("Los Angles", "'Los Angeles' (America/Los_Angeles)"),
    ],
)
def test_an_unknown_place_is_refused_with_the_nearest(typed: str, suggested: str) -> None:
    with pytest.raises(ConfigError) as refused:
        zones.canonical(typed, "--tz")
    assert refused.value.message.startswith(f"--tz: '{typed}' is not an IANA time zone")
    assert refused.value.message.endswith(f"Did you mean {suggested}?")


PROBES = [datetime(2026, 1, 15, tzinfo=UTC) + timedelta(days=61 * n) for n in range(6)]


@given(city=st.sampled_from(sorted(zone_cities.CITIES)), case=st.sampled_from(["lower", "title"]))
def test_every_listed_city_keeps_its_zones_clock(city: str, case: str) -> None:
    typed = getattr(zone_cities.NAMES[city], case)()
    found = zones.canonical(typed, "--tz")
    wanted = ZoneInfo(zone_cities.CITIES[city])
    assert found in zones.zone_names()
    for moment in PROBES:
        assert (
            moment.astimezone(ZoneInfo(found)).utcoffset() == moment.astimezone(wanted).utcoffset()
        ), (city, found)


@given(typed=st.text(min_size=1, max_size=30))
def test_any_text_is_a_zone_or_refused_with_a_suggestion_that_works(typed: str) -> None:
    try:
        found = zones.canonical(typed, "--tz")
    except ConfigError as exc:
        assert exc.message.startswith("--tz: ")
        if "Did you mean '" in exc.message:
            suggested = exc.message.split("Did you mean '", 1)[1].split("'", 1)[0]
            assert zones.canonical(suggested, "--tz")
        return
    ZoneInfo(found)
