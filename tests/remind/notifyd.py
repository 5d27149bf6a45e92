# ruff: noqa: F821, F722 - D-Bus type signatures are written as string annotations
"""A freedesktop notification service (org.freedesktop.Notifications) on a D-Bus session bus,
for the desktop channel's test: it does what a desktop's daemon does on the bus (answers
GetServerInformation, GetCapabilities, Notify, CloseNotification) and writes each notification
it receives as a JSON line to the file named on its command line.

Run: python notifyd.py OUT_FILE   (with DBUS_SESSION_BUS_ADDRESS pointing at the bus)
It prints "ready" once it owns the name, and exits when its standard input closes.
"""

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from dbus_fast import Variant
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal


class Notifications(ServiceInterface):
    def __init__(self, out: str) -> None:
        super().__init__("org.freedesktop.Notifications")
        self.out = out
        self.last = 0

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["jobnudge-test-notifyd", "jobnudge", "1.0", "1.2"]

    @method()
    def GetCapabilities(self) -> "as":
        return ["body", "actions"]

    @method()
    def Notify(
        self,
        app_name: "s",
        replaces_id: "u",
        app_icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        expire_timeout: "i",
    ) -> "u":
        self.last += 1
        shown: dict[str, Any] = {"app_name": app_name, "summary": summary, "body": body}
        shown["hints"] = {k: v.value if isinstance(v, Variant) else v for k, v in hints.items()}
        with Path(self.out).open("a", encoding="utf-8") as f:
            f.write(json.dumps(shown, default=str) + "\n")
        return self.last

    @method()
    def CloseNotification(self, id: "u"):
        self.NotificationClosed(id, 3)

    @signal()
    def NotificationClosed(self, id: "u", reason: "u") -> "uu":
        return [id, reason]

    @signal()
    def ActionInvoked(self, id: "u", action_key: "s") -> "us":
        return [id, action_key]


async def main(out: str) -> None:
    bus = await MessageBus().connect()
    bus.export("/org/freedesktop/Notifications", Notifications(out))
    await bus.request_name("org.freedesktop.Notifications")
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the test closes our stdin
    bus.disconnect()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
