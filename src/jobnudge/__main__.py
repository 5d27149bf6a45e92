"""`python -m jobnudge` is the `nudge` command."""

from jobnudge.cli.main import run

run()
