"""Spreadsheets as people in Germany, Austria, Switzerland (and France, Spain, the Netherlands)
keep them: headers and statuses in their language, numeric dates with the weekday before them
("Mo 23.11."), semicolons; and the CSV mistakes they make on the way (a quote never closed)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.config import Profile, Settings
from jobnudge.domain import EventType
from jobnudge.errors import BadFile
from jobnudge.services import importing
from jobnudge.services.session import Session, open_session
from jobnudge.tabular.date_orders import evidence
from jobnudge.tabular.date_times import strip_time, time_of_day
from jobnudge.tabular.dates import read_date
from jobnudge.tabular.mapping import auto, guess
from jobnudge.tabular.statuses import read_status
from jobnudge.timeparse import Tense
from tests.transfer.conftest import Nudge

# Headers

GERMAN_HEADERS = [
    ("Firma", "company"),
    ("Unternehmen", "company"),
    ("Arbeitgeber", "company"),
    ("Stelle", "role"),
    ("Stellenbezeichnung", "role"),
    ("Jobtitel", "role"),
    ("Beworben am", "applied_on"),
    ("Bewerbungsdatum", "applied_on"),
    ("Stand", "status"),
    ("Status", "status"),
    ("Stand vom", "status_on"),
    ("Zuletzt aktualisiert", "status_on"),
    ("Ansprechpartner", "contact"),
    ("Kontakt", "contact"),
    ("E-Mail", "email"),
    ("E-Mail-Adresse", "email"),
    ("Telefon", "phone"),
    ("Telefonnummer", "phone"),
    ("Notizen", "notes"),
    ("Bemerkungen", "notes"),
    ("Kommentar", "notes"),
    ("Vorstellungsgespräch", "interview_on"),
    ("Interview am", "interview_on"),
    ("Gesprächstermin", "interview_on"),
    ("Wiedervorlage", "follow_up_on"),
    ("Quelle", "source"),
    ("Gefunden über", "source"),
    ("Link", "posting_url"),
    ("Stellenanzeige", "posting_url"),
    ("Gehalt", "salary"),
    ("Gehaltsvorstellung", "salary"),
    ("Personaler", "recruiter"),
    ("Standort", "location"),
    ("Entreprise", "company"),
    ("Intitulé du poste", "role"),
    ("Date de candidature", "applied_on"),
    ("Téléphone", "phone"),
    ("Empresa", "company"),
    ("Puesto", "role"),
    ("Fecha de postulación", "applied_on"),
    ("Teléfono", "phone"),
    ("Bedrijf", "company"),
    ("Functie", "role"),
    ("Sollicitatiedatum", "applied_on"),
    ("Opmerkingen", "notes"),
]


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@st.composite
def spelled(draw: st.DrawFn, text: str) -> str:
    """``text`` as people type it: any case, umlauts written out or dropped, accents dropped,
    words joined by a space, a hyphen, an underscore or nothing, punctuation around it."""
    umlauts = draw(st.sampled_from(["keep", "written out", "dropped"]))
    if umlauts == "written out":
        for letter, spelled_out in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae")):
            text = text.replace(letter, spelled_out)
    elif umlauts == "dropped":
        text = _without_accents(text)
    joiner = draw(st.sampled_from([" ", "  ", "-", "_", ""]))
    text = joiner.join(text.split(" "))
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    text = "".join(c.upper() if flip else c.lower() for c, flip in zip(text, flips, strict=True))
    before = draw(st.sampled_from(["", " ", "* "]))
    after = draw(st.sampled_from(["", ":", " ", " *", "?"]))
    return before + text + after


@given(
    st.sampled_from(GERMAN_HEADERS).flatmap(
        lambda pair: st.tuples(spelled(pair[0]), st.just(pair[1]))
    )
)
def test_headers_in_german_and_its_neighbours_are_read_however_they_are_spelled(
    header_field: tuple[str, str],
) -> None:
    header, field = header_field
    assert guess(header) == field, header


def test_the_reported_german_header_row_maps_every_column() -> None:
    headers = ["Firma", "Stelle", "Beworben am", "Status", "Ansprechpartner", "Notizen"]
    assert auto(headers).fields == {
        0: "company",
        1: "role",
        2: "applied_on",
        3: "status",
        4: "contact",
        5: "notes",
    }
    lone = auto(["Firma", "Stelle", "Datum"])  # a plain "Datum" is the application date
    assert lone.fields[2] == "applied_on"
    both = auto(["Datum", "Firma", "Stelle", "Bewerbungsdatum"])  # the exact name wins
    assert both.fields[3] == "applied_on" and both.fields[0] == "notes"


# Statuses

GERMAN_STATUSES = [
    ("beworben", "applied"),
    ("Bewerbung verschickt", "applied"),
    ("Bewerbung gesendet", "applied"),
    ("Eingangsbestätigung", "applied"),
    ("Eingangsbestaetigung", "applied"),
    ("in Bearbeitung", "applied"),
    ("Telefoninterview", "phone screen (round 1)"),
    ("Telefonat", "phone screen (round 1)"),
    ("Vorstellungsgespräch", "interview (round 1)"),
    ("Vorstellungsgespräch (2. Runde)", "interview (round 2)"),
    ("2. Vorstellungsgespräch", "interview (round 2)"),
    ("Vorstellungsgespräch 1. Runde", "interview (round 1)"),
    ("zweites Gespräch", "interview (round 2)"),
    ("Zweitgespräch", "interview (round 2)"),
    ("3. Runde", "interview (round 3)"),
    ("Vorstellungsgespräch per Video", "interview (round 1, video)"),
    ("Vorstellungsgespräch vor Ort", "interview (round 1, onsite)"),
    ("Assessment Center", "interview (round 2)"),
    ("Angebot", "offer"),
    ("Zusage", "offer"),
    ("Zusage erhalten", "offer"),
    ("Angebot angenommen", "offer (accepted)"),
    ("Vertrag unterschrieben", "offer (accepted)"),
    ("Absage", "rejected"),
    ("Absage nach 2. Gespräch", "rejected"),
    ("abgelehnt", "rejected"),
    ("zurückgezogen", "withdrawn"),
    ("Zurueckgezogen", "withdrawn"),
    ("Angebot abgelehnt", "withdrawn"),
    ("keine Antwort", "no response (ghosted)"),
    ("keine Rückmeldung", "no response (ghosted)"),
    ("KEINE RUECKMELDUNG", "no response (ghosted)"),
    ("Merkliste", "lead (not applied yet)"),
    ("Interessant", "lead (not applied yet)"),
    ("noch nicht beworben", "lead (not applied yet)"),
    # French, Spanish, Dutch basics
    ("Candidature envoyée", "applied"),
    ("2e entretien", "interview (round 2)"),
    ("Refusé", "rejected"),
    ("Pas de réponse", "no response (ghosted)"),
    ("Postulado", "applied"),
    ("Segunda entrevista", "interview (round 2)"),
    ("Rechazado", "rejected"),
    ("Sin respuesta", "no response (ghosted)"),
    ("Gesolliciteerd", "applied"),
    ("Tweede gesprek", "interview (round 2)"),
    ("Afgewezen", "rejected"),
    ("Teruggetrokken", "withdrawn"),
]


@pytest.mark.parametrize(("text", "label"), GERMAN_STATUSES)
def test_statuses_in_german_and_its_neighbours(text: str, label: str) -> None:
    found = read_status(text)
    assert found is not None and found.label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("rejected after interview 2", "rejected"),
        ("second interview", "interview (round 2)"),
        ("interviewed", "interview (round 1)"),
        ("offer", "offer"),
    ],
)
def test_english_statuses_read_as_before(text: str, label: str) -> None:
    found = read_status(text)
    assert found is not None and found.label == label


def test_an_unknown_status_is_still_unknown() -> None:
    assert read_status("Bauchgefühl gut") is None
    assert read_status("abgesagt") is None  # who said no? the notes keep it


# Numeric dates with a weekday before them

TODAYS = st.sampled_from([date(2026, 3, 20), date(2026, 12, 7), date(2028, 2, 29)])
TENSES = st.sampled_from([Tense.PAST, Tense.FUTURE])
WEEKDAY_NAMES = [
    ("Monday", "Mon", "Mo", "Montag", "lun"),
    ("Tuesday", "Tue", "Di", "Dienstag", "mar"),
    ("Wednesday", "Wed", "Mi", "Mittwoch", "mer"),
    ("Thursday", "Thu", "Do", "Donnerstag", "jeu"),
    ("Friday", "Fri", "Fr", "Freitag", "ven"),
    ("Saturday", "Sat", "Sa", "Samstag", "sam"),
    ("Sunday", "Sun", "So", "Sonntag", "dim"),
]


@st.composite
def weekday_dated(draw: st.DrawFn, day: date, weekday: int, with_year: bool) -> tuple[str, str]:
    """``day`` written as a numeric date after ``weekday``'s name, and the order of its
    column: "Mo 23.11.", "Mo., 23.11.2026", "Mon 11/23", "Mon, 23/11/2026", "Tue 2026-11-24"."""
    name = draw(st.sampled_from(WEEKDAY_NAMES[weekday]))
    name += draw(st.sampled_from(["", ".", ",", ".,"]))
    order = draw(st.sampled_from(["dmy", "mdy"]))
    style = draw(st.sampled_from(["dots", "slashes", "dashes", "iso"]))
    if style == "iso" and with_year:
        return f"{name} {day.isoformat()}", order
    pad = draw(st.booleans())
    d, m = (f"{day.day:02}", f"{day.month:02}") if pad else (str(day.day), str(day.month))
    if style == "dots":
        text = f"{d}.{m}.{day.year}" if with_year else f"{d}.{m}" + draw(st.sampled_from(["", "."]))
        return f"{name} {text}", order
    sep = "/" if style in ("slashes", "iso") else "-"
    first, second = (d, m) if order == "dmy" else (m, d)
    return f"{name} {first}{sep}{second}" + (f"{sep}{day.year}" if with_year else ""), order


@given(TODAYS, st.integers(-365, 365), st.booleans(), TENSES, st.data())
def test_a_numeric_date_after_its_real_weekday_reads_back_as_that_day(
    today: date, shift: int, with_year: bool, tense: Tense, data: st.DataObject
) -> None:
    day = today + timedelta(days=shift)
    text, order = data.draw(weekday_dated(day, day.weekday(), with_year))
    found = read_date(text, order, today, tense)  # type: ignore[arg-type]
    assert found.day == day and not found.warning, text
    time = data.draw(st.sampled_from(["", " 14:30", " 9:05"]))
    assert read_date(text + time, order, today, tense).day == day  # type: ignore[arg-type]


@given(TODAYS, st.integers(-365, 365), st.integers(1, 6), st.data())
def test_a_full_numeric_date_after_a_wrong_weekday_is_kept_and_warned_about(
    today: date, shift: int, wrong_by: int, data: st.DataObject
) -> None:
    day = today + timedelta(days=shift)
    weekday = (day.weekday() + wrong_by) % 7
    text, order = data.draw(weekday_dated(day, weekday, with_year=True))
    found = read_date(text, order, today)  # type: ignore[arg-type]
    assert found.day == day
    assert f"is a {day:%A}, not a {WEEKDAY_NAMES[weekday][0]}" in found.warning


@given(TODAYS, st.integers(-365, 365), st.integers(1, 6), TENSES, st.data())
def test_a_year_less_numeric_date_after_a_wrong_weekday_takes_a_year_it_fits_or_is_warned(
    today: date, shift: int, wrong_by: int, tense: Tense, data: st.DataObject
) -> None:
    day = today + timedelta(days=shift)
    weekday = (day.weekday() + wrong_by) % 7
    text, order = data.draw(weekday_dated(day, weekday, with_year=False))
    found = read_date(text, order, today, tense)  # type: ignore[arg-type]
    assert found.day is not None and (found.day.month, found.day.day) == (day.month, day.day)
    assert found.day.weekday() == weekday or WEEKDAY_NAMES[weekday][0] in found.warning


def test_the_reported_cells() -> None:
    today = date(2026, 12, 7)
    assert read_date("Mo 23.11.", "dmy", today).day == date(2026, 11, 23)
    assert read_date("Mo., 23.11.2026", "mdy", today).day == date(2026, 11, 23)  # dots: d.m.
    assert read_date("Mon 11/23", "mdy", today).day == date(2026, 11, 23)
    assert read_date("Mon, 23/11/2026", "dmy", today).day == date(2026, 11, 23)
    assert read_date("Tue 2026-11-24", "mdy", today).day == date(2026, 11, 24)
    assert evidence("Mon, 23/11/2026") == "dmy" and evidence("Mon 11/23") == "mdy"
    assert "month 23" in _refusal("Mon 23/11", "mdy", today)  # the column's order holds
    assert "not a date" in _refusal("Mo 5", "dmy", today)
    assert strip_time("Mo 23.11") == "Mo 23.11" and time_of_day("Mo 23.11") is None
    assert time_of_day("Mo 23.11. 14:30") is not None


def _refusal(text: str, order: str, today: date) -> str:
    from jobnudge.tabular.dates import DateProblem

    with pytest.raises(DateProblem) as caught:
        read_date(text, order, today)  # type: ignore[arg-type]
    return str(caught.value)


# End to end: a German semicolon CSV on a real SQLite file

GERMAN_CSV = (
    "Firma;Stelle;Beworben am;Status;Ansprechpartner;Notizen\r\n"
    "Acme GmbH;Datenanalyst;Mo 23.11.;beworben;Jürgen Müller;Vorstellungsgespräch am 2.12.\r\n"
    "Beta AG;Entwickler;02.11.2026;Absage;;\r\n"
    "Gamma KG;Controller;Di 3.11.;2. Runde;;\r\n"
    "Delta SE;Analyst;Fr 24.11.2026;keine Rückmeldung;;\r\n"
)


def test_a_german_semicolon_csv_imports_on_a_profile_in_germany(tmp_path: Path) -> None:
    path = tmp_path / "bewerbungen.csv"
    path.write_text(GERMAN_CSV, encoding="utf-8")
    settings = Settings(profile=Profile(name="Jana Beispiel", tz="Europe/Berlin", country="DE"))
    session = open_session(settings=settings, data_dir=tmp_path / "data")
    try:
        session.now = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
        report = importing.import_file(session, path)
        assert report.unknown_statuses == {} and report.rejected == []
        zone = ZoneInfo("Europe/Berlin")
        found: dict[str, list[tuple[EventType, date | None]]] = {}
        notes: dict[str, str] = {}
        for opp, _stage in session.store.opportunities(session.owner):
            company = session.store.company(session.owner, opp.company_id).name
            notes[company] = opp.notes
            found[company] = [
                (e.type, e.at.astimezone(zone).date() if e.at else None)
                for e in session.store.events(session.owner, opp.id)
                if e.type
                in (
                    EventType.APPLIED,
                    EventType.INTERVIEWED,
                    EventType.REJECTED,
                    EventType.NO_RESPONSE,
                )
            ]
        assert found["Acme GmbH"] == [(EventType.APPLIED, date(2026, 11, 23))]
        assert found["Beta AG"][0] == (EventType.APPLIED, date(2026, 11, 2))
        assert [t for t, _d in found["Beta AG"]] == [EventType.APPLIED, EventType.REJECTED]
        assert found["Gamma KG"][0] == (EventType.APPLIED, date(2026, 11, 3))
        assert [t for t, _d in found["Gamma KG"]] == [EventType.APPLIED, EventType.INTERVIEWED]
        assert [t for t, _d in found["Delta SE"]] == [EventType.APPLIED, EventType.NO_RESPONSE]
        assert "Vorstellungsgespräch am 2.12." in notes["Acme GmbH"]
        assert not any("beworben" in n or "Absage" in n for n in notes.values())
        people = {c.name for c in session.store.contacts(session.owner)}
        assert people == {"Jürgen Müller"}
        messages = [message for _row, _column, message in report.warnings]
        assert any("24 Nov 2026 is a Tuesday, not a Friday" in m for m in messages)
    finally:
        session.close()


def test_the_command_reads_the_reported_file_without_a_mapping(
    nudge: Nudge, tmp_path: Path
) -> None:
    path = tmp_path / "bewerbungen.csv"
    path.write_text(GERMAN_CSV, encoding="utf-8")
    (nudge.home / "config.toml").write_text(
        '[profile]\nname = "Jana Beispiel"\ntz = "Europe/Berlin"\ncountry = "DE"\n',
        encoding="utf-8",
    )
    shown = nudge("import", str(path), "--dry-run", now="2026-12-07T10:00:00+01:00").stdout
    for line in ("Firma → company", "Stelle → role", "Beworben am → applied_on"):
        assert line in shown
    assert "Ansprechpartner → contact" in shown and "not known" not in shown
    assert "row 2: Acme GmbH — Datenanalyst: applied 2026-11-23" in shown


# A quote never closed, a damaged workbook


def test_a_quote_left_open_is_refused_naming_the_line_it_opens_on(
    session: Session, tmp_path: Path
) -> None:
    lines = ["Company,Role,Notes", 'Multi,Analyst,"two', 'lines"']
    lines += [f"C{i},R{i},n{i}" for i in range(3)]
    lines += ['Acme,"Analyst,oops'] + [f"D{i},S{i},m{i}" for i in range(3)]
    short = tmp_path / "short.csv"
    short.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    with pytest.raises(BadFile) as caught:
        importing.import_file(session, short, dry_run=True)
    assert str(caught.value) == (
        f'{short}: a cell starting with " on line 7 is never closed; close it or remove the '
        "quote. Nothing was imported."
    )
    long = tmp_path / "long.csv"  # past the reader's cell limit
    long.write_text(
        "\r\n".join(lines + [f"E{i},T{i},o{i}" for i in range(20_000)]) + "\r\n", encoding="utf-8"
    )
    with pytest.raises(BadFile, match='starting with " on line 7 is never closed'):
        importing.import_file(session, long)
    later = tmp_path / "later.csv"  # closed at last by another cell's opening quote
    tail = [f"E{i},T{i},o{i}" for i in range(20_000)] + ['F,"quoted",x']
    later.write_text("\r\n".join(lines + tail) + "\r\n", encoding="utf-8")
    with pytest.raises(BadFile, match="line 7 runs on for more than 131,072 characters"):
        importing.import_file(session, later)
    header = tmp_path / "header.csv"
    header.write_text('Company,Role,"Notes\r\nAcme,Analyst,x\r\n', encoding="utf-8")
    with pytest.raises(BadFile, match='starting with " on line 1 is never closed'):
        importing.import_file(session, header)
    assert not session.store.opportunities(session.owner)


def test_a_damaged_workbook_is_named_and_described_without_the_readers_error_class(
    nudge: Nudge, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Firma", "Stelle"])
    for i in range(300):
        sheet.append([f"Firma {i}", f"Stelle {i}" * 20])
    good = tmp_path / "good.xlsx"
    book.save(good)
    data = good.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    result = nudge("import", str(cut), ok=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"{cut}: cannot be read as an XLSX workbook (the file is cut short" in result.stderr
    import zipfile

    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/workbook.xml":
                content = content[: len(content) // 2]
            target.writestr(name, content)
    result = nudge("import", str(broken), ok=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"{broken}: cannot be read as an XLSX workbook" in result.stderr
    assert "Error" not in result.stderr and "not well-formed XML" in result.stderr


@given(
    days=st.lists(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)), min_size=1, max_size=8
    ),
    country=st.sampled_from(["US", "DE", "GB", "CA"]),
)
def test_a_column_of_dotted_dates_is_said_to_be_day_first_in_every_country(
    days: list[date], country: str
) -> None:
    """Dots are day first whatever the country: the report says so, never "month first, the
    custom in your country" for a column that is read day first."""
    from jobnudge.tabular import date_orders as date_reading

    cells = [f"{d.day:02d}.{d.month:02d}.{d.year}" for d in days]
    (found,) = date_reading.column_orders({0: cells}, country, None).values()
    assert found.order == "dmy" and "dots" in found.why


@given(
    days=st.lists(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)), min_size=1, max_size=8
    ),
    country=st.sampled_from(["US", "DE", "GB"]),
)
def test_a_column_of_iso_dates_is_said_to_be_year_first(days: list[date], country: str) -> None:
    """ISO dates need no country's custom: the report says they are read as written."""
    from jobnudge.tabular import date_orders as date_reading

    (found,) = date_reading.column_orders(
        {0: [d.isoformat() for d in days]}, country, None
    ).values()
    assert "ISO" in found.why and "custom" not in found.why
