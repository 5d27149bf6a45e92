"""When the morning digest may go out: the hour in the user's zone (across DST changes, east
and west of UTC), working days only or every day, and never in quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jobnudge.errors import ConfigError
from jobnudge.remind.schedule import decide, next_send
from jobnudge.remindconfig import Remind, parse_quiet, parse_remind

NY, TOKYO, LA, SYDNEY = "America/New_York", "Asia/Tokyo", "America/Los_Angeles", "Australia/Sydney"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_the_hour_is_local_in_a_zone_west_of_utc() -> None:
    remind = Remind(hour=8)
    assert decide(remind, NY, "US", at("2026-11-24T07:59-05:00")).slot is None
    moment = decide(remind, NY, "US", at("2026-11-24T08:00-05:00"))
    assert moment.slot == "2026-11-24"
    # 08:00 New York is 13:00 UTC: the UTC date is the same, the local day decides.
    assert decide(remind, NY, "US", at("2026-11-24T23:30-05:00")).slot == "2026-11-24"


def test_the_hour_is_local_in_a_zone_east_of_utc() -> None:
    remind = Remind(hour=7.5)
    # 07:30 in Tokyo on Wednesday is still Tuesday 22:30 in UTC.
    early = at("2026-11-25T07:29+09:00")
    assert decide(remind, TOKYO, "JP", early).slot is None
    moment = decide(remind, TOKYO, "JP", at("2026-11-25T07:30+09:00"))
    assert moment.slot == "2026-11-25"
    assert next_send(remind, TOKYO, "JP", early) == at("2026-11-25T07:30+09:00")


def test_the_morning_hour_follows_spring_forward_and_fall_back() -> None:
    remind = Remind(hour=8, days="every")
    # New York springs forward on Sun 8 Mar 2026: 08:00 is 13:00 UTC before, 12:00 after.
    assert next_send(remind, NY, "US", at("2026-03-07T03:00-05:00")) == at("2026-03-07T13:00Z")
    assert next_send(remind, NY, "US", at("2026-03-08T03:00-04:00")) == at("2026-03-08T12:00Z")
    # ... and falls back on Sun 1 Nov 2026.
    assert next_send(remind, NY, "US", at("2026-10-31T03:00-04:00")) == at("2026-10-31T12:00Z")
    assert next_send(remind, NY, "US", at("2026-11-01T03:00-05:00")) == at("2026-11-01T13:00Z")
    # After the hour the digest may go out at once; the day after, at 08:00 again.
    late = at("2026-03-08T09:00-04:00")
    assert next_send(remind, NY, "US", late) == late
    assert decide(remind, NY, "US", at("2026-03-08T07:59-04:00")).slot is None
    # Sydney moves the other way (forward on Sun 4 Oct 2026).
    assert next_send(remind, SYDNEY, "AU", at("2026-10-03T03:00+10:00")) == at("2026-10-02T22:00Z")
    assert next_send(remind, SYDNEY, "AU", at("2026-10-04T03:00+11:00")) == at("2026-10-03T21:00Z")


def test_an_hour_inside_the_spring_forward_gap_is_read_an_hour_later() -> None:
    remind = Remind(hour=2.5, days="every")  # 02:30 does not exist on 8 Mar 2026 in New York
    assert next_send(remind, NY, "US", at("2026-03-08T00:00-05:00")) == at("2026-03-08T03:30-04:00")


def test_working_days_only_skips_the_weekend_and_holidays() -> None:
    remind = Remind(hour=8)
    saturday = at("2026-11-28T09:00-05:00")
    moment = decide(remind, NY, "US", saturday)
    assert moment.slot is None
    assert "not a working day" in moment.why
    assert moment.next_at == at("2026-11-30T08:00-05:00")  # Monday
    # Thanksgiving (Thu 26 Nov 2026) is a US holiday.
    assert decide(remind, NY, "US", at("2026-11-26T09:00-05:00")).slot is None
    every = Remind(hour=8, days="every")
    assert decide(every, NY, "US", saturday).slot == "2026-11-28"


def test_no_digest_during_quiet_hours() -> None:
    remind = Remind(hour=6, days="every", quiet=parse_quiet("21:30-07:15"))
    inside = decide(remind, LA, "US", at("2026-11-24T06:30-08:00"))
    assert inside.slot is None and inside.quiet
    assert inside.next_at == at("2026-11-24T07:15-08:00")
    after = decide(remind, LA, "US", at("2026-11-24T07:15-08:00"))
    assert after.slot == "2026-11-24" and not after.quiet
    late = decide(remind, LA, "US", at("2026-11-24T22:00-08:00"))
    assert late.slot is None and late.quiet
    assert late.next_at == at("2026-11-25T07:15-08:00")


def test_quiet_hours_within_one_day() -> None:
    remind = Remind(hour=8, days="every", quiet=parse_quiet("12:00-13:00"))
    assert decide(remind, NY, "US", at("2026-11-24T12:30-05:00")).quiet
    assert decide(remind, NY, "US", at("2026-11-24T13:00-05:00")).slot == "2026-11-24"


def test_settings_name_the_key_and_the_fix() -> None:
    with pytest.raises(ConfigError, match=r"remind\.hour"):
        parse_remind({"hour": 24})
    with pytest.raises(ConfigError, match=r"remind\.quiet_hours"):
        parse_remind({"quiet_hours": "9pm-7am"})
    with pytest.raises(ConfigError, match="'pager' is not a channel"):
        parse_remind({"channels": ["email", "pager"]})
    with pytest.raises(ConfigError, match=r"remind\.days"):
        parse_remind({"days": "weekdays"})
    with pytest.raises(ConfigError, match=r"unknown key .remind\.url."):
        parse_remind({"url": "ntfy://x"})
    parsed = parse_remind(
        {"hour": 7.5, "channels": ["Email", "apprise", "email"], "quiet_hours": "22:00-06:00"}
    )
    assert parsed.channels == ("email", "apprise")
    assert str(parsed.quiet) == "22:00-06:00"


@pytest.mark.parametrize(
    ("hour", "quiet"), [(23, "22:00-07:00"), (6.5, "21:00-07:30"), (12, "11:00-13:00")]
)
def test_a_digest_hour_inside_the_quiet_hours_is_refused(hour: float, quiet: str) -> None:
    """Such a digest could never go out: say so when it is set, not by silence."""
    from jobnudge.errors import ConfigError

    with pytest.raises(ConfigError, match=r"falls within remind\.quiet_hours"):
        parse_remind({"hour": hour, "quiet_hours": quiet})
    assert parse_remind({"hour": 8, "quiet_hours": quiet if hour != 12 else "21:00-07:00"})


def test_a_malformed_quiet_hours_value_is_quoted_whole() -> None:
    from jobnudge.errors import ConfigError

    with pytest.raises(ConfigError, match="not '22-7'"):
        parse_remind({"quiet_hours": "22-7"})
