"""Plain, frozen records: what the store returns and what the playbook and drafts read.

Instants are timezone-aware datetimes in UTC; the IANA zone they belong to travels beside them
(``tz``) so that "3 pm in Denver" can be shown and reasoned about as the user meant it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from jobnudge.domain.enums import (
    Channel,
    EventType,
    InterviewFormat,
    MessageKind,
    Role,
    Stage,
)
from jobnudge.domain.quickinit import quick_init
from jobnudge.typography import untitled

TYPE_CHECKING = False  # not typing's: the quick check (cli/quickcheck.py) avoids importing it
if TYPE_CHECKING:
    from typing import Any


def short_id(key: str) -> str:
    """Seven hex digits of the key's hash: short to type, and stable across recomputation."""
    sha1 = _SHA1[0] if _SHA1 else _load_sha1()
    digest: str = sha1(key.encode(), usedforsecurity=False).hexdigest()
    return digest[:7]


_SHA1: list[Any] = []
"""``hashlib.sha1`` once loaded: an import stores a short id for each of its follow-ups, and
an ``import`` statement run for each costs as much as the hash."""


def _load_sha1() -> Any:
    import hashlib  # here: loading it costs every command that only reads records

    _SHA1.append(hashlib.sha1)
    return hashlib.sha1


@quick_init
@dataclass(frozen=True, slots=True)
class Company:
    id: int
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  # email domains, lower case, e.g. "acme.com"
    is_staffing_firm: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the company goes by, the official one first."""
        return (self.name, *self.aliases)


@quick_init
@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    name: str  # as the person spells it
    company_id: int | None = None
    title: str = ""
    email: str = ""
    phone: str = ""
    tz: str | None = None  # IANA zone; None means "same as the user"
    country: str | None = None  # ISO 3166 code for public holidays; None means the user's
    prefers: Channel | None = None
    first_name_ok: bool = False  # invited first-name terms in writing
    roles: frozenset[Role] = frozenset()
    salutation: str = ""  # "Ms.", "Mr.", "Dr.", "Mx." or empty for the full name
    notes: str = ""

    @property
    def first_name(self) -> str:
        """The first word of the name after any title ("Helen" for "Dr. Helen O'Brien")."""
        words = untitled(self.name).split()
        return words[0] if words else self.name

    @property
    def surname(self) -> str:
        parts = self.name.split()
        return parts[-1] if parts else self.name


@quick_init
@dataclass(frozen=True, slots=True)
class Opportunity:
    id: int
    company_id: int
    company: str  # the company's name, denormalised for display
    role: str
    posting_url: str = ""
    source: str = ""  # where it was found
    responds_within_days: int | None = None  # the posting's stated response time
    prefers: Channel | None = None  # how the posting asks to be contacted
    referrer_id: int | None = None
    staffing_firm_id: int | None = None  # a Company that is a staffing firm
    recruiter_id: int | None = None
    priority: int = 0  # 0 normal, higher is more important
    notes: str = ""
    settings: Mapping[str, float] = field(default_factory=dict)  # per-opportunity overrides
    created_at: datetime | None = None
    # What the posting says about being contacted, by finding name ("shortlist_only",
    # "no_calls", "responds_within", "wait_until", "prefers"): {"value": ..., "source": the
    # sentence}. Confirmed by the user when the posting was read.
    posting_terms: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def posting_says(self, name: str) -> str:
        """The posting's sentence behind ``name``, or "" when it said nothing of the kind."""
        term = self.posting_terms.get(name)
        return str(term.get("source", "")) if term else ""


