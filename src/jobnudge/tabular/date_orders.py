"""Which order a column's numeric dates are read in (rules 3 to 5 of ``tabular.dates``): a
value whose first number is over 12 shows the column is day-first, one whose second is over 12
month-first, the larger count wins; a column with no such value follows the file's other date
columns, then the user's country. ISO dates and dates with dots need no custom, and the reason
shown in the dry run says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from jobnudge.tabular.date_times import strip_time
from jobnudge.tabular.dates import (
    DAY_MONTH,
    ISO_DATE,
    NUMERIC_DATE,
    ColumnOrder,
    Order,
    numbers_after_weekday,
)

MDY_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW", "GU", "PR", "AS", "VI", "MP", "UM"})
"""Countries whose people write the month first."""


def country_order(country: str) -> Order:
    return "mdy" if country.upper() in MDY_COUNTRIES else "dmy"


def evidence(value: object) -> Order | None:
    return _evidence(value) if isinstance(value, str) else None


@lru_cache(maxsize=8192)
def _evidence(value: str) -> Order | None:
    """What one value says about its column's order: only ``13/...`` or ``.../13/...``
    settle it."""
    if not isinstance(value, str):
        return None
    text = numbers_after_weekday(strip_time(value.strip()))[0]
    match = NUMERIC_DATE.match(text) or DAY_MONTH.match(text)
    if match is None or match.group(2) == ".":
        return None
    first, second = int(match.group(1)), int(match.group(3))
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    return None


def _tally(values: Iterable[object]) -> tuple[dict[str, int], dict[str, str]]:
    """How many values settle each order, an example of each, and (as "iso", "dots" and
    "slashes") how many dates are ISO's, need no custom, and how many numeric ones are written
    with dots, which are day first whatever the country, and with another separator."""
    counts = {"dmy": 0, "mdy": 0, "dots": 0, "slashes": 0, "iso": 0}
    example = {"dmy": "", "mdy": "", "dots": "", "iso": ""}
    for value in values:
        found = evidence(value)
        if found is not None:
            counts[found] += 1
            example[found] = example[found] or str(value).strip()
        separator = _separator(value)
        if not separator and _is_iso(value):
            counts["iso"] += 1
            example["iso"] = example["iso"] or str(value).strip()
        elif separator == ".":
            counts["dots"] += 1
            example["dots"] = example["dots"] or str(value).strip()
        elif separator:
            counts["slashes"] += 1
    return counts, example


def _is_iso(value: object) -> bool:
    """Whether a value is an ISO date ("2026-11-23"), whose order needs no custom."""
    if not isinstance(value, str):
        return False
    return ISO_DATE.match(numbers_after_weekday(strip_time(value.strip()))[0]) is not None


def _separator(value: object) -> str:
    """The separator of a numeric day-and-month value ("." in "02.11.2026"), or ""."""
    if not isinstance(value, str):
        return ""
    text = numbers_after_weekday(strip_time(value.strip()))[0]
    match = NUMERIC_DATE.match(text) or DAY_MONTH.match(text)
    return match.group(2) if match is not None else ""


def _word(order: Order) -> str:
    return "day first" if order == "dmy" else "month first"


def column_orders(
    columns: Mapping[int, Iterable[object]], country: str, forced: Order | None
) -> dict[int, ColumnOrder]:
    """The order of each date column (by index), by rules 3 to 5 (or ``forced``)."""
    if forced is not None:
        return {i: ColumnOrder(forced, f"{_word(forced)}, as you said (--dates)") for i in columns}
    tallies = {index: _tally(values) for index, values in columns.items()}
    total = {"dmy": 0, "mdy": 0}
    for counts, _example in tallies.values():
        total["dmy"] += counts["dmy"]
        total["mdy"] += counts["mdy"]
    out: dict[int, ColumnOrder] = {}
    for index, (counts, example) in tallies.items():
        if counts["dmy"] or counts["mdy"]:
            order: Order = "dmy" if counts["dmy"] >= counts["mdy"] else "mdy"
            out[index] = ColumnOrder(order, f"{_word(order)}, from values like {example[order]!r}")
        elif total["dmy"] or total["mdy"]:
            order = "dmy" if total["dmy"] >= total["mdy"] else "mdy"
            out[index] = ColumnOrder(order, f"{_word(order)}, like the file's other date columns")
        elif counts["iso"] and not counts["dots"] and not counts["slashes"]:
            out[index] = ColumnOrder(
                country_order(country),
                f"year first, as ISO dates are (like {example['iso']!r})",
            )
        elif counts["dots"] and not counts["slashes"]:
            out[index] = ColumnOrder(
                "dmy", f"day first, as dates written with dots are (like {example['dots']!r})"
            )
        else:
            order = country_order(country)
            out[index] = ColumnOrder(
                order, f"{_word(order)}, the custom in your country ({country.upper()})"
            )
    return out
