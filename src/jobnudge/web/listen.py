"""The socket `nudge serve` listens on, claimed before anything says the app is running.

Binding first turns "address already in use" into one line and its own exit code instead of a
log line from the server after "jobnudge is running at ..." was already printed, and gives the
real port when 0 (any free port) was asked for.
"""

from __future__ import annotations

import errno
import socket

from jobnudge.errors import PortInUse, UsageError


def claim(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and listening (the server accepts on it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(
                f"--port: {port} on {host} is already in use (another `nudge serve`, or another "
                f"program); stop it, or choose another port, e.g. --port {port + 1}."
            ) from None
        if exc.errno == errno.EACCES:
            raise PortInUse(
                f"--port: listening on {port} needs administrator rights; choose a port above "
                "1023, e.g. --port 8765."
            ) from None
        if isinstance(exc, socket.gaierror):
            raise UsageError(f"--host: {host} is not a known address ({exc.strerror}).") from None
        raise UsageError(f"--host: cannot listen on {host} ({exc.strerror}).") from None
    return sock


def port_of(sock: socket.socket) -> int:
    """The port the socket listens on (the one the system chose when 0 was asked for)."""
    return int(sock.getsockname()[1])
