"""The agenda's fast path (``cli/quick.py``) prints exactly what the full command prints, byte
for byte, and is really taken: the process that answered never imported Typer, Click, Rich or
SQLAlchemy. Compared on the demo search and on generated searches (accented names, far and
half-hour zones, days when the clocks change, more than 20 follow-ups in a group, 80 columns);
and wherever it must not answer, the full command does, as before."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge import clock
from jobnudge.cli import agenda, quick, terminal
from jobnudge.domain import Channel, Nudge
from jobnudge.services.session import LOCAL_USER
from jobnudge.store import open_store
from jobnudge.store.location import DEFAULT_FILE_NAME
from jobnudge.timeparse import parse_when
from tests.pinned import PINNED_NOW, as_env

HEAVY = ("typer", "click", "rich", "sqlalchemy")

# Runs the console script's function in a process that reports, on leaving, which of the
# heavy packages it imported (atexit runs after Click's SystemExit too).
ENTRY = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nloaded:' + ','.join(\n"
    f"    m for m in {HEAVY!r} if m in sys.modules)))\n"
    "from jobnudge.cli.entry import run\n"
    "run()\n"
)

PROFILE = '[profile]\nname = "Alex Morgan"\ntz = "{tz}"\ncountry = "{country}"\n'


@dataclass
class Answer:
    code: int
    out: str
    err: str
    loaded: str


class Home:
    """A data dir and settings file of its own; runs the entry point as `nudge` would."""

    def __init__(self, root: Path, tz: str = "America/New_York", country: str = "US") -> None:
        self.root = root
        self.data = root / "data"
        self.config = root / "config.toml"
        self.config.write_text(PROFILE.format(tz=tz, country=country), encoding="utf-8")
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("NUDGE_")},
            "NUDGE_DATA_DIR": str(self.data),
            "NUDGE_CONFIG": str(self.config),
            "NUDGE_NOW": as_env(PINNED_NOW),
            "COLUMNS": "80",
            "NO_COLOR": "1",
        }

    def run(self, *args: str, full: bool = False, **extra: str) -> Answer:
        env = {**self.env, **extra}
        if full:
            env["NUDGE_FULL_PATH"] = "1"
        done = subprocess.run(
            [sys.executable, "-c", ENTRY, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        err, _, loaded = done.stderr.rpartition("\nloaded:")
        return Answer(done.returncode, done.stdout, err, loaded.strip())

    def both(self, *args: str, **extra: str) -> tuple[Answer, Answer]:
        """The full command's answer (which also leaves the settings for the fast path),
        then the entry point's."""
        return self.run(*args, full=True, **extra), self.run(*args, **extra)


def assert_same_and_fast(full: Answer, fast: Answer) -> None:
    assert full.code == 0, full.err
    assert "typer" in full.loaded.split(","), "the comparison must be with the full command"
    assert fast.loaded == "", f"the fast path was not taken: {fast.loaded}"
    assert fast.code == full.code
    assert fast.out == full.out
    assert fast.err == full.err == ""


def test_the_console_script_starts_at_the_fast_path() -> None:
    (script,) = entry_points(group="console_scripts", name="nudge")
    assert script.value == "jobnudge.cli.entry:run"


def test_constants_agree_with_the_full_command() -> None:
    assert quick.LOCAL_USER == LOCAL_USER
    assert quick.DEFAULT_FILE_NAME == DEFAULT_FILE_NAME
    assert set(quick.VOICE) == {c.value for c in Channel if c.is_voice}
    days = agenda.Days.__metadata__[0]  # type: ignore[attr-defined]
    assert (days.min, days.max) == (0, quick.MAX_DAYS)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("demo"))
    loaded = home.run("demo", full=True)
    assert loaded.code == 0, loaded.err
    return home


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("today",),
        ("--json",),
        ("--json", "today"),
        ("today", "--json"),
        ("today", "--all"),
        ("today", "--days", "30"),
        ("today", "--days=0"),
        ("--now", "2026-11-26 08:00", "today"),
        ("--now=next monday 9am", "--json", "today", "--days", "14"),
    ],
)
def test_demo_search_prints_the_same_on_both_paths(demo: Home, args: tuple[str, ...]) -> None:
    assert_same_and_fast(*demo.both(*args))


