"""Mail from a company that is not an answer: application receipts ("Thank you for applying ...
we received your application", "Eingangsbestätigung", "Accusé de réception", "Hemos recibido tu
candidatura"), job alerts and newsletters. They often come from the company's own domain without
any automatic-mail header, so only their sender and wording give them away.

A receipt needs its wording *and* a sign nobody wrote it to this person: a no-reply or team
address (no-reply@, careers@, bewerbung@, recrutement@...), an applicant-tracking system's
domain, or a line saying it is automatic ("please do not reply", "message automatique"). A
person who thanks you for applying and asks you something is answering. The caller asks only
about messages that are neither in a thread jobnudge started nor from a known contact.
"""

from __future__ import annotations

import re

from jobnudge.mail.wording import phrases, words

_RECEIPT = phrases(
    # English
    r"(?:thank you|thanks) for (?:applying|your application|submitting your application|"
    r"your interest in)",
    r"(?:we have|we ve|we) (?:successfully )?received your (?:application|cv|resume|candidacy)",
    r"(?:your )?application (?:has been|was|is) (?:successfully )?(?:received|submitted)",
    r"application (?:received|submitted|confirmation)",
    r"(?:confirms?|confirming|confirmation) (?:that )?(?:we have received|of your application|"
    r"receipt of your application)",
    # German
    r"eingangsbestatigung",
    r"(?:vielen|herzlichen|besten) dank fur ihre (?:bewerbung|online bewerbung|interesse)",
    r"(?:wir haben|haben wir) ihre (?:bewerbung|unterlagen|bewerbungsunterlagen) (?:[a-z]+ ){0,2}"
    r"(?:erhalten|bekommen)",
    r"eingang ihrer (?:bewerbung|unterlagen|bewerbungsunterlagen)",
    r"ihre bewerbung ist (?:bei uns )?(?:eingegangen|angekommen)",
    # French
    r"accuse de reception",
    r"accusons (?:bonne )?reception",
    r"(?:nous avons|avons) bien recu votre (?:candidature|cv|dossier)",
    r"votre candidature a (?:bien )?ete (?:recue|enregistree|transmise|prise en compte)",
    r"merci (?:pour|de) votre candidature",
    r"merci de l interet que vous portez",
    # Spanish
    r"(?:hemos|he) recibido (?:correctamente )?(?:tu|su) (?:candidatura|solicitud|cv|curriculum)",
    r"gracias por (?:tu|su) (?:candidatura|solicitud|interes|postulacion)",
    r"gracias por (?:postularte|postular|aplicar|inscribirte)",
    r"acuse de recibo",
)
_ALERT = phrases(
    r"job alerts?",
    r"jobs? (?:that )?match(?:es|ing)? your (?:alert|search|profile|preferences)",
    r"new jobs?",
    r"(?:manage|edit) your (?:job )?alerts?",
    r"is hiring",
    r"are hiring",
    r"(?:weekly|daily|monthly) (?:digest|newsletter|roundup|update)",
    r"newsletter",
    r"view (?:this email )?in (?:your )?browser",
    r"unsubscribe",
    r"jobalarm|job alarm|stellenalarm|neue stellenangebote|neue jobs",
    r"alerte (?:emploi|email)|nouvelles offres",
    r"alerta de empleo|nuevas ofertas|ofertas de empleo que coinciden",
)
_AUTOMATIC_LINE = phrases(
    r"(?:please )?do not reply",
    r"(?:please )?don t reply",
    r"(?:this is an|this is|an) (?:automated|automatic|automatically generated) "
    r"(?:message|email|e mail|notification)",
    r"automatically (?:generated|sent)",
    r"no reply address",
    r"cannot receive replies",
    r"does not accept replies",
    r"automatisch (?:erstellt|generiert|versendet|verschickt)",
    r"nicht auf diese (?:e mail|email|nachricht) antworten",
    r"antworten sie nicht",
    r"message automatique",
    r"ne pas (?:y )?repondre",
    r"merci de ne pas repondre",
    r"mensaje automatico",
    r"(?:no respondas|no responda|no conteste)",
    r"no admite respuestas",
)
_TEAM_SENDER = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?repondre|nepasrepondre|"
    r"notifications?|mailer|careers?|jobs?|recruit(ing|ment|er)?|talent|talento|hr|rh|rrhh|"
    r"hiring|applications?|apply|candidates?|candidatures?|bewerbungs?|karriere|personal|"
    r"recrutement|emploi|empleo|seleccion|news(letter)?|digest|alerts?|jobalerts?|info|"
    r"marketing|updates?|team)([-_.+].*)?$",
    re.IGNORECASE,
)
_ATS = (
    "greenhouse",
    "lever.co",
    "myworkday",
    "workday",
    "smartrecruiters",
    "workable",
    "icims",
    "taleo",
    "successfactors",
    "jobvite",
    "teamtailor",
    "recruitee",
    "ashbyhq",
    "bamboohr",
    "personio",
    "softgarden",
    "join.com",
    "breezy",
    "jazzhr",
    "pinpointhq",
    "welcometothejungle",
    "linkedin",
    "indeed",
    "stepstone",
    "xing",
    "glassdoor",
    "infojobs",
)
_ASKS = re.compile(r"\?\s*$", re.MULTILINE)


def team_sender(address: str) -> bool:
    """A no-reply, team or applicant-tracking address rather than a person's."""
    local, _, domain = address.lower().rpartition("@")
    return bool(_TEAM_SENDER.match(local)) or any(name in domain for name in _ATS)


def _automatic_words(said: str) -> bool:
    return _AUTOMATIC_LINE.search(said) is not None


def not_an_answer(from_address: str, subject: str, text: str) -> str | None:
    """Why a message from outside the thread and from no known contact is no answer (an
    application receipt, a job alert, a newsletter), or None."""
    said = words(f"{subject}\n{text}")
    automatic = _automatic_words(said)
    team = team_sender(from_address)
    asks = _ASKS.search(text) is not None
    if _RECEIPT.search(said) and (automatic or (team and not asks)):
        return "an application receipt"
    if _ALERT.search(said) and (automatic or team or not asks):
        return "a job alert or newsletter"
    return None
