"""Time zone names as people type them: any case, a city alone, never a zone that is an hour off
half the year. Shared by the settings file, the command line and the web forms."""

from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jobnudge import zone_cities
from jobnudge.errors import ConfigError

MAX_ZONE_CHARS = 64
"""The longest IANA zone name is about 30 characters."""

_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*")


def looks_like_zone(text: str) -> bool:
    """Whether ``text`` has the shape of a zone name, checked before any lookup: ZoneInfo
    opens a file named after the zone, so a 300-character or ``../`` name would reach the
    file system (and raise ``OSError: File name too long``)."""
    return (
        isinstance(text, str)
        and len(text) <= MAX_ZONE_CHARS
        and _ZONE_NAME.fullmatch(text) is not None
    )


def check_zone(zone: str, field_name: str) -> str:
    """Return ``zone`` if it is a known IANA zone, else raise naming the field."""
    try:
        if not looks_like_zone(zone):
            raise ValueError(zone)
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        shown = zone if len(zone) <= MAX_ZONE_CHARS else f"{zone[:MAX_ZONE_CHARS]}…"
        raise ConfigError(
            f"{field_name}: '{shown}' is not an IANA time zone; use a name like "
            "'America/New_York' or 'Europe/Berlin'."
        ) from exc
    return zone


_FIXED_ZONES = {
    "EST": "America/New_York",
    "MST": "America/Denver (or America/Phoenix, which keeps standard time all year)",
    "HST": "Pacific/Honolulu",
}
"""Old zone names with no daylight saving time: right in winter only, so refused with the zone
people mean."""

_ABBREVIATIONS = {
    "EDT": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "BST": "Europe/London",
    "IST": "Asia/Kolkata (or Europe/Dublin)",
    "CEST": "Europe/Berlin",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "JST": "Asia/Tokyo",
}
"""Abbreviations people type for a zone, which are not zones; the message names one that is."""

_NOT_PLACES = frozenset({"factory", "localtime"})


@lru_cache(maxsize=1)
def _zones_by_lower_name() -> dict[str, str]:
    from zoneinfo import available_timezones

    return {name.lower(): name for name in available_timezones()}


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """The time zones a person would pick from a list: regions and cities (plus UTC), not
    ``Etc/GMT+5``, the fixed-offset ``EST`` or old aliases like ``US/Eastern`` (which stay
    valid when typed)."""
    legacy = ("Etc/", "SystemV/", "US/", "posix/", "right/", "Canada/", "Mexico/", "Brazil/")
    names = {n for n in _zones_by_lower_name().values() if "/" in n and not n.startswith(legacy)}
    return tuple(sorted(names | {"UTC"}))


def canonical(text: str, field: str) -> str:
    """The IANA time zone meant by ``text``, in its canonical spelling: case does not matter
    (``america/denver``), nor spaces for underscores or accents, and a city alone is enough
    when only one zone is named after it (``Denver``) or it is a big city keeping one zone's
    clock (``San Francisco``, ``jobnudge.zone_cities``); anything else is refused with the
    nearest known name. Zones without daylight saving time that people pick by
    mistake (``EST``, ``MST``, ``HST``) and abbreviations (``PST``) are refused with the zone
    to use instead."""
    cleaned = text.strip()
    word = "_".join(cleaned.split()).lower()
    upper = word.upper()
    if upper in _FIXED_ZONES:
        raise ConfigError(
            f"{field}: '{cleaned}' keeps standard time all year, so it is an hour off in summer; "
            f"use the place's zone, e.g. {_FIXED_ZONES[upper]}."
        )
    if upper in _ABBREVIATIONS:
        raise ConfigError(
            f"{field}: '{cleaned}' is an abbreviation, not a time zone; use the place's zone, "
            f"e.g. {_ABBREVIATIONS[upper]}."
        )
    if word in _NOT_PLACES:
        raise ConfigError(
            f"{field}: '{cleaned}' is not a place's time zone; use a name like "
            "'America/New_York' or 'Europe/Berlin'."
        )
    found = _zones_by_lower_name().get(word)
    place = zone_cities.key(cleaned)
    if found is None and "/" not in word and place:
        found = _city_zone(place) or zone_cities.zone_of(place)
    try:
        return check_zone(found or cleaned, field)
    except ConfigError as exc:
        close = _suggestion(cleaned)
        raise ConfigError(exc.message + (f" Did you mean {close}?" if close else "")) from None


