"""Errors a person can act on: each carries a sentence naming the problem and the fix,
and the exit code the command line ends with. The web layer maps them to 4xx responses.
"""

from __future__ import annotations


class NudgeError(Exception):
    """Base class: ``str(error)`` is the message shown to the user."""

    exit_code = 1
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(NudgeError):
    """A value the user gave is malformed (a date, a channel, a zone)."""

    exit_code = 2
    http_status = 422


class ConfigError(NudgeError):
    """The settings file or a setting is wrong."""

    exit_code = 3
    http_status = 422


class NotFound(NudgeError):
    """A named record does not exist (for this user)."""

    exit_code = 4
    http_status = 404


class Ambiguous(NudgeError):
    """A name matches several records; the message lists them."""

    exit_code = 5
    http_status = 409


class Conflict(NudgeError):
    """The request contradicts what is recorded (a duplicate, a closed opportunity)."""

    exit_code = 6
    http_status = 409


class Busy(NudgeError):
    """Too much of this kind of work already waits or runs; asked again later, it is done."""

    http_status = 429


class StoreError(NudgeError):
    """The database cannot be opened, migrated or written."""

    exit_code = 7
    http_status = 503


class PortInUse(NudgeError):
    """`nudge serve` cannot listen where it was asked: another program holds the port."""

    exit_code = 9
    http_status = 503


class BadFile(UsageError):
    """A file given to an importer cannot be read as a whole (wrong format, too large,
    malformed); nothing was written. Rows that cannot be read are reported, not raised."""


class MailError(NudgeError):
    """A mail server could not be reached, refused the login, or refused a message; ``stage``
    names the step that failed (dns, connect, tls, login, mailbox, send)."""

    exit_code = 8
    http_status = 502

    def __init__(self, message: str, stage: str = "") -> None:
        super().__init__(message)
        self.stage = stage
