"""The playbook's numbers: each with its default, its unit, its range and the reason for it
(``PLAYBOOK_SPECS``), the pairs among them that bound one span, and their checks. A config
file's ``[playbook]``, the settings page and one opportunity's overrides all go through
``check_numbers`` and ``check_pairs``, so every way in names a bad number the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time
from typing import Any

from jobnudge.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Spec:
    """One tunable number: its default, its unit and why it is what it is. ``why`` is for
    people; ``sources`` names the articles the advice comes from (machine-readable, shown in
    ``--json``; empty where the number is ours)."""

    name: str
    default: float
    unit: str
    why: str
    minimum: float = 0
    maximum: float = 10_000
    sources: str = ""


PLAYBOOK_SPECS: tuple[Spec, ...] = (
    Spec(
        "apply_check_in_days",
        7,
        "days",
        "Check in about a week after applying (say so in the cover letter).",
        sources="003",
    ),
    Spec(
        "apply_check_in_window_days",
        10,
        "days",
        "The check-in stays worth sending until 10 days after applying.",
        sources="003",
    ),
    Spec(
        "confirm_working_days_before",
        1,
        "working days",
        "Confirm an interview the working day before it.",
        1,
        10,
        sources="003",
    ),
    Spec(
        "thank_you_min_minutes",
        60,
        "minutes",
        "Not within the first hour after the interview: it reads as rushed.",
        0,
        720,
        sources="002",
    ),
    Spec(
        "thank_you_max_hours",
        24,
        "hours",
        "A thank-you later than a day looks unprofessional.",
        1,
        168,
        sources="002, 003",
    ),
    Spec(
        "workday_end_hour",
        17,
        "hour of day",
        "Thank-yous land towards the end of the interviewer's working day.",
        0,
        23,
        sources="002",
    ),
    Spec(
        "workday_start_hour",
        9,
        "hour of day",
        "Start of the contact's working day, used to avoid interrupting it.",
        0,
        23,
    ),
    Spec(
        "first_round_status_days",
        5,
        "working days",
        "After a phone or first-round interview, follow up within the week.",
        1,
        60,
        sources="004",
    ),
    Spec(
        "later_round_status_min_days",
        7,
        "days",
        "After a second or later round, wait 7 to 10 days.",
        1,
        60,
        sources="004",
    ),
    Spec(
        "later_round_status_max_days",
        10,
        "days",
        "After a second or later round, wait 7 to 10 days.",
        1,
        90,
        sources="004",
    ),
    Spec(
        "silence_retry_days",
        7,
        "days",
        "Wait a full week after an unanswered follow-up, then one more polite email.",
        sources="003",
    ),
    Spec(
        "silence_move_on_after",
        2,
        "unanswered follow-ups",
        "Continued silence means they moved on, and so should you; the number is ours.",
        1,
        10,
        sources="001",
    ),
    Spec(
        "cooldown_days",
        7,
        "days",
        "Never the same question to the same employer twice inside this.",
        1,
        60,
        sources="000, 003",
    ),
    Spec(
        "referral_update_days",
        2,
        "days",
        "Tell the person who referred you within a couple of days of each step.",
        sources="003",
    ),
    Spec(
        "references_thanks_days",
        3,
        "days",
        "Thank references within a few days of the outcome (our reading of the advice).",
        sources="003, 004",
    ),
    Spec(
        "offer_thank_you_hours",
        24,
        "hours",
        "Thank the employer for an offer within a day (the window is ours).",
        1,
        168,
        sources="003",
    ),
    Spec(
        "offer_decide_days_before",
        2,
        "working days",
        "Have your answer to an offer ready this long before the date they asked for it "
        "(the number is ours).",
        0,
        30,
    ),
    Spec(
        "rejection_note_days",
        2,
        "days",
        "A gracious note within a day or two of a rejection (the window is ours).",
        1,
        30,
        sources="001",
    ),
    Spec(
        "reconnect_days",
        90,
        "days",
        "Check back about new openings months after a gracious note (our reading of the advice).",
        sources="001",
    ),
    Spec(
        "staffing_every_days",
        14,
        "days",
        "Stay in regular touch with staffing firms (the cadence is ours).",
        1,
        90,
        sources="003",
    ),
    Spec(
        "pipeline_min_active",
        5,
        "opportunities",
        "Below this many active applications, add more while you wait.",
        0,
        1000,
        sources="000",
    ),
    Spec(
        "review_weekday",
        0,
        "weekday (0 = Monday)",
        "The weekly review day (review this week's job search activities).",
        0,
        6,
        sources="003",
    ),
    Spec(
        "call_start_hour",
        7,
        "hour of day",
        "No calls before 7 am in the contact's time zone (early morning is fine).",
        0,
        23,
        sources="001",
    ),
    Spec(
        "call_end_minutes",
        20 * 60 + 30,
        "minutes after midnight",
        "No calls after 8:30 pm in the contact's time zone (2 am sounds desperate).",
        0,
        24 * 60,
        sources="001",
    ),
    Spec(
        "email_max_words",
        150,
        "words",
        "Follow-ups are short and to the point.",
        20,
        2000,
        sources="000",
    ),
    Spec("voicemail_max_seconds", 40, "seconds", "A brief message.", 5, 600, sources="000, 001"),
    Spec("text_max_chars", 320, "characters", "Two text messages at most.", 40, 2000),
)

SPEC_BY_NAME: Mapping[str, Spec] = {s.name: s for s in PLAYBOOK_SPECS}


@dataclass(frozen=True, slots=True)
class Pair:
    """Two playbook numbers that bound one span: ``first`` must come before ``second`` (or
    equal it, unless ``strict``), once each is scaled to a common unit."""

    first: str
    second: str
    reason: str  # what would go wrong otherwise, for the message
    strict: bool = False
    first_scale: float = 1
    second_scale: float = 1


PLAYBOOK_PAIRS: tuple[Pair, ...] = (
    Pair(
        "workday_start_hour",
        "workday_end_hour",
        "the working day would end before it starts",
        strict=True,
    ),
    Pair(
        "call_start_hour",
        "call_end_minutes",
        "no moment would be inside the call hours",
        strict=True,
        first_scale=60,
    ),
    Pair(
        "later_round_status_min_days",
        "later_round_status_max_days",
        "the status check would fall due after its window closed",
    ),
    Pair(
        "apply_check_in_days",
        "apply_check_in_window_days",
        "the check-in would fall due after its window closed",
    ),
    Pair(
        "thank_you_min_minutes",
        "thank_you_max_hours",
        "the earliest moment for a thank-you would come after its deadline",
        second_scale=60,
    ),
)
"""The start/end and min/max pairs among ``PLAYBOOK_SPECS`` (hours against minutes for the
call hours, minutes against hours for the thank-you)."""


class ContradictorySettings(ConfigError):
    """Two playbook numbers contradict each other; ``fields`` names both (the first, then the
    second of the pair), so a form can mark them."""

    def __init__(self, message: str, fields: tuple[str, str]) -> None:
        super().__init__(message)
        self.fields = fields


@dataclass(frozen=True, slots=True)
class Playbook:
    """The numbers the rules use. Field names match ``PLAYBOOK_SPECS``."""

    apply_check_in_days: float = 7
    apply_check_in_window_days: float = 10
    confirm_working_days_before: float = 1
    thank_you_min_minutes: float = 60
    thank_you_max_hours: float = 24
    workday_end_hour: float = 17
    workday_start_hour: float = 9
    first_round_status_days: float = 5
    later_round_status_min_days: float = 7
    later_round_status_max_days: float = 10
    silence_retry_days: float = 7
    silence_move_on_after: float = 2
    cooldown_days: float = 7
    referral_update_days: float = 2
    references_thanks_days: float = 3
    offer_thank_you_hours: float = 24
    offer_decide_days_before: float = 2
    rejection_note_days: float = 2
    reconnect_days: float = 90
    staffing_every_days: float = 14
    pipeline_min_active: float = 5
    review_weekday: float = 0
    call_start_hour: float = 7
    call_end_minutes: float = 20 * 60 + 30
    email_max_words: float = 150
    voicemail_max_seconds: float = 40
    text_max_chars: float = 320

    @property
    def call_start(self) -> time:
        return time(int(self.call_start_hour))

    @property
    def call_end(self) -> time:
        minutes = min(int(self.call_end_minutes), 24 * 60 - 1)
        return time(minutes // 60, minutes % 60)

    def with_overrides(self, overrides: Mapping[str, float]) -> Playbook:
        """This playbook with one opportunity's overrides applied (validated the same way)."""
        if not overrides:
            return self
        return replace(self, **check_numbers(overrides, "opportunity settings"))


