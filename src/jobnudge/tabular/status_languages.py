"""Statuses written in German, French, Spanish and Dutch, read as the English status they mean.

``statuses.read_status`` asks :func:`in_english` when a cell is no English status it knows,
and reads the answer by its own rules: "Absage" is "rejected", "Zusage" (the employer's yes)
an "offer", "Angebot angenommen" "accepted" (an offer the user took), "2. Runde
Vorstellungsgespräch" "interview 2". Compared folded (``folding.fold``), so "Rückmeldung",
"Rueckmeldung" and "RUCKMELDUNG" are one word.
"""

from __future__ import annotations

import re

from jobnudge.tabular.folding import fold

_WORDS: dict[str, tuple[str, ...]] = {
    "wishlist": (
        "Merkliste",
        "Interessant",
        "Vorgemerkt",
        "Gemerkt",
        "Noch nicht beworben",
        "Nicht beworben",
        "Zu bewerben",
        "Bewerben",
        "Geplant",
        "Idee",
        "À postuler",
        "Intéressé",
        "Intéressant",
        "Favori",
        "Por aplicar",
        "Por postular",
        "Interesado",
        "Interesada",
        "Guardado",
        "Nog solliciteren",
        "Bewaard",
        "Verlanglijst",
    ),
    "applied": (
        "Beworben",
        "Bewerbung verschickt",
        "Bewerbung gesendet",
        "Bewerbung versendet",
        "Bewerbung abgeschickt",
        "Bewerbung eingereicht",
        "Bewerbung raus",
        "Verschickt",
        "Gesendet",
        "Eingangsbestätigung",
        "Eingang bestätigt",
        "In Bearbeitung",
        "In Prüfung",
        "Offen",
        "Ausstehend",
        "Warten",
        "Warte auf Antwort",
        "Candidature envoyée",
        "Postulé",
        "Envoyée",
        "En attente",
        "En cours",
        "Aplicado",
        "Postulado",
        "Solicitud enviada",
        "CV enviado",
        "Enviado",
        "Enviada",
        "En proceso",
        "Pendiente",
        "Gesolliciteerd",
        "Sollicitatie verstuurd",
        "Verstuurd",
        "In behandeling",
    ),
    "phone interview": (
        "Telefoninterview",
        "Telefonisches Interview",
        "Telefonat",
        "Telefongespräch",
        "Telefonisches Gespräch",
        "Erstes Telefonat",
        "Entretien téléphonique",
        "Entrevista telefónica",
        "Telefonisch gesprek",
        "Telefoongesprek",
    ),
    "offer": (
        "Angebot",
        "Zusage",
        "Vertragsangebot",
        "Angebot erhalten",
        "Zusage erhalten",
        "Offre",
        "Offre reçue",
        "Oferta",
        "Oferta recibida",
        "Aanbod",
        "Aanbieding",
    ),
    "accepted": (
        "Angebot angenommen",
        "Zusage angenommen",
        "Angenommen",
        "Vertrag unterschrieben",
        "Unterschrieben",
        "Eingestellt",
        "Offre acceptée",
        "Accepté",
        "Embauché",
        "Oferta aceptada",
        "Aceptado",
        "Contratado",
        "Contratada",
        "Aangenomen",
    ),
    "rejected": (
        "Absage",
        "Absage erhalten",
        "Abgelehnt",
        "Nicht berücksichtigt",
        "Stelle besetzt",
        "Refus",
        "Refusé",
        "Refusée",
        "Candidature refusée",
        "Rechazado",
        "Rechazada",
        "Descartado",
        "Descartada",
        "No seleccionado",
        "Afgewezen",
        "Afwijzing",
    ),
    "no response": (
        "Keine Antwort",
        "Keine Rückmeldung",
        "Keine Reaktion",
        "Nichts gehört",
        "Nie gemeldet",
        "Pas de réponse",
        "Sans réponse",
        "Aucune réponse",
        "Sin respuesta",
        "Geen reactie",
        "Geen antwoord",
    ),
    "withdrawn": (
        "Zurückgezogen",
        "Bewerbung zurückgezogen",
        "Selbst abgesagt",
        "Abgesagt von mir",
        "Angebot abgelehnt",
        "Zusage abgelehnt",
        "Kein Interesse mehr",
        "Abandonné",
        "Retiré",
        "Retirée",
        "Offre refusée",
        "Retirado",
        "Retirada",
        "Oferta rechazada",
        "Teruggetrokken",
        "Aanbod afgewezen",
    ),
}

