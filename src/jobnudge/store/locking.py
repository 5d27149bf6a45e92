"""One writer at a time per user: the write lock a transaction takes before it reads or writes
anything of a user's search.

Writes read before they write: a new application looks for the company and the recruiter by
name, and every write recomputes the search-wide follow-ups from all of the user's records,
deleting the old ones and inserting the new. Two such transactions interleaved under
PostgreSQL's READ COMMITTED would each decide on what it read before the other committed:
duplicated companies and contacts, or the same follow-up key inserted twice. So on PostgreSQL a
transaction takes a per-user advisory lock (``pg_advisory_xact_lock``, released at commit or
rollback) the first time it touches that user, and everything it reads afterwards includes
every earlier writer's commit. Other users' writers never wait; readers never wait.

SQLite needs nothing more: every write transaction begins IMMEDIATE, which holds the file's
write lock from the start (``store.engine``).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from jobnudge.store.waiting import Notice, announced, waiting_message

LOCK_SPACE = 0x6A6E7573
"""First key of the user locks ("jnus"); the second is the user's id. The two-key form never
collides with the single-key lock the migrations take."""

_TRY = text("SELECT pg_try_advisory_xact_lock(CAST(:space AS integer), CAST(:owner AS integer))")
_WAIT = text("SELECT pg_advisory_xact_lock(CAST(:space AS integer), CAST(:owner AS integer))")


def lock_user(connection: Connection, owner: int, notice: Notice) -> None:
    """Hold ``owner``'s write lock until the transaction ends, waiting as long as it takes for
    another transaction holding it (saying so after a moment)."""
    params = {"space": LOCK_SPACE, "owner": owner}
    if connection.scalar(_TRY, params):
        return
    where = connection.engine.url.render_as_string(hide_password=True)
    with announced(notice, waiting_message(f"the same job search in {where}")):
        connection.execute(_WAIT, params)
