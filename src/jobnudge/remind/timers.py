"""``nudge remind --install``: a per-user timer the operating system runs, so digests go out
without a server. Every 15 minutes it runs ``nudge remind``, which sends only when the morning
digest is due and never twice, so a machine that slept through the morning catches up.

- Linux: a systemd user timer (``~/.config/systemd/user/jobnudge-remind.{service,timer}``);
- macOS: a launchd agent (``~/Library/LaunchAgents/org.jobnudge.remind.plist``);
- Windows: a Task Scheduler task from an XML definition kept in the data folder;
- elsewhere, or on request: a line in the user's crontab, between marker comments.

The file contents are pure functions; ``install`` writes them under ``home`` and asks the
system tool to load them, saying what to run by hand when that tool is not there.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from jobnudge.errors import UsageError

SCHEDULERS = ("systemd", "launchd", "windows", "cron")
EVERY_MINUTES = 15
NAME = "jobnudge-remind"
LAUNCHD_LABEL = "org.jobnudge.remind"
CRON_BEGIN = "# >>> jobnudge remind (nudge remind --install) >>>"
CRON_END = "# <<< jobnudge remind <<<"
PASSED_ON = ("NUDGE_CONFIG", "NUDGE_DB", "NUDGE_DATA_DIR")
"""Variables that say where the user's settings and search are: the timer's run needs them."""

Runner = Callable[[Sequence[str], str | None], tuple[int, str]]
"""Runs a command (with optional standard input); returns its exit code and output."""


def run_command(argv: Sequence[str], stdin: str | None = None) -> tuple[int, str]:
    try:
        done = subprocess.run(  # noqa: S603 - a fixed system tool with our own arguments
            list(argv), input=stdin, capture_output=True, text=True, timeout=30, check=False
        )
    except FileNotFoundError:
        return 127, f"{argv[0]} is not installed"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 1, str(exc)
    return done.returncode, (done.stdout + done.stderr).strip()


@dataclass
class Installed:
    scheduler: str
    files: dict[Path, str] = field(default_factory=dict)  # what was written (or removed)
    ran: list[str] = field(default_factory=list)  # commands run, with how they ended
    todo: list[str] = field(default_factory=list)  # commands the user should run by hand


def command(executable: str | None = None) -> list[str]:
    """The command the timer runs: this Python running jobnudge's ``remind``."""
    return [executable or sys.executable, "-m", "jobnudge", "remind"]


def default_scheduler(
    platform: str | None = None, which: Callable[[str], str | None] = shutil.which
) -> str:
    platform = platform or sys.platform
    if platform == "darwin":
        return "launchd"
    if platform == "win32":
        return "windows"
    if which("systemctl") and Path("/run/systemd/system").is_dir():
        return "systemd"
    return "cron"


