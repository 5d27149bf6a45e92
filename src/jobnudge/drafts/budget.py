"""What one render of a user's draft template may spend, and the checks that keep it there.

Every loop turn, call, operator and filter costs a step; every piece of text made costs its
length; no text grows past ``MAX_TEXT``. Operations that could make a huge value in one go
(``'a' * 10**9``, ``2 ** 10**9``, a padding of a billion) are sized before they run, so the
limits hold before any memory is taken. ``drafts.sandbox`` applies these to Jinja2.
"""

from __future__ import annotations

import re
import string
import time
from collections.abc import ItemsView, Iterable, Iterator, KeysView, ValuesView
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2.exceptions import SecurityError

MAX_TEXT = 20_000  # characters in any text a template makes (a list counts as printed)
MAX_WORK = 1_000_000  # characters made in one render, all pieces together
MAX_STEPS = 100_000  # loop turns, calls, operators and filters in one render
MAX_RANGE = 10_000  # numbers in one range()
MAX_DEPTH = 40  # calls (macros, blocks) nested in one another
MAX_BITS = 4_096  # size of a whole number
MAX_WIDTH = 1_000  # a padding width in a format string
MAX_SECONDS = 2.0  # wall time of one render, whatever it does

_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


class Refused(SecurityError):
    """A template broke a rule of the sandbox; the message says which, for a person."""


class Budget:
    """What one render may still spend."""

    __slots__ = ("deadline", "depth", "steps", "weights", "work")

    def __init__(self, seconds: float) -> None:
        self.steps = MAX_STEPS
        self.work = MAX_WORK
        self.depth = 0
        self.deadline = time.perf_counter() + seconds  # a stopwatch, not the time of day
        self.weights: dict[int, tuple[object, int]] = {}  # collections weighed so far

    def step(self, count: int = 1) -> None:
        self.steps -= count
        if self.steps < 0:
            raise Refused(
                f"it does more than {MAX_STEPS:,} steps (loop turns, calls, filters); a "
                "message needs no long loops"
            )
        if time.perf_counter() > self.deadline:
            raise Refused(f"it takes longer than {MAX_SECONDS:g} seconds to render")

    def weigh(self, value: Any) -> int:
        """About how many characters ``value`` is as text (stopping past ``MAX_TEXT``).

        A list of 10,000 references to one long text is small in memory but huge once
        printed, so collections are weighed by what they hold; each is weighed once.
        """
        if isinstance(value, str):
            return len(value)
        if isinstance(value, int):
            return value.bit_length() // 3 + 1
        if not isinstance(
            value, list | tuple | dict | set | frozenset | KeysView | ValuesView | ItemsView
        ):
            return 8  # numbers, functions, ranges, loops: short as text (or lazy)
        known = self.weights.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        total = 2
        items: Iterable[Any] = value.items() if isinstance(value, dict) else value
        for item in items:
            total += self.weigh(item) + 2
            if total > MAX_TEXT:
                break
        self.weights[id(value)] = (value, total)
        return total

    def check(self, *values: Any) -> None:
        """Refuse to go on with any value larger than ``MAX_TEXT`` as text."""
        for value in values:
            too_long(self.weigh(value))

    def made(self, value: Any) -> Any:
        """``value``, counted against the budget."""
        if isinstance(value, int) and value.bit_length() > MAX_BITS:
            raise Refused(f"it makes a number over {MAX_BITS:,} bits long")
        size = self.weigh(value)
        too_long(size)
        self.work -= size
        if self.work < 0:
            raise Refused(f"it makes more than {MAX_WORK:,} characters of text in all")
        return value


_BUDGET: ContextVar[Budget | None] = ContextVar("draft_template_budget", default=None)


def current() -> Budget:
    found = _BUDGET.get()
    if found is None:  # compile-time constant folding, or a render outside ``budgeted``
        raise Refused("a user's template renders only within a budget")
    return found


@contextmanager
def budgeted(seconds: float = MAX_SECONDS) -> Iterator[None]:
    """Renders inside this block share one fresh budget."""
    token = _BUDGET.set(Budget(seconds))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def too_long(total: int) -> None:
    if total > MAX_TEXT:
        raise Refused(f"it would make a text or list longer than {MAX_TEXT:,} characters")


def check_printf(template: str) -> None:
    """Refuse ``%`` formats with a ``*`` or a padding wider than ``MAX_WIDTH``."""
    for match in _PRINTF.finditer(template):
        for width in match.groups():
            if width == "*" or (width and int(width) > MAX_WIDTH):
                raise Refused(f"a format wider than {MAX_WIDTH:,} characters")


def check_format_spec(template: str) -> None:
    """Refuse ``str.format`` fields with nested fields or a width over ``MAX_WIDTH``."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise Refused(f"a malformed format string ({exc})") from exc
    for _literal, _name, spec, _conversion in fields:
        if not spec:
            continue
        if "{" in spec:
            raise Refused("a format field inside another format field")
        if any(int(n) > MAX_WIDTH for n in re.findall(r"\d+", spec)):
            raise Refused(f"a format wider than {MAX_WIDTH:,} characters")


def materialised(items: Any, budget: Budget) -> list[Any]:
    """``items`` as a list, each one a step, never more than ``MAX_TEXT`` of them."""
    out: list[Any] = []
    for item in items:
        budget.step()
        out.append(item)
        too_long(len(out))
    return out


def replaced_size(text: str, old: str, new: str, count: Any) -> int:
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def joined_size(parts: list[Any], separator: str, budget: Budget) -> int:
    return sum(budget.weigh(p) for p in parts) + len(separator) * max(len(parts) - 1, 0)


def sized(value: Any) -> bool:
    return isinstance(value, str | list | tuple)


def check_times(left: Any, right: Any) -> None:
    for sequence, count in ((left, right), (right, left)):
        if sized(sequence) and isinstance(count, int):
            too_long(len(sequence) * max(count, 0))
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and left.bit_length() + right.bit_length() > MAX_BITS
    ):
        raise Refused(f"it makes a number over {MAX_BITS:,} bits long")


def check_power(base: Any, exponent: Any) -> None:
    whole = isinstance(base, int) and isinstance(exponent, int) and exponent > 0
    if whole and abs(base) > 1 and max(base.bit_length() - 1, 1) * exponent > MAX_BITS:
        raise Refused(f"it makes a number over {MAX_BITS:,} bits long")
    if isinstance(exponent, int | float) and abs(exponent) > MAX_BITS:
        raise Refused(f"an exponent over {MAX_BITS:,}")


def bounded_range(*args: Any) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise Refused(f"range() of {len(numbers):,} numbers; the limit is {MAX_RANGE:,}")
    return numbers
