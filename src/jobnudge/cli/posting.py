"""`nudge add --posting`: read the posting, show each value with the sentence it came from,
and ask before anything is saved (``--yes`` accepts them in scripts)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from jobnudge.errors import UsageError

if TYPE_CHECKING:
    from jobnudge.postings.findings import Reading
    from jobnudge.services.session import Session


def read(session: Session, source: str) -> Reading:
    from jobnudge.services import postings

    if source.strip() == "-":
        from jobnudge.textfile import read_input

        text = read_input("--posting")
        if not text.strip():
            raise UsageError(
                "--posting: nothing was pasted; paste the posting's text, then Ctrl-D."
            )
        return postings.read_pasted(session, text)
    return postings.read(session, source)


def show(reading: Reading) -> None:
    """Each value read, with its sentence, for the user to check."""
    from jobnudge.postings.findings import LABELS

    if not reading.findings:
        typer.echo("The posting states none of the values jobnudge reads; nothing filled in.")
    else:
        typer.echo("From the posting:")
        for f in reading.findings:
            source = f.source.removeprefix("page data: ")
            where = f"the page's {source} field" if f.source.startswith("page data") else None
            quote = where or f"“{source}”"
            typer.echo(f"  {LABELS.get(f.field, f.field)}: {f.shown}\n      from {quote}")
    for note in reading.notes:
        typer.echo(f"Note: {note}")


def _ask_terminal(question: str) -> bool | None:
    """Ask at the user's terminal even when standard input held the posting (``--posting -``
    with the text piped or pasted); None when there is no terminal to ask at."""
    if sys.stdin.isatty():
        return bool(typer.confirm(question, default=True))
    try:
        with (
            open("/dev/tty", "w", encoding="utf-8") as out,  # noqa: PTH123 - a device
            open("/dev/tty", encoding="utf-8") as typed,  # noqa: PTH123
        ):
            out.write(f"{question} [Y/n]: ")
            out.flush()
            answer = typed.readline().strip().casefold()
    except OSError:
        return None
    return answer in ("", "y", "yes")


def confirm(reading: Reading, yes: bool) -> None:
    """Go on only when the user accepts what was read (or said --yes beforehand)."""
    if yes or not reading.findings:
        return
    answer = _ask_terminal("Save with these values?")
    if answer is None:
        raise UsageError(
            "--posting: check the values above, then run again with --yes to save them "
            "(correct one with its option, e.g. --responds-within 21)."
        )
    if not answer:
        raise UsageError(
            "--posting: nothing saved. Correct a value with its option (COMPANY, ROLE, "
            "--responds-within, --prefers) and run again."
        )


def ask_again(message: str) -> bool:
    """At a terminal, ask whether a likely duplicate is a deliberate second application."""
    if not sys.stdin.isatty():
        return False
    typer.echo(message.split(" Log a new step")[0])
    return typer.confirm("Add it anyway, as a second application?", default=False)
