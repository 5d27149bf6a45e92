"""The schema revision this code expects, importable without SQLAlchemy or Alembic.

The fast read path compares a file's ``alembic_version`` with :data:`HEAD` before trusting it;
a test checks that this constant is the head of the shipped migrations.
"""

from __future__ import annotations

HEAD = "0023"
