"""Files the command line keeps in its data dir to start faster (holiday dates, word counts):
what they were made from, and writing them without ever failing the command.

Plain ``os`` calls rather than ``pathlib``: the agenda's fast path reads the holiday file
through here, and importing pathlib would cost it more than the reading.
"""

from __future__ import annotations

import contextlib
import os


def package_stamp(name: str) -> str:
    """Which copy of package ``name`` is installed, without importing it: where it lives and
    when it was installed, so an upgrade makes a different stamp."""
    from importlib.util import find_spec

    spec = find_spec(name)
    origin = spec.origin if spec is not None else None
    if not origin:
        return "missing"
    return f"{origin}:{os.stat(origin).st_mtime_ns}"


def uri_path(path: str) -> str:
    """``path`` made absolute, as the path of a SQLite ``file:`` URI (its ``%``, ``?`` and
    ``#`` escaped), for opening a kept file read-only."""
    full = os.path.realpath(path)
    return "".join({"%": "%25", "?": "%3f", "#": "%23"}.get(c, c) for c in full)


def write(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` at once (readers never see half a file); best-effort: a
    read-only data dir only loses the speed-up."""
    target = os.fspath(path)
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}")
    try:
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(temporary, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
