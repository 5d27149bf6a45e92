"""Users' draft templates run in a sandbox: no way to Python objects, and bounded work.

Each payload (tests/drafts/payloads.py) is saved as a user's template and rendered; it must be
refused with a sentence naming the file and line, quickly, without the process id anywhere.
Generated templates (hypothesis) combine the operations that grow values and loops, to catch
the next way of making a huge value or a long render.
"""

from __future__ import annotations

import os
import shutil
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge.domain import Channel
from jobnudge.drafts import MESSAGE_CHANNELS, TemplateProblem, draft, template_name
from jobnudge.drafts.render import PACKAGE_TEMPLATES, try_template
from jobnudge.drafts.sandbox import MAX_TEXT

from . import records as r
from .payloads import LEAK, PAYLOADS

ALL = [(rule, channel) for rule, chans in MESSAGE_CHANNELS.items() for channel in chans]
SECONDS = 3.0  # far above the sandbox's own limit, far below a hang


def _own(
    folder: Path, text: str, rule: str = "interview.thank-you", channel: str = "email"
) -> Path:
    path = folder / rule / f"{channel}.j2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _render(folder: Path) -> tuple[str, float]:
    """The draft's text, or the refusal's message, and how long it took."""
    started = time.perf_counter()
    try:
        result = draft(r.context("interview.thank-you"), Channel.EMAIL, user_templates=folder).text
    except TemplateProblem as exc:
        result = exc.message
    return result, time.perf_counter() - started


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payloads_are_refused_quickly_and_reach_nothing(name: str, tmp_path: Path) -> None:
    _own(tmp_path, "Subject: Thanks\n\n" + PAYLOADS[name] + "\n")
    result, took = _render(tmp_path)
    assert took < SECONDS, f"{name} took {took:.1f} s"
    assert not LEAK.search(result) and f"<<{os.getpid()}>>" not in result
    assert "<module 'os'" not in result and "Traceback" not in result
    assert "Your template interview.thank-you/email.j2" in result, result  # naming the file
    assert str(tmp_path) not in result, result  # by its name, never a path on the machine
    # ...and the line (a message too long as a whole has none)
    assert "line 3" in result or "line 1" in result or "message longer" in result, result


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payloads_are_refused_when_saved(name: str) -> None:
    started = time.perf_counter()
    with pytest.raises(TemplateProblem) as caught:
        try_template("interview.thank-you", Channel.EMAIL, "Subject: x\n\n" + PAYLOADS[name])
    assert time.perf_counter() - started < SECONDS
    assert caught.value.message.startswith("line ")
    assert not LEAK.search(caught.value.message)


def test_a_refusal_says_what_to_change(tmp_path: Path) -> None:
    _own(tmp_path, "Subject: Hi\n\n{{ greeting }}\n{{ 'a' * 10**9 }}\n")
    result, _ = _render(tmp_path)
    assert "line 4 is refused" in result
    assert "longer than 20,000" in result or "the limit is 20,000" in result
    assert "delete the file to use the default wording" in result
    _own(
        tmp_path,
        "Subject: Hi\n\n{% for i in range(9999) %}{% for j in range(99) %}\n"
        "{% endfor %}{% endfor %}",
    )
    assert "more than 100,000 steps" in _render(tmp_path)[0]


@pytest.mark.parametrize(("rule", "channel"), ALL, ids=lambda v: str(v))
def test_the_packaged_wording_reads_the_same_in_the_sandbox(
    rule: str, channel: Channel, tmp_path: Path
) -> None:
    """A user who copies a default template and edits one word gets exactly that draft."""
    name = template_name(rule, channel)
    (tmp_path / name).parent.mkdir(parents=True)
    shutil.copy(PACKAGE_TEMPLATES / name, tmp_path / name)
    for offset in range(3):  # several wording variants
        ctx = replace(r.context(rule), variant_offset=offset)
        trusted = draft(ctx, channel)
        sandboxed = draft(ctx, channel, user_templates=tmp_path)
        assert sandboxed.text == trusted.text
        assert sandboxed.template == str(tmp_path / name)


def test_ordinary_template_features_still_work(tmp_path: Path) -> None:
    _own(
        tmp_path,
        "Subject: {{ role|title }} at {{ company }}\n\n{{ greeting }}\n\n"
        "{% set people = [to_name, 'Sam'] %}{% for p in people|sort %}{{ loop.index }}. {{ p }}"
        "{{ ', ' if not loop.last }}{% endfor %}\n"
        "{{ '{} and {}'.format(me, company) }} {{ '%s!'|format(role) }} {{ me ~ '.' }}\n"
        "{% macro sign(n) %}{{ n|upper }}{% endmacro %}{{ sign(my_first) }} "
        "{{ range(3)|join('-') }} {{ topics|replace('churn', 'retention') }}\n",
    )
    body = draft(r.context("interview.thank-you"), Channel.EMAIL, user_templates=tmp_path).body
    assert "1. Dana Lee, 2. Sam" in body
    assert "Alex Kim and Acme Robotics Data Analyst!" in body
    assert "ALEX 0-1-2" in body


