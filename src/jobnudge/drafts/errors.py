"""Errors from drafting, as sentences a person can act on (exit codes come from the bases)."""

from __future__ import annotations

from jobnudge.errors import ConfigError, UsageError


class NotAMessage(UsageError):
    """The rule asks the user something (or suggests a step); it has nothing to send."""


class NoDraft(UsageError):
    """The rule sends messages, but not in the channel asked for, or the records lack something."""


class TemplateProblem(ConfigError):
    """A template (usually a user's override) cannot be read or rendered."""
