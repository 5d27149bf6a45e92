"""The follow-up playbook as pure functions: rules, guards and calendar math (no I/O)."""

from jobnudge.playbook.engine import RULE_IDS, current, derive, derive_search, plan
from jobnudge.playbook.rules_search import Search

__all__ = ["RULE_IDS", "Search", "current", "derive", "derive_search", "plan"]
