"""The sandbox that renders a user's own draft templates: no way to Python, bounded work.

A template a user saves is code the server runs, so it is rendered by Jinja2's
``ImmutableSandboxedEnvironment`` (no private or internal attributes, no changing lists or
dicts) narrowed further:

- the names a draft provides and ``range`` are all it can use: no ``lipsum``, ``cycler``,
  ``joiner``, ``namespace``, ``dict``; a short list of text filters; a short list of methods on
  text, numbers, lists and dicts; no ``include``, ``import``, ``extends`` or recursive loops;
- a budget per render: every loop turn, call, operator and filter costs a step; every piece
  of text made costs its length; no text may grow past ``MAX_TEXT``; calls nest at most
  ``MAX_DEPTH`` deep; and the whole render stops after ``MAX_SECONDS`` whatever happens.
  Operations that could make a huge value in one go (``'a' * 10**9``, ``2 ** 10**9``,
  ``'{:>999999999}'.format(x)``, ``s.replace('', s)``) are checked before they run, so the
  limits hold before any memory is taken.

The package's own templates are trusted and keep the plain, faster environment.
"""

from __future__ import annotations

import functools
import re
import string
import time
from collections.abc import Callable, ItemsView, Iterable, Iterator, KeysView, ValuesView
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_environment
from jinja2.visitor import NodeTransformer

MAX_TEXT = 20_000  # characters in any text a template makes (a list counts as printed)
MAX_WORK = 1_000_000  # characters made in one render, all pieces together
MAX_STEPS = 100_000  # loop turns, calls, operators and filters in one render
MAX_RANGE = 10_000  # numbers in one range()
MAX_DEPTH = 40  # calls (macros, blocks) nested in one another
MAX_BITS = 4_096  # size of a whole number
MAX_WIDTH = 1_000  # a padding width in a format string
MAX_SECONDS = 2.0  # wall time of one render, whatever it does

FILTERS = frozenset(
    {
        "abs",
        "batch",
        "capitalize",
        "center",
        "count",
        "d",
        "default",
        "dictsort",
        "first",
        "float",
        "format",
        "int",
        "items",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "map",
        "max",
        "min",
        "reject",
        "rejectattr",
        "replace",
        "reverse",
        "round",
        "select",
        "selectattr",
        "sort",
        "string",
        "title",
        "trim",
        "truncate",
        "unique",
        "upper",
        "wordcount",
    }
)
"""Filters for plain text. Left out: HTML ones (escape, safe, striptags, urlize, xmlattr,
tojson), ones that reveal objects (pprint, attr), ``random`` (drafts are reproducible) and
ones whose output size is hard to bound (indent, wordwrap, sum, groupby, slice)."""

_TEXT_METHODS = frozenset(
    {
        "capitalize",
        "casefold",
        "center",
        "count",
        "endswith",
        "find",
        "format",
        "format_map",
        "index",
        "isalnum",
        "isalpha",
        "isascii",
        "isdecimal",
        "isdigit",
        "islower",
        "isnumeric",
        "isspace",
        "istitle",
        "isupper",
        "join",
        "ljust",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rfind",
        "rindex",
        "rjust",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
        "zfill",
    }
)
_METHODS: dict[type, frozenset[str]] = {  # bool before int: the first match counts
    bool: frozenset(),
    str: _TEXT_METHODS,
    int: frozenset({"bit_length", "real", "imag", "numerator", "denominator"}),
    float: frozenset({"is_integer", "real", "imag"}),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
    dict: frozenset({"get", "items", "keys", "values"}),
}
"""What a template may reach on plain values; anything else (``to_bytes``, ``expandtabs``,
``translate``, ``encode``, ``fromkeys``...) is refused, since each can build a huge value."""

_PADDING = frozenset({"center", "ljust", "rjust", "zfill"})
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


class Refused(SecurityError):
    """A template broke a rule of the sandbox; the message says which, for a person."""


class _Budget:
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
            _too_long(self.weigh(value))

    def made(self, value: Any) -> Any:
        """``value``, counted against the budget."""
        if isinstance(value, int) and value.bit_length() > MAX_BITS:
            raise Refused(f"it makes a number over {MAX_BITS:,} bits long")
        size = self.weigh(value)
        _too_long(size)
        self.work -= size
        if self.work < 0:
            raise Refused(f"it makes more than {MAX_WORK:,} characters of text in all")
        return value


_BUDGET: ContextVar[_Budget | None] = ContextVar("draft_template_budget", default=None)


def _budget() -> _Budget:
    found = _BUDGET.get()
    if found is None:  # compile-time constant folding, or a render outside ``budgeted``
        raise Refused("a user's template renders only within a budget")
    return found


