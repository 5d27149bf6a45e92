"""Column names in German, French, Spanish and Dutch, for the fields of ``headers.HEADERS``.

A header word names its field whatever the user's country ("Firma" is the company in any
file), so these are read for every file. They are compared folded and without spaces
(``folding.squeezed``): "Vorstellungsgespräch", "VORSTELLUNGSGESPRAECH" and
"Vorstellungs-Gespräch" are one header. Kept apart from the English vocabulary so a language
is added here without touching it.
"""

from __future__ import annotations

from jobnudge.tabular.folding import squeezed

HEADERS_ABROAD: dict[str, tuple[str, ...]] = {
    "company": (
        # German
        "Firma",
        "Firmenname",
        "Unternehmen",
        "Arbeitgeber",
        "Name der Firma",
        "Betrieb",
        # French, Spanish, Dutch
        "Entreprise",
        "Société",
        "Employeur",
        "Nom de l'entreprise",
        "Empresa",
        "Compañía",
        "Nombre de la empresa",
        "Empleador",
        "Bedrijf",
        "Bedrijfsnaam",
        "Werkgever",
        "Organisatie",
    ),
    "role": (
        "Stelle",
        "Stellenbezeichnung",
        "Stellentitel",
        "Jobtitel",
        "Berufsbezeichnung",
        "Rolle",
        "Funktion",
        "Beworbene Stelle",
        "Poste",
        "Intitulé du poste",
        "Titre du poste",
        "Puesto",
        "Cargo",
        "Título del puesto",
        "Vacante",
        "Functie",
        "Functietitel",
        "Vacature",
    ),
    "applied_on": (
        "Beworben am",
        "Bewerbungsdatum",
        "Datum der Bewerbung",
        "Bewerbung am",
        "Bewerbung vom",
        "Gesendet am",
        "Verschickt am",
        "Date de candidature",
        "Candidature envoyée le",
        "Postulé le",
        "Fecha de solicitud",
        "Fecha de postulación",
        "Fecha de aplicación",
        "Fecha de envío",
        "Sollicitatiedatum",
        "Gesolliciteerd op",
        "Datum sollicitatie",
    ),
    "status": (
        "Stand",
        "Bewerbungsstand",
        "Bewerbungsstatus",
        "Stand der Bewerbung",
        "Ergebnis",
        "Statut",
        "État",
        "Estado",
        "Situación",
        "Stadium",
        "Fase",
    ),
    "status_on": (
        "Stand vom",
        "Statusdatum",
        "Datum Status",
        "Letzte Änderung",
        "Zuletzt aktualisiert",
        "Aktualisiert am",
        "Letzter Kontakt",
        "Antwort am",
        "Mis à jour le",
        "Dernière mise à jour",
        "Última actualización",
        "Laatst bijgewerkt",
    ),
    "interview_on": (
        "Vorstellungsgespräch",
        "Vorstellungsgespräch am",
        "Datum Vorstellungsgespräch",
        "Gespräch am",
        "Gesprächstermin",
        "Interview am",
        "Interviewtermin",
        "Termin",
        "Entretien",
        "Date d'entretien",
        "Date de l'entretien",
        "Entrevista",
        "Fecha de entrevista",
        "Sollicitatiegesprek",
        "Gesprek",
        "Datum gesprek",
    ),
    "follow_up_on": (
        "Nachfassen",
        "Nachfassen am",
        "Wiedervorlage",
        "Nachhaken",
        "Erinnerung",
        "Nächster Schritt am",
        "Relance",
        "Date de relance",
        "Seguimiento",
        "Fecha de seguimiento",
        "Opvolging",
        "Opvolgen op",
    ),
    "contact": (
        "Ansprechpartner",
        "Ansprechpartnerin",
        "Ansprechperson",
        "Kontakt",
        "Kontaktperson",
        "Kontaktname",
        "Personne de contact",
        "Interlocuteur",
        "Contacto",
        "Persona de contacto",
        "Contactpersoon",
        "Gesprächspartner",
        "Gesprächspartnerin",
    ),
    "recruiter": (
        "Personaler",
        "Personalerin",
        "Recruiterin",
        "HR Ansprechpartner",
        "Personalabteilung",
        "Recruteur",
        "Reclutador",
    ),
    "email": (
        "E-Mail-Adresse",
        "Mail-Adresse",
        "Courriel",
        "Adresse e-mail",
        "Correo",
        "Correo electrónico",
        "E-mailadres",
    ),
    "phone": (
        "Telefon",
        "Telefonnummer",
        "Tel.",
        "Handy",
        "Mobil",
        "Mobilnummer",
        "Téléphone",
        "Portable",
        "Teléfono",
        "Móvil",
        "Telefoon",
        "Telefoonnummer",
    ),
    "posting_url": (
        "Stellenanzeige",
        "Anzeige",
        "Link zur Stellenanzeige",
        "Ausschreibung",
        "Annonce",
        "Lien",
        "Anuncio",
        "Enlace",
        "Advertentie",
        "Vacaturelink",
    ),
    "staffing_firm": (
        # German
        "Personaldienstleister",
        "Personalvermittler",
        "Personalvermittlung",
        "Personalberatung",
        "Agentur",
        "Vermittler",
        "Zeitarbeitsfirma",
        "über Agentur",
        # French, Spanish, Dutch
        "Agence",
        "Cabinet de recrutement",
        "Agencia",
        "Agencia de empleo",
        "Uitzendbureau",
        "Bureau",
        "Recruitmentbureau",
    ),
    "source": (
        "Quelle",
        "Gefunden auf",
        "Gefunden über",
        "Jobbörse",
        "Kanal",
        "Plattform",
        "Empfehlung",
        "Provenance",
        "Canal",
        "Fuente",
        "Origen",
        "Portal",
        "Bron",
        "Gevonden via",
    ),
    "notes": (
        "Notizen",
        "Notiz",
        "Bemerkungen",
        "Bemerkung",
        "Kommentar",
        "Kommentare",
        "Anmerkungen",
        "Anmerkung",
        "Nächste Schritte",
        "Commentaires",
        "Remarques",
        "Notas",
        "Comentarios",
        "Observaciones",
        "Notities",
        "Opmerkingen",
    ),
    "salary": (
        "Gehalt",
        "Gehaltswunsch",
        "Gehaltsvorstellung",
        "Jahresgehalt",
        "Vergütung",
        "Salaire",
        "Rémunération",
        "Salario",
        "Sueldo",
        "Salaris",
    ),
    "location": (
        "Ort",
        "Standort",
        "Arbeitsort",
        "Stadt",
        "Land",
        "Lieu",
        "Ville",
        "Ubicación",
        "Ciudad",
        "Locatie",
        "Plaats",
        "Standplaats",
    ),
}
"""Each field's usual column names abroad, as people write them (folded when compared)."""

