"""Template-injection payloads: what someone with an account could save as draft wording.

Each one, rendered unsandboxed, reaches Python objects (the process id shows as ``PID<<n>>``),
exhausts memory or runs for hours. Sandboxed, each must end within a second or two as a refused
template (or harmless text), never showing the process id.
"""

from __future__ import annotations

import re

LEAK = re.compile(r"PID<<\d+>>")

REACH_PYTHON = {
    "lipsum-globals": "PID<<{{ lipsum.__globals__['os'].getpid() }}>>",
    "lipsum-builtins": "PID<<{{ lipsum.__globals__.__builtins__.__import__('os').getpid() }}>>",
    "cycler-init": "PID<<{{ cycler.__init__.__globals__.os.getpid() }}>>",
    "joiner-init": "PID<<{{ joiner.__init__.__globals__.os.getpid() }}>>",
    "namespace-init": "PID<<{{ namespace.__init__.__globals__.os.getpid() }}>>",
    "mro-subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "attr-filter": "{{ ''|attr('__class__')|attr('__mro__') }}",
    "getitem-dunder": "{{ ''['__class__']['__mro__'] }}",
    "draft-function-globals": "PID<<{{ slot.__globals__['os'].getpid() }}>>",
    "draft-function-closure": "{{ variant.__closure__[0].cell_contents }}",
    "function-code": "{{ optional.__code__.co_consts }}",
    "self-reference": "{{ self._TemplateReference__context.environment }}",
    "self-init": "{{ self.__init__.__globals__ }}",
    "range-globals": "{{ range.__globals__ }}",
    "format-attribute": "PID<<{{ '{0.__globals__[os].getpid}'.format(slot) }}>>",
    "format-class": "{{ '{0.__class__.__mro__}'.format(me) }}",
    "format-map": "{{ '{x.__class__}'.format_map({'x': me}) }}",
    "printf-format": "{{ '%s'|format(slot.__globals__) }}",
    "list-append": "{{ [1].append(2) }}{{ {'a': 1}.update(b=2) }}",
    "config-request": "{{ config }}{{ request }}{{ environment }}",
    "include-file": "{% include '/etc/passwd' %}",
    "extends-file": "{% extends 'interview.thank-you/email.j2' %}",
    "import-macros": "{% import 'x.j2' as x %}{{ x }}",
    "loop-class": "{% for x in [1] %}{{ loop.__class__.__init__.__globals__ }}{% endfor %}",
}

EXHAUST = {
    "huge-range": "{% for i in range(10**9) %}{% endfor %}",
    "nested-loops": "{% for a in range(9999) %}{% for b in range(9999) %}{% endfor %}{% endfor %}",
    "loops-over-text": (
        "{% set s = 'x' * 19999 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}"
    ),
    "string-times": "{{ 'a' * 10**9 }}",
    "list-times": "{{ ([1] * 10**9)|length }}",
    "power": "{{ 9 ** (10 ** 9) }}",
    "repeated-squaring": "{{ (((99 ** 99) ** 99) ** 99) }}",
    "format-width": "{{ '{:>999999999}'.format('a') }}",
    "format-nested-width": "{{ '{:>{}}'.format('a', 999999999) }}",
    "printf-width": "{{ '%999999999s' % 'a' }}",
    "printf-star": "{{ '%*s'|format(999999999, 'a') }}",
    "center-filter": "{{ 'a'|center(999999999) }}",
    "ljust-method": "{{ me.ljust(999999999) }}",
    "zfill-method": "{{ '1'.zfill(10**9) }}",
    "replace-empty": "{{ ('x' * 19999).replace('', 'y' * 19999) }}",
    "replace-filter": "{{ ('x' * 19999)|replace('', 'y' * 19999) }}",
    "join-method": "{{ ('y' * 19999).join(range(9999)|map('string')) }}",
    "join-filter": "{{ range(9999)|join('y' * 19999) }}",
    "concat-doubling": (
        "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
        "{% endmacro %}{{ f('a', 60) }}"
    ),
    "plus-doubling": (
        "{% macro f(s, n) %}{% if n %}{{ f(s + s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
        "{% endmacro %}{{ f('a', 60) }}"
    ),
    "macro-recursion": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "macro-fork": "{% macro f() %}{{ f() }}{{ f() }}{% endmacro %}{{ f() }}",
    "block-recursion": "{% block a %}{{ self.a() }}{% endblock %}",
    "recursive-loop": "{% for x in [[1]] recursive %}{{ loop([x, x]) }}{% endfor %}",
    "literal-in-loops": "{% for i in range(9999) %}" + "x" * 4000 + "{% endfor %}",
    "macro-buffer": (
        "{% macro f() %}{% for i in range(9999) %}{{ me }}" + "x" * 900 + "{% endfor %}"
        "{% endmacro %}{{ f()|length }}"
    ),
    "map-center": "{{ range(9999)|map('center', 19999)|list|length }}",
    "to-bytes": "{{ (1).to_bytes(10**9, 'big') }}",
    "expandtabs": "{{ ('\\t' * 9999).expandtabs(9999) }}",
    "round-digits": "{{ 5|round(-10**9) }}",
    "huge-int-text": "{{ (10 ** 4000)|string|length }}",
    "lipsum-words": "{{ lipsum(10**6) }}",
    "division-by-zero": "{{ 1 / 0 }}",
    "type-error": "{{ me + 1 }}",
}

PAYLOADS = {**REACH_PYTHON, **EXHAUST}

NESTING = {
    "nested-blocks": "{% for a in [1] %}" * 21 + "x" + "{% endfor %}" * 21,
    "nested-brackets": "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
    "nested-ifs": "{% if 1 %}" * 300 + "x" + "{% endif %}" * 300,
}
"""Templates that break the parser or Python's compiler before any render budget applies."""

PAYLOADS.update(NESTING)
