"""The desktop channel against a real notification service: a private D-Bus session bus
(``dbus-daemon``) with a service answering org.freedesktop.Notifications, reached through
desktop-notifier exactly as on a Linux desktop. Without dbus-daemon the test is skipped
(fails under CI=true); the adapter's refusal outside a desktop session is tested alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from jobnudge.remind.channels import DeliveryFailed, DesktopChannel, in_desktop_session
from jobnudge.remind.digest import Item, build
from tests.mail.servers import server_env

HERE = Path(__file__).parent


def _digest() -> object:
    item = Item(
        "k", "due", "Send a thank-you → Dana Lee", "Acme · Data Analyst", "by 17:00", "", ""
    )
    return build([item], date(2026, 11, 24))


@pytest.fixture
def session_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    if shutil.which("dbus-daemon") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("dbus-daemon is not installed; `.ci/run` installs it (dbus)")
        pytest.skip("dbus-daemon is not installed")
    address = f"unix:path={tmp_path / 'bus'}"
    config = tmp_path / "session.conf"
    config.write_text(
        '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"\n'
        ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">\n'
        f"<busconfig><type>session</type><listen>{address}</listen>"
        '<auth>EXTERNAL</auth><policy context="default"><allow send_destination="*" '
        'eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>'
        "</busconfig>\n",
        encoding="utf-8",
    )
    bus = subprocess.Popen(
        ["dbus-daemon", "--nofork", f"--config-file={config}", "--print-address=1"],
        stdout=subprocess.PIPE,
        text=True,
        env=server_env(),  # the bus keeps the real clock, like the mail servers
    )
    out = tmp_path / "shown.jsonl"
    daemon = None
    try:
        assert bus.stdout is not None
        assert bus.stdout.readline().strip().startswith("unix:")
        env = {**server_env(), "DBUS_SESSION_BUS_ADDRESS": address}
        daemon = subprocess.Popen(
            [sys.executable, str(HERE / "notifyd.py"), str(out)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert daemon.stdout is not None
        assert daemon.stdout.readline().strip() == "ready"
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield out
    finally:
        # SIGTERM ends both at once; a wait without a time-out (pytest-timeout bounds it)
        # also works in the moved-clock run, where libfaketime breaks timed waits on a child.
        for proc in (daemon, bus):
            if proc is not None:
                proc.terminate()
                proc.wait()


def test_the_digest_is_shown_by_the_desktop_notification_service(session_bus: Path) -> None:
    channel = DesktopChannel()
    said = channel.send(_digest(), lambda: None)  # type: ignore[arg-type]
    assert said == "shown on the desktop"
    [shown] = [json.loads(line) for line in session_bus.read_text().splitlines()]
    assert shown["app_name"] == "jobnudge"
    assert shown["summary"] == "jobnudge for Tue 24 Nov: 1 follow-up"
    assert shown["body"] == "Send a thank-you → Dana Lee"


def test_no_notification_service_on_the_bus_is_a_failure_to_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    with pytest.raises(DeliveryFailed, match="desktop notification failed"):
        DesktopChannel().send(_digest(), lambda: None)  # type: ignore[arg-type]


def test_outside_a_desktop_session_the_channel_says_why() -> None:
    assert not in_desktop_session({}, "linux")
    assert in_desktop_session({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, "linux")
    assert in_desktop_session({}, "darwin") and in_desktop_session({}, "win32")
    with pytest.raises(DeliveryFailed, match="no desktop session here"):
        DesktopChannel(environ={}).send(_digest(), lambda: None)  # type: ignore[arg-type]
