"""Behaviour that used to differ from Jinja2 (issue 13's "known wrong" list); each case
has its expected output written out and, when Jinja2 is installed, is checked against it."""

from __future__ import annotations

import typing as t

import pytest

from microflask import templating

try:
    import jinja2
except ImportError:  # pragma: no cover - jinja2 is in the test extra
    jinja2 = None  # type: ignore[assignment]


def _run(module: t.Any, source: str, options: dict[str, t.Any], context: dict[str, t.Any]) -> str:
    try:
        return module.Environment(**options).from_string(source).render(context)  # type: ignore[no-any-return]
    except Exception as exc:  # the error is part of the behaviour compared
        return f"{type(exc).__name__}: {exc}"


def _check(source: str, options: dict[str, t.Any], context: dict[str, t.Any], expected: str) -> None:
    assert _run(templating, source, options, context) == expected
    if jinja2 is not None:
        assert _run(jinja2, source, options, context) == expected


WS = {"trim_blocks": True, "lstrip_blocks": True}

WHITESPACE = [
    ("  {% if a %}\n    x\n  {% endif %}\n  {% if b %}\n  y\n  {% endif %}\n", WS, "    x\n  y\n"),
    ("<div>\n    {% if a %}\n    {% if b %}\n        x\n    {% endif %}\n    {% endif %}\n</div>", WS, "<div>\n        x\n</div>"),
    ("\t{% for i in [1, 2] %}\n\t{{ i }}\n\t{% endfor %}\n", WS, "\t1\n\t2\n"),
    ("  {% raw %}\n  {{ x }}\n  {% endraw %}\nz", WS, "\n  {{ x }}\nz"),
    ("  {% raw %}\n  {{ x }}\n  {%+ endraw %}\nz", WS, "\n  {{ x }}\n  z"),
    ("  # if a\n  x\n  # endif\n  # if b\n  y\n  # endif\n", {**WS, "line_statement_prefix": "#"}, "  x\n  y\n"),
    ("{% if a %}\n  {# c #}\n  {% if b %}x{% endif %}\n{% endif %}", WS, "x"),
    ("%% if a\n   \n  x\n%% endif", {"line_statement_prefix": "%%"}, "  x\n"),
    ("%% set v = 1\n\n\nx", {"line_statement_prefix": "%%"}, "x"),
    ("  \n  %% set v = 1\n  ", {"line_statement_prefix": "%%", "lstrip_blocks": True}, "  \n"),
    ("{% if a -%}\n  %% set v = 1\n{% endif %}", {"line_statement_prefix": "%%"}, "%% set v = 1\n"),
]


@pytest.mark.parametrize(("source", "options", "expected"), WHITESPACE)
def test_lstrip_and_trim_blocks(source: str, options: dict[str, t.Any], expected: str) -> None:
    _check(source, options, {"a": 1, "b": 1}, expected)


UNKNOWN_NAMED = [
    ("{% if x is defined %}{{ x|nope }}{% else %}x{% endif %}", {}, "x"),
    ("{% if x is defined %}{{ x is nope }}{% else %}x{% endif %}", {}, "x"),
    ("{% if false %}{{ x|nope }}{% endif %}ok", {}, "ok"),
    ("{% if a %}{% elif b %}{{ 1|nope }}{% endif %}z", {}, "z"),
    ("{% if a %}{% set v = 1|nope %}{% endif %}z", {}, "z"),
    ("{{ x|nope if x else 'y' }}", {}, "y"),
    ("{% if x is defined %}{{ x|nope }}{% endif %}", {"x": 1}, "TemplateRuntimeError: No filter named 'nope' found."),
    ("{% if 1|nope %}{% endif %}", {}, "TemplateRuntimeError: No filter named 'nope' found."),
    ("{{ 1|nope }}", {}, "TemplateAssertionError: No filter named 'nope'."),
    ("{% if a %}{% for i in x %}{{ i|nope }}{% endfor %}{% endif %}z", {}, "TemplateAssertionError: No filter named 'nope'."),
    ("{% if a %}{% macro m() %}{{ 1|nope }}{% endmacro %}{% endif %}z", {}, "TemplateAssertionError: No filter named 'nope'."),
    ("{% if a %}{% filter nope %}{% endfilter %}{% endif %}z", {}, "TemplateAssertionError: No filter named 'nope'."),
    ("{% if a %}{% call m() %}{{ 1|nope }}{% endcall %}{% endif %}z", {}, "TemplateAssertionError: No filter named 'nope'."),
]


@pytest.mark.parametrize(("source", "context", "expected"), UNKNOWN_NAMED)
def test_unknown_filter_or_test_fails_only_when_it_runs(source: str, context: dict[str, t.Any], expected: str) -> None:
    _check(source, {}, context, expected)


