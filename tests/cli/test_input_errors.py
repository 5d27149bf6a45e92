"""Bad input: one clear sentence naming the field and the fix, a non-zero exit, nothing written."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Nudge

NOW = "2026-03-02 10:00"


def snapshot(nudge: Nudge) -> tuple[object, object, object]:
    return (
        nudge.json("list", now=NOW),
        nudge.json("contact", "list", now=NOW),
        [nudge.json("show", str(o["id"]), now=NOW)["events"] for o in nudge.json("list", now=NOW)],
    )


@pytest.fixture
def seeded(nudge: Nudge) -> Nudge:
    nudge("add", "Acme Corp", "Data Analyst", "--applied", "2026-02-23", now=NOW)
    nudge("add", "Acme Labs", "Researcher", now=NOW)
    return nudge


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("log", "acme corp", "interviewed", "--at", "someday soonish"), 2, "--at"),
        (("log", "acme corp", "interviewed", "--at", "2027-01-01"), 2, "in the future"),
        (("log", "acme corp", "scheduled", "--with", "Dana Lee"), 2, "--for"),
        (("log", "acme corp", "scheduled", "--for", "yesterday 3pm"), 2, "already passed"),
        (
            ("log", "acme corp", "scheduled", "--at", "2026-03-01", "--for", "2026-02-27"),
            2,
            "already passed",
        ),
        (("log", "acme corp", "danced"), 2, "EVENT"),
        (("log", "acme corp", "interviewed", "--kind", "telepathy"), 2, "--kind"),
        (("log", "acme corp", "sent", "--channel", "pigeon"), 2, "--channel"),
        (("log", "acme corp", "references"), 2, "--with"),
        (("log", "acme corp", "interviewed", "--round", "0", "--with", "New Person"), 2, "--round"),
        (("log", "nosuch", "applied"), 4, "nothing matches"),
        (("log", "acme", "applied"), 5, "#1 Acme Corp"),
        (("add", "Acme Corp", "Data Analyst"), 6, "--again"),
        (("add", "Globex", "Analyst", "--applied", "whenever-ish"), 2, "--applied"),
        (("add", "Globex", "Analyst", "--posting", "not a url"), 2, "--posting"),
        (("add", "Globex", "Analyst", "--responds-within", "soon"), 2, "--responds-within"),
        (("add", "Globex", "Analyst", "--referred-by", "Sam", "--via", "smoke"), 2, "--via"),
        (("contact", "add", "Dana Lee", "--tz", "Mars/Olympus"), 2, "--tz"),
        (("contact", "add", "Dana Lee", "--country", "XX"), 2, "--country"),
        (("contact", "add", "Dana Lee", "--email", "dana-at-acme"), 2, "--email"),
        (("contact", "add", "Dana Lee", "--role", "boss"), 2, "--role"),
        (("contact", "edit", "Nobody Here", "--email", "a@b.example"), 4, "nobody called"),
        (("snooze", "zzzzzzz"), 4, "no pending follow-up"),
        (("dismiss", "zzzzzzz", "--reason", " "), 2, "--reason"),
    ],
)
def test_bad_input_is_refused_clearly_and_writes_nothing(
    seeded: Nudge, args: tuple[str, ...], code: int, words: str
) -> None:
    before = snapshot(seeded)
    result = seeded(*args, now=NOW, ok=False)
    assert result.returncode == code, result.stderr
    assert result.stderr.startswith("error: ")
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(seeded) == before


def test_a_broken_settings_file_names_the_key(nudge: Nudge) -> None:
    (nudge.home / "config.toml").write_text("[playbook]\napply_check_in_dayz = 8\n")
    result = nudge("today", ok=False)
    assert result.returncode == 3
    assert "apply_check_in_dayz" in result.stderr and "Known settings" in result.stderr
    (nudge.home / "config.toml").write_text("[playbook]\ncooldown_days = -1\n")
    result = nudge("today", ok=False)
    assert result.returncode == 3 and "cooldown_days" in result.stderr


def test_contradictory_settings_name_both_numbers_and_the_fix(nudge: Nudge) -> None:
    (nudge.home / "config.toml").write_text(
        "[playbook]\nworkday_start_hour = 18\nworkday_end_hour = 8\n"
    )
    result = nudge("settings", ok=False)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert "'workday_start_hour' (18, i.e. 18:00) must be before 'workday_end_hour'" in (
        result.stderr
    )
    assert "Lower workday_start_hour or raise workday_end_hour" in result.stderr
    (nudge.home / "config.toml").write_text(
        "[playbook]\nlater_round_status_min_days = 20\nlater_round_status_max_days = 8\n"
    )
    result = nudge("today", ok=False)
    assert result.returncode == 3
    assert "'later_round_status_min_days' (20 days) must be at most" in result.stderr


def test_a_schedule_logged_afterwards_is_history(seeded: Nudge) -> None:
    """Scheduled on Wednesday for Friday, logged on Monday: both moments are past, in order."""
    seeded(
        "log",
        "acme corp",
        "scheduled",
        "--at",
        "2026-02-25 09:00",
        "--for",
        "2026-02-27 14:00",
        now=NOW,
    )
    events = seeded.json("show", "acme corp", now=NOW)["events"]
    assert any(e["type"] == "scheduled" for e in events)
