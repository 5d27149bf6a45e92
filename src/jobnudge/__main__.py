"""`python -m jobnudge` is the `nudge` command."""

from jobnudge.cli.entry import run

run()
