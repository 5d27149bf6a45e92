"""`nudge log` takes a date written the way jobnudge prints one, weekday and all, and refuses
a weekday the date does not fall on, naming the option and the right weekday."""

from __future__ import annotations

from tests.cli.conftest import Nudge


def test_the_cli_takes_a_printed_date(nudge: Nudge) -> None:
    nudge("add", "Café Lumière", "Barista")
    nudge("log", "café", "scheduled", "--for", "Thu 10 Dec 9:30pm")
    wrong = nudge("log", "café", "scheduled", "--for", "Wed 10 Dec 9:30pm", ok=False)
    assert wrong.returncode != 0
    assert "Traceback" not in wrong.stderr
    assert "--for" in wrong.stderr and "Thursday" in wrong.stderr