def check_numbers(values: Mapping[str, Any], where: str) -> dict[str, float]:
    """Validate playbook numbers by name, type and range; raise naming the first bad one."""
    out: dict[str, float] = {}
    for name, value in values.items():
        spec = SPEC_BY_NAME.get(name)
        if spec is None:
            known = ", ".join(sorted(SPEC_BY_NAME))
            raise ConfigError(f"{where}: unknown setting '{name}'. Known settings: {known}.")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: '{name}' must be a number ({spec.unit}), not {value!r}.")
        if not spec.minimum <= value <= spec.maximum:
            raise ConfigError(
                f"{where}: '{name}' must be between {spec.minimum:g} and {spec.maximum:g} "
                f"{spec.unit}; it is {value:g}."
            )
        out[name] = float(value)
    return out


def _shown(name: str, value: float) -> str:
    unit = SPEC_BY_NAME[name].unit
    if unit == "hour of day":
        return f"{value:g}, i.e. {int(value):02d}:{round(value % 1 * 60):02d}"
    if unit == "minutes after midnight":
        return f"{value:g}, i.e. {int(value) // 60:02d}:{int(value) % 60:02d}"
    return f"{value:g} {unit}"


def check_pairs(playbook: Playbook, where: str) -> Playbook:
    """``playbook`` if no start/end or min/max pair contradicts itself (the numbers not given
    count at their defaults), else a ContradictorySettings naming both numbers and the fix."""
    for pair in PLAYBOOK_PAIRS:
        first = getattr(playbook, pair.first)
        second = getattr(playbook, pair.second)
        low, high = first * pair.first_scale, second * pair.second_scale
        if low < high or (low == high and not pair.strict):
            continue
        relation = "before" if pair.strict else "at most"
        a, b = SPEC_BY_NAME[pair.first], SPEC_BY_NAME[pair.second]
        raise ContradictorySettings(
            f"{where}: '{pair.first}' ({_shown(pair.first, first)}) must be {relation} "
            f"'{pair.second}' ({_shown(pair.second, second)}): otherwise {pair.reason}. "
            f"Lower {pair.first} or raise {pair.second} (the defaults are {a.default:g} and "
            f"{b.default:g}).",
            (pair.first, pair.second),
        )
    return playbook
