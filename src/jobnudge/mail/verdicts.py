"""Does a message read like a rejection or an offer? English, German, French and Spanish, matched
on :func:`jobnudge.mail.wording.words` (so wrapped lines, capitals, quotes and missing accents
do not matter). Only ever a proposal: the user confirms it in ``nudge mail review``.

A phrase does not count when the few words before it deny or condition it: "we have *not*
decided to move forward with other candidates", "*before* we can extend an offer". A rejection
is looked for first, so "we are not able to offer you the position" is one.
"""

from __future__ import annotations

import re

from jobnudge.mail.wording import phrases, words

_CANDIDATES = (
    r"(?:other|another|different|more suitable|stronger) (?:candidate|applicant|profile)s?"
)
_REJECTION = phrases(
    # English
    rf"(?:decided|chosen|elected|opted|going|have) to (?:move forward|proceed|go ahead|continue|"
    rf"go|progress) with (?:an?|the )?{_CANDIDATES}",
    rf"(?:moving|move|going|proceeding|pursue|pursuing) (?:forward )?with "
    rf"(?:an?|the )?{_CANDIDATES}",
    r"(?:will|shall|would|are|am) not (?:be )?(?:moving|move|proceeding|proceed|progressing|"
    r"progress|going|taking) (?:forward )?(?:further )?with your (?:application|candidacy|profile)",
    r"(?:won t|will not|are not|aren t|not) be (?:moving|proceeding|progressing|taking) "
    r"(?:forward |further )?(?:with )?your (?:application|candidacy)",
    r"(?:decided|chosen) not to (?:proceed|move forward|progress|continue|go forward|pursue)",
    rf"(?:decided|chosen|elected|opted) to pursue (?:an?|the )?{_CANDIDATES}",
    r"(?:decided|chosen|elected|opted) to (?:go|move forward|proceed) with (?:someone|somebody) "
    r"else",
    r"(?:have|ve) (?:now |already )?filled the (?:position|role|vacancy)",
    r"(?:regret|sorry) to (?:inform|tell|let) you (?:know )?that (?:we|your application|you) "
    r"(?:will not|won t|have not|haven t|are not|were not|did not|didn t|cannot|can t|"
    r"have decided not|has not|was not|will be unable|are unable|have been unsuccessful)",
    r"(?:position|role|vacancy|job) has (?:now |already )?been filled",
    r"(?:not|unable|un able) (?:been )?(?:selected|shortlisted|successful) (?:for|on|this|at)",
    r"(?:have|has|were|was) not (?:been )?(?:selected|shortlisted|successful)",
    r"(?:were|was|have been|has been) unsuccessful",
    r"no longer (?:being )?considered",
    r"(?:not (?:able|in a position)|unable) to (?:offer you|make you an offer|extend an offer)",
    r"(?:not|unable to|cannot|can t) progress your (?:application|candidacy)",
    # German
    r"fur (?:eine andere|einen anderen) (?:kandidatin|kandidaten|bewerberin|bewerber|person)",
    r"(?:andere|anderen) (?:kandidatin|kandidaten|bewerberin|bewerber) (?:entschieden|gewahlt)",
    r"ihre bewerbung (?:leider )?nicht (?:weiter |langer )?(?:berucksichtigen|beruecksichtigen)",
    r"(?:leider )?(?:keine positive ruckmeldung|keine zusage|eine absage)",
    r"nicht (?:in die engere auswahl|fur sie entschieden|weiter verfolgen)",
    r"(?:stelle|position) (?:wurde|ist) (?:bereits |inzwischen )?(?:anderweitig )?"
    r"(?:besetzt|vergeben)",
    r"absage",
    # French
    r"(?:votre )?(?:candidature|profil|dossier) n (?:a|ont) pas ete (?:retenue?s?|selectionnee?s?)",
    r"ne (?:pouvons|pourrons|donnerons|pouvons pas) (?:pas )?(?:donner )?(?:une )?suite",
    r"ne pas (?:donner|pouvoir donner) (?:une )?suite (?:favorable )?a votre",
    r"pas (?:pu )?donner (?:une )?suite favorable",
    r"(?:retenu|choisi|privilegie) (?:un|une|d autres?) (?:autres? )?(?:candidat|candidate|"
    r"candidats|candidates|profil|profils)",
    r"poste (?:a ete|est) (?:deja )?pourvu",
    # Spanish
    r"(?:seguir|continuar|avanzar) (?:adelante )?con (?:otros?|otras?) (?:candidatos|candidatas|"
    r"candidato|candidata|perfiles|perfil)",
    r"(?:tu|su) (?:candidatura|solicitud|perfil) no (?:ha sido|fue|ha resultado) "
    r"(?:seleccionad[ao]|aceptad[ao]|elegid[ao])",
    r"no (?:has|ha) sido (?:seleccionad[ao]|elegid[ao])",
    r"(?:hemos|han) decidido no (?:continuar|avanzar|seguir)",
    r"(?:puesto|vacante) (?:ya )?(?:ha sido|fue) (?:cubiert[ao]|ocupad[ao])",
    r"(?:hemos|han) (?:seleccionado|elegido) a (?:otro|otra) (?:candidato|candidata|persona)",
)
_OFFER = phrases(
    # English
    r"(?:pleased|delighted|happy|excited|thrilled|glad) to (?:formally )?(?:offer you|extend "
    r"(?:you )?(?:an|the|a formal|a written|our) offer|make you an offer)",
    r"(?:would|d) like to (?:formally )?(?:offer you|extend (?:you )?an offer|make you an offer)",
    r"offer of employment",
    r"(?:your|the|our|formal|written) offer (?:letter|package) (?:is )?(?:attached|enclosed|"
    r"below|follows)",
    r"offer letter (?:is )?(?:attached|enclosed)",
    # German
    r"(?:freuen|freut|freue) (?:wir uns|uns|mich) ihnen (?:die|diese|eine|unsere)? ?"
    r"(?:stelle|position|anstellung|vertrag|angebot)(?: [a-z0-9]+){0,4} (?:anbieten|anzubieten|"
    r"machen|zu machen|unterbreiten|zusenden)",
    r"(?:freuen|freut) (?:wir uns|uns) ihnen (?:eine|die) zusage",
    r"vertragsangebot",
    r"(?:mochten|wurden) (?:wir )?ihnen (?:gerne |gern )?(?:die stelle|die position|einen vertrag|"
    r"ein angebot)(?: [a-z0-9]+){0,4} (?:anbieten|machen|unterbreiten)",
    # French
    r"(?:le plaisir|heureux|heureuse|heureuses|ravis|ravie|ravies) de vous (?:proposer|offrir) "
    r"(?:le|ce|un) poste",
    r"(?:promesse|proposition) d embauche",
    r"proposition de contrat",
    # Spanish
    r"(?:nos complace|nos alegra|estamos encantados de|tenemos el placer de|nos gustaria) "
    r"(?:ofrecerte|ofrecerle|hacerte una oferta|hacerle una oferta)",
    r"carta (?:de )?oferta",
)
# Words that, just before a phrase, deny or condition it.
_GUARD = frozenset(
    " ".join(
        (
            "not never no t if whether unless before once until should could might",  # English
            "nicht kein keine nie falls wenn bevor sobald",  # German
            "pas ne jamais si avant",  # French
            "nunca antes cuando",  # Spanish
        )
    ).split()
)
_GUARD_WORDS = 4


def _found(pattern: re.Pattern[str], text: str) -> bool:
    for m in pattern.finditer(text):
        before = text[: m.start()].split()[-_GUARD_WORDS:]
        if not _GUARD.intersection(before):
            return True
    return False


def verdict(subject: str, text: str) -> str | None:
    """ "rejected" or "offer" when the message reads like one, else None."""
    said = words(f"{subject}\n{text}")
    if _found(_REJECTION, said):
        return "rejected"
    if _found(_OFFER, said):
        return "offer"
    return None