SYNTAX = [
    ("{% for loop in seq %}{{ loop }}{% endfor %}", {"seq": [1]}, "TemplateAssertionError: Can't assign to special loop variable in for-loop target"),
    ("{% for a, loop in seq %}{% endfor %}", {"seq": []}, "TemplateAssertionError: Can't assign to special loop variable in for-loop target"),
    ("{{ f(*a, *b) }}", {"f": dict, "a": [], "b": []}, "TemplateSyntaxError: invalid syntax for function call expression"),
    ("{{ f(**a, **b) }}", {"f": dict, "a": {}, "b": {}}, "TemplateSyntaxError: invalid syntax for function call expression"),
    ("{{ f(**a, x=1) }}", {"f": dict, "a": {}}, "TemplateSyntaxError: invalid syntax for function call expression"),
    ("{{ f(*a, x=1, **b) }}", {"f": dict, "a": [], "b": {"y": 2}}, "{'x': 1, 'y': 2}"),
    ("{% set ns = namespace() %}{% set ns.a, ns.b = 1, 2 %}{{ ns.a }}{{ ns.b }}", {}, "12"),
    ("{% set ns = namespace() %}{% set ns.a, x = 1, 2 %}{{ ns.a }}{{ x }}", {}, "12"),
    ("{% set ns = namespace(a=0) %}{% for i in [1, 2] %}{% set ns.a, x = ns.a + i, i %}{% endfor %}{{ ns.a }}", {}, "3"),
    ("{% set ns.a, ns.b = 1, 2 %}", {}, "TemplateRuntimeError: cannot assign attribute on non-namespace object"),
    (
        "{% macro x(caller=none) %}[{{ caller() if caller else 'none' }}]{% endmacro %}{% call x() %}body{% endcall %}{{ x() }}",
        {},
        "[body][none]",
    ),
    ("{% macro x(a, caller=none) %}{{ a }}{{ caller and caller() }}{% endmacro %}{% call x(1) %}b{% endcall %}{{ x(2) }}{{ x(3, caller=f) }}", {"f": lambda: "F"}, "1b2None3F"),
    ("{% set x = 42 %}{% macro m(a, b=x, x=23) %}{{ a }}|{{ b }}|{{ x }}{% endmacro %}{{ m(1) }}/{{ m(1, x=7) }}", {}, "1||23/1|7|7"),
    ("{% set b = 5 %}{% macro m(b=b) %}[{{ b }}]{% endmacro %}{{ m() }}", {}, "[]"),
    ("{% macro m(a, b=a~c, c=1) %}{{ b }}{% endmacro %}{{ m(1) }}/{{ m(1, c=2) }}", {}, "1/12"),
    ("{% set x = 42 %}{% macro m(b=x) %}{{ b }}{% endmacro %}{{ m() }}", {}, "42"),
    ("{% for i in [1, 2] %}{% block b scoped %}{{ loop.index }}{{ i }}{% endblock %}{% endfor %}", {}, "1122"),
    (
        "{% macro x(caller) %}[{{ caller() }}]{% endmacro %}",
        {},
        'TemplateAssertionError: When defining macros or call blocks the special "caller" argument must be omitted or be given a default.',
    ),
]


@pytest.mark.parametrize(("source", "context", "expected"), SYNTAX)
def test_syntax_cases(source: str, context: dict[str, t.Any], expected: str) -> None:
    _check(source, {}, context, expected)


UNICODE = [
    ("{% set \u00e4 = 1 %}{{ \u00e4 }}", "1"),
    ("{{ e\u0301 }}", "E"),
    ("{% set x\u00b7y = 2 %}{{ x\u00b7y }}", "2"),
    ("{{ \u2118 }}", "W"),
    ("{{ x\u0663 }}", ""),
    ("{% set \ufb01 = 1 %}{{ fi }}", "1"),
    ("{% macro m\u00e4(\u00f6) %}{{ \u00f6 }}{% endmacro %}{{ m\u00e4(3) }}", "3"),
    ("{{ a\u200db }}", "TemplateSyntaxError: unexpected char '\\u200d' at 4"),
]


@pytest.mark.parametrize(("source", "expected"), UNICODE)
def test_unicode_identifiers(source: str, expected: str) -> None:
    _check(source, {}, {"e\u0301": "E", "\u2118": "W"}, expected)


def test_long_unicode_name_lexes_in_linear_time() -> None:
    name = "x" + "\u00b7a" * 20000
    assert templating.Environment().from_string("{{ " + name + " }}").render({name: "ok"}) == "ok"
