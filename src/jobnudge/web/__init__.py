"""The web app: ``create_app(settings, ...)`` builds a Starlette application.

Server-rendered pages (Jinja2 templates in ``templates/``), a hand-written stylesheet and a
little plain JavaScript in ``static/``, all shipped in the package: nothing is loaded from the
internet. Importing this package creates no engine and no global state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jobnudge.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from jobnudge.web.app import create_app

        return create_app
    raise AttributeError(f"module 'jobnudge.web' has no attribute {name!r}")
