"""Words of other languages as the importer compares them: a header or status typed with or
without its accents, with an umlaut written out ("Vorstellungsgespraech") or dropped
("Vorstellungsgesprach"), in any case, all read alike.

Standard library only (unicodedata). Both sides of a comparison are folded the same way, so
folding "ue" to "u" in a word that never had an umlaut ("Quelle") does no harm.
"""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = re.compile(r"(?<=[aou])e")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Case-folded, accents dropped, "ae"/"oe"/"ue" as "a"/"o"/"u", every run of anything but
    letters and digits one space: "Zurückgezogen", "ZURUECKGEZOGEN" and "zuruckgezogen" all
    read "zuruckgezogen"; "ß" reads "ss"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", _UMLAUTS.sub("", plain)).split())


def squeezed(text: str) -> str:
    """:func:`fold` without the spaces: "Vorstellungs-Gespräch" reads as "Vorstellungsgespräch"
    does (headers are written joined and apart)."""
    return fold(text).replace(" ", "")
