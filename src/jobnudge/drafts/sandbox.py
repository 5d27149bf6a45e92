"""The sandbox that renders a user's own draft templates: no way to Python, bounded work.

A template a user saves is code the server runs, so it is rendered by Jinja2's
``ImmutableSandboxedEnvironment`` (no private or internal attributes, no changing lists or
dicts) narrowed further:

- the names a draft provides and ``range`` are all it can use: no ``lipsum``, ``cycler``,
  ``joiner``, ``namespace``, ``dict``; a short list of text filters; a short list of methods on
  text, numbers, lists and dicts; no ``include``, ``import``, ``extends`` or recursive loops;
- a budget per render (``drafts.budget``): every loop turn, call, operator and filter costs
  a step; every piece of text made costs its length; no text may grow past ``MAX_TEXT``;
  calls nest at most ``MAX_DEPTH`` deep; and the whole render stops after ``MAX_SECONDS``
  whatever happens.
  Operations that could make a huge value in one go (``'a' * 10**9``, ``2 ** 10**9``,
  ``'{:>999999999}'.format(x)``, ``s.replace('', s)``) are checked before they run, so the
  limits hold before any memory is taken.

The package's own templates are trusted and keep the plain, faster environment.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.filters import make_attrgetter
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_environment
from jinja2.visitor import NodeTransformer

from jobnudge.drafts.budget import (
    MAX_DEPTH,
    MAX_SECONDS,
    MAX_TEXT,
    MAX_WORK,
    Refused,
    bounded_range,
    budgeted,
    check_format_spec,
    check_power,
    check_printf,
    check_times,
    current,
    joined_size,
    materialised,
    replaced_size,
    sized,
    too_long,
)

__all__ = ["MAX_SECONDS", "MAX_TEXT", "DraftSandbox", "Refused", "budgeted"]

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


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` with the budget applied and its arguments checked before it runs."""

    passed = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(func)  # keeps Jinja2's pass_context / pass_environment marker
    def run(*args: Any, **kwargs: Any) -> Any:
        budget = current()
        budget.step()
        values = args[passed:]  # after the context or environment Jinja2 passes first
        budget.check(*values, *kwargs.values())
        if name == "center":
            width = values[1] if len(values) > 1 else kwargs.get("width", 80)
            if isinstance(width, int) and width > MAX_TEXT:
                too_long(width)
        elif name == "batch":
            size = values[1] if len(values) > 1 else kwargs.get("linecount", 1)
            if isinstance(size, int) and size > MAX_TEXT:
                too_long(size)
        elif name == "round":
            precision = values[1] if len(values) > 1 else kwargs.get("precision", 0)
            if isinstance(precision, int) and abs(precision) > 100:
                raise Refused("rounding to more than 100 places")
        elif name == "format" and values and isinstance(values[0], str):
            check_printf(values[0])
        elif name == "replace" and len(values) >= 3:
            text, old, new = (str(v) for v in values[:3])
            count = values[3] if len(values) > 3 else kwargs.get("count")
            too_long(replaced_size(text, old, new, count))
        elif name == "join" and values:
            parts = materialised(values[0], budget)
            separator = str(values[1]) if len(values) > 1 else str(kwargs.get("d", ""))
            attribute = values[2] if len(values) > 2 else kwargs.get("attribute")
            shown = parts
            if attribute is not None:  # join(attribute=...) joins that attribute of each item
                getter = make_attrgetter(args[0].environment, attribute)
                shown = [getter(part) for part in parts]
            too_long(joined_size(shown, separator, budget))
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
        self.globals["range"] = bounded_range
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
            check_format_spec(template)
            budget = current()
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
        budget = current()
        budget.step()
        owner = getattr(__obj, "__self__", None)
        method = getattr(__obj, "__name__", "")
        budget.check(owner, *args, *kwargs.values())
        if isinstance(owner, str):
            if method in _PADDING and args and isinstance(args[0], int):
                too_long(args[0])
            elif method == "replace" and len(args) >= 2:
                count = args[2] if len(args) > 2 else kwargs.get("count", -1)
                too_long(replaced_size(owner, str(args[0]), str(args[1]), count))
            elif method == "join" and args:
                parts = materialised(args[0], budget)
                too_long(joined_size(parts, owner, budget))
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
        budget = current()
        budget.step()
        budget.check(left, right)
        if operator == "*":
            check_times(left, right)
        elif operator == "**":
            check_power(left, right)
        elif operator == "+" and sized(left) and sized(right):
            too_long(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            check_printf(left)
        return budget.made(super().call_binop(context, operator, left, right))

    def bounded_loop(self, items: Iterable[Any], literal: int) -> Iterator[Any]:
        """The items of a ``for`` loop, each turn paid for (with the loop's literal text)."""
        budget = current()
        for item in items:
            budget.step()
            budget.work -= literal
            if budget.work < 0:
                raise Refused(f"it makes more than {MAX_WORK:,} characters of text in all")
            yield item

    def bounded_concat(self, *parts: Any) -> str:
        """``a ~ b``: joined only when the result stays within ``MAX_TEXT``."""
        budget = current()
        budget.step()
        budget.check(*parts)
        texts = [str(p) for p in parts]
        too_long(sum(len(t) for t in texts))
        return str(budget.made("".join(texts)))


@pass_environment
def _finalize(environment: jinja2.Environment, value: Any) -> Any:
    """Every ``{{ ... }}`` output is paid for by its length (Undefined raises as usual)."""
    if isinstance(value, jinja2.Undefined):
        return value
    budget = current()
    budget.check(value)
    return budget.made(str(value))
