"""Out-of-office replies, as the common clients write them (Outlook and Exchange, Gmail, Apple
Mail and iCloud, Lotus Notes, Sieve vacation, Zimbra...) in English, German, French and Spanish,
with or without the headers RFC 3834 asks for, and the day the writer says they are back.

Three signs, any one enough: the subject a client puts on its automatic reply ("Automatic reply:",
"Automatische Antwort:", "Réponse automatique :", "Respuesta automática:", "Abwesenheitsnotiz",
"Auto:"...), a subject the writer chose that says they are away ("Out of office", "Im Urlaub",
"Absence du bureau", "Fuera de la oficina"), or a body that says so in the present tense
("I am currently out of the office", "ich bin ... nicht im Büro", "je suis absente",
"estoy fuera de la oficina") together with a sign it was written once for everyone ("with
limited access to email", "urgent", "after my return", "dès mon retour"...). "I was out last
week" is a person writing, and so is "before I head out on vacation".
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from jobnudge.mail.wording import folded, phrases, words

_CLIENT_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto(matic)?[- ]?(reply|response|antwort)|autoreply|auto|"
    r"out of (the )?office( autoreply| auto reply)?|ooo|"
    r"automatische antwort|abwesenheitsnotiz|abwesend|abwesenheit|"
    r"reponse automatique|absent|absente|absence|"
    r"respuesta automatica|fuera de la oficina|ausente|ausencia|"
    r"risposta automatica|fuori sede|automatisch antwoord|afwezig|resposta automatica)\s*:",
    re.IGNORECASE,
)
_AWAY_SUBJECT = phrases(
    r"out of (?:the )?office",
    r"away from (?:the |my )?(?:office|desk)",
    r"(?:on|annual|parental|maternity|paternity) (?:vacation|holiday|leave)",
    r"automatic reply",
    r"auto reply",
    r"autoreply",
    r"im urlaub",
    r"nicht im buro",
    r"abwesenheitsnotiz",
    r"abwesend",
    r"absence du bureau",
    r"absente?",
    r"en conges?",
    r"en vacances",
    r"fuera de la oficina",
    r"de vacaciones",
    r"ausente",
)
_AWAY_BODY = phrases(
    # English: present or future, first person
    r"(?:i am|i m|im|i will be|i ll be) (?:currently |now |presently )?(?:out of (?:the )?office|"
    r"ooo|away|on (?:annual |parental |maternity |paternity |sick |medical )?leave|"
    r"on (?:vacation|holiday|holidays|a business trip)|travelling|traveling|"
    r"out of the country|away from (?:the |my )?(?:office|desk)|offline|off)",
    r"(?:i am|i m) (?:currently )?(?:out|away) (?:until|till|through|and will)",
    # German
    r"(?:ich bin|ich werde|bin ich) (?:[a-z0-9]+ ){0,7}(?:nicht im buro|nicht im buero|abwesend|"
    r"im urlaub|nicht erreichbar|ausser haus|auf dienstreise|auf geschaftsreise|in elternzeit|"
    r"nicht im hause)",
    # French
    r"(?:je suis|je serai) (?:actuellement |en ce moment )?(?:absent|absente|en conges?|"
    r"en vacances|en deplacement|hors du bureau|en arret|indisponible)",
    # Spanish
    r"(?:estoy|me encuentro|estare|estar e) (?:actualmente |ahora )?(?:fuera de la oficina|"
    r"de vacaciones|ausente|de viaje|fuera|de baja|de permiso)",
)
_FOR_EVERYONE = phrases(
    r"limited (?:access|connectivity)",
    r"no (?:access|connectivity)",
    r"urgent",
    r"(?:upon|on|after|when i) (?:my )?(?:return|m back|am back|get back)",
    r"(?:respond|reply|answer|get back to you)(?: [a-z]+){0,5} (?:upon|on|after|when)",
    r"not (?:be )?(?:monitoring|checking|reading)",
    r"thank you for your (?:e ?mail|message|note)",
    r"dringend",
    r"nach meiner ruckkehr",
    r"keinen zugriff",
    r"eingeschrankt",
    r"nicht weitergeleitet",
    r"(?:vielen )?dank fur ihre (?:nachricht|e ?mail|mail)",
    r"urgence",
    r"(?:des|a) mon retour",
    r"acces limite",
    r"merci (?:pour|de) votre (?:message|mail|e ?mail|courriel)",
    r"urgentes?",
    r"a mi (?:regreso|vuelta)",
    r"sin acceso",
    r"gracias por (?:tu|su) (?:mensaje|correo|e ?mail)",
)

# What a person answering writes and an absence note does not: news, plans, "we".
_PERSON_WRITING = phrases(
    r"we (?:will|ll|have|ve|are|re|d|would|decided|want|wanted|can)",
    r"(?:wanted|want) to (?:let you know|tell you|say|share|update)",
    r"let you know",
    r"good news",
    r"next steps?",
    r"wir (?:werden|haben|mochten|freuen|konnen)",
    r"nous (?:avons|allons|souhaitons|pouvons)",
    r"(?:hemos|vamos|queremos|podemos)",
)


def is_out_of_office(subject: str, text: str) -> str | None:
    """Why the message is an out-of-office reply, or None."""
    if _CLIENT_SUBJECT.match(folded(subject)):
        return "an out-of-office reply"
    if not re.match(r"^\s*(re|aw|wg|fw|fwd|tr|rv|r)\s*:", folded(subject)) and _AWAY_SUBJECT.search(
        words(subject)
    ):
        return "an out-of-office reply"
    opening = words(text[:1200])
    if (
        _AWAY_BODY.search(opening)
        and _FOR_EVERYONE.search(opening)
        and not _PERSON_WRITING.search(opening)
    ):
        return "an out-of-office reply"
    return None


def says_away(text: str) -> bool:
    """The text says its writer is away (for automatic replies that carry the headers)."""
    return _AWAY_BODY.search(words(text[:1200])) is not None


# Return dates

_HORIZON = timedelta(days=183)  # a return date further ahead is something else (a start date)

_MONTHS = {
    # English, German, French, Spanish (folded: no accents), with common abbreviations
    **dict.fromkeys(["january", "jan", "januar", "janvier", "janv", "enero", "ene", "jaenner"], 1),
    **dict.fromkeys(["february", "feb", "februar", "fevrier", "fevr", "febrero"], 2),
    **dict.fromkeys(["march", "mar", "marz", "maerz", "mars", "marzo"], 3),
    **dict.fromkeys(["april", "apr", "avril", "avr", "abril", "abr"], 4),
    **dict.fromkeys(["may", "mai", "mayo"], 5),
    **dict.fromkeys(["june", "jun", "juni", "juin", "junio"], 6),
    **dict.fromkeys(["july", "jul", "juli", "juillet", "juil", "julio"], 7),
    **dict.fromkeys(["august", "aug", "aout", "agosto"], 8),
    **dict.fromkeys(["september", "sep", "sept", "septembre", "septiembre", "setiembre"], 9),
    **dict.fromkeys(["october", "oct", "oktober", "okt", "octobre", "octubre"], 10),
    **dict.fromkeys(["november", "nov", "novembre", "noviembre"], 11),
    **dict.fromkeys(["december", "dec", "dezember", "dez", "decembre", "diciembre", "dic"], 12),
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?P<y>20\d\d)"
_DATE = re.compile(
    r"(?<![\d/.-])(?:"
    rf"(?P<iy>20\d\d)-(?P<im>\d\d?)-(?P<id>\d\d?)"  # 2026-12-04
    rf"|(?P<a>\d\d?)(?P<sep>[./])(?P<b>\d\d?)(?:(?P=sep)(?P<ny>(?:20)?\d\d))?(?![\d/])"  # numeric
    rf"|(?P<d1>\d\d?)(?:st|nd|rd|th|er|\.|º)?(?: de| of)? (?P<m1>{_MONTH})\b\.?"  # 4 Dec
    rf"(?:,? (?:de )?{_YEAR})?"
    rf"|\b(?P<m2>{_MONTH})\b\.? (?P<d2>\d\d?)(?:st|nd|rd|th)?(?:,? (?P<y2>20\d\d))?"
    r")(?![\d])"
)


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next(written: date, month: int, day: int) -> date | None:
    """A year-less day: the next one on or after the message was written (a week's grace)."""
    got = _day(written.year, month, day)
    if got is not None and got < written - timedelta(days=7):
        got = _day(written.year + 1, month, day)
    return got


def dates(text: str, written: date, *, english: bool) -> list[date]:
    """Every day the text names, a year-less one read as the next such day on or after the
    message was written. Numeric days read day first ("04.12."), and with slashes month first
    in English text; of two readings, the first that could be a return date (within six
    months ahead) wins."""
    found: list[date] = []
    for m in _DATE.finditer(folded(text)):
        year: int | None
        if m["iy"]:
            year, month, day = int(m["iy"]), int(m["im"]), int(m["id"])
            options = [(month, day)]
        elif m["a"]:
            a, b = int(m["a"]), int(m["b"])
            options = [(b, a)]  # day first, the way most of the world writes it
            if m["sep"] == "/":
                options = [(a, b), (b, a)] if english else [(b, a), (a, b)]
            if m["sep"] == "." and not m["ny"] and m.group(0).count(".") == 1 and english:
                continue  # "4.5" in English is a number, not a day
            year = None
            if m["ny"]:
                year = int(m["ny"]) if len(m["ny"]) == 4 else 2000 + int(m["ny"])
        elif m["m1"]:
            options = [(_MONTHS[m["m1"]], int(m["d1"]))]
            year = int(m["y"]) if m["y"] else None
        else:
            options = [(_MONTHS[m["m2"]], int(m["d2"]))]
            year = int(m["y2"]) if m["y2"] else None
        picked: date | None = None
        for month, day in options:  # the first reading that could be a return date wins
            got = _day(year, month, day) if year is not None else _next(written, month, day)
            if got is not None and written <= got <= written + _HORIZON:
                picked = got
                break
            picked = picked or got
        if picked is not None:
            found.append(picked)
    return found


def return_day(text: str, written: date, *, english: bool = True) -> date | None:
    """The last day named within the next six months: the day the writer is back (or their
    last day away); the first working day after it is the earliest to write again."""
    ahead = [d for d in dates(text, written, english=english) if written <= d <= written + _HORIZON]
    return max(ahead, default=None)


def looks_english(text: str) -> bool:
    """Whether month-first numeric dates are likely (``04/12`` in English mail may be April)."""
    said = words(text[:1200])
    return sum(said.count(f" {w} ") for w in ("the", "i", "and", "you", "my", "will")) >= 2
