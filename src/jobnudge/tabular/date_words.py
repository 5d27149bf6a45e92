"""The words of dates written out in a spreadsheet: month names and their abbreviations,
weekday names and the filler words between day, month and year ("5 de marzo"), in the
languages job seekers' files come in. Apart from the reading (tabular.dates) so a language is
added here without touching the rules.
"""

from __future__ import annotations

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january janvier januar enero janeiro gennaio jan jän janv ene",
        "february février fevrier februar febrero fevereiro febbraio feb fév fev",
        "march mars märz maerz marzo março mar mär mrz",
        "april avril abril aprile apr avr abr",
        "may mai mayo maio maggio",
        "june juin juni junio junho giugno jun juin",
        "july juillet juli julio julho luglio jul juil",
        "august août aout agosto aug aoû ago",
        "september septembre septiembre setembro settembre sep sept set",
        "october octobre oktober octubre outubro ottobre oct okt",
        "november novembre noviembre novembro nov",
        "december décembre decembre dezember diciembre dezembro dicembre dec déc dez dic",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

WEEKDAYS: dict[str, int] = {}
"""Weekday names and abbreviations, each to its number (Monday 0, as ``date.weekday``): the
weekday typed beside a date without a year tells its year."""
for _number, _names in enumerate(
    (
        "monday mon montag mo lundi lun lunes maandag ma",
        "tuesday tue tues dienstag di mardi martes dinsdag",
        "wednesday wed mittwoch mi mercredi mer miércoles miercoles mié mie woensdag wo",
        "thursday thu thur thurs donnerstag do jeudi jeu jueves jue donderdag",
        "friday fri freitag fr vendredi ven viernes vie vrijdag vr",
        "saturday sat samstag sa samedi sam sábado sabado sáb sab zaterdag za",
        "sunday sun sonntag so dimanche dim domingo dom zondag zo",
    )
):
    for _name in _names.split():
        WEEKDAYS[_name] = _number

BEFORE_NUMBERS: dict[str, int] = {**WEEKDAYS, "mar": 1}
"""The weekday words taken before a numeric date ("Mo 23.11.", "Mon, 11/23"): there "mar" is
French and Spanish Tuesday, never the month it abbreviates in "Mar 5"."""

FILLER = frozenset({"de", "of", "the", "den", "le", "del"})
