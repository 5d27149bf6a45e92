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
        "monday mon montag lundi lunes",
        "tuesday tue tues dienstag mardi martes",
        "wednesday wed mittwoch mercredi miércoles",
        "thursday thu thur thurs donnerstag jeudi jueves",
        "friday fri freitag vendredi viernes",
        "saturday sat samstag samedi sábado",
        "sunday sun sonntag dimanche domingo",
    )
):
    for _name in _names.split():
        WEEKDAYS[_name] = _number

FILLER = frozenset({"de", "of", "the", "den", "le", "del"})
