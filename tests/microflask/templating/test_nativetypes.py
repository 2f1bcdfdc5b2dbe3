"""NativeEnvironment: templates rendering to Python values (compared with Jinja2)."""

from __future__ import annotations

import typing as t

import pytest

from microflask.templating import DictLoader, Undefined
from microflask.templating.nativetypes import NativeEnvironment, NativeTemplate, native_concat

CASES: list[tuple[str, dict[str, t.Any], t.Any]] = [
    ("{{ x + y }}", {"x": 1, "y": 5}, 6),
    ("{{ x }}", {"x": [1, 2]}, [1, 2]),
    ("{{ x }}{{ y }}", {"x": 1, "y": 5}, 15),
    ("{{ x }} {{ y }}", {"x": 1, "y": 5}, "1 5"),
    ("{{ x }}", {"x": "[1, 2]"}, [1, 2]),
    ("{{ x }}", {"x": "  1"}, "  1"),
    ("{{ x }}", {"x": "1 "}, 1),
    ("{{ x }}", {"x": "\n1"}, 1),
    ("{{ x }}", {"x": "\t1"}, "\t1"),
    ("{{ x }}", {"x": "abc"}, "abc"),
    ("{{ x }}", {"x": "'abc'"}, "abc"),
    ("{{ x }}", {"x": "True"}, True),
    ("{{ x }}", {"x": "None"}, None),
    ("", {}, None),
    ("{{ x }}", {"x": None}, None),
    ("{{ x }}", {"x": ""}, ""),
    ("a{{ x }}", {"x": 1}, "a1"),
    ("{{ 1 }}", {}, 1),
    ("{{ '1' }}", {}, 1),
    ("{{ 1 }}{{ 2 }}", {}, 12),
    ("[1, 2]", {}, [1, 2]),
    ("{% if true %}{{ 3 }}{% endif %}", {}, 3),
    ("{% for i in x %}{{ i }}{% endfor %}", {"x": [1]}, 1),
    ("{% for i in x %}{{ i }}{% endfor %}", {"x": [1, 2]}, 12),
    ("{{ x|join(',') }}", {"x": [1, 2]}, (1, 2)),
    ("{{ x }}", {"x": "1e3"}, 1000.0),
    ("{{ x }}", {"x": "0x10"}, 16),
    ("{{ x }}", {"x": "{'a': 1}"}, {"a": 1}),
    ("{{ x }}", {"x": "(1,)"}, (1,)),
    ("{{ x }}", {"x": "1 + 2"}, "1 + 2"),
    ("{{ x }}", {"x": "b'a'"}, b"a"),
    ("{{ x }}", {"x": b"1"}, b"1"),
    ("{{ x }}", {"x": "1;2"}, "1;2"),
    ("{{ x }}", {"x": "{1,2}"}, {1, 2}),
    ("{{ x }}", {"x": "1 # c"}, 1),
    ("{{ x }}", {"x": "<a>"}, "<a>"),
    ("{% set a = 5 %}{{ a }}", {}, 5),
    ("{% block b %}{{ 4 }}{% endblock %}", {}, 4),
    ("{% macro m() %}{{ [1] }}{% endmacro %}{{ m()|list }}", {}, [1]),
    ("{% set v %}{{ [1] }}{% endset %}{{ v|list }}", {}, [1]),
    ("{% filter list %}{{ [1] }}{% endfilter %}", {}, [1]),
    ("{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}{{ 7 }}{% endcall %}", {}, 7),
    ("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(x) }}", {"x": [3]}, [3]),
    ("{% for i in x recursive %}{{ i }}{% endfor %}", {"x": [3]}, 3),
]


@pytest.mark.parametrize(("source", "context", "expected"), CASES)
def test_native_render(source: str, context: dict[str, t.Any], expected: t.Any) -> None:
    rv = NativeEnvironment().from_string(source).render(**context)
    assert rv == expected and type(rv) is type(expected)


@pytest.mark.parametrize(("source", "context", "expected"), CASES)
def test_native_render_matches_jinja2(source: str, context: dict[str, t.Any], expected: t.Any) -> None:
    nativetypes = pytest.importorskip("jinja2.nativetypes")
    rv = nativetypes.NativeEnvironment().from_string(source).render(**context)
    assert rv == expected and type(rv) is type(expected)


def test_native_autoescape_and_finalize() -> None:
    assert NativeEnvironment(autoescape=True).from_string("{{ x }}").render(x="<a>") == "<a>"
    env = NativeEnvironment(finalize=lambda v: v * 2)
    assert env.from_string("{{ x }}").render(x=3) == 6
    assert env.from_string("{{ x }}a").render(x=3) == "6a"


def test_native_template_class_and_generate() -> None:
    env = NativeEnvironment(loader=DictLoader({"t": "{{ x }}{{ y }}"}))
    template = env.get_template("t")
    assert type(template) is NativeTemplate and env.concat is native_concat
    assert list(template.generate(x=1, y=2)) == [1, 2]
    assert template.render(x=1, y=2) == 12
    assert isinstance(env.from_string("{{ x }}").render(), Undefined)


@pytest.mark.parametrize(
    ("values", "expected"),
    [(iter([]), None), (["1", "2"], 12), ([1], 1), ((v for v in ["1", " + 2"]), "1 + 2")],
)
def test_native_concat(values: t.Any, expected: t.Any) -> None:
    assert native_concat(values) == expected


def test_native_concat_deep_nesting_is_text() -> None:
    text = "[" * 100_000 + "]" * 100_000
    assert native_concat(["", text]) == text


def test_normal_environment_unchanged() -> None:
    from microflask.templating import Environment

    assert Environment().from_string("{{ x + y }}").render(x=1, y=5) == "6"


@pytest.mark.parametrize(("source", "context", "expected"), CASES[:12])
def test_native_async(source: str, context: dict[str, t.Any], expected: t.Any) -> None:
    import asyncio

    template = NativeEnvironment(enable_async=True).from_string(source)
    rv = asyncio.run(template.render_async(**context))
    assert rv == expected and type(rv) is type(expected)
    assert template.render(**context) == expected
    nativetypes = pytest.importorskip("jinja2.nativetypes")
    theirs = nativetypes.NativeEnvironment(enable_async=True).from_string(source)
    assert asyncio.run(theirs.render_async(**context)) == expected