def test_demo_search_at_other_widths_and_zones(demo: Home) -> None:
    for columns in ("72", "100", "133"):
        assert_same_and_fast(*demo.both("today", COLUMNS=columns))
    assert_same_and_fast(*demo.both("today", NUDGE_NOW="2026-11-22T23:59:00-05:00"))


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("today", "--help"),
        ("list",),
        ("today", "--days", "-1"),
        ("today", "--days", "3651"),
        ("today", "--days", "x"),
        ("today", "--bogus"),
        ("today", "--all", "--all"),
        ("--now", "not a date", "today"),
        ("--db", "sqlite:////nonexistent/folder/x.sqlite", "today"),
        ("--db", "postgresql://nobody@127.0.0.1:1/none", "today"),
    ],
)
def test_everything_else_is_the_full_command(demo: Home, args: tuple[str, ...]) -> None:
    full, entry = demo.both(*args)
    assert "typer" in entry.loaded.split(",")
    assert (entry.code, entry.out, entry.err) == (full.code, full.out, full.err)


def test_changed_settings_are_read_again(tmp_path: Path) -> None:
    home = Home(tmp_path)
    assert home.run("demo", full=True).code == 0
    assert_same_and_fast(*home.both("today"))
    home.config.write_text(PROFILE.format(tz="Asia/Kathmandu", country="NP"), encoding="utf-8")
    changed = home.run("today")
    assert "typer" in changed.loaded.split(",")  # the full command read the new settings
    assert "(Asia/Kathmandu)" in changed.out
    assert_same_and_fast(home.run("today", full=True), home.run("today"))
    home.config.write_text('[profile]\ntz = "Mars/Olympus"\n', encoding="utf-8")
    broken = home.run("today")
    assert broken.code != 0 and "Mars/Olympus" in broken.err
    assert "typer" in broken.loaded.split(",")


def test_completion_is_the_full_command(demo: Home) -> None:
    full, entry = demo.both(_NUDGE_COMPLETE="bash_complete", COMP_WORDS="nudge to", COMP_CWORD="1")
    assert "typer" in entry.loaded.split(",")
    assert (entry.code, entry.out) == (full.code, full.out)


@pytest.mark.parametrize(
    ("argv", "fast"),
    [
        ([], True),
        (["today"], True),
        (["--json", "today", "--json"], True),
        (["--db", "sqlite:///x", "--now=tomorrow", "today", "--days", "3", "--all"], True),
        (["today", "today"], False),
        (["--json", "--json"], False),
        (["today", "--db", "x"], False),
        (["--days", "3"], False),
        (["--all"], False),
        (["today", "--days"], False),
        (["today", "--days", "+3"], False),
        (["today", "--days", "٣"], False),
        (["--db", ""], False),
        (["--now", "-1d", "today"], False),
        (["--json=1"], False),
        (["list"], False),
        (["--version"], False),
    ],
)
def test_which_arguments_the_fast_path_takes(argv: list[str], fast: bool) -> None:
    assert (quick.parse(argv) is not None) is fast


@given(
    moment=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
    ).map(lambda d: d.replace(second=0, microsecond=0)),
    offset=st.integers(min_value=-14 * 60, max_value=14 * 60),
    separator=st.sampled_from("T "),
)
def test_an_exact_instant_reads_as_timeparse_reads_it(
    moment: datetime, offset: int, separator: str
) -> None:
    from datetime import timezone

    text = moment.astimezone(timezone(timedelta(minutes=offset))).isoformat(sep=separator)
    if not 1971 <= int(text[:4]) <= 2099:
        return
    exact = clock.exact_instant(text)
    assert exact is not None, text
    base = datetime(2030, 1, 1, tzinfo=UTC)
    assert exact == parse_when(text, field="--now", tz="Asia/Kathmandu", base=base)


# --------------------------------------------------------------------- generated searches

