"""A city typed alone (``--tz Istanbul``) finds its zone whenever every zone named after it
keeps the same clock, as ``--tz Tokyo`` does."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge import zones
from jobnudge.errors import ConfigError


def _by_city() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for name in zones.zone_names():
        found[name.rsplit("/", 1)[-1]].append(name)
    return dict(found)


CITIES = _by_city()
SHARED = sorted(city for city, names in CITIES.items() if len(names) > 1)


def test_some_cities_are_named_by_two_regions() -> None:
    assert "Istanbul" in SHARED  # Europe/Istanbul and its alias Asia/Istanbul


@pytest.mark.parametrize("typed", ["Istanbul", "istanbul", " ISTANBUL "])
def test_istanbul_is_its_place(typed: str) -> None:
    assert zones.canonical(typed, "--tz") == "Europe/Istanbul"


@settings(max_examples=60, deadline=None)
@given(
    city=st.sampled_from(sorted(CITIES)),
    moment=st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1)),
)
def test_a_city_alone_keeps_every_namesake_clock(city: str, moment: datetime) -> None:
    """Found, or refused naming the field: and when found, the zone's clock is the one of
    every zone named after the city at any moment."""
    typed = city.replace("_", " ")
    try:
        found = zones.canonical(typed, "--tz")
    except ConfigError as exc:
        assert exc.message.startswith("--tz: ")
        return
    instant = moment.replace(tzinfo=UTC)
    for name in CITIES[city]:
        theirs = instant.astimezone(ZoneInfo(name)).utcoffset()
        assert instant.astimezone(ZoneInfo(found)).utcoffset() == theirs, (city, name)
    assert found in CITIES[city] or found.lower() == city.lower()


def test_every_shared_city_with_one_clock_is_found() -> None:
    probe = [datetime(2026, 1, 15, tzinfo=UTC) + timedelta(days=91 * n) for n in range(4)]
    for city in SHARED:
        offsets = {
            tuple(d.astimezone(ZoneInfo(n)).utcoffset() for d in probe) for n in CITIES[city]
        }
        if len(offsets) == 1:
            assert zones.canonical(city, "--tz") in CITIES[city]
