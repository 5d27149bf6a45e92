"""Every playbook number as data: its default, unit, range, the reason for it and the articles
the advice comes from. Apart from the checks that read them (playbookconfig), since the table
is what a person edits to change the advice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


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
