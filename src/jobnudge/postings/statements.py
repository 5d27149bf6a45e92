"""Reading a posting's plain sentences: a stated response time, "only shortlisted candidates
will be contacted", "no phone calls", the channel they want, a contact person and address, and
the closing date.

Each reader looks at one sentence at a time and returns the sentence it used, so what is shown
for confirmation is exactly what the employer wrote. The patterns live in one table per
language (:data:`LANGUAGES`); English is the first. A sentence that matches nothing yields
nothing: it is better to find no response time than to invent one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from jobnudge.postings.findings import Finding
from jobnudge.spans import NUMBER_WORDS, count, span_days

MAX_SENTENCE = 400  # longer runs are lists or boilerplate, never one statement

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class Language:
    """The patterns for one language. Every pattern is matched case-insensitively against one
    sentence, except ``person`` (names are told by their capitals)."""

    count: str  # a number of days or weeks, with groups n, m (upper bound), kind, unit
    reply: re.Pattern[str]  # words that make a duration a response time
    not_reply: re.Pattern[str]  # words that make it something else (notice, holidays)
    shortlist: re.Pattern[str]
    no_calls: re.Pattern[str]
    no_agencies: re.Pattern[str]
    for_client: re.Pattern[str]  # a staffing firm recruiting for an unnamed client
    by_email: re.Pattern[str]
    by_phone: re.Pattern[str]
    closing: re.Pattern[str]  # a closing-date phrase before the date
    review_after: re.Pattern[str]  # a date before which they will not decide
    from_closing: re.Pattern[str]  # a response time counted from the closing date
    contact_cue: re.Pattern[str]  # words before a contact person's name
    person: re.Pattern[str]
    not_a_name: frozenset[str]


_I = re.IGNORECASE
_UP = "[A-ZÀ-ÖØ-ÞĀ-ſ]"  # a capital letter, accented ones too (Renée Lefèvre, Łukasz)
_LOW = "[a-zß-öø-ÿĀ-ſ]"  # a small letter, likewise (names are told by their capitals)
_NUM = r"\d{1,3}|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))

ENGLISH = Language(
    count=(
        rf"(?P<n>{_NUM})(?:\s*(?:-|–|to|or)\s*(?P<m>{_NUM}))?\s+"
        r"(?:(?P<kind>working|business|calendar)\s+)?(?P<unit>days?|weeks?|fortnight|months?)"
    ),
    reply=re.compile(
        r"\b(respond|response|reply|replies|hear|heard|contact(?:ed)?|get back|be in touch|"
        r"feedback|notif(?:y|ied)|decision|outcome|update you|let you know|review(?:ed)?|"
        r"come back to you|aim to|keep you updated|hiring process)\b",
        _I,
    ),
    not_reply=re.compile(
        r"\b(notice period|probation|holiday|vacation|leave|per week|a week in|days a week|"
        r"onboarding|training|in the office|on site|years?)\b",
        _I,
    ),
    shortlist=re.compile(
        r"\bonly\s+(?:the\s+)?(?:short-?listed|successful|selected|qualified)\s+"
        r"(?:candidates|applicants)\b|"
        r"\b(?:short-?listed|successful|selected)\s+(?:candidates|applicants)\s+only\b|"
        r"\bif you (?:have not|haven't|do not|don't) (?:heard|hear)\b|"
        r"\bunable to respond to (?:every|each|all)\b|"
        r"\bcannot (?:respond|reply) to (?:every|each|all)\b",
        _I,
    ),
    no_calls=re.compile(
        r"\bno\s+(?:phone\s+|telephone\s+)?calls\b|"
        r"\b(?:please\s+)?(?:do not|don't|kindly do not)\s+(?:call|phone|telephone|ring)\b|"
        r"\bno\s+(?:phone|telephone)\s+(?:enquiries|inquiries)\b",
        _I,
    ),
    no_agencies=re.compile(
        r"\bno\s+(?:recruitment\s+|recruiting\s+|staffing\s+)?agencies\b|"
        r"\bagencies need not apply\b|"
        r"\b(?:do not|don't) accept\s+(?:cvs|resumes|résumés|applications|submissions)\s+from\s+"
        r"(?:recruitment\s+|third[- ]party\s+)?agencies\b",
        _I,
    ),
    for_client=re.compile(
        r"\b(?:our|a|an) (?:client|customer)(?:,|\s+(?:is|based|in|who)\b)|"
        r"\bon behalf of (?:our|a|an) (?:client|customer)\b",
        _I,
    ),
    by_email=re.compile(
        r"\b(?:by|via|through)\s+e-?mail\s+only\b|\be-?mail\s+only\b|"
        r"\bonly\s+(?:by|via)\s+e-?mail\b|"
        r"\b(?:questions|queries|enquiries|inquiries)\b[^.]*\b(?:by|via|to)\s+e-?mail\b|"
        r"\bplease\s+e-?mail\b|\bcontact\b[^.]*\bby\s+e-?mail\b",
        _I,
    ),
    by_phone=re.compile(
        r"\b(?:please|feel free to)\s+(?:call|phone|ring)\b|"
        r"\b(?:calls|phone calls) (?:are )?welcome\b",
        _I,
    ),
    closing=re.compile(
        r"\b(?:closing date|applications? close|closes|close on|deadline|apply by|apply before|"
        r"open until|accepting applications until|applications? (?:are )?due)\b",
        _I,
    ),
    review_after=re.compile(
        r"\b(?:review(?:ed)?|consider(?:ed)?|assess(?:ed)?|shortlist(?:ing|ed)?|decisions?)\b"
        r"[^.]*\bafter\s+the\s+closing\s+date\b|"
        r"\b(?:hear|be in touch|contact(?:ed)?|respond|let you know|notif(?:y|ied))\b[^.]*"
        r"\b(?:by|before|no later than)\s+(?:the\s+)?\d",
        _I,
    ),
    from_closing=re.compile(
        r"\b(?:of|after|from|following)\s+(?:the\s+)?(?:closing\s+date|deadline|"
        r"application\s+deadline|close\s+of\s+applications|posting\s+closes?)\b|"
        r"\b(?:once|when)\s+(?:applications|the\s+(?:posting|advert|role|vacancy))\s+"
        r"(?:close|closes|has\s+closed|have\s+closed)\b",
        _I,
    ),
    contact_cue=re.compile(
        r"(?:\b[Cc]ontact(?: person)?:?|\b[Rr]each out to|\b[Qq]uestions (?:to|for)|"
        r"\b[Ss]peak (?:to|with)|\b[Ww]rite to|\b[Aa]ddressed to|\b[Hh]iring [Mm]anager:|"
        r"\b[Rr]ecruiter:|\b[Ee]mail|\b[Cc]all)\s+",
    ),
    person=re.compile(
        rf"(?P<name>{_UP}{_LOW}+(?:[-'’]{_UP}{_LOW}+)?(?:\s+{_UP}(?:{_LOW}*['’]{_UP})?"
        rf"(?:{_LOW}|-)+){{1,2}})"
    ),
    not_a_name=frozenset(
        {
            "us",
            "human",
            "resources",
            "talent",
            "team",
            "department",
            "recruitment",
            "careers",
            "hiring",
            "the",
            "our",
            "people",
            "hr",
            "acquisition",
            "office",
            "manager",
            "please",
            "applications",
        }
    ),
)

LANGUAGES = {"en": ENGLISH}

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,24}\b")
_NOT_PERSONAL = re.compile(r"^(?:no-?reply|do-?not-?reply|donotreply)@", re.IGNORECASE)
_DATE_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<mon>{_DATE_WORDS})\.?"
    r"(?:,?\s+(?P<y>\d{4}))?\b",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"\b(?P<mon>{_DATE_WORDS})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'“(]?[A-Z0-9])|\n\s*\n|\n(?=\s*[-*•\"“A-Z0-9])|\s*[•·]\s*")


def sentences(text: str) -> list[str]:
    """The text cut into sentences (and list items), whitespace made single spaces."""
    found = []
    for part in _SPLIT.split(text):
        one = " ".join(part.split()).strip(" -*•")
        if one and len(one) <= MAX_SENTENCE:
            found.append(one)
    return found


def response_days(sentence: str, lang: Language = ENGLISH) -> int | None:
    """The response time a sentence states, in calendar days (the upper bound of a range)."""
    if not lang.reply.search(sentence) or lang.not_reply.search(sentence):
        return None
    pattern = r"\b(?:within|in|after|of|up to|over)\s+(?:the\s+next\s+|about\s+|around\s+)?" + (
        lang.count
    )
    found = re.search(pattern, sentence, re.IGNORECASE)
    if found is None:
        found = re.search(rf"\b{lang.count}\b", sentence, re.IGNORECASE)
        if found is None or not re.search(r"\b(?:takes?|allow)\b", sentence, re.IGNORECASE):
            return None
    n = count(found["m"] or found["n"])
    days = span_days(n, found["kind"], found["unit"])
    return days if 0 < days <= 180 else None


def read_date(sentence: str, today: date) -> date | None:
    """The first date a sentence names; a date without a year is the next one from ``today``."""
    spans = []
    for pattern in (_ISO, _DAY_MONTH, _MONTH_DAY):
        for found in pattern.finditer(sentence):
            spans.append((found.start(), found))
    for _start, found in sorted(spans, key=lambda s: s[0]):
        groups = found.groupdict()
        try:
            month = int(groups["m"]) if groups.get("m") else MONTHS[groups["mon"].casefold()]
            day = int(groups["d"])
            if groups.get("y"):
                return date(int(groups["y"]), month, day)
            guess = date(today.year, month, day)
            if guess < today - timedelta(days=30):
                guess = date(today.year + 1, month, day)
            return guess
        except ValueError:
            continue
    return None


def _person(sentence: str, lang: Language) -> str | None:
    for cue in lang.contact_cue.finditer(sentence):
        found = lang.person.match(sentence, cue.end())
        if found is None:
            continue
        name = found["name"]
        words = name.replace("’", "'").split()
        if any(w.casefold().strip("'") in lang.not_a_name for w in words):
            continue
        return name
    return None


def read(text: str, today: date, language: str = "en") -> tuple[Finding, ...]:
    """Everything the sentences of ``text`` state, the first statement of each kind winning."""
    lang = LANGUAGES[language]
    found: dict[str, Finding] = {}
    after_close: dict[str, tuple[int, str]] = {}

    def put(field: str, value: object, sentence: str) -> None:
        found.setdefault(field, Finding(field, value, sentence))

    for sentence in sentences(text):
        if lang.shortlist.search(sentence):
            put("shortlist_only", True, sentence)
        days = response_days(sentence, lang)
        if days is not None and lang.from_closing.search(sentence):
            after_close.setdefault("days", (days, sentence))  # counted once applications close
        elif days is not None:
            put("responds_within", days, sentence)
        if lang.no_calls.search(sentence):
            put("no_calls", True, sentence)
            put("prefers", "email", sentence)
        if lang.for_client.search(sentence):
            put("staffing_firm", True, sentence)
        if lang.no_agencies.search(sentence):
            put("no_agencies", True, sentence)
        if lang.by_email.search(sentence):
            put("prefers", "email", sentence)
        elif lang.by_phone.search(sentence) and not lang.no_calls.search(sentence):
            put("prefers", "call", sentence)
        when = read_date(sentence, today)
        if lang.closing.search(sentence) and when is not None:
            put("closes", when, sentence)
        if lang.review_after.search(sentence):
            after = when
            if after is None and "closing date" in sentence.casefold():
                after = found["closes"].value if "closes" in found else None
                pending_review = sentence if after is None else None
                if pending_review:
                    found.setdefault("_review", Finding("_review", None, sentence))
            if after is not None:
                put("wait_until", after, sentence)
        email = _EMAIL.search(sentence)
        if email and not _NOT_PERSONAL.match(email.group()):
            put("contact_email", email.group(), sentence)
        name = _person(sentence, lang)
        if name:
            put("contact_name", name, sentence)
    review = found.pop("_review", None)
    if review is not None and "closes" in found and "wait_until" not in found:
        put("wait_until", found["closes"].value, review.source)
    if "days" in after_close:
        days, sentence = after_close["days"]
        closes = found["closes"].value if "closes" in found else None
        if isinstance(closes, date):
            earlier = found.get("wait_until")
            wait = closes + timedelta(days=days)
            if earlier is None or not isinstance(earlier.value, date) or earlier.value < wait:
                found["wait_until"] = Finding("wait_until", wait, sentence)
        else:  # no closing date stated: the time is all there is to go by
            put("responds_within", days, sentence)
    return tuple(found.values())


_FOCUS = re.compile(
    r"\b(?:looking for|you will|you'll|responsible for|focus(?:ed|es)? on|"
    r"join(?:ing)? (?:our|the))\b",
    re.IGNORECASE,
)


def focus(text: str) -> str:
    """The posting's first sentence on what the role is about ("we are looking for ..."), for
    a draft to point at; empty when none reads that way."""
    for sentence in sentences(text):
        if _FOCUS.search(sentence) and 20 <= len(sentence) <= 200:
            return sentence.rstrip(".")
    return ""
