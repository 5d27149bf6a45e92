"""What ``typography.name_key`` remembers stays small whatever it is asked about.

It is asked about names, and also about whole texts: a received message's sender and subject
(``mail.match``, in the long-running mail reader), a search typed on a page. A subject has no
length limit of its own; each text asked about once must not stay in memory for the life of
the process."""

from __future__ import annotations

import gc
import tracemalloc

from jobnudge.typography import name_key


def test_long_texts_asked_about_once_are_not_kept() -> None:
    tracemalloc.start()
    try:
        before, _peak = tracemalloc.get_traced_memory()
        for n in range(12):  # twelve messages, each with a 500,000-character subject
            subject = f"Re: application {n} " + "Müller GmbH — next steps " * 20_000
            assert name_key(subject).startswith("re: application")
            del subject
        gc.collect()
        kept, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept - before < 8 * 1024 * 1024, f"{(kept - before) / 1e6:.0f} MB kept"
