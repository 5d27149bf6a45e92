"""Where an imported event came from, kept apart from the user's own words.

The importer writes each event's source file and row into its note, so the timeline can say
where the event came from. Drafts and calendar entries read a note as what the user wrote
(what an interview covered, where it takes place): that sentence is a record, never words to
put in a message, so every such reader takes the note through :func:`user_words`.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"Imported from .*, row \d+\.", re.DOTALL)


def import_note(file_name: str, row: int) -> str:
    """The note an imported event carries: the file and row it came from."""
    return f"Imported from {file_name}, row {row}."


def user_words(note: str) -> str:
    """``note`` without the import's sentence, stripped; "" when that sentence is all it says
    (a template then uses its own slot). Checked on the whole note first, as a file's name may
    hold a line break, then line by line, for words written beside it."""
    text = note.strip()
    if _SENTENCE.fullmatch(text):
        return ""
    kept = [line for line in text.splitlines() if not _SENTENCE.fullmatch(line.strip())]
    return "\n".join(kept).strip()
