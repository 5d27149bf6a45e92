"""`nudge serve` claims its port before saying it runs: a port in use is one line and exit 9."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from jobnudge.errors import PortInUse
from jobnudge.web import listen
from tests.cli.conftest import NUDGE, Nudge

NOW = "2026-03-02 10:00"


@contextmanager
def occupied() -> Iterator[int]:
    """A port on 127.0.0.1 that another program is listening on."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    try:
        yield holder.getsockname()[1]
    finally:
        holder.close()


def test_a_port_in_use_is_one_line_and_its_own_exit_code(nudge: Nudge) -> None:
    with occupied() as port:
        result = nudge("serve", "--port", str(port), "--no-browser", now=NOW, ok=False)
    assert result.returncode == PortInUse.exit_code == 9
    assert "running" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: --port: {port} on 127.0.0.1 is already in use")
    assert f"--port {port + 1}" in lines[0]
    assert "Traceback" not in result.stderr


def test_claim_refuses_a_taken_port_and_frees_its_socket() -> None:
    with occupied() as port:
        try:
            listen.claim("127.0.0.1", port)
        except PortInUse as exc:
            assert str(port) in exc.message
        else:
            raise AssertionError("a taken port was claimed")
    mine = listen.claim("127.0.0.1", 0)
    try:
        assert listen.port_of(mine) > 0
        second = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        second.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            second.bind(("127.0.0.1", listen.port_of(mine)))
            raise AssertionError("the claimed port could be bound again")
        except OSError:
            pass
        finally:
            second.close()
    finally:
        mine.close()


def test_serve_on_a_free_port_says_where_and_answers(nudge: Nudge) -> None:
    """Port 0 takes any free port; the line printed names the real one, which answers."""
    process = subprocess.Popen(
        [NUDGE, "serve", "--port", "0", "--no-browser", "--no-mail-sync"],
        env={**nudge.env, "NUDGE_NOW": NOW},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("jobnudge is running at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].split()[0]
        assert not url.endswith(":0/")
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=5) as page:
                    assert page.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.1)
        else:
            raise AssertionError("the server never answered")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
