"""`nudge serve` in local mode (no sign-in) listens on loopback only."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Nudge


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "nudge.example.org"])
def test_local_mode_refuses_to_listen_beyond_loopback(nudge: Nudge, host: str) -> None:
    result = nudge("serve", "--host", host, "--no-browser", ok=False)  # 60 s timeout: no hang
    assert result.returncode == 2
    assert "local mode has no sign-in" in result.stderr and "--accounts" in result.stderr