@dataclass(frozen=True, slots=True)
class Posting:
    """The job posting an opportunity started from, kept so it can be re-read."""

    opportunity_id: int
    url: str
    text: str
    page: str  # the original page (HTML), size-limited; empty for pasted text
    # What was read from it, as confirmed: {"field", "value", "source"} each, JSON-ready.
    findings: tuple[Mapping[str, Any], ...] = ()
    created_at: datetime | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened (or that the user decided) on an opportunity."""

    id: int
    opportunity_id: int | None  # None for events about a contact alone (a staffing firm)
    type: EventType
    at: datetime  # aware, UTC: when it happened
    tz: str = "UTC"  # the zone ``at`` was given in
    contact_ids: tuple[int, ...] = ()  # with whom, to whom, or from whom
    channel: Channel | None = None
    kind: MessageKind | None = None  # for SENT and RECEIVED
    round: int | None = None  # for SCHEDULED and INTERVIEWED
    format: InterviewFormat | None = None
    scheduled_for: datetime | None = None  # for SCHEDULED: when the interview takes place
    decision_by: date | None = None  # the timeline the employer stated
    prefers: Channel | None = None  # the follow-up channel the employer asked for
    note: str = ""
    nudge_key: str | None = None  # for NUDGE_* events: which nudge
    until: datetime | None = None  # for NUDGE_SNOOZED
    body: str = ""  # the text of a message, when known
    # The day it happened is not known (a status imported without a date): ``at`` is only
    # the moment it was recorded by, for ordering; no follow-up is timed from it.
    date_unknown: bool = False


@quick_init
@dataclass(frozen=True, slots=True)
class History:
    """An opportunity with everything recorded about it, in time order."""

    opportunity: Opportunity
    events: tuple[Event, ...]
    companies: Mapping[int, Company] = field(default_factory=dict)

    @property
    def stage(self) -> Stage:
        return stage_of(self.events)


@quick_init
@dataclass(frozen=True, slots=True)
class Nudge:
    """A follow-up the playbook recommends, with the rule that made it and why."""

    key: str  # stable identity across recomputation
    rule: str  # a rule id from the playbook, e.g. "interview.thank-you"
    opportunity_id: int | None
    contact_id: int | None
    channel: Channel | None
    due: datetime  # earliest recommended moment, aware
    due_by: datetime | None  # latest recommended moment, aware
    reason: str  # one plain sentence naming the facts used
    tz: str = "UTC"  # the zone the moments are best read in (the contact's)
    expires: datetime | None = None  # after this it no longer makes sense (e.g. interview passed)
    anchor_event_id: int | None = None  # the event that triggered it
    message: str = ""  # what the message should carry
    blocked_by: tuple[str, ...] = ()  # guard ids that forbid acting at ``now``

    @property
    def id(self) -> str:
        """The short handle users type: stable because the key is."""
        return short_id(self.key)

    @property
    def ok_now(self) -> bool:
        return not self.blocked_by


_CLOSING = {
    EventType.OFFER: Stage.OFFER,
    EventType.REJECTED: Stage.REJECTED,
    EventType.WITHDRAWN: Stage.WITHDRAWN,
    EventType.DECLINED: Stage.WITHDRAWN,
    EventType.NO_RESPONSE: Stage.NO_RESPONSE,
}

# Built once, as the stage is read for every opportunity of an import.
_MEETING = (EventType.SCHEDULED, EventType.INTERVIEWED)
_BEFORE_MEETING = (Stage.LEAD, Stage.APPLIED, Stage.NO_RESPONSE)
_APPLYING = EventType.APPLIED
_BEFORE_APPLYING = (Stage.LEAD, Stage.NO_RESPONSE)


def stage_of(events: Iterable[Event]) -> Stage:
    """The stage an opportunity is in, from its events alone (the last decisive one wins).

    An offer can still be followed by a withdrawal or a rejection (rescinded), so the latest
    closing event decides; a later interview after "no response" re-opens the process. An
    accepted offer stays an offer; declining one is withdrawing from the process.
    """
    return stage_in(sorted(events, key=lambda e: (e.at, e.id)))


def stage_in(ordered: Iterable[Event]) -> Stage:
    """``stage_of`` for events already in time order (then recording order), as the playbook
    holds them: sorting them again costs more than reading them."""
    stage = Stage.LEAD
    for event in ordered:
        kind = event.type
        closing = _CLOSING.get(kind)
        if closing is not None:
            stage = closing
        elif kind in _MEETING:
            if stage in _BEFORE_MEETING:
                stage = Stage.INTERVIEWING
        elif kind is _APPLYING and stage in _BEFORE_APPLYING:
            stage = Stage.APPLIED
    return stage
