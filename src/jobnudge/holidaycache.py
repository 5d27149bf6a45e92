"""Public holidays kept in a small file, so a command does not rebuild a country's calendar.

Importing the ``holidays`` package and computing a country's year costs about 100 ms, more than
the rest of ``nudge today``; the dates themselves are a few dozen per country and year. The
command line therefore reads them from ``<data dir>/cache/holidays.json``, computing (and
adding) a country-year only the first time it is asked for. The file is keyed by where the
installed ``holidays`` package lives and when it was installed, so an upgrade recomputes
everything. A missing, unreadable or foreign file is simply rebuilt; writing it is best-effort
(a read-only data dir only loses the speed-up).
"""

from __future__ import annotations

import json
import os
import threading
from datetime import date

from jobnudge import keptfile

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the agenda's fast path
if TYPE_CHECKING:
    from typing import Any

FORMAT = 1


class HolidayFile:
    """The cache file: ``{"format", "package", "years": {"US/2026": {"2026-01-01": name}}}``."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._years: dict[str, dict[str, str]] | None = None
        self._stamp = ""

    def year(self, country: str, year: int) -> dict[date, str]:
        """The holidays of ``country`` in ``year``, by date, computed on first use."""
        key = f"{country.upper()}/{year}"
        with self._lock:
            years = self._load()
            found = years.get(key)
            if found is None:
                found = {day.isoformat(): name for day, name in _compute(country, year).items()}
                years[key] = found
                self._save()
        return {date.fromisoformat(day): name for day, name in found.items()}

    def _load(self) -> dict[str, dict[str, str]]:
        if self._years is None:
            self._stamp = keptfile.package_stamp("holidays")
            self._years = {}
            try:
                with open(self.path, encoding="utf-8") as kept:
                    data = json.load(kept)
            except (OSError, ValueError):
                data = None
            if (
                isinstance(data, dict)
                and data.get("format") == FORMAT
                and data.get("package") == self._stamp
                and isinstance(data.get("years"), dict)
            ):
                self._years = data["years"]
        return self._years

    def _save(self) -> None:
        document = {"format": FORMAT, "package": self._stamp, "years": self._years}
        keptfile.write(self.path, json.dumps(document, sort_keys=True).encode())


class CountryHolidays:
    """One country's holidays, answering ``day in`` and ``.get(day)`` year by year."""

    def __init__(self, source: HolidayFile, country: str) -> None:
        self._source = source
        self._country = country
        self._years: dict[int, dict[date, str]] = {}

    def _of(self, year: int) -> dict[date, str]:
        if year not in self._years:
            self._years[year] = self._source.year(self._country, year)
        return self._years[year]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in self._of(day.year)

    def get(self, day: date, default: Any = None) -> Any:
        return self._of(day.year).get(day, default)


def _compute(country: str, year: int) -> dict[date, str]:
    import holidays

    try:
        table = holidays.country_holidays(country.upper(), years=year)
    except NotImplementedError:
        return {}  # a country the package does not know: weekends only
    return {day: str(name) for day, name in sorted(table.items()) if day.year == year}


def install(folder: str | os.PathLike[str]) -> None:
    """Make the playbook's calendar read holidays through ``folder/holidays.json``."""
    from jobnudge.playbook import calendar

    kept = HolidayFile(os.path.join(folder, "holidays.json"))
    calendar.use_holiday_source(lambda country: CountryHolidays(kept, country))
