"""Big cities that name no time zone of their own (``San Francisco`` keeps the clock of
``America/Los_Angeles``), so that ``--tz "San Francisco"`` works like ``--tz Denver``; and the
nearest name to suggest when a city is not known. A city two zones could mean (Portland,
Hyderabad, Washington) is left out: typing its zone is the only safe way."""

from __future__ import annotations

import difflib
import unicodedata

_BY_ZONE = {
    "America/Los_Angeles": "San Francisco, San Jose, San Diego, Sacramento, Oakland, Palo Alto, "
    "Mountain View, Silicon Valley, Seattle, Las Vegas",
    "America/Denver": "Salt Lake City, Albuquerque, Colorado Springs",
    "America/Chicago": "Dallas, Houston, Austin, San Antonio, Minneapolis, Saint Louis, "
    "St Louis, Kansas City, New Orleans, Nashville, Milwaukee, Oklahoma City",
    "America/New_York": "New York City, NYC, Brooklyn, Boston, Washington DC, Philadelphia, "
    "Pittsburgh, Baltimore, Atlanta, Miami, Orlando, Tampa, Charlotte, Raleigh, Cleveland, "
    "Newark, Jersey City, Buffalo",
    "America/Toronto": "Ottawa, Quebec City, Montreal",
    "America/Edmonton": "Calgary",
    "America/Sao_Paulo": "Rio de Janeiro, Brasilia, Belo Horizonte, Curitiba, Porto Alegre",
    "America/Mexico_City": "Guadalajara, Puebla",
    "America/Bogota": "Medellin, Cali",
    "Europe/London": "Manchester, Birmingham, Edinburgh, Glasgow, Cardiff, Bristol, Leeds, "
    "Liverpool, Cambridge, Oxford, Newcastle",
    "Europe/Dublin": "Cork, Galway, Limerick",
    "Europe/Berlin": "Munich, Munchen, Muenchen, Frankfurt, Hamburg, Cologne, Koeln, Koln, "
    "Stuttgart, Dusseldorf, Duesseldorf, Leipzig, Dresden, Bonn, Hanover, Hannover, Nuremberg, "
    "Nurnberg",
    "Europe/Zurich": "Geneva, Geneve, Basel, Bern, Lausanne",
    "Europe/Vienna": "Graz, Salzburg, Linz, Innsbruck",
    "Europe/Paris": "Lyon, Marseille, Toulouse, Nice, Bordeaux, Lille, Nantes, Strasbourg",
    "Europe/Rome": "Milan, Milano, Turin, Torino, Naples, Napoli, Florence, Firenze, Venice, "
    "Bologna",
    "Europe/Madrid": "Barcelona, Valencia, Seville, Sevilla, Bilbao, Malaga",
    "Europe/Lisbon": "Porto",
    "Europe/Amsterdam": "Rotterdam, The Hague, Den Haag, Utrecht, Eindhoven",
    "Europe/Brussels": "Antwerp, Antwerpen, Ghent, Gent",
    "Europe/Stockholm": "Gothenburg, Goteborg, Malmo, Uppsala",
    "Europe/Oslo": "Bergen, Trondheim",
    "Europe/Copenhagen": "Aarhus, Odense",
    "Europe/Helsinki": "Espoo, Tampere, Turku",
    "Europe/Warsaw": "Krakow, Wroclaw, Gdansk, Poznan, Lodz",
    "Europe/Prague": "Brno",
    "Europe/Budapest": "Debrecen",
    "Europe/Bucharest": "Cluj, Cluj-Napoca, Timisoara, Iasi",
    "Europe/Athens": "Thessaloniki",
    "Europe/Istanbul": "Ankara, Izmir",
    "Europe/Moscow": "Saint Petersburg, St Petersburg",
    "Asia/Kolkata": "Mumbai, Bombay, Delhi, New Delhi, Bangalore, Bengaluru, Chennai, Pune, "
    "Ahmedabad, Gurgaon, Gurugram, Noida, Calcutta",
    "Asia/Karachi": "Lahore, Islamabad",
    "Asia/Shanghai": "Beijing, Shenzhen, Guangzhou, Hangzhou, Chengdu, Nanjing, Wuhan",
    "Asia/Tokyo": "Osaka, Kyoto, Yokohama, Nagoya, Fukuoka",
    "Asia/Seoul": "Busan, Incheon",
    "Asia/Dubai": "Abu Dhabi, Sharjah",
    "Asia/Jerusalem": "Tel Aviv, Haifa",
    "Asia/Ho_Chi_Minh": "Hanoi, Saigon, Da Nang",
    "Asia/Manila": "Cebu, Quezon City",
    "Asia/Jakarta": "Bandung, Surabaya",
    "Australia/Sydney": "Canberra, Newcastle NSW, Wollongong",
    "Australia/Brisbane": "Gold Coast",
    "Pacific/Auckland": "Wellington, Christchurch",
    "Africa/Johannesburg": "Cape Town, Pretoria, Durban",
    "Africa/Lagos": "Abuja",
    "Africa/Cairo": "Alexandria, Giza",
}


def key(text: str) -> str:
    """A typed place as a lookup key: lower case, accents and dots dropped, words joined by
    underscores (``São Paulo``, ``sao paulo`` and ``Sao_Paulo`` are one key, as are
    ``Washington D.C.`` and ``Washington DC``)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace(".", "")
    return "_".join(plain.replace("_", " ").replace("-", " ").split()).casefold()


NAMES = {key(city): city for cities in _BY_ZONE.values() for city in cities.split(", ")}
"""A city's key to its name as written above."""
CITIES = {key(city): zone for zone, cities in _BY_ZONE.items() for city in cities.split(", ")}
"""A city's key to the zone whose clock it keeps."""


def zone_of(word: str) -> str | None:
    """The zone of a big city that is not a zone's own name (``word`` as :func:`key` makes
    it), or ``None``."""
    return CITIES.get(word)


def shown(zone_city: str) -> str:
    """A city as people write it: ``Los_Angeles`` as "Los Angeles"."""
    return zone_city.replace("_", " ")


def nearest(typed: str, places: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """The place closest to ``typed`` among ``places`` (key to its name and zone), to suggest
    when nothing matches; ``None`` when none is close."""
    found = difflib.get_close_matches(key(typed), list(places), n=1, cutoff=0.75)
    return places[found[0]] if found else None