# Generated templates: values that grow (text, lists, numbers) fed through loops, operators,
# filters and methods, nested. Whatever comes out, the render ends quickly, within the memory
# a message needs, and its output (or refusal) stays small.

_TEXT = st.sampled_from(
    ["me", "'ab'", "topics", "('x' * 999)", "('y' * 19999)", "(range(99)|join(','))"]
)
_WIDTH = st.sampled_from(["9", "999", "99999", "999999999"])
_NUMBER = st.sampled_from(["2", "7", "99", "9999", "10 ** 6", "10 ** 9", "-5", "0", "(99 ** 99)"])


def _grow_number(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pairs = st.tuples(inner, inner)
    return st.one_of(
        pairs.map(lambda p: f"({p[0]} * {p[1]})"),
        pairs.map(lambda p: f"({p[0]} ** {p[1]})"),
        pairs.map(lambda p: f"({p[0]} + {p[1]})"),
    )


_NUMBERS = st.recursive(_NUMBER, _grow_number, max_leaves=3)


GROWING = [
    "({a} ~ {b})",
    "({a} + {b})",
    "({a} * {n})",
    "([{a}] * {n})",
    "{a}.center({n})",
    "{a}.ljust({n})",
    "{a}.zfill({n})",
    "({a}|center({n}))",
    "{a}.replace('', {b})",
    "{a}.replace('y', {b})",
    "({a}|replace('', {b}))",
    "{a}.join({b}|list)",
    "({a}|list|join({b}))",
    "([{{'k': {a}}}] * 999)|join(attribute='k')",
    "[[{a}] * 999]|join",
    "('{{:>{w}}}'.format({a}))",
    "('{{:>{w}}}'.format({n}))",
    "('%{w}s' % {a})",
    "('%*s'|format({n}, {a}))",
    "({a}|list|batch({n}, {a})|map('join')|join)",
    "(me|batch({n}, 'z')|list)",
    "({a}|list|sort|unique|join|upper)",
    "({a}.split() * {n})|join",
    "({n} ** {n})|string",
    "({n} * {n})|string",
]
"""Every operation that can make a value bigger than its inputs, with text {a} and {b}, a
number {n} and a format width {w}."""


def _grow_text(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda op, a, b, n, w: op.format(a=a, b=b, n=n, w=w),
        st.sampled_from(GROWING),
        inner,
        inner,
        _NUMBERS,
        _WIDTH,
    )


_EXPRESSIONS = st.recursive(_TEXT, _grow_text, max_leaves=5)


def _body(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    loops = st.one_of(_EXPRESSIONS, _NUMBERS.map(lambda n: f"range({n})"))
    return st.one_of(
        st.tuples(loops, inner).map(lambda p: f"{{% for v in {p[0]} %}}{p[1]}{{% endfor %}}"),
        st.tuples(inner, _EXPRESSIONS).map(
            lambda p: (
                f"{{% macro m(v) %}}{p[0]}{{{{ m(v ~ v) }}}}{{% endmacro %}}{{{{ m({p[1]}) }}}}"
            )
        ),
        st.tuples(inner, inner).map(lambda p: p[0] + p[1]),
        st.tuples(inner, st.integers(0, 5000)).map(lambda p: p[0] + "x" * p[1]),
    )


_TEMPLATES = st.recursive(_EXPRESSIONS.map(lambda e: f"{{{{ {e} }}}}"), _body, max_leaves=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEMPLATES)
def test_generated_templates_end_quickly_in_little_memory(body: str) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        try:
            try_template("interview.thank-you", Channel.EMAIL, "Subject: x\n\n" + body)
        except TemplateProblem as exc:
            assert not LEAK.search(exc.message)
            # Refused before the memory was taken, not by running out of it.
            assert not isinstance(exc.__cause__, MemoryError | RecursionError), exc.message
        took = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert took < SECONDS * 2, f"{took:.1f} s for {body!r}"  # tracemalloc slows rendering
    assert peak < 8 * 2**20, f"{peak / 2**20:.0f} MB for {body!r}"


@pytest.mark.parametrize("operation", GROWING)
def test_each_growing_operation_is_checked_before_it_runs(operation: str) -> None:
    """The largest inputs a template can make, through each operation: refused before the
    memory is taken (an unchecked one takes hundreds of megabytes, or fails for lack of it)."""
    big = operation.format(a="('y' * 19999)", b="('y' * 19999)", n="(2 ** 4000)", w="999999999")
    tracemalloc.start()
    try:
        with pytest.raises(TemplateProblem) as caught:
            try_template("interview.thank-you", Channel.EMAIL, f"Subject: x\n\n{{{{ {big} }}}}")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "is refused" in caught.value.message, caught.value.message
    assert peak < 8 * 2**20, f"{peak / 2**20:.0f} MB for {big}"


def test_output_is_limited(tmp_path: Path) -> None:
    _own(tmp_path, "Subject: x\n\n" + "{% for i in range(99) %}{{ 'y' * 999 }}{% endfor %}")
    result, _ = _render(tmp_path)
    assert f"longer than {MAX_TEXT:,} characters" in result
