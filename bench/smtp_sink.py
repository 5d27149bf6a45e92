"""An SMTP sink for ``bench_remind.py``: aiosmtpd on a free port of 127.0.0.1 that accepts any
login and answers 250 to every message, keeping nothing. Writes its port to the file named on
the command line, then serves until terminated."""

from __future__ import annotations

import signal
import socket
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 2.0.0 OK: discarded"


def accept(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    return AuthResult(success=True)


def main(port_file: str) -> None:
    warnings.filterwarnings("ignore", message="Session.login_data")  # once per login otherwise
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(
        Sink(),
        hostname="127.0.0.1",
        port=port,
        authenticator=accept,
        auth_require_tls=False,
    )
    controller.start()
    Path(port_file).write_text(str(port))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main(sys.argv[1])
