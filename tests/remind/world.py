"""A realistic search to remind about, and a real HTTP endpoint on 127.0.0.1 for Apprise's
``json://`` scheme (shared by the reminder tests and the mail tests' e-mail digest)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from jobnudge.domain import Role
from jobnudge.services import event_log, records
from jobnudge.services.session import Session


def build_search(session: Session, email: str = "dana@acme.example") -> None:
    """At the pinned moment (Tue 24 Nov 2026, 10:30 in New York): a thank-you due today for
    yesterday's interview at Acme, an overdue status check at Globex, an interview at Initech
    tomorrow at 14:00 that still needs its confirmation, and a note-taking lead with nothing due."""
    now = session.now
    records.add_opportunity(session, "Acme", "Data Analyst", applied=now - timedelta(days=12))
    records.add_contact(
        session,
        "Dana Lee",
        company="Acme",
        email=email,
        tz="America/New_York",
        country="US",
        roles=frozenset({Role.INTERVIEWER}),
        salutation="Ms.",
    )
    event_log.log_event(
        session, "acme", "interviewed", at=now - timedelta(hours=2), with_=["Dana Lee"], round_=1
    )
    records.add_opportunity(session, "Globex", "BI Developer", applied=now - timedelta(days=20))
    records.add_opportunity(session, "Initech", "Analyst", applied=now - timedelta(days=9))
    records.add_contact(
        session, "Sam Okafor", company="Initech", tz="America/New_York", country="US"
    )
    event_log.log_event(
        session,
        "initech",
        "scheduled",
        at=now - timedelta(days=2),
        with_=["Sam Okafor"],
        scheduled_for=now + timedelta(days=1, hours=3, minutes=30),
    )
    records.add_opportunity(session, "Hooli", "Data Engineer", applied=now - timedelta(hours=1))


@dataclass
class Hook:
    """An HTTP endpoint that records every request; ``hold`` makes it wait before answering
    (released by ``release`` or after ``hold_seconds``), ``status`` chooses its answer."""

    port: int = 0
    status: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)
    hold: threading.Event | None = None
    hold_seconds: float = 20.0
    arrived: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None

    def start(self) -> Hook:
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                hook.arrived.set()
                hold = hook.hold
                if hold is not None:
                    hold.wait(hook.hold_seconds)
                    if not hold.is_set():
                        return  # never released: its client is gone; record nothing
                try:
                    payload = json.loads(raw)
                except ValueError:
                    payload = {"raw": raw.decode("utf-8", "replace")}
                if hook.status < 300:
                    hook.received.append({"path": self.path, **payload})
                self.send_response(hook.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def url(self, path: str = "digest") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def stop(self) -> None:
        if self.hold is not None:
            self.hold.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