@contextmanager
def budgeted(seconds: float = MAX_SECONDS) -> Iterator[None]:
    """Renders inside this block share one fresh budget."""
    token = _BUDGET.set(_Budget(seconds))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _too_long(total: int) -> None:
    if total > MAX_TEXT:
        raise Refused(f"it would make a text or list longer than {MAX_TEXT:,} characters")


def _check_printf(template: str) -> None:
    """Refuse ``%`` formats with a ``*`` or a padding wider than ``MAX_WIDTH``."""
    for match in _PRINTF.finditer(template):
        for width in match.groups():
            if width == "*" or (width and int(width) > MAX_WIDTH):
                raise Refused(f"a format wider than {MAX_WIDTH:,} characters")


def _check_format_spec(template: str) -> None:
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


def _materialised(items: Any, budget: _Budget) -> list[Any]:
    """``items`` as a list, each one a step, never more than ``MAX_TEXT`` of them."""
    out: list[Any] = []
    for item in items:
        budget.step()
        out.append(item)
        _too_long(len(out))
    return out


def _replaced_size(text: str, old: str, new: str, count: Any) -> int:
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def _joined_size(parts: list[Any], separator: str, budget: _Budget) -> int:
    return sum(budget.weigh(p) for p in parts) + len(separator) * max(len(parts) - 1, 0)


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` with the budget applied and its arguments checked before it runs."""

    passed = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(func)  # keeps Jinja2's pass_context / pass_environment marker
    def run(*args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        budget.step()
        values = args[passed:]  # after the context or environment Jinja2 passes first
        budget.check(*values, *kwargs.values())
        if name == "center":
            width = values[1] if len(values) > 1 else kwargs.get("width", 80)
            if isinstance(width, int) and width > MAX_TEXT:
                _too_long(width)
        elif name == "batch":
            size = values[1] if len(values) > 1 else kwargs.get("linecount", 1)
            if isinstance(size, int) and size > MAX_TEXT:
                _too_long(size)
        elif name == "round":
            precision = values[1] if len(values) > 1 else kwargs.get("precision", 0)
            if isinstance(precision, int) and abs(precision) > 100:
                raise Refused("rounding to more than 100 places")
        elif name == "format" and values and isinstance(values[0], str):
            _check_printf(values[0])
        elif name == "replace" and len(values) >= 3:
            text, old, new = (str(v) for v in values[:3])
            count = values[3] if len(values) > 3 else kwargs.get("count")
            _too_long(_replaced_size(text, old, new, count))
        elif name == "join" and values:
            parts = _materialised(values[0], budget)
            separator = str(values[1]) if len(values) > 1 else str(kwargs.get("d", ""))
            attribute = values[2] if len(values) > 2 else kwargs.get("attribute")
            shown = parts
            if attribute is not None:  # join(attribute=...) joins that attribute of each item
                getter = make_attrgetter(args[0].environment, attribute)
                shown = [getter(part) for part in parts]
            _too_long(_joined_size(shown, separator, budget))
            args = tuple(parts if a is values[0] else a for a in args)
        result = func(*args, **kwargs)
        return budget.made(result)

    return run


class _Bounded(NodeTransformer):
    """Rewrites a parsed template so loops and ``~`` go through the budget."""

    def visit_For(self, node: nodes.For) -> nodes.Node:  # Jinja2's visitor names
        if node.recursive:
            raise Refused("recursive loops are not available in draft templates")
        literal = sum(len(d.data) for d in node.find_all(nodes.TemplateData))
        self.generic_visit(node)
        node.iter = nodes.Call(
            nodes.EnvironmentAttribute("bounded_loop"),
            [node.iter, nodes.Const(literal)],
            [],
            None,
            None,
            lineno=node.lineno,
        )
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Call(
            nodes.EnvironmentAttribute("bounded_concat"),
            list(node.nodes),
            [],
            None,
            None,
            lineno=node.lineno,
        )


_NOT_ALONE = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


def refuse_unavailable(tree: nodes.Template) -> None:
    """Raise Refused for tags a stand-alone draft template may not use."""
    for found in tree.find_all(_NOT_ALONE):
        tag = {
            nodes.Include: "include",
            nodes.Import: "import",
            nodes.FromImport: "from ... import",
            nodes.Extends: "extends",
        }[type(found)]
        raise Refused(
            f"line {found.lineno}: {{% {tag} %}} is not available; a draft template stands alone"
        )
    for loop in tree.find_all(nodes.For):
        if loop.recursive:
            raise Refused(
                f"line {loop.lineno}: recursive loops are not available in draft templates"
            )


class DraftSandbox(ImmutableSandboxedEnvironment):
    """The environment for users' templates: see the module's docstring."""

    intercepted_binops = frozenset({"+", "*", "**", "%", "//"})

    def __init__(self, **options: Any) -> None:
        super().__init__(
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # plain-text messages; HTML escaping would corrupt them
            finalize=_finalize,
            **options,
        )
        self.globals.clear()
        self.globals["range"] = _bounded_range
        self.filters = {name: _bounded_filter(name, self.filters[name]) for name in FILTERS}

    def compile(self, source: Any, name: Any = None, filename: Any = None, *args: Any) -> Any:
        """Compile, with a template that nests too deeply for the parser or for Python's
        compiler (``RecursionError``, "too many statically nested blocks") refused as a
        syntax error like any other, naming line 1, rather than crashing the caller."""
        try:
            return super().compile(source, name, filename, *args)
        except (RecursionError, SyntaxError, MemoryError):
            raise jinja2.TemplateSyntaxError(
                "it nests too deeply; use fewer nested blocks, loops or brackets",
                1,
                name,
                filename,
            ) from None

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        refuse_unavailable(tree)
        bounded = _Bounded().visit(tree)
        assert isinstance(bounded, nodes.Template)
        return bounded

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        for kind, allowed in _METHODS.items():
            if isinstance(obj, kind):
                if attr not in allowed:
                    return False
                break
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = str(value.__self__)

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_format_spec(template)
            budget = _budget()
            budget.check(*args, *kwargs.values())
            return str(budget.made(wrapped(*args, **kwargs)))

        return checked

    def call(
        __self,  # Jinja2's signature: these names never clash with keyword arguments
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        budget = _budget()
        budget.step()
        owner = getattr(__obj, "__self__", None)
        method = getattr(__obj, "__name__", "")
        budget.check(owner, *args, *kwargs.values())
        if isinstance(owner, str):
            if method in _PADDING and args and isinstance(args[0], int):
                _too_long(args[0])
            elif method == "replace" and len(args) >= 2:
                count = args[2] if len(args) > 2 else kwargs.get("count", -1)
                _too_long(_replaced_size(owner, str(args[0]), str(args[1]), count))
            elif method == "join" and args:
                parts = _materialised(args[0], budget)
                _too_long(_joined_size(parts, owner, budget))
                args = (parts, *args[1:])
        budget.depth += 1
        try:
            if budget.depth > MAX_DEPTH:
                raise Refused(f"calls nest more than {MAX_DEPTH} deep")
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        return budget.made(result)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = _budget()
        budget.step()
        budget.check(left, right)
        if operator == "*":
            _check_times(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "+" and _sized(left) and _sized(right):
            _too_long(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            _check_printf(left)
        return budget.made(super().call_binop(context, operator, left, right))

    def bounded_loop(self, items: Iterable[Any], literal: int) -> Iterator[Any]:
        """The items of a ``for`` loop, each turn paid for (with the loop's literal text)."""
        budget = _budget()
        for item in items:
            budget.step()
            budget.work -= literal
            if budget.work < 0:
                raise Refused(f"it makes more than {MAX_WORK:,} characters of text in all")
            yield item

    def bounded_concat(self, *parts: Any) -> str:
        """``a ~ b``: joined only when the result stays within ``MAX_TEXT``."""
        budget = _budget()
        budget.step()
        budget.check(*parts)
        texts = [str(p) for p in parts]
        _too_long(sum(len(t) for t in texts))
        return str(budget.made("".join(texts)))


def _sized(value: Any) -> bool:
    return isinstance(value, str | list | tuple)


def _check_times(left: Any, right: Any) -> None:
    for sequence, count in ((left, right), (right, left)):
        if _sized(sequence) and isinstance(count, int):
            _too_long(len(sequence) * max(count, 0))
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and left.bit_length() + right.bit_length() > MAX_BITS
    ):
        raise Refused(f"it makes a number over {MAX_BITS:,} bits long")


def _check_power(base: Any, exponent: Any) -> None:
    whole = isinstance(base, int) and isinstance(exponent, int) and exponent > 0
    if whole and abs(base) > 1 and max(base.bit_length() - 1, 1) * exponent > MAX_BITS:
        raise Refused(f"it makes a number over {MAX_BITS:,} bits long")
    if isinstance(exponent, int | float) and abs(exponent) > MAX_BITS:
        raise Refused(f"an exponent over {MAX_BITS:,}")


def _bounded_range(*args: Any) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise Refused(f"range() of {len(numbers):,} numbers; the limit is {MAX_RANGE:,}")
    return numbers


@pass_environment
def _finalize(environment: jinja2.Environment, value: Any) -> Any:
    """Every ``{{ ... }}`` output is paid for by its length (Undefined raises as usual)."""
    if isinstance(value, jinja2.Undefined):
        return value
    budget = _budget()
    budget.check(value)
    return budget.made(str(value))
