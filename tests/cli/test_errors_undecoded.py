"""An argument typed in another encoding than the system's reaches ``nudge`` as undecodable
bytes: refused in one line that names the field, never a traceback (``text_safety``)."""

from __future__ import annotations

import os

from .conftest import Nudge


def test_a_company_typed_in_another_encoding_is_refused_in_words(nudge: Nudge) -> None:
    company = os.fsdecode(b"M\xe4rz GmbH")  # Latin-1 bytes on a UTF-8 system
    result = nudge("add", company, "Analyst", ok=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "not text in UTF-8" in result.stderr, result.stderr
    assert "GmbH" not in nudge("list").stdout