ZONES = [
    "America/New_York",
    "Pacific/Kiritimati",  # UTC+14
    "Pacific/Pago_Pago",  # UTC-11
    "Asia/Kathmandu",  # +05:45
    "Australia/Lord_Howe",  # a half-hour DST shift
    "Europe/Berlin",
    "UTC",
]
CHANGE_DAYS = [  # the clocks change on these days in some of the zones above
    datetime(2026, 3, 8, 6, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
    datetime(2026, 10, 4, 15, 0, tzinfo=UTC),
    datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 45, tzinfo=UTC),
    PINNED_NOW,
]
NAME = (
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzÉéèüößçøÅåñŁłĞğ 名前-·'&",
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s.strip(" -·'&") != "")
)
REASON = st.text(alphabet="abcdefghij ÉéüößØ—,.;:()0123456789", min_size=1, max_size=300).map(
    lambda s: " ".join(s.split()) or "Because."
)


@dataclass
class Item:
    company: str | None  # None: a search-wide follow-up
    role: str
    contact: str | None
    contact_tz: str | None
    country: str | None
    channel: Channel | None
    due_minutes: int
    window_minutes: int | None
    reason: str


ITEM = st.builds(
    Item,
    company=st.none() | NAME,
    role=NAME,
    contact=st.none() | NAME,
    contact_tz=st.none() | st.sampled_from(ZONES),
    country=st.none() | st.sampled_from(["US", "DE", "NP", "GB", "KI"]),
    channel=st.none() | st.sampled_from(list(Channel)),
    due_minutes=st.integers(min_value=-12 * 24 * 60, max_value=9 * 24 * 60),
    window_minutes=st.none() | st.integers(min_value=0, max_value=5 * 24 * 60),
    reason=REASON,
)
SEARCH = st.lists(ITEM, min_size=0, max_size=14) | st.lists(ITEM, min_size=21, max_size=48)


def build(data: Path, now: datetime, items: list[Item]) -> None:
    """The local user's SQLite file with ``items`` as its pending follow-ups."""
    store = open_store(None, data_dir=data, now=now)
    try:
        owner = store.ensure_user(LOCAL_USER)
        with store.transaction(now=now) as tx:
            per_opportunity: dict[int | None, list[Nudge]] = {}
            for number, item in enumerate(items):
                opportunity = None
                if item.company is not None:
                    company = tx.get_or_add_company(owner, item.company)
                    opportunity = tx.add_opportunity(
                        owner, company_id=company.id, role=item.role
                    ).id
                contact = None
                if item.contact is not None:
                    contact = tx.add_contact(
                        owner, name=item.contact, tz=item.contact_tz, country=item.country
                    ).id
                due = now + timedelta(minutes=item.due_minutes)
                by = (
                    None
                    if item.window_minutes is None
                    else due + timedelta(minutes=item.window_minutes)
                )
                per_opportunity.setdefault(opportunity, []).append(
                    Nudge(
                        key=f"generated:{number}",
                        rule=["interview.thank-you", "silence.retry", "no.such-rule"][number % 3],
                        opportunity_id=opportunity,
                        contact_id=contact,
                        channel=item.channel,
                        due=due,
                        due_by=by,
                        reason=item.reason,
                        tz=item.contact_tz or "UTC",
                        message="",
                    )
                )
            for opportunity, nudges in per_opportunity.items():
                tx.replace_nudges(owner, opportunity, nudges)
    finally:
        store.close()


@settings(
    max_examples=int(os.environ.get("QUICK_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    items=SEARCH,
    tz=st.sampled_from(ZONES),
    country=st.sampled_from(["US", "DE", "NP"]),
    now=st.sampled_from(CHANGE_DAYS),
    args=st.sampled_from([("today",), ("today", "--all"), ("--json", "today"), ()]),
)
def test_generated_searches_print_the_same_on_both_paths(
    tmp_path_factory: pytest.TempPathFactory,
    items: list[Item],
    tz: str,
    country: str,
    now: datetime,
    args: tuple[str, ...],
) -> None:
    home = Home(tmp_path_factory.mktemp("generated"), tz=tz, country=country)
    build(home.data, now - timedelta(days=30), items)
    full, fast = home.both(*args, NUDGE_NOW=as_env(now))
    assert_same_and_fast(full, fast)
    if "--json" not in args:
        assert all(terminal.cells(line) <= 80 for line in fast.out.splitlines())
