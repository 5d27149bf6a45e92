"""The follow-up playbook as pure functions: rules, guards and calendar math (no I/O).

``engine`` holds ``plan``/``derive``; import it explicitly, so that reading the agenda (which
needs only ``guards``) does not load every rule.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the fast path
if TYPE_CHECKING:
    from typing import Any

_ENGINE_NAMES = ("RULE_IDS", "Search", "current", "derive", "derive_search", "plan")


def __getattr__(name: str) -> Any:
    """``from jobnudge.playbook import plan`` works, loading the rules only when asked."""
    if name in _ENGINE_NAMES:
        from jobnudge.playbook import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'jobnudge.playbook' has no attribute {name!r}")