def systemd_units(argv: Sequence[str], env: Mapping[str, str]) -> dict[str, str]:
    environment = "".join(
        f"Environment={shlex.quote(f'{k}={v}')}\n" for k, v in sorted(env.items())
    )
    service = (
        "[Unit]\n"
        "Description=jobnudge: send the morning digest when it is due\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"{environment}"
        f"ExecStart={shlex.join(argv)}\n"
    )
    timer = (
        "[Unit]\n"
        "Description=jobnudge: look every 15 minutes whether the morning digest is due\n\n"
        "[Timer]\n"
        f"OnCalendar=*:0/{EVERY_MINUTES}\n"
        "Persistent=true\n"
        "RandomizedDelaySec=60\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {f"{NAME}.service": service, f"{NAME}.timer": timer}


def launchd_plist(argv: Sequence[str], env: Mapping[str, str], log_dir: Path) -> str:
    args = "".join(f"\n    <string>{escape(a)}</string>" for a in argv)
    variables = "".join(
        f"\n    <key>{escape(k)}</key>\n    <string>{escape(v)}</string>"
        for k, v in sorted(env.items())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n<dict>\n'
        f"  <key>Label</key>\n  <string>{LAUNCHD_LABEL}</string>\n"
        f"  <key>ProgramArguments</key>\n  <array>{args}\n  </array>\n"
        f"  <key>EnvironmentVariables</key>\n  <dict>{variables}\n  </dict>\n"
        f"  <key>StartInterval</key>\n  <integer>{EVERY_MINUTES * 60}</integer>\n"
        "  <key>RunAtLoad</key>\n  <true/>\n"
        f"  <key>StandardErrorPath</key>\n  <string>{escape(str(log_dir / 'remind.log'))}"
        "</string>\n"
        "</dict>\n</plist>\n"
    )


def windows_task(argv: Sequence[str], start: str = "2000-01-01T07:00:00") -> str:
    """A Task Scheduler definition (``schtasks /Create /XML``): every 15 minutes, as the user,
    only while they are logged on (a notification needs their desktop)."""
    program, *rest = argv
    arguments = " ".join(f'"{a}"' if " " in a else a for a in rest)
    return (
        '<?xml version="1.0" encoding="UTF-16"?>\n'
        '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">\n'
        "  <RegistrationInfo><Description>jobnudge: send the morning digest when it is due"
        "</Description></RegistrationInfo>\n"
        "  <Triggers>\n    <TimeTrigger>\n"
        f"      <Repetition><Interval>PT{EVERY_MINUTES}M</Interval></Repetition>\n"
        f"      <StartBoundary>{start}</StartBoundary>\n"
        "      <Enabled>true</Enabled>\n    </TimeTrigger>\n  </Triggers>\n"
        '  <Principals><Principal id="Author"><LogonType>InteractiveToken</LogonType>'
        "</Principal></Principals>\n"
        "  <Settings>\n    <StartWhenAvailable>true</StartWhenAvailable>\n"
        "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\n"
        "    <ExecutionTimeLimit>PT10M</ExecutionTimeLimit>\n  </Settings>\n"
        f'  <Actions Context="Author">\n    <Exec>\n      <Command>{escape(program)}</Command>\n'
        f"      <Arguments>{escape(arguments)}</Arguments>\n    </Exec>\n  </Actions>\n"
        "</Task>\n"
    )


def cron_block(argv: Sequence[str], env: Mapping[str, str]) -> str:
    prefix = "".join(f"{k}={shlex.quote(v)} " for k, v in sorted(env.items()))
    line = f"*/{EVERY_MINUTES} * * * * {prefix}{shlex.join(argv)} >/dev/null 2>&1"
    return f"{CRON_BEGIN}\n{line}\n{CRON_END}\n"


def without_block(crontab: str) -> str:
    """The crontab with jobnudge's block taken out (everything else kept as it was)."""
    out, inside = [], False
    for line in crontab.splitlines(keepends=True):
        if line.rstrip("\n") == CRON_BEGIN:
            inside = True
        elif line.rstrip("\n") == CRON_END:
            inside = False
        elif not inside:
            out.append(line)
    return "".join(out)


def _paths(scheduler: str, home: Path, data_dir: Path) -> dict[str, Path]:
    if scheduler == "systemd":
        folder = home / ".config" / "systemd" / "user"
        return {name: folder / name for name in (f"{NAME}.service", f"{NAME}.timer")}
    if scheduler == "launchd":
        return {"plist": home / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"}
    if scheduler == "windows":
        return {"xml": data_dir / f"{NAME}.xml"}
    return {}


def _check(scheduler: str) -> str:
    if scheduler not in SCHEDULERS:
        raise UsageError(f"--scheduler: '{scheduler}' is not one of {', '.join(SCHEDULERS)}.")
    return scheduler


def _tried(result: Installed, runner: Runner, argv: list[str], stdin: str | None = None) -> bool:
    code, said = runner(argv, stdin)
    shown = shlex.join(argv)
    if code == 0:
        result.ran.append(shown)
        return True
    result.ran.append(f"{shown} (failed: {said or f'exit {code}'})")
    return False


def install(
    scheduler: str,
    *,
    home: Path,
    data_dir: Path,
    env: Mapping[str, str],
    runner: Runner = run_command,
    executable: str | None = None,
) -> Installed:
    """Write the timer for ``scheduler`` under ``home`` and load it; say what was done."""
    _check(scheduler)
    argv = command(executable)
    passed = {k: env[k] for k in PASSED_ON if env.get(k)}
    result = Installed(scheduler)
    paths = _paths(scheduler, home, data_dir)
    if scheduler == "systemd":
        for name, text in systemd_units(argv, passed).items():
            result.files[paths[name]] = text
    elif scheduler == "launchd":
        result.files[paths["plist"]] = launchd_plist(argv, passed, data_dir)
    elif scheduler == "windows":
        result.files[paths["xml"]] = windows_task(argv)
    for path, text in result.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-16" if path.suffix == ".xml" else "utf-8")
    if scheduler == "systemd":
        steps = [
            ["systemctl", "--user", "daemon-reload"],
            ["systemctl", "--user", "enable", "--now", f"{NAME}.timer"],
        ]
    elif scheduler == "launchd":
        plist = str(paths["plist"])
        steps = [["launchctl", "unload", plist], ["launchctl", "load", "-w", plist]]
        runner(steps[0], None)  # unloading one that is not loaded fails harmlessly
        steps = steps[1:]
    elif scheduler == "windows":
        steps = [["schtasks", "/Create", "/F", "/TN", NAME, "/XML", str(paths["xml"])]]
    else:
        code, current = runner(["crontab", "-l"], None)
        current = (
            current + "\n"
            if code == 0 and current and not current.endswith("\n")
            else (current if code == 0 else "")
        )
        block = cron_block(argv, passed)
        result.files[Path("crontab")] = block
        new = without_block(current) + block
        if not _tried(result, runner, ["crontab", "-"], new):
            result.todo.append(f"add this to `crontab -e`:\n{block}")
        return result
    for step in steps:
        if not _tried(result, runner, step):
            result.todo += [shlex.join(s) for s in steps]
            break
    return result


def uninstall(
    scheduler: str, *, home: Path, data_dir: Path, runner: Runner = run_command
) -> Installed:
    """Stop and remove what :func:`install` set up (nothing else is touched)."""
    _check(scheduler)
    result = Installed(scheduler)
    paths = _paths(scheduler, home, data_dir)
    if scheduler == "systemd":
        _tried(result, runner, ["systemctl", "--user", "disable", "--now", f"{NAME}.timer"])
    elif scheduler == "launchd":
        _tried(result, runner, ["launchctl", "unload", "-w", str(paths["plist"])])
    elif scheduler == "windows":
        _tried(result, runner, ["schtasks", "/Delete", "/F", "/TN", NAME])
    else:
        code, current = runner(["crontab", "-l"], None)
        if code == 0 and CRON_BEGIN in current:
            _tried(result, runner, ["crontab", "-"], without_block(current + "\n"))
            result.files[Path("crontab")] = ""
        return result
    for path in paths.values():
        if path.exists():
            path.unlink()
            result.files[path] = ""
    if scheduler == "systemd":
        _tried(result, runner, ["systemctl", "--user", "daemon-reload"])
    return result
