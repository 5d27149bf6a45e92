"""Input that once ended in a traceback, or was stored when it should have been refused, now
ends in a one-line message with the exit code of its kind; text stored before these checks
(terminal escapes, Rich markup) is shown as text; an unforeseen error names a log file."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner, Result

from jobnudge.cli.main import app

NOW = "2026-11-24 10:30"
PROFILE = '[profile]\nname = "Alex Morgan"\ntz = "America/New_York"\ncountry = "US"\n'
ZONE_300 = "A" * 300


@dataclass
class Cli:
    home: Path

    @property
    def env(self) -> dict[str, str]:
        return {
            "NUDGE_DATA_DIR": str(self.home / "data"),
            "NUDGE_CONFIG": str(self.home / "config.toml"),
            "NUDGE_NOW": NOW,
            "COLUMNS": "200",
        }

    def __call__(self, *args: str) -> Result:
        result = CliRunner().invoke(app, list(args), env=self.env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert "Traceback" not in result.output
        return result

    def sql(self, statement: str, **values: Any) -> None:
        """Write past every check, as data stored by an older version would be."""
        from jobnudge.store import open_store

        with open_store(None, data_dir=self.home / "data") as store, store.engine.begin() as conn:
            conn.execute(text(statement), values)


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Cli]:
    (tmp_path / "config.toml").write_text(PROFILE, encoding="utf-8")
    runner = Cli(tmp_path)
    assert runner("add", "Acme", "Data Analyst", "--applied", "2026-11-02").exit_code == 0
    yield runner


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["add", "Globex", "Analyst", "--applied", "9999-12-31"],
            2,
            "the year 9999 is not between",
        ),
        (["log", "1", "scheduled", "--for", "9999-12-31T10:00"], 2, "the year 9999 is not between"),
        (["--now", "9999-12-31", "today"], 2, "the year 9999 is not between"),
        (["snooze", "abcdef1", "--until", "0001-01-01"], 2, "the year 0001 is not between"),
        (["log", "1", "interviewed", "--round", "9" * 25], 2, "not in the range 0<=x<=20"),
        (["add", "Globex", "Analyst", "--responds-within", "9" * 25], 2, "at most 365 days"),
        (["add", "Globex", "Analyst", "--priority", str(2**64)], 2, "not in the range 0<=x<=3"),
        (["show", "9" * 25], 4, "nothing matches"),
        (["show", "²"], 4, "nothing matches"),
        (["contact", "edit", str(2**63), "--title", "x"], 4, "contact: nobody has the id"),
        (["mail", "retry", str(2**64)], 2, "not in the range 1<=x<=2147483647"),
        (["mail", "review", "link", str(2**64), "1"], 2, "not in the range"),
        (["contact", "add", "Bob", "--tz", ZONE_300], 2, "is not an IANA time zone"),
        (["contact", "add", "Bob", "--email", "<script>@x.com"], 2, "is not an email address"),
        (["add", "\u200b\u200b", "Analyst"], 2, "COMPANY: must not be empty"),
        (["add", "Globex", "\u200b \ufeff"], 2, "ROLE: must not be empty"),
        (["contact", "add", "\u200b"], 2, "NAME: must not be empty"),
        (["add", "\x1b]0;pwned\x07Globex", "Analyst"], 2, "COMPANY: contains the control"),
        (["add", "Globex", "Analyst", "--note", "hi\x1b[2J"], 2, "contains the control"),
        (["contact", "add", "Dana", "--title", "\x1b[2J"], 2, "title: contains the control"),
    ],
)
def test_bad_input_is_one_line_with_its_exit_code(
    cli: Cli, args: list[str], code: int, message: str
) -> None:
    result = cli(*args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_a_file_name_too_long_is_a_message(cli: Cli, tmp_path: Path) -> None:
    for command, suffix in (("backup", ".json"), ("export", ".csv"), ("calendar", ".ics")):
        result = cli(command, str(tmp_path / ("x" * 300 + suffix)))
        assert result.exit_code == 2, result.output
        assert "cannot be written (File name too long)" in result.output


def test_a_300_character_zone_in_the_settings_file(cli: Cli) -> None:
    (cli.home / "config.toml").write_text(f'[profile]\ntz = "{ZONE_300}"\n', encoding="utf-8")
    result = cli("list")
    assert result.exit_code == 3
    assert "profile.tz: 'AAAA" in result.output and "is not an IANA time zone" in result.output


def test_a_database_in_a_missing_folder_is_refused(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    for args in (["list"], []):
        result = cli("--db", f"sqlite:///{missing / 'x.db'}", *args)
        assert result.exit_code == 7
        assert f"--db: the folder {missing} does not exist" in result.output
    assert not (tmp_path / "no").exists()
    assert cli("--db", f"sqlite:///{tmp_path / 'new.db'}", "list").exit_code == 0


def test_stored_escapes_and_markup_are_shown_as_text(cli: Cli) -> None:
    assert cli("contact", "add", "Dana Lee", "--company", "Acme").exit_code == 0
    cli.sql("UPDATE companies SET name = :name", name="\x1b]0;pwned\x07Acme\x1b[2J [/]")
    cli.sql("UPDATE opportunities SET role = :role", role="[bold red]Analyst\x9b31m")
    cli.sql("UPDATE contacts SET name = :name", name="Dana\x1b[2J [/] Lee")
    for args in (["list"], ["show", "1"], ["contact", "list"], ["today"], []):
        out = cli(*args).output
        assert not any(c in out for c in "\x1b\x07\x9b"), (args, out)
    listed = cli("list").output
    assert "␛]0;pwned" in listed and "Acme␛[2J [/]" in listed and "[bold red]Analyst" in listed
    assert "Dana␛[2J [/] Lee" in cli("contact", "list").output
    assert "␛]0;pwned" in cli("show", "1").output


def test_json_keeps_the_characters_as_escapes(cli: Cli) -> None:
    cli.sql("UPDATE companies SET name = :name", name="\x1bAcme\x9b")
    out = cli("list", "--json").output
    assert "\x1b" not in out and "\x9b" not in out
    assert json.loads(out)[0]["company"] == "\x1bAcme\x9b"


def test_restore_checks_settings_like_the_settings_file(cli: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    assert cli("backup", str(backup)).exit_code == 0
    good = json.loads(backup.read_text())
    cases = {
        "tz": ({"profile": {"tz": "EST"}}, "profile.tz: 'EST' keeps standard time"),
        "days": ({"playbook": {"apply_check_in_days": -5}}, "playbook: 'apply_check_in_days' must"),
        "long": ({"profile": {"tz": ZONE_300}}, "is not an IANA time zone"),
        "key": ({"nonsense": {}}, "unknown section 'nonsense'"),
    }
    for name, (settings, message) in cases.items():
        doc = {**good, "settings": settings}
        target = tmp_path / f"{name}.json"
        target.write_text(json.dumps(doc))
        result = cli("--db", f"sqlite:///{tmp_path / name}.db", "restore", str(target))
        assert result.exit_code == 2, result.output
        assert "settings are refused: settings: " in result.output and message in result.output
        assert "the backup was not restored" in result.output
    doc = dict(good)
    doc["companies"] = [{**doc["companies"][0], "name": "\x1b[2JAcme"}]
    (tmp_path / "escape.json").write_text(json.dumps(doc))
    result = cli(
        "--db", f"sqlite:///{tmp_path / 'escape'}.db", "restore", str(tmp_path / "escape.json")
    )
    assert result.exit_code == 2
    assert (
        "companies[0] is refused: company name: contains the control character ESC" in result.output
    )
    ok = cli("--db", f"sqlite:///{tmp_path / 'ok'}.db", "restore", str(backup))
    assert ok.exit_code == 0, ok.output


def test_an_unforeseen_error_names_a_log_and_shows_no_traceback(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from jobnudge.cli import main
    from jobnudge.services import records

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(records, "opportunity", broken)
    for key, value in cli.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "argv", ["nudge", "show", "1"])
    with pytest.raises(SystemExit) as ended:
        main.run()
    assert ended.value.code == main.INTERNAL_ERROR == 70
    err = capsys.readouterr().err
    log = cli.home / "data" / "crash.log"
    assert err.strip() == (
        "error: jobnudge stopped on an unexpected problem (RuntimeError). The details are in "
        f"{log}; please include them when you report it."
    )
    written = log.read_text()
    assert "nudge show 1" in written and "RuntimeError: a bug" in written
    assert "Traceback (most recent call last)" in written


def test_imports_skip_rows_and_cards_holding_escapes(cli: Cli, tmp_path: Path) -> None:
    sheet = tmp_path / "tracker.csv"
    sheet.write_text(
        "Company,Role,Applied\n\x1b]0;pwned\x07Initech,Analyst,2026-11-02\n"
        "Globex,Engineer,2026-11-03\n\u200b,Engineer,2026-11-03\n",
        encoding="utf-8",
    )
    result = cli("import", str(sheet))
    assert result.exit_code == 0, result.output
    assert "Created: 1 opportunity" in result.output
    assert "row 2: Company: contains the control character ESC (U+001B)" in result.output
    assert "row 4: has no company" in result.output
    cards = tmp_path / "cards.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\x1b]0;x\x07Dana\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Lee\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    result = cli("contact", "import", str(cards))
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    assert "card 1 skipped: name: contains the control character ESC" in result.output
    assert "\x1b" not in cli("list").output + cli("contact", "list").output
