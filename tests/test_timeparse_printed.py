"""A date typed the way jobnudge prints it ("Thu 10 Dec 9:30pm", "Tue 3 Nov 14:00") is read
as that day and minute; a weekday that does not agree with a full date, or fits no year near
today, is refused naming the field and the weekday the date falls on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.cli.agendaview import when
from jobnudge.errors import UsageError
from jobnudge.playbook import wording
from jobnudge.timeparse import Tense, parse_when, read_when
from tests.pinned import PINNED_NOW

ZONES = ("America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "UTC")


def _twelve_hour(value: datetime, tz: str) -> str:
    local = value.astimezone(ZoneInfo(tz))
    hour = local.strftime("%I:%M%p").lstrip("0").lower()
    return f"{wording.day(value, tz)} {hour}"


def _export(value: datetime, tz: str) -> str:  # cli/transfer.py's calendar line
    return f"{value.astimezone(ZoneInfo(tz)):%a %d %b %Y %H:%M}"


MOMENTS: dict[str, Callable[[datetime, str], str]] = {
    "wording.moment": wording.moment,
    "agenda": lambda v, tz: when(v, tz, PINNED_NOW),
    "twelve-hour": _twelve_hour,
    "export": _export,
}
NEAR = st.integers(-150 * 24 * 60, 150 * 24 * 60).map(
    lambda m: (PINNED_NOW + timedelta(minutes=m)).replace(second=0, microsecond=0)
)


def _read(text: str, tz: str, tense: Tense) -> datetime:
    return read_when(text, field="--for", tz=tz, base=PINNED_NOW, tense=tense).astimezone(
        ZoneInfo(tz)
    )


@given(instant=NEAR, tz=st.sampled_from(ZONES), tense=st.sampled_from(list(Tense)))
def test_a_printed_day_reads_back_as_that_day(instant: datetime, tz: str, tense: Tense) -> None:
    text = wording.day(instant.astimezone(UTC), tz)
    assert _read(text, tz, tense).date() == instant.astimezone(ZoneInfo(tz)).date()


@given(
    instant=NEAR,
    tz=st.sampled_from(ZONES),
    tense=st.sampled_from(list(Tense)),
    form=st.sampled_from(sorted(MOMENTS)),
)
def test_a_printed_moment_reads_back_as_that_minute(
    instant: datetime, tz: str, tense: Tense, form: str
) -> None:
    text = MOMENTS[form](instant.astimezone(UTC), tz)
    local = instant.astimezone(ZoneInfo(tz))
    got = _read(text, tz, tense)
    assert got.replace(tzinfo=None) == local.replace(tzinfo=None), text


@given(instant=NEAR, tz=st.sampled_from(ZONES), shift=st.integers(1, 6))
def test_a_weekday_that_disagrees_is_refused_naming_the_real_one(
    instant: datetime, tz: str, shift: int
) -> None:
    local = instant.astimezone(ZoneInfo(tz))
    wrong = local + timedelta(days=shift)
    text = f"{wrong:%a} {local.day} {local:%b %Y}"
    with pytest.raises(UsageError) as refused:
        read_when(text, field="--for", tz=tz, base=PINNED_NOW, tense=Tense.FUTURE)
    message = refused.value.message
    assert message.startswith("--for: ")
    assert f"is a {local:%A}, not a {wrong:%A}" in message


def test_the_reported_forms() -> None:
    tz = "America/New_York"
    got = parse_when("Thu 10 Dec 9:30pm", field="--for", tz=tz, base=PINNED_NOW, tense=Tense.FUTURE)
    assert got.astimezone(ZoneInfo(tz)).replace(tzinfo=None) == datetime(2026, 12, 10, 21, 30)
    # The weekday decides the year, as in an import: 10 Dec 2025 was a Wednesday.
    got = parse_when("Wed 10 Dec", field="--for", tz=tz, base=PINNED_NOW, tense=Tense.FUTURE)
    assert got.astimezone(ZoneInfo(tz)).date() == datetime(2025, 12, 10).date()
    with pytest.raises(UsageError) as refused:
        parse_when("Mon 10 Dec", field="--for", tz=tz, base=PINNED_NOW, tense=Tense.FUTURE)
    assert refused.value.message == (
        "--for: 'Mon 10 Dec': no 10 Dec within a year of today is a Monday; "
        "write the year too, or the date alone."
    )
    with pytest.raises(UsageError) as refused:
        parse_when("Wed 10 Dec 2026", field="--for", tz=tz, base=PINNED_NOW, tense=Tense.FUTURE)
    assert "--for: 'Wed 10 Dec 2026'" in refused.value.message
    assert "10 Dec 2026 is a Thursday, not a Wednesday" in refused.value.message
    with pytest.raises(UsageError) as twice:  # two days that are not a weekday and its date
        parse_when("tomorrow fri", field="--for", tz=tz, base=PINNED_NOW, tense=Tense.FUTURE)
    assert "names two days" in twice.value.message
