"""Every reminder setting is documented in docs/reminders.md, and the README shows the setup."""

from __future__ import annotations

from pathlib import Path

from jobnudge.remindconfig import REMIND_KEYS

ROOT = Path(__file__).resolve().parents[2]


def test_every_reminder_setting_is_in_the_reminders_docs() -> None:
    text = (ROOT / "docs" / "reminders.md").read_text(encoding="utf-8")
    for key in REMIND_KEYS:
        assert f"`remind.{key}`" in text, f"remind.{key} is not in docs/reminders.md"


def test_the_readme_shows_the_two_lines() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "nudge remind --install --channel email --channel apprise" in text
