"""Files the command line keeps in its data dir to start faster (holiday dates, word counts):
what they were made from, and writing them without ever failing the command."""

from __future__ import annotations

import contextlib
import os
from importlib.util import find_spec
from pathlib import Path


def package_stamp(name: str) -> str:
    """Which copy of package ``name`` is installed, without importing it: where it lives and
    when it was installed, so an upgrade makes a different stamp."""
    spec = find_spec(name)
    origin = spec.origin if spec is not None else None
    if not origin:
        return "missing"
    return f"{origin}:{Path(origin).stat().st_mtime_ns}"


def write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` at once (readers never see half a file); best-effort: a
    read-only data dir only loses the speed-up."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
