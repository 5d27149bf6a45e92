"""Where the SQLite file lives, worked out without importing SQLAlchemy.

The command line needs the path for the fast agenda read before deciding whether to open the
full store, so this parses the small subset of URL syntax SQLite URLs use.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from jobnudge.errors import StoreError

DEFAULT_FILE_NAME = "jobnudge.sqlite"


def default_sqlite_path(data_dir: Path) -> Path:
    """The database file used when no database URL is configured."""
    return data_dir / DEFAULT_FILE_NAME


def sqlite_file(url: str | None, data_dir: Path) -> Path | None:
    """The SQLite file a database URL names; ``None`` for other databases or in-memory SQLite.

    ``None`` as the URL means the default file in ``data_dir``. Follows SQLAlchemy's reading:
    ``sqlite:///rel/path`` is relative to the working directory, ``sqlite:////abs/path`` absolute.
    """
    if url is None:
        return default_sqlite_path(data_dir)
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+", 1)[0].lower() != "sqlite":
        return None
    database = unquote(rest.partition("?")[0])
    if not database.startswith("/"):
        return None
    database = database[1:]
    if database in ("", ":memory:"):
        return None
    return Path(database)


def check_file(path: Path) -> Path:
    """``path`` if it names a SQLite file that exists or can be made in a folder that exists;
    else a StoreError. A database URL names a file, and a typing mistake in its folder must
    not silently create a tree of folders somewhere else."""
    try:
        if path.exists():
            if path.is_dir():
                raise StoreError(f"--db: {path} is a folder; name a database file in it.")
            return path
        if not path.parent.is_dir():
            raise StoreError(
                f"--db: the folder {path.parent} does not exist; create it first, or name a "
                "file in a folder that exists."
            )
    except OSError as exc:
        raise StoreError(
            f"--db: cannot use {path} as the database file ({exc.strerror})."
        ) from None
    return path


def check_url(url: str | None) -> str | None:
    """``url`` (a database URL the user gave) with its SQLite file checked by ``check_file``:
    the command line and ``nudge serve`` call this where they read ``--db``."""
    path = sqlite_file(url, Path()) if url else None
    if path is not None:
        check_file(path)
    return url
