"""The holiday file gives the package's answers, reads them back without the package, and
rebuilds itself when the package changes or the file is damaged."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest

from jobnudge import holidaycache, keptfile
from jobnudge.holidaycache import CountryHolidays, HolidayFile
from jobnudge.playbook import calendar


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("country", ["US", "DE", "GB", "IN", "JP"])
def test_the_same_holidays_as_the_package(tmp_path: Path, country: str) -> None:
    kept = CountryHolidays(HolidayFile(tmp_path / "holidays.json"), country)
    package = holidays.country_holidays(country, years=[2026, 2027])
    for day in days_of(2026) + days_of(2027):
        assert (day in kept) == (day in package), day
        assert kept.get(day) == (str(package[day]) if day in package else None)


def test_a_second_run_reads_the_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "holidays.json"
    assert date(2026, 12, 25) in CountryHolidays(HolidayFile(path), "us")

    def refuse(country: str, year: int) -> dict[date, str]:
        raise AssertionError("computed again")

    monkeypatch.setattr(holidaycache, "_compute", refuse)
    again = CountryHolidays(HolidayFile(path), "US")
    assert date(2026, 12, 25) in again and date(2026, 12, 24) not in again


@pytest.mark.parametrize("damage", ["not json", '{"format": 1, "package": "other", "years": {}}'])
def test_a_damaged_or_foreign_file_is_rebuilt(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "holidays.json"
    path.write_text(damage, encoding="utf-8")
    assert date(2026, 7, 3) in CountryHolidays(
        HolidayFile(path), "US"
    )  # Independence Day, observed
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["package"] == keptfile.package_stamp("holidays")
    assert "2026-07-03" in stored["years"]["US/2026"]


def test_an_unwritable_folder_only_loses_the_speed_up(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    kept = CountryHolidays(HolidayFile(blocker / "cache" / "holidays.json"), "DE")
    assert date(2026, 10, 3) in kept


def test_an_unknown_country_has_weekends_only(tmp_path: Path) -> None:
    kept = CountryHolidays(HolidayFile(tmp_path / "holidays.json"), "ZZ")
    assert date(2026, 12, 25) not in kept


def test_the_calendar_uses_the_installed_source(tmp_path: Path) -> None:
    holidaycache.install(tmp_path)
    try:
        assert not calendar.is_working_day(date(2026, 12, 25), "US")
        assert calendar.holiday_name(date(2026, 12, 25), "US") == "Christmas Day"
        assert (tmp_path / "holidays.json").exists()
    finally:
        calendar.use_holiday_source(None)
