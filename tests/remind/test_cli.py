"""`nudge remind` from the command line: --dry-run, bad input, and --install/--uninstall
writing into a temporary home (never the machine's real timers or crontab)."""

from __future__ import annotations

import json
import os
import plistlib
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pinned import PINNED_NOW, as_env

NUDGE = str(Path(sys.executable).parent / "nudge")
PYTHON = Path(NUDGE).read_text(encoding="utf-8").splitlines()[0].removeprefix("#!").strip()
"""The interpreter the installed `nudge` runs with: what the timers are told to run."""

SETTINGS = """
[profile]
name = "Alex Morgan"
tz = "America/New_York"
country = "US"

[remind]
channels = ["apprise"]
"""


def nudge(home: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "NUDGE_DATA_DIR": str(home / "data"),
        "NUDGE_CONFIG": str(home / "config.toml"),
        "NUDGE_NOW": as_env(PINNED_NOW),
    }
    env.pop("NUDGE_APPRISE_URLS", None)
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [NUDGE, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "config.toml").write_text(SETTINGS, encoding="utf-8")
    return folder


def test_dry_run_shows_the_digest_and_sends_nothing(home: Path) -> None:
    assert nudge(home, "demo", "--quiet").returncode == 0
    shown = nudge(home, "remind", "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert "Dry run, nothing is sent (it is due now)" in shown.stdout
    assert "jobnudge for Tue 24 Nov" in shown.stdout
    assert "Why: " in shown.stdout
    assert "@" not in shown.stdout.split("jobnudge for", 1)[1].split("\n", 1)[0]
    as_json = json.loads(nudge(home, "--json", "remind", "--dry-run").stdout)
    assert as_json["due"] is True and as_json["why"] == "the morning digest is due"
    [digest] = as_json["outcomes"]
    assert digest["channel"] == "apprise" and digest["state"] == "preview"
    assert digest["items"] == len(digest["item_keys"]) > 0
    assert all(":" in key for key in digest["item_keys"])  # the rule ids are in --json only
    assert "Why: " in digest["text"]


def test_bad_input_names_the_fix_without_a_traceback(home: Path) -> None:
    wrong = nudge(home, "remind", "--channel", "pager")
    assert wrong.returncode == 2
    assert "--channel: 'pager' is not a channel" in wrong.stderr
    both = nudge(home, "remind", "--dry-run", "--install")
    assert both.returncode == 2 and "give only one of them" in both.stderr
    missing = nudge(home, "remind")  # apprise chosen, no URL anywhere
    assert missing.returncode == 8
    assert "no Apprise URL is set" in missing.stderr
    assert "Traceback" not in missing.stderr
    (home / "config.toml").write_text(
        SETTINGS.replace('["apprise"]', '["apprise"]\nquiet_hours = "9pm"'), encoding="utf-8"
    )
    bad = nudge(home, "remind", "--dry-run")
    assert bad.returncode == 3 and "remind.quiet_hours" in bad.stderr


def test_install_writes_a_systemd_user_timer_and_uninstall_removes_it(home: Path) -> None:
    done = nudge(
        home,
        "remind",
        "--install",
        "--scheduler",
        "systemd",
        "--channel",
        "email",
        "--channel",
        "apprise",
        path=str(home / "nobin"),
    )
    assert done.returncode == 0, done.stderr
    assert "Saved remind.channels = ['email', 'apprise']" in done.stdout
    settings = (home / "config.toml").read_text(encoding="utf-8")
    assert 'channels = ["email", "apprise"]' in settings and 'tz = "America/New_York"' in settings
    folder = home / ".config" / "systemd" / "user"
    service = (folder / "jobnudge-remind.service").read_text(encoding="utf-8")
    timer = (folder / "jobnudge-remind.timer").read_text(encoding="utf-8")
    assert f"ExecStart={PYTHON} -m jobnudge remind" in service
    assert f"Environment=NUDGE_CONFIG={home / 'config.toml'}" in service
    assert "OnCalendar=*:0/15" in timer and "Persistent=true" in timer
    assert "WantedBy=timers.target" in timer
    assert "systemctl --user enable --now jobnudge-remind.timer" in done.stdout  # to run
    assert "OnCalendar" in done.stdout  # shows what it wrote
    gone = nudge(home, "remind", "--uninstall", "--scheduler", "systemd", path=str(home / "nobin"))
    assert gone.returncode == 0, gone.stderr
    assert not list(folder.iterdir())


def test_install_writes_a_launchd_agent(home: Path) -> None:
    done = nudge(home, "remind", "--install", "--scheduler", "launchd", path=str(home / "nobin"))
    assert done.returncode == 0, done.stderr
    plist = home / "Library" / "LaunchAgents" / "org.jobnudge.remind.plist"
    agent = plistlib.loads(plist.read_bytes())
    assert agent["Label"] == "org.jobnudge.remind"
    assert agent["ProgramArguments"] == [PYTHON, "-m", "jobnudge", "remind"]
    assert agent["StartInterval"] == 900 and agent["RunAtLoad"] is True
    assert agent["EnvironmentVariables"]["NUDGE_DATA_DIR"] == str(home / "data")
    nudge(home, "remind", "--uninstall", "--scheduler", "launchd", path=str(home / "nobin"))
    assert not plist.exists()


def test_install_writes_a_task_scheduler_definition(home: Path) -> None:
    done = nudge(home, "remind", "--install", "--scheduler", "windows", path=str(home / "nobin"))
    assert done.returncode == 0, done.stderr
    xml = (home / "data" / "jobnudge-remind.xml").read_text(encoding="utf-16")
    assert "<Interval>PT15M</Interval>" in xml
    assert f"<Command>{PYTHON}</Command>" in xml
    assert "<Arguments>-m jobnudge remind</Arguments>" in xml
    assert "schtasks /Create /F /TN jobnudge-remind /XML" in done.stdout


def test_install_adds_a_crontab_block_and_uninstall_takes_only_it_out(home: Path) -> None:
    # A `crontab` that keeps the table in the temporary home, as the real one keeps it in
    # /var/spool/cron: -l prints it, - replaces it from standard input.
    bin_dir = home / "bin"
    bin_dir.mkdir()
    table = home / "crontab.txt"
    table.write_text("MAILTO=alex\n0 3 * * * backup.sh\n", encoding="utf-8")
    tool = bin_dir / "crontab"
    tool.write_text(
        f'#!/bin/sh\nif [ "$1" = "-l" ]; then cat "{table}"; else cat > "{table}"; fi\n',
        encoding="utf-8",
    )
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    path = f"{bin_dir}:/usr/bin:/bin"
    done = nudge(home, "remind", "--install", "--scheduler", "cron", path=path)
    assert done.returncode == 0, done.stderr
    lines = table.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["MAILTO=alex", "0 3 * * * backup.sh"]
    [job] = [line for line in lines if line.startswith("*/15 ")]
    assert f"{PYTHON} -m jobnudge remind" in job
    assert "Added to your crontab" in done.stdout
    nudge(home, "remind", "--install", "--scheduler", "cron", path=path)  # twice: one block
    assert sum(line.startswith("*/15 ") for line in table.read_text().splitlines()) == 1
    nudge(home, "remind", "--uninstall", "--scheduler", "cron", path=path)
    assert table.read_text(encoding="utf-8").splitlines() == [
        "MAILTO=alex",
        "0 3 * * * backup.sh",
    ]


def test_an_unknown_scheduler_is_named(home: Path) -> None:
    wrong = nudge(home, "remind", "--install", "--scheduler", "anacron")
    assert wrong.returncode == 2
    assert "--scheduler: 'anacron' is not one of systemd, launchd, windows, cron" in wrong.stderr
