"""Async rendering (``Environment(enable_async=True)``), compared with Jinja2."""

from __future__ import annotations

import asyncio
import typing as t

import pytest

from microflask.templating import DictLoader, Environment
from microflask.templating.async_utils import auto_aiter, auto_await, auto_to_list
from microflask.templating.runtime import Macro

TEMPLATES = {
    "m": "{% macro hi(n) %}hi {{ n }}{% endmacro %}{% set v = 3 %}",
    "b": "<{% block x %}B{% endblock %}>",
    "c": "{% extends 'b' %}{% block x %}C{{ super() }}{% endblock %}",
    "i": "[{{ n }}]",
    "ctx": "{% import 'm' as m with context %}{{ m.hi(n) }}",
}


async def _agen(n: int) -> t.AsyncIterator[int]:
    for i in range(n):
        yield i


async def _value(v: t.Any) -> t.Any:
    return v


class _Obj:
    async def fetch(self) -> str:
        return "fetched"


def _context() -> dict[str, t.Any]:
    """Fresh values per render (async generators are single use)."""
    return {
        "a": _agen(3),
        "two": _agen(2),
        "f": lambda: _value(5),
        "g": lambda: _value("a"),
        "ident": lambda v: v,
        "d": {"y": 1, "k": "v"},
        "obj": _Obj(),
        "rows": [{"v": 1}, {"v": 2}],
        "n": 4,
    }


