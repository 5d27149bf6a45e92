"""How long the pre-send checker takes, against a bare regex scan of the same text.

Checks a 150-word email with 200 employers in the pipeline: the median per check once the
dictionary is loaded (many runs), and the dictionary's load cost in a fresh interpreter. The
baseline is the least any wrong-company check must do: one compiled ``re`` scan of the text for
the 200 names. Prints a Markdown table; run with ``.venv/bin/python bench/bench_checker.py``.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from jobnudge.config import Profile, Settings
from jobnudge.domain import Channel, Company, Contact, Opportunity

WORDS = ("Blue", "River", "North", "Summit", "Harbor", "Cedar", "Apex", "Lumen", "Vector", "Orbit")
KINDS = ("Analytics", "Robotics", "Health", "Logistics", "Labs", "Foods", "Energy", "Capital")


def pipeline(size: int) -> tuple[Company, ...]:
    """``size`` employers with two-word names (and a few one-word ordinary ones)."""
    companies = [Company(1, "Acme Robotics", aliases=("Acme",), domains=("acme.com",))]
    ordinary = ["Apple", "Target", "Square", "Shell", "Oracle", "Signal", "Compass", "Ring"]
    for i in range(1, size):
        if i <= len(ordinary):
            name = ordinary[i - 1]
        else:
            name = f"{WORDS[i % len(WORDS)]} {KINDS[(i // len(WORDS)) % len(KINDS)]} {i}"
        companies.append(Company(i + 1, name, domains=(f"c{i}.com",)))
    return tuple(companies)


EMAIL = """To: Dana Lee <dana.lee@acme.com>
Subject: Following up on my Data Analyst interview

Dear Ms. Lee,

This is Alex Kim; I had a second-round interview for the Data Analyst position at Acme Robotics
on Tuesday, November 3. Thank you again for your time, and please pass my thanks to Sam Ortiz as
well.

You mentioned a decision around Friday, November 13, so I wanted to check in. I remain very
interested in the role and would like to ask where things stand and what the next steps might
be. Since we spoke, I have finished a course on inventory forecasting, and I have rebuilt our
weekly demand model so that it runs every night, which I think would help your planners react to
changes sooner.

Please let me know if I can answer any questions or provide anything further, such as examples
of my work or references from my current team and my manager at Northwind.

Best regards,
Alex Kim
555 010 0999
"""

LOAD_SNIPPET = """
import time
start = time.perf_counter()
from jobnudge.drafts.spelling import dictionary
dictionary()
print(time.perf_counter() - start)
"""

KEPT_SNIPPET = """
import sys, time
start = time.perf_counter()
from pathlib import Path
from jobnudge.drafts import spelling
spelling.keep_in(Path(sys.argv[1]))
spelling.word_counts()
print(time.perf_counter() - start)
"""

COLD_KEPT_SNIPPET = """
import sys, time
start = time.perf_counter()
from pathlib import Path
import bench_checker as b
from jobnudge.drafts import check, spelling
spelling.keep_in(Path(sys.argv[1]))
check(b.EMAIL, **b.arguments(b.pipeline(200)))
print(time.perf_counter() - start)
"""

COLD_SNIPPET = """
import time
start = time.perf_counter()
import bench_checker as b
from jobnudge.drafts import check
check(b.EMAIL, **b.arguments(b.pipeline(200)))
print(time.perf_counter() - start)
"""


def arguments(companies: tuple[Company, ...]) -> dict[str, object]:
    dana = Contact(10, "Dana Lee", company_id=1, email="dana.lee@acme.com", salutation="Ms.")
    sam = Contact(11, "Sam Ortiz", company_id=1, email="sam@acme.com")
    return {
        "channel": Channel.EMAIL,
        "opportunity": Opportunity(100, 1, "Acme Robotics", "Data Analyst"),
        "company": companies[0],
        "contact": dana,
        "pipeline_companies": companies,
        "settings": Settings(profile=Profile(name="Alex Kim", email="alex.kim@example.com")),
        "people": [sam],
        "rule": "interview.status-check",
    }


def timed(function: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def fresh(snippet: str, runs: int, *args: str) -> list[float]:
    """Seconds reported by ``snippet`` in ``runs`` new interpreters."""
    here = str(__import__("pathlib").Path(__file__).parent)
    out = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", snippet, *args],
            capture_output=True,
            text=True,
            check=True,
            cwd=here,
        )
        out.append(float(result.stdout.strip()))
    return out


def row(name: str, samples: list[float], baseline: float) -> str:
    median = statistics.median(samples)
    p90 = statistics.quantiles(samples, n=10)[-1] if len(samples) >= 10 else max(samples)
    return (
        f"| {name} | {median * 1000:.3f} | {p90 * 1000:.3f} | {len(samples)} "
        f"| {median / baseline:.2f}× |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="checks to time (default 500)")
    parser.add_argument("--fresh", type=int, default=5, help="fresh interpreters (default 5)")
    options = parser.parse_args()

    from jobnudge.drafts import check
    from jobnudge.drafts.spelling import dictionary

    companies = pipeline(200)
    words = len(EMAIL.split("\n\n", 1)[1].split())
    names = sorted((n for c in companies for n in c.names), key=len, reverse=True)
    pattern = re.compile(
        "|".join(r"(?<!\w)" + re.escape(n) + r"(?!\w)" for n in names), re.IGNORECASE
    )
    baseline = timed(lambda: list(pattern.finditer(EMAIL)), options.runs)
    dictionary()
    kwargs = arguments(companies)
    check(EMAIL, **kwargs)  # type: ignore[arg-type]  # warm the compiled-pattern caches
    warm = timed(lambda: check(EMAIL, **kwargs), options.runs)  # type: ignore[arg-type]
    load = fresh(LOAD_SNIPPET, options.fresh)
    cold = fresh(COLD_SNIPPET, options.fresh)
    with tempfile.TemporaryDirectory() as folder:
        fresh(KEPT_SNIPPET, 1, folder)  # writes the kept word counts, as a first command does
        kept = fresh(KEPT_SNIPPET, options.fresh, folder)
        cold_kept = fresh(COLD_KEPT_SNIPPET, options.fresh, folder)
    base = statistics.median(baseline)

    print(
        f"Checker on a {words}-word email, {len(companies)} employers in the pipeline "
        f"(Python {sys.version.split()[0]}).\n"
    )
    print("| measurement | median ms | p90 ms | runs | vs baseline |")
    print("|---|---:|---:|---:|---:|")
    print(row("baseline: one `re` scan for the 200 names", baseline, base))
    print(row("`check()`, dictionary loaded", warm, base))
    print(row("dictionary load, fresh interpreter", load, base))
    print(row("first `check()` in a fresh interpreter (imports + load)", cold, base))
    print(row("word counts from the kept file, fresh interpreter", kept, base))
    print(row("first `check()`, fresh interpreter, kept word counts", cold_kept, base))
    findings = check(EMAIL, **kwargs)  # type: ignore[arg-type]
    print(f"\nFindings on the benchmark email: {[f.code for f in findings] or 'none'}.")


if __name__ == "__main__":
    main()