def _suggestion(typed: str) -> str:
    """The known zone or city nearest to what was typed, as the refusal suggests it."""
    if len(typed) > MAX_ZONE_CHARS:
        return ""
    if "/" in typed:
        zones = {zone_cities.key(n): (n, n) for n in zone_names()}
        found = zone_cities.nearest(typed, zones)
        return f"'{found[1]}'" if found else ""
    found = zone_cities.nearest(typed, _places())
    return f"'{found[0]}' ({found[1]})" if found else ""


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, str]]:
    """Every city jobnudge finds a zone for, by key: its name and its zone."""
    places = {}
    for place in _by_city():
        zone = _city_zone(place)
        if zone is not None:
            places[place] = (zone_cities.shown(zone.rsplit("/", 1)[-1]), zone)
    for place, zone in zone_cities.CITIES.items():
        places.setdefault(place, (zone_cities.NAMES[place], zone))
    return places


def _city_zone(word: str) -> str | None:
    """The zone named after the city ``word`` (lower case): the only one, or, when several names
    are one zone kept under two regions (``Europe/Istanbul`` and its old alias
    ``Asia/Istanbul``), the name the time zone database lists as the place's own."""
    cities = _by_city().get(word, [])
    if len(cities) <= 1:
        return cities[0] if cities else None
    if len({_zone_bytes(n) for n in cities}) != 1:
        return None  # different clocks under one city name: the region must be typed
    listed = [n for n in cities if n in _listed_zones()]
    return (listed or sorted(cities))[0]


@lru_cache(maxsize=1)
def _by_city() -> dict[str, list[str]]:
    """The zones named after each city, by the city's key (``los_angeles``)."""
    found: dict[str, list[str]] = {}
    for name in zone_names():
        found.setdefault(zone_cities.key(name.rsplit("/", 1)[-1]), []).append(name)
    return found


@lru_cache(maxsize=1)
def _listed_zones() -> frozenset[str]:
    """The zones ``zone.tab`` names for places (not the aliases kept for old names)."""
    data = _zone_bytes("zone.tab") or b""
    rows = data.decode("utf-8", "replace").splitlines()
    return frozenset(
        r.split("\t")[2] for r in rows if r and not r.startswith("#") and r.count("\t") >= 2
    )


_NOT_FOR_NUMBERS = ("right/", "posixrules")


def _zone_bytes(name: str) -> bytes | None:
    """The TZif data of ``name`` where ZoneInfo would find it (the system's, else tzdata)."""
    import importlib.resources
    import zoneinfo
    from pathlib import Path

    for root in zoneinfo.TZPATH:
        path = Path(root) / name
        if path.is_file():
            return path.read_bytes()
    try:
        return importlib.resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).read_bytes()
    except (ModuleNotFoundError, OSError):
        return None


@lru_cache(maxsize=1)
def _one_name_per_zone() -> dict[str, str]:
    """Every zone name to the one name of all zones with the very same rules (``Etc/UTC``,
    ``UCT``, ``Zulu`` to ``UTC``): ``UTC`` if among them, else the shortest, then first."""
    groups: dict[bytes, list[str]] = {}
    for name in _zones_by_lower_name().values():
        data = _zone_bytes(name)
        if data is not None:
            groups.setdefault(data, []).append(name)
    found: dict[str, str] = {}
    for names in groups.values():
        chosen = "UTC" if "UTC" in names else min(names, key=lambda n: (len(n), n))
        found |= dict.fromkeys(names, chosen)
    return found


def same_rules_name(zone: str, field: str) -> str:
    """One name for every zone with the same rules, so that numbers kept per time zone are
    kept once for ``UTC`` and ``Etc/UTC`` (``posix/X`` is ``X``). The leap-second ``right/``
    zones and ``posixrules`` are not places' zones (days counted in them would be seconds
    off): refused naming ``field``."""
    if zone.startswith(_NOT_FOR_NUMBERS) or zone.lower() == "posixrules":
        raise ConfigError(
            f"{field}: '{zone[:MAX_ZONE_CHARS]}' is not a place's time zone; set a name like "
            "'America/New_York' or 'Europe/Berlin' in Settings."
        )
    check_zone(zone, field)
    plain = zone.removeprefix("posix/")
    return _one_name_per_zone().get(plain, zone)