CASES = [
    ("{% for x in a %}{{ x }}{% endfor %}", "012"),
    ("{% for x in a %}{{ loop.index }}/{{ loop.length }}{% endfor %}", "1/32/33/3"),
    ("{% for x in a %}{{ loop.last }}{% endfor %}", "FalseFalseTrue"),
    ("{% for x in a %}{{ loop.revindex }}{{ loop.nextitem }}{{ loop.previtem }}{% endfor %}", "3122011"),
    ("{% for x in a if x > 0 %}{{ x }}{% else %}E{% endfor %}", "12"),
    ("{% for x in [] %}{{ x }}{% else %}E{% endfor %}", "E"),
    ("{{ a|list }}", "[0, 1, 2]"),
    ("{{ a|join(',') }}", "0,1,2"),
    ("{{ a|sum }}", "3"),
    ("{{ a|first }}", "0"),
    ("{{ a|map('string')|list }}", "['0', '1', '2']"),
    ("{{ a|select('odd')|list }}", "[1]"),
    ("{{ a|reject('odd')|join }}", "02"),
    ("{{ a|unique|list }}", "[0, 1, 2]"),
    ("{{ a|selectattr('real')|list }}", "[1, 2]"),
    ("{{ two|groupby('real')|list }}", "[(0, [0]), (1, [1])]"),
    ("{{ two|rejectattr('real')|list }}", "[0]"),
    ("{{ a|slice(2)|list }}", "[[0, 1], [2]]"),
    ("{{ rows|map(attribute='v')|sum }}", "3"),
    ("{{ rows|sum(attribute='v') }}", "3"),
    ("{{ [3, 1, 2]|sort|join }}", "123"),
    ("{{ f() }}", "5"),
    ("{{ f()|string }}", "5"),
    ("{{ ident(f()) }}", "5"),
    ("{{ obj.fetch() }}", "fetched"),
    ("{{ d.y }}{{ d['k'] }}{{ d.nope }}", "1v"),
    ("{% import 'm' as m %}{{ m.hi(1) }}{{ m.v }}", "hi 13"),
    ("{% from 'm' import hi %}{{ hi(2) }}", "hi 2"),
    ("{% include 'c' %}|{% include 'i' %}", "<CB>|[4]"),
    ("{% include 'ctx' %}", "hi 4"),
    ("{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}in{% endcall %}", "[in]"),
    ("{% for x in [[1], [2, [3]]] recursive %}{% if x is iterable %}{{ loop(x) }}{% else %}{{ x }}{% endif %}{% endfor %}", "123"),
    ("{% set x %}{{ f() }}{% endset %}{{ x }}", "5"),
    ("{% filter upper %}{{ g() }}{% endfilter %}", "A"),
    ("{{ d.items()|map(attribute=0)|join }}", "yk"),
    ("{% macro m(a, b=2) %}{{ a }}{{ b }}{% endmacro %}{{ m(1) }}{{ m(1, b=f()) }}", "1215"),
    ("{% set ns = namespace(c=0) %}{% for x in a %}{% set ns.c = ns.c + x %}{% endfor %}{{ ns.c }}", "3"),
    ("{% for x in a %}{% for y in two %}{{ x }}{{ y }}{% endfor %}{% endfor %}", "0001"),
    ("{{ 'x' if f() == 5 else 'y' }}", "x"),
    ("{% if f() is number %}num{% endif %}", "num"),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_async_render(source: str, expected: str) -> None:
    env = Environment(enable_async=True, loader=DictLoader(TEMPLATES))
    template = env.from_string(source)
    assert asyncio.run(template.render_async(_context())) == expected
    assert template.render(_context()) == expected


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_async_render_matches_jinja2(source: str, expected: str) -> None:
    jinja2 = pytest.importorskip("jinja2")
    env = jinja2.Environment(enable_async=True, loader=jinja2.DictLoader(TEMPLATES))
    assert asyncio.run(env.from_string(source).render_async(_context())) == expected


@pytest.mark.parametrize(
    ("source", "error", "message"),
    [
        ("{{ a|sort }}", TypeError, "'async_generator' object is not iterable"),
        ("{{ a|length }}", TypeError, "object of type 'async_generator' has no len()"),
        ("{{ 1 / 0 }}", ZeroDivisionError, "division by zero"),
    ],
)
def test_async_errors_like_jinja2(source: str, error: type[Exception], message: str) -> None:
    env = Environment(enable_async=True)
    with pytest.raises(error, match=message):
        env.from_string(source).render(_context())
    jinja2 = pytest.importorskip("jinja2")
    with pytest.raises(error, match=message):
        jinja2.Environment(enable_async=True).from_string(source).render(_context())


def test_generate_async_and_sync_generate() -> None:
    env = Environment(enable_async=True)
    template = env.from_string("{{ 1 }}{% for x in a %}{{ x }}{% endfor %}")

    async def collect() -> list[str]:
        return [piece async for piece in template.generate_async(a=_agen(2))]

    assert "".join(asyncio.run(collect())) == "101"
    # like Jinja2, the sync generator of an async template yields the whole output
    assert list(template.generate(a=_agen(2))) == ["101"]
    assert "".join(template.stream(a=_agen(2))) == "101"


def test_make_module_async() -> None:
    env = Environment(enable_async=True)
    template = env.from_string("{% macro hi() %}x{% endmacro %}{% set q = 1 %}body")

    async def use() -> tuple[t.Any, ...]:
        module = await template.make_module_async()
        return module.q, isinstance(module.hi, Macro), await module.hi(), str(module)

    assert asyncio.run(use()) == (1, True, "x", "body")
    with pytest.raises(RuntimeError, match="Module is not available in async mode."):
        template.module  # noqa: B018
    with pytest.raises(RuntimeError, match="Async mode requires a body stream"):
        template.make_module()


def test_render_async_needs_async_environment() -> None:
    template = Environment().from_string("x")
    with pytest.raises(RuntimeError, match="not created with async mode enabled"):
        asyncio.run(template.render_async())


def test_render_inside_a_running_loop() -> None:
    """Jinja2 raises here (``asyncio.run`` in a running loop); we render on a helper thread."""
    template = Environment(enable_async=True).from_string("{{ f() }}")

    async def inside() -> str:
        return template.render(f=lambda: _value(7))

    assert asyncio.run(inside()) == "7"


def test_sync_environment_unchanged() -> None:
    env = Environment()
    assert env.is_async is False
    assert "async" not in env.compile("{% for x in y %}{{ x.a|upper }}{{ f() }}{% endfor %}", raw=True)
    assert Environment(enable_async=True).is_async is True


def test_user_filter_override_and_awaitable_filter() -> None:
    env = Environment(enable_async=True)
    env.filters["list"] = lambda value: "mine"
    env.filters["later"] = lambda value: _value(value * 2)
    assert env.from_string("{{ [1]|list }}{{ 2|later }}").render() == "mine4"


def test_auto_helpers() -> None:
    async def use() -> tuple[t.Any, ...]:
        return (
            await auto_await(1),
            await auto_await(_value(2)),
            [x async for x in auto_aiter([1, 2])],
            [x async for x in auto_aiter(_agen(2))],
            await auto_to_list(_agen(3)),
            await auto_to_list((1, 2)),
        )

    assert asyncio.run(use()) == (1, 2, [1, 2], [0, 1], [0, 1, 2], [1, 2])


def test_async_sandbox() -> None:
    from microflask.templating.sandbox import SandboxedEnvironment, SecurityError

    env = SandboxedEnvironment(enable_async=True)
    assert env.from_string("{{ f() }}{{ d.y }}").render(f=lambda: _value(1), d={"y": 2}) == "12"
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__ }}").render(x=1)


# -- Flask ------------------------------------------------------------------------------


def test_flask_render_template_with_async_environment(tmp_path: t.Any) -> None:
    from microflask import Flask, render_template, render_template_string

    (tmp_path / "page.html").write_text("{% for x in items %}{{ x }}{% endfor %}|{{ load() }}")

    class AsyncApp(Flask):
        jinja_options = {"enable_async": True}

    app = AsyncApp(__name__, template_folder=str(tmp_path))

    @app.route("/")
    def index() -> str:
        return render_template("page.html", items=_agen(3), load=lambda: _value("ok"))

    @app.route("/async")
    async def async_view() -> str:
        return render_template_string("{{ load() }}!", load=lambda: _value("inner"))

    assert app.jinja_env.is_async
    client = app.test_client()
    assert client.get("/").get_data(as_text=True) == "012|ok"
    assert client.get("/async").get_data(as_text=True) == "inner!"


def test_flask_stream_template_with_async_environment() -> None:
    from microflask import Flask, stream_template_string

    app = Flask(__name__)
    app.jinja_options = {"enable_async": True}

    @app.route("/")
    def index() -> t.Any:
        return stream_template_string("{% for x in items %}{{ x }}{% endfor %}", items=_agen(3))

    assert app.test_client().get("/").get_data(as_text=True) == "012"
