"""Storage: SQLAlchemy Core tables, queries and Alembic migrations, on SQLite or PostgreSQL.

``open_store(url, data_dir=...)`` gives a :class:`Store`; ``with store.transaction() as tx:``
gives a :class:`Tx` for writes. Attributes load lazily so that ``jobnudge.store.fastread`` (and
``location``, ``rows``, ``revision``) import without paying for SQLAlchemy.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the fast path
if TYPE_CHECKING:
    from typing import Any

    from jobnudge.store.core import Store, open_store
    from jobnudge.store.location import default_sqlite_path, sqlite_file
    from jobnudge.store.revision import HEAD
    from jobnudge.store.rows import AgendaRow
    from jobnudge.store.writes import Tx

__all__ = ["HEAD", "AgendaRow", "Store", "Tx", "default_sqlite_path", "open_store", "sqlite_file"]

_HOMES = {
    "Store": "jobnudge.store.core",
    "open_store": "jobnudge.store.core",
    "Tx": "jobnudge.store.writes",
    "default_sqlite_path": "jobnudge.store.location",
    "sqlite_file": "jobnudge.store.location",
    "HEAD": "jobnudge.store.revision",
    "AgendaRow": "jobnudge.store.rows",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'jobnudge.store' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(home), name)