KEYWORDS_ABROAD: tuple[tuple[str, str], ...] = (
    ("telefon", "phone"),
    ("gehalt", "salary"),
    ("anzeige", "posting_url"),
    ("gesprach", "interview_on"),
    ("entretien", "interview_on"),
    ("entrevista", "interview_on"),
    ("gesprek", "interview_on"),
    ("nachfass", "follow_up_on"),
    ("wiedervorlage", "follow_up_on"),
    ("bewerbungsstand", "status"),
    ("firma", "company"),
    ("unternehmen", "company"),
    ("arbeitgeber", "company"),
    ("entreprise", "company"),
    ("empresa", "company"),
    ("bedrijf", "company"),
    ("stelle", "role"),
    ("ansprech", "contact"),
    ("kontakt", "contact"),
    ("notiz", "notes"),
    ("bemerk", "notes"),
    ("kommentar", "notes"),
    ("quelle", "source"),
    ("beworben", "applied_on"),
    ("bewerbung", "applied_on"),
)
"""Parts of a longer header that give its field away (the first found wins), folded."""

LONE_DATES = ("Datum", "Fecha")
"""A date column's plain name, the application date when no column says so."""

_EXACT: dict[str, str] = {}
for _field, _names in HEADERS_ABROAD.items():
    for _name in _names:
        _EXACT.setdefault(squeezed(_name), _field)
_NEEDLES = tuple((squeezed(needle), found) for needle, found in KEYWORDS_ABROAD)
_LONE = frozenset(squeezed(name) for name in LONE_DATES)


def exact(header: str) -> str | None:
    """The field a header in another language names, or None."""
    key = squeezed(header)
    return _EXACT.get(key) if key else None


def by_keyword(header: str) -> str | None:
    """The field a word inside a header in another language gives away, or None."""
    key = squeezed(header)
    return next((found for needle, found in _NEEDLES if needle in key), None) if key else None


def lone_date(header: str) -> bool:
    """Whether a header is a plain "date" in another language."""
    return squeezed(header) in _LONE
