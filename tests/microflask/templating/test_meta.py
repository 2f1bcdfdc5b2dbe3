"""meta: find_undeclared_variables and find_referenced_templates, as Jinja2 answers them."""

from __future__ import annotations

import pytest

from microflask.templating import Environment, meta

try:
    import jinja2
    import jinja2.meta
except ImportError:  # pragma: no cover - jinja2 is in the test extra
    jinja2 = None  # type: ignore[assignment]

EXTENSIONS = ["jinja2.ext.i18n", "jinja2.ext.do"]

#: (template, the names Jinja2 3.1 reports)
UNDECLARED = [
    ("{% set foo = 42 %}{{ bar + foo }}", {"bar"}),
    ("{{ foo }}{% set foo = 42 %}", {"foo"}),
    ("{% if x %}{% set y = 1 %}{% endif %}{{ y }}", {"x", "y"}),
    ("{% if x %}{% set y = 1 %}{% else %}{% set y = 2 %}{% endif %}{{ y }}", {"x", "y"}),
    ("{% if x %}{% set y = 1 %}{{ y }}{% endif %}", {"x", "y"}),
    ("{% for a in b %}{{ a }}{{ loop.index }}{{ c }}{% else %}{{ a }}{% endfor %}{{ a }}", {"a", "b", "c"}),
    ("{% set x = 1 %}{% block b %}{{ x }}{{ self }}{{ super() }}{% endblock %}", {"x"}),
    ("{% macro m(a, b=c) %}{{ a }}{{ d }}{{ caller() }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1) }}", {"c", "d"}),
    ("{% macro m() %}{{ x }}{% endmacro %}{% set x = 1 %}", set()),
    ("{% call(u) m(v) %}{{ u }}{{ w }}{% endcall %}", {"m", "v", "w"}),
    ("{% with a = b %}{{ a }}{{ c }}{% endwith %}{{ a }}", {"a", "b", "c"}),
    ('{% import "x" as y %}{{ y.z }}{% from "q" import r %}{{ r }}{{ range(3) }}', set()),
    ("{% set ns = namespace() %}{% set ns.a = 1 %}{% set other.b = 2 %}", {"other"}),
    ("{% filter upper %}{{ f }}{% endfilter %}{% set s %}{{ g }}{% endset %}{{ s }}", {"f", "g"}),
    ("{% set x %}{{ x }}{% endset %}", set()),
    ("{{ x|default(y) }}{% if z is defined %}{% endif %}", {"x", "y", "z"}),
    ("{% for a in b recursive %}{{ loop(a.c) }}{% endfor %}", {"b"}),
    ('{% trans %}{{ user }}{% endtrans %}{{ _("x") }}', {"gettext", "user"}),
    ("{% for a in b if a > k %}{% endfor %}", {"b", "k"}),
    ("{% set a, b = c %}{{ a }}{{ b }}", {"c"}),
    ("{% do l.append(1) %}", {"l"}),
    ("{{ loop }}{{ caller }}{{ self }}{{ varargs }}", {"caller", "loop", "varargs"}),
    ("{% set x = x + 1 %}", {"x"}),
    ("{% for x in x %}{% endfor %}", {"x"}),
    ("{% include i %}{% extends e %}", {"e", "i"}),
    ("{% for i in a %}{% set t = i %}{% endfor %}{{ t }}", {"a", "t"}),
    ("{% for i in a %}{{ t }}{% set t = i %}{% endfor %}", {"a", "t"}),
    ("{% for i in a %}{{ t }}{% endfor %}{% set t = 1 %}", {"a"}),
    ("{% autoescape x %}{{ y }}{% set z = 1 %}{% endautoescape %}{{ z }}", {"x", "y", "z"}),
    ("{% with %}{% set a = 1 %}{% endwith %}{{ a }}", {"a"}),
    ("{% for i in x %}{% for j in i %}{{ i }}{{ j }}{{ loop }}{% endfor %}{% endfor %}", {"x"}),
    ("{% block a %}{% for i in x %}{{ i }}{% endfor %}{% set q = 1 %}{{ q }}{% endblock %}", {"x"}),
    ("{{ self.a() }}{{ super }}", {"super"}),
]


@pytest.mark.parametrize(("source", "expected"), UNDECLARED)
def test_find_undeclared_variables(source: str, expected: set[str]) -> None:
    env = Environment(extensions=EXTENSIONS)
    assert meta.find_undeclared_variables(env.parse(source)) == expected


@pytest.mark.skipif(jinja2 is None, reason="needs jinja2 as a reference")
@pytest.mark.parametrize(("source", "expected"), UNDECLARED)
def test_find_undeclared_variables_matches_jinja2(source: str, expected: set[str]) -> None:
    theirs = jinja2.meta.find_undeclared_variables(jinja2.Environment(extensions=EXTENSIONS).parse(source))
    assert theirs == expected


def test_globals_are_not_undeclared_but_only_for_parsed_trees() -> None:
    env = Environment()
    env.globals["site"] = "x"
    assert meta.find_undeclared_variables(env.parse("{{ site }}{{ other }}")) == {"other"}


REFERENCED = [
    ('{% extends "a" %}', ["a"]),
    ('{% include ["b", "c"] %}{% include ("t",) %}', ["b", "c", "t"]),
    ('{% import x as y %}{% from "f" import g %}', [None, "f"]),
    ('{% include "d" ~ x %}{% include ["e", z] %}{% include none %}', [None, "e", None, None]),
    ('{% block b %}{% include "in_block" %}{% endblock %}{% if x %}{% import "in_if" as m %}{% endif %}', ["in_block", "in_if"]),
    ("no references", []),
]


@pytest.mark.parametrize(("source", "expected"), REFERENCED)
def test_find_referenced_templates(source: str, expected: list[str | None]) -> None:
    assert list(meta.find_referenced_templates(Environment().parse(source))) == expected
    if jinja2 is not None:
        assert list(jinja2.meta.find_referenced_templates(jinja2.Environment().parse(source))) == expected