_EXACT = {fold(word): english for english, words in _WORDS.items() for word in words}

_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("angebot abgelehnt", "withdrawn"),
    ("zusage abgelehnt", "withdrawn"),
    ("offre refusee", "withdrawn"),
    ("oferta rechazada", "withdrawn"),
    ("zuruckgezogen", "withdrawn"),
    ("teruggetrokken", "withdrawn"),
    ("keine antwort", "no response"),
    ("keine ruckmeldung", "no response"),
    ("pas de reponse", "no response"),
    ("sin respuesta", "no response"),
    ("geen reactie", "no response"),
    ("absage", "rejected"),
    ("abgelehnt", "rejected"),
    ("refus", "rejected"),
    ("rechaz", "rejected"),
    ("afgewezen", "rejected"),
    ("afwijzing", "rejected"),
    ("angenommen", "accepted"),
    ("angebot", "offer"),
    ("zusage", "offer"),
    ("offre", "offer"),
    ("oferta", "offer"),
    ("aanbod", "offer"),
)
"""Words inside a longer status that settle it (the first found wins): "Absage nach dem 2.
Gespräch" is a rejection, whatever round it reached."""

_INTERVIEW = re.compile(
    r"gesprach|runde|ronde|assessment|entretien|entrevista|gesprek|\w+interview|interview\w+"
)
_ORDINALS: tuple[tuple[int, str], ...] = (
    (1, r"erst\w*|premier|premiere|primer|primera|primero|eerste"),
    (2, r"zweit\w*|deuxieme|second|seconde|segunda|segundo|tweede"),
    (3, r"dritt\w*|troisieme|tercer|tercera|tercero|derde"),
    (4, r"viert\w*|quatrieme|cuarta|cuarto|vierde"),
    (5, r"funft\w*|cinquieme|quinta|quinto|vijfde"),
)
_NUMBER = re.compile(
    r"\b(\d{1,2})(?:e|eme|er|re|a|o|de|ste)?\s+(?:\w+\s+)?"
    r"\w*(?:runde|ronde|tour|gesprach|interview|entretien|entrevista|gesprek)"
    r"|(?:runde|ronde|tour|gesprach|interview|entretien|entrevista|gesprek)\s+(\d{1,2})\b"
)
_FINAL = re.compile(r"\b(?:final\w*|letzte\w*|dernier|derniere|ultima|laatste)\b")
_PHONE = re.compile(r"telefon|telephon|telefoon")
_VIDEO = re.compile(r"video|online|teams|zoom|visio")
_IN_PERSON = re.compile(r"vor ort|personlich|presentiel|presencial|op locatie|sur place")


def in_english(text: str) -> str | None:
    """The English status a status cell in another language means, or None."""
    folded = fold(text)
    if not folded:
        return None
    if folded in _EXACT:
        return _EXACT[folded]
    for needle, english in _OUTCOMES:
        if needle in folded:
            return english
    if _INTERVIEW.search(folded):
        return _interview(folded)
    for needles, english in (
        (("nicht beworben", "zu bewerben", "merkliste"), "wishlist"),
        (("beworben", "bewerbung", "eingangsbestatigung", "gesolliciteerd", "postul"), "applied"),
    ):
        if any(needle in folded for needle in needles):
            return english
    return None


def _interview(folded: str) -> str:
    """An interview status as English words the English reader takes: "interview 2 phone"."""
    number: int | None = None
    if match := _NUMBER.search(folded):
        number = int(match.group(1) or match.group(2))
    else:
        for value, pattern in _ORDINALS:
            if re.search(rf"\b(?:{pattern})", folded):
                number = value
                break
    if number is None and (_FINAL.search(folded) or "assessment" in folded):
        number = 2  # a final round, or an assessment centre: a later round, as "final" is
    how = (
        " phone"
        if _PHONE.search(folded)
        else " video"
        if _VIDEO.search(folded)
        else " in person"
        if _IN_PERSON.search(folded)
        else ""
    )
    return f"interview {number or 1}{how}"
