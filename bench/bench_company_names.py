"""How well the checker's loose company-name matching separates names from ordinary words.

Two counts, no timing:

- misses: every one-slip misspelling (a letter replaced, added, dropped, or two neighbours
  swapped, never the first letter) of ten realistic company names, written into a sentence of a
  letter to another employer (to Brightline Health for its own name); how many are caught, and
  how many the matcher leaves alone by design because the slip made real words;
- false alarms: sentences of the 5,000 most common dictionary words (plus the ordinary words in
  those company names), with typos in about one word in seven; how many raise a wrong-company
  error.

Run with ``.venv/bin/python bench/bench_company_names.py [--sentences N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.drafts.test_company_names import (
    BRIGHTLINE,
    NAMES,
    common_words,
    company_findings,
    letter,
    real_words_only,
    run,
)

from jobnudge.drafts.text import fold


def slips(name: str) -> set[str]:
    found: set[str] = set()
    for at in range(1, len(name)):
        if not name[at].isalpha():
            continue
        for letter_ in string.ascii_lowercase:
            found.add(name[:at] + letter_ + name[at + 1 :])
            found.add(name[:at] + letter_ + name[at:])
        found.add(name[:at] + name[at + 1 :])
        if at + 1 < len(name) and name[at + 1].isalpha():
            found.add(name[:at] + name[at + 1] + name[at] + name[at + 2 :])
    return {w for w in found if fold(w) != fold(name)}


def misses() -> tuple[int, int, int]:
    total = caught = real = 0
    for name in NAMES:
        for written in sorted(slips(name)):
            total += 1
            if real_words_only(written):
                real += 1
                continue
            sentence = f"Thank you for meeting me at {written}."
            if name != BRIGHTLINE.name:
                sentence = "Thank you for the interview at Brightline Health. " + sentence
            text = letter(sentence)
            found = [f for f in run(text, None) if f.code == "wrong-company"]
            caught += any(f.excerpt(text) == written for f in found)
    return total, real, caught


def false_alarms(count: int, rng: random.Random) -> tuple[int, int, list[str]]:
    words = common_words()
    typos = 0
    alarms: list[str] = []
    for _ in range(count):
        chosen = [rng.choice(words) for _ in range(rng.randint(5, 14))]
        for i, word in enumerate(chosen):
            if len(word) > 3 and rng.random() < 0.15:
                at = rng.randrange(1, len(word))
                chosen[i] = word[:at] + rng.choice(string.ascii_lowercase) + word[at + 1 :]
                typos += 1
        body = "Thank you for the interview at Brightline Health. " + " ".join(chosen).capitalize()
        text = letter(body + ".")
        if any(severity == "error" for severity, _ in company_findings(text)):
            alarms.append(" ".join(chosen))
    return typos, len(alarms), alarms[:5]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    total, real, caught = misses()
    typos, alarms, examples = false_alarms(options.sentences, random.Random(options.seed))
    print("| measurement | count |")
    print("|---|---:|")
    print(f"| one-slip misspellings of {len(NAMES)} names | {total} |")
    print(f"| of which real words only (left alone by design) | {real} |")
    print(f"| of the rest, caught | {caught} of {total - real} |")
    print(f"| generated sentences (typos in them) | {options.sentences} ({typos}) |")
    print(f"| sentences with a wrong-company error | {alarms} |")
    for example in examples:
        print(f"\nfalse alarm: {example}")


if __name__ == "__main__":
    main()
