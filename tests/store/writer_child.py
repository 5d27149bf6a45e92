"""A writer process for the concurrency tests: runs `nudge` commands one after another, each as
the installed command would (global options, a new session, the error handling and exit code),
but inside one process so that hundreds of commands do not each pay for an interpreter start.

The test starts several of these (fresh interpreters: ``spawn``, so no process state is shared
with the test or with other tests' workers), and they all begin writing together once each has
imported what a command needs.
"""

from __future__ import annotations

import os
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from click.testing import CliRunner
from typer.main import get_command

from jobnudge.cli.main import app

# Imported before the writers start together (a writer that imported these during its first
# command would spend that second alone instead of writing alongside the others).
PRELOAD = (
    "jobnudge.playbook.engine",
    "jobnudge.playbook.rules_search",
    "jobnudge.services.records",
    "jobnudge.store.core",
    "sqlalchemy.dialects.postgresql.psycopg",
    "sqlalchemy.dialects.sqlite.pysqlite",
)
for _name in PRELOAD:
    __import__(_name)

Failure = tuple[list[str], int, str]


WAITING = "Waiting for another jobnudge process that is writing to "
"""How a command says it waits for another writer (not a failure: it goes on)."""


def write(env: dict[str, str], url: str, commands: list[list[str]]) -> list[Failure]:
    """Run ``nudge --db URL ...`` for each command; return those that did not succeed cleanly
    (an exit code other than 0, or anything on stderr but the note that it waited), with their
    code and message."""
    os.environ.update(env)
    runner, command = CliRunner(), get_command(app)  # built once, as one process start would
    failures: list[Failure] = []
    for args in commands:
        result = runner.invoke(command, ["--db", url, *args])
        said = [line for line in result.stderr.splitlines() if not line.startswith(WAITING)]
        if result.exit_code != 0 or said:
            told = "\n".join(said) or repr(result.exception)
            failures.append((args, result.exit_code, told))
    return failures


def run(
    env: dict[str, str],
    url: str,
    commands: list[list[str]],
    start: Barrier,
    results: Queue[list[Failure]],
) -> None:
    """A writer process: wait for the others to be ready, then :func:`write` and report."""
    start.wait(timeout=120)
    results.put(write(env, url, commands))
