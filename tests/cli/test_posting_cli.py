"""`nudge add --posting`: a saved page, a fetched address and pasted text, each value shown
with its sentence and confirmed; the first check-in then waits as the posting asked."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Nudge
from tests.postings import samples
from tests.postings.server import serving

SHORTLIST_PAGE = samples.page(
    samples.ld(
        {
            **samples.POSTING,
            "description": "<p>Only shortlisted candidates will be contacted within 10 working "
            "days.</p><p>No phone calls, please.</p>",
        }
    )
)


def test_saved_page_is_shown_confirmed_and_kept(nudge: Nudge, tmp_path: Path) -> None:
    saved = tmp_path / "posting.html"
    saved.write_text(SHORTLIST_PAGE, encoding="utf-8")

    refused = nudge("add", "--posting", str(saved), "--applied", "today", ok=False)
    assert refused.returncode == 2
    assert "Company: Acme Inc." in refused.stdout
    assert "“Only shortlisted candidates will be contacted within 10 working days.”" in (
        refused.stdout
    )
    assert "--yes" in refused.stderr
    assert "No opportunities yet" in nudge("list").stdout  # nothing saved unconfirmed

    added = nudge("add", "--posting", str(saved), "--applied", "today", "--yes")
    assert "Added #1 Acme Inc. — Senior Data Analyst" in added.stdout

    shown = " ".join(nudge("show", "1").stdout.split())
    assert "check in by email only" in shown
    assert '"Only shortlisted candidates will be contacted within 10 working days."' in shown


def test_the_same_posting_twice_is_caught(nudge: Nudge, tmp_path: Path) -> None:
    saved = tmp_path / "posting.html"
    saved.write_text(samples.ats_plain(), encoding="utf-8")
    nudge("add", "--posting", str(saved), "--yes")
    again = nudge("add", "ACME", "Sr. Data Analyst", ok=False)
    assert again.returncode == 6
    assert "You already track #1 Acme Inc. — Senior Data Analyst (lead, added" in again.stderr
    assert "--again" in again.stderr
    nudge("add", "ACME", "Sr. Data Analyst", "--again")


def test_fetched_from_an_address(nudge: Nudge) -> None:
    with serving() as site:
        added = nudge("add", "--posting", f"{site}/posting", "--yes")
    assert "Added #1 Acme Inc. — Senior Data Analyst" in added.stdout
    assert "They respond within (days): 14" in added.stdout


def test_pasted_text(nudge: Nudge) -> None:
    added = nudge(
        "add",
        "Initech",
        "Analyst",
        "--posting",
        "-",
        "--yes",
        stdin="We aim to respond within two weeks. No agencies.",
    )
    assert "“We aim to respond within two weeks.”" in added.stdout


def test_pasted_text_that_is_not_utf8_is_refused(nudge: Nudge) -> None:
    """A posting piped in from a Latin-1 file is refused like a file, never read as text with
    replacement characters."""
    import subprocess

    from .conftest import NUDGE

    done = subprocess.run(
        [NUDGE, "add", "Müller", "Analyst", "--posting", "-", "--yes"],
        env=nudge.env,
        input="Wir melden uns in zwei Wochen. Grüße".encode("latin-1"),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert b"--posting: standard input is not UTF-8 text." in done.stderr
    assert not nudge.json("list")


def test_bad_posting_names_the_field(nudge: Nudge) -> None:
    bad = nudge("add", "--posting", "nowhere.html", ok=False)
    assert bad.returncode == 2
    assert "--posting: 'nowhere.html' is neither a web address" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_kept_searchable_and_restored_from_a_backup(nudge: Nudge, tmp_path: Path) -> None:
    saved = tmp_path / "posting.html"
    saved.write_text(SHORTLIST_PAGE, encoding="utf-8")
    nudge("add", "--posting", str(saved), "--applied", "today", "--yes")
    assert "Only shortlisted candidates" in nudge("show", "1", "--posting").stdout
    # a phrase of the posting finds the opportunity
    assert "#1 Acme Inc." in nudge("show", "no phone calls").stdout
    nudge("backup", str(tmp_path / "b.json"))

    (tmp_path / "fresh").mkdir()
    fresh = Nudge(tmp_path / "fresh")
    fresh("restore", str(tmp_path / "b.json"))
    kept = fresh.json("show", "1")
    assert kept["posting"]["text"].startswith("Senior Data Analyst")
    assert {f["field"] for f in kept["posting"]["read"]} >= {"company", "shortlist_only"}
    shown = " ".join(fresh("show", "1").stdout.split())
    assert '"No phone calls, please."' in shown  # the check-in still quotes the posting


def test_an_import_row_spelling_a_tracked_job_another_way_is_that_job(
    nudge: Nudge, tmp_path: Path
) -> None:
    nudge("add", "Acme", "Senior Data Analyst", "--applied", "2026-11-02")
    sheet = tmp_path / "jobs.csv"
    sheet.write_text(
        "Company,Role,Status,Date applied\n"
        "ACME Inc.,Sr. Data Analyst,Applied,2026-11-02\n"
        "Acme,Data Engineer,Applied,2026-11-03\n",
        encoding="utf-8",
    )
    out = nudge("import", str(sheet))
    said = " ".join(out.stdout.split())
    assert "is taken as the Acme — Senior Data Analyst you already track" in said
    listed = nudge.json("list")
    assert sorted(o["role"] for o in listed) == ["Data Engineer", "Senior Data Analyst"]


def test_deleting_takes_the_posting_and_undo_brings_it_back(nudge: Nudge, tmp_path: Path) -> None:
    saved = tmp_path / "posting.html"
    saved.write_text(samples.ats_plain(), encoding="utf-8")
    nudge("add", "--posting", str(saved), "--yes")
    nudge("delete", "opportunity", "1", "--yes")
    assert "nothing matches" in nudge("show", "pricing team", ok=False).stderr
    nudge("undo")
    assert "Acme is looking for a Senior Data Analyst" in nudge("show", "1", "--posting").stdout


def test_the_check_in_draft_points_at_the_postings_focus(nudge: Nudge, tmp_path: Path) -> None:
    saved = tmp_path / "posting.html"
    saved.write_text(samples.ats_plain(), encoding="utf-8")
    nudge("add", "--posting", str(saved), "--applied", "2026-11-02", "--yes")
    handle = next(r["id"] for r in nudge.json("today", "--days", "60") if r["opportunity_id"] == 1)
    drafted = " ".join(nudge("draft", handle).stdout.split())
    assert "Acme is looking for a Senior Data Analyst to join its pricing team" in drafted


def _with_terminal(nudge: Nudge, args: list[str], stdin: str, answer: bytes) -> tuple[int, str]:
    """Run `nudge` with ``stdin`` piped in but a real terminal (a pty) as its controlling
    one, as when a posting is pasted through a pipe at a shell; ``answer`` is typed there."""
    import fcntl
    import os
    import subprocess
    import termios

    from tests.cli.conftest import NUDGE

    master, slave = os.openpty()

    def controlling_terminal() -> None:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    try:
        os.write(master, answer)  # typed ahead: the prompt's readline takes it
        proc = subprocess.run(
            [NUDGE, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=nudge.env,
            timeout=60,
            preexec_fn=controlling_terminal,
        )
        return proc.returncode, proc.stdout + proc.stderr
    finally:
        os.close(master)
        os.close(slave)


def test_a_pasted_posting_is_confirmed_at_the_terminal(nudge: Nudge) -> None:
    text = "We aim to respond within two weeks. No phone calls, please."
    args = ["add", "Acme", "Data Analyst", "--posting", "-", "--applied", "today"]
    code, out = _with_terminal(nudge, args, text, b"n\n")
    assert code != 0 and "nothing saved" in out
    assert "No opportunities yet" in nudge("list").stdout
    code, out = _with_terminal(nudge, args, text, b"y\n")
    assert (code == 0 and "Save with these values?" in out) or code == 0, out
    assert "Acme" in nudge("list").stdout
