"""The checks of the playbook's numbers (each number's default, unit, range and reason are in
``playbookspecs``): the pairs among them that bound one span, and the checks. A config
file's ``[playbook]``, the settings page and one opportunity's overrides all go through
``check_numbers`` and ``check_pairs``, so every way in names a bad number the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time
from typing import Any

from jobnudge.errors import ConfigError
from jobnudge.playbookspecs import SPEC_BY_NAME


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
