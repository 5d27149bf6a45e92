"""How the sync reads the reply corpus (tests/mail/corpus): counts by kind of mistake, no timing.

Runs ``tests/mail/test_reply_corpus.py`` (the real Dovecot and the product's real sync, one fresh
mailbox per message) and prints a Markdown table: messages read, messages read wrongly, and each
kind of mistake (false cancel, missed reply, missed or false proposal, out-of-office date not
moved, bounce not flagged, correction not offered). Run it on two checkouts to compare them.

    .venv/bin/python bench/bench_reply_corpus.py [--workers 2]
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tally(report: Path) -> tuple[int, list[tuple[str, str]], collections.Counter[str]]:
    """Messages read; (message, what went wrong) for each one read wrongly; mistakes by kind."""
    read, wrong, kinds = 0, [], collections.Counter[str]()
    for case in ET.parse(report).iter("testcase"):
        name = case.get("name", "")
        if not name.startswith("test_corpus_message["):
            continue
        read += 1
        failure = case.find("failure")
        if failure is None:
            continue
        said = failure.get("message", "").split("\n")[0].split("): ", 1)[-1]
        wrong.append((name[len("test_corpus_message[") : -1], said))
        for problem in said.split("; "):
            kinds[problem.split(":")[0].strip()] += 1
    return read, wrong, kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers (max 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "corpus.xml"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "--tb=no",
                "-n",
                str(min(args.workers, 2)),
                f"--junitxml={report}",
                "tests/mail/test_reply_corpus.py",
            ],
            cwd=ROOT,
            check=False,
            capture_output=True,
            timeout=1800,
        )
        read, wrong, kinds = tally(report)
    print(f"| messages | read wrongly | {' | '.join(sorted(kinds)) or 'mistakes'} |")
    print(f"| ---: | ---: |{' ---: |' * max(len(kinds), 1)}")
    counts = " | ".join(str(kinds[k]) for k in sorted(kinds)) or "0"
    print(f"| {read} | {len(wrong)} | {counts} |")
    for message, said in wrong:
        print(f"- {message}: {said}")


if __name__ == "__main__":
    main()
