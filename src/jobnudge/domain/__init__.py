"""The records and vocabularies of a job search, free of I/O.

The names below are imported from their modules on first use, so that importing one module of
the package (``domain.enums``, as the command line's quick check does) does not build every
record class.
"""

TYPE_CHECKING = False  # not typing's: the quick check (cli/quickcheck.py) avoids importing it
if TYPE_CHECKING:
    from jobnudge.domain.enums import (
        Channel,
        EventType,
        InterviewFormat,
        MessageKind,
        Role,
        Stage,
    )
    from jobnudge.domain.records import (
        Company,
        Contact,
        Event,
        History,
        Nudge,
        Opportunity,
        Posting,
        short_id,
        stage_of,
    )

_ENUMS = ("Channel", "EventType", "InterviewFormat", "MessageKind", "Role", "Stage")
_RECORDS = (
    "Company",
    "Contact",
    "Event",
    "History",
    "Nudge",
    "Opportunity",
    "Posting",
    "short_id",
    "stage_of",
)


def __getattr__(name: str) -> object:
    if name in _ENUMS:
        from jobnudge.domain import enums as module
    elif name in _RECORDS:
        from jobnudge.domain import records as module  # type: ignore[no-redef]
    else:
        raise AttributeError(f"module 'jobnudge.domain' has no attribute '{name}'")
    value = getattr(module, name)
    globals()[name] = value
    return value


__all__ = [
    "Channel",
    "Company",
    "Contact",
    "Event",
    "EventType",
    "History",
    "InterviewFormat",
    "MessageKind",
    "Nudge",
    "Opportunity",
    "Posting",
    "Role",
    "Stage",
    "short_id",
    "stage_of",
]
