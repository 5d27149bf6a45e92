"""`nudge draft` with the user's own template files (``templates/`` beside the settings file,
where ``NUDGE_CONFIG`` points): template-injection payloads are refused with exit code 3 and a
sentence naming the file and line, and never reach Python objects."""

from __future__ import annotations

from tests.cli.conftest import Nudge
from tests.cli.test_drafts_cli import NOW, interviewed
from tests.drafts.payloads import LEAK, PAYLOADS

CHOSEN = [
    "lipsum-globals",
    "mro-subclasses",
    "format-attribute",
    "self-init",
    "include-file",
    "nested-loops",
    "string-times",
    "power",
    "format-width",
    "macro-fork",
    "join-filter",
]


def test_payloads_in_template_files_are_refused(nudge: Nudge) -> None:
    thanks = interviewed(nudge)["Dana Lee"]
    own = nudge.home / "templates" / "interview.thank-you" / "email.j2"
    own.parent.mkdir(parents=True)
    own.write_text(
        "Subject: Thanks, {{ to_name }}\n\n{{ greeting }}\n\nThanks!\n", encoding="utf-8"
    )
    assert nudge.json("draft", thanks, now=NOW)["subject"] == "Thanks, Dana Lee"
    for name in CHOSEN:
        own.write_text("Subject: Thanks\n\n" + PAYLOADS[name] + "\n", encoding="utf-8")
        result = nudge("draft", thanks, now=NOW, ok=False)  # each run has a 60 s timeout
        assert result.returncode == 3, (name, result.stdout + result.stderr)
        assert "Your template interview.thank-you/email.j2" in result.stderr, name
        assert "line " in result.stderr, name
        assert "Traceback" not in result.stderr, name
        assert not LEAK.search(result.stdout + result.stderr), name
