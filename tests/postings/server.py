"""A real HTTP server on 127.0.0.1 serving postings and misbehaving pages, stopped by the
fixture that starts it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.postings import samples

SLOW_SECONDS = 3.0  # longer than the tests' fetch timeout, short enough to end by itself


def _pause(seconds: float) -> None:
    """A wait on the monotonic clock: under the moved-clock run (libfaketime) time.sleep
    fails, while an Event's timed wait measures real time."""
    threading.Event().wait(seconds)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, body: bytes, kind: str = "text/html; charset=utf-8", code: int = 200) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up first (the time-out tests)
            self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/posting":
            self._send(samples.ats_plain().encode())
        elif path == "/latin1":
            self._send(samples.latin1(), "text/html")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", "/posting" if left == 0 else f"/hop/{left - 1}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/loop":
            self.send_response(301)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/slow":
            _pause(SLOW_SECONDS)
            self._send(samples.ats_plain().encode())
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(int(SLOW_SECONDS * 10)):
                    self.wfile.write(b"<p>.</p>")
                    self.wfile.flush()
                    _pause(0.1)
            except OSError:
                pass
        elif path == "/huge":
            # no Content-Length: the size limit must hold while streaming
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            try:
                for _ in range(200):  # about 13 MB at most, then it stops by itself
                    self.wfile.write(chunk)
            except OSError:
                pass
        elif path == "/pdf":
            self._send(b"%PDF-1.4", "application/pdf")
        else:
            self._send(b"not here", "text/plain", 404)


@contextmanager
def serving() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
