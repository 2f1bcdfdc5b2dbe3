"""The compiled templates' render fast paths (issue 18) answer as the general paths.

Each shortcut is rendered against the general path it skips, on the same
templates and values:

- ``obj.name`` / ``obj['key']`` of an exact ``dict`` read inline: the general
  path is an environment (class or instance) with its own ``getattr`` /
  ``getitem``, and code compiled for a stock environment loaded into one.
- a macro (or ``call`` body) that is one piece of text output returns it at
  once, and buffered output becomes ``Markup`` through ``str.__new__``: the
  general path is a code generator whose ``concat`` is not ``"".join``.
- a call's ``Markup`` result is output without calling ``escape``: the
  general path is an environment with a ``finalize``.
"""

from __future__ import annotations

import collections
import typing as t

import pytest

from microflask.markup import Markup
from microflask.templating import (
    ChainableUndefined,
    DebugUndefined,
    DictLoader,
    Environment,
    StrictUndefined,
    Template,
    Undefined,
)
from microflask.templating.compiler import CodeGenerator
from microflask.templating.exceptions import SecurityError, UndefinedError
from microflask.templating.nativetypes import NativeEnvironment
from microflask.templating.sandbox import SandboxedEnvironment


class GeneralGenerator(CodeGenerator):
    """Buffers every macro's output and wraps text with ``Markup(...)``."""

    _concat_is_join = False


class GeneralEnvironment(Environment):
    """Its own ``getattr``/``getitem`` (doing the same), the general code
    generator and a ``finalize`` that changes nothing: every fast path off."""

    code_generator_class = GeneralGenerator

    def __init__(self, **options: t.Any) -> None:
        super().__init__(finalize=lambda value: value, **options)

    def getattr(self, obj: t.Any, attribute: str) -> t.Any:
        return super().getattr(obj, attribute)

    def getitem(self, obj: t.Any, argument: t.Any) -> t.Any:
        return super().getitem(obj, argument)


class Loud(dict):  # type: ignore[type-arg]  # a dict subclass with its own item lookup
    def __getitem__(self, key: t.Any) -> t.Any:
        return f"loud:{super().__getitem__(key)}"


class Html:
    def __html__(self) -> str:
        return "<i>html</i>"

    def __repr__(self) -> str:
        return "Html()"

    def __str__(self) -> str:
        return "<str>"


class SafeText(Markup):
    """A Markup subclass (escape keeps its text)."""


class Obj:
    kind = "attr-kind"
    name = "<obj & name>"

    def __getitem__(self, key: t.Any) -> str:
        return f"item:{key}"


MACROS = (
    "{% macro cell(row) %}<td class=\"{{ row.kind }}\">{{ row.name }}</td><td>{{ row['price'] }}</td>{% endmacro %}"
    "{% macro bare(x) %}{{ x }}{% endmacro %}"
    "{% macro text() %}just text{% endmacro %}"
    "{% macro empty() %}{% endmacro %}"
    "{% macro two(a) %}{% if a %}[{{ a }}]{% endif %}{% endmacro %}"
    "{% macro wrap() %}<div>{{ caller() }}</div>{% endmacro %}"
)

ROWS: list[t.Any] = [
    {"kind": "odd", "name": "item 1", "price": "1.25"},
    {"kind": "even", "name": "Tom & Jerry <b>", "price": 2},
    {"kind": 'q"uo\'te', "name": Markup("<b>safe</b>"), "price": None},
    {"kind": SafeText("<s>"), "name": Html(), "price": 1.5},
    {"name": "no kind", "price": "x"},  # missing keys: undefined
    {"items": "an item called items", "keys": "k", "kind": "k", "name": "n", "price": "p"},
    Loud(kind="lk", name="ln", price="lp"),
    collections.OrderedDict(kind="ok", name="on", price="op"),
    collections.defaultdict(lambda: "made", kind="dk"),
    Obj(),
    {0: "zero", 1: "one", "kind": 0, "name": 1, "price": 2},
]

TEMPLATES = [
    "{% for row in rows %}<tr>{{ cell(row) }}<td>{{ row.note }}</td></tr>\n{% endfor %}",
    "{% for row in rows %}{{ row.kind }}|{{ row['name'] }}|{{ row.items is callable }}|{{ row['items'] }}|{{ row.keys is callable }}\n{% endfor %}",
    "{% for row in rows %}{{ row[0] }}/{{ row[1] }}/{{ row['price'] }}/{{ row.price }}\n{% endfor %}",
    "{{ bare('<x>') }}|{{ bare(markup) }}|{{ text() }}|{{ empty() }}|{{ two('<a>') }}|{{ two('') }}",
    "{{ bare(html) }}|{{ bare(safe) }}|{{ bare(1) }}|{{ bare(none) }}|{{ bare() }}",
    "{% call wrap() %}<{{ rows[0].kind }}>{% endcall %}|{% call wrap() %}text only{% endcall %}",
    "{{ plain_call() }}|{{ markup_call() }}|{{ sub_call() }}|{{ html_call() }}|{{ 'x' ~ markup_call() }}",
    "{% set d = {'kind': '<k>', 'items': 3} %}{{ d.kind }}{{ d['kind'] }}{{ d.items is callable }}{{ d['items'] }}",
    "{{ cell(rows[0])|length }}{{ (cell(rows[1]) ~ '&')|e }}",
    "{% import 'macros.html' as m %}{{ m.cell(rows[1]) }}{{ m.bare('<i>') }}",
    "{% from 'plain.txt' import shout %}{{ shout('<&>') }}{% set r = shout('<&>') %}{{ r|length }}",
]

CONTEXT: dict[str, t.Any] = {
    "rows": ROWS,
    "markup": Markup("<em>m</em>"),
    "html": Html(),
    "safe": SafeText("<u>s</u>"),
    "plain_call": lambda: "<plain>",
    "markup_call": lambda: Markup("<m>"),
    "sub_call": lambda: SafeText("<sub>"),
    "html_call": Html,
}

LOADER = {
    "macros.html": MACROS,
    # not autoescaped: its macro returns a plain str, which the caller escapes
    "plain.txt": "{% macro shout(x) %}!{{ x }}!{% endmacro %}",
}


def _autoescape(name: str | None) -> bool:
    return name is None or name.endswith(".html")


def _pair(**options: t.Any) -> tuple[Environment, Environment]:
    fast = Environment(loader=DictLoader(LOADER), autoescape=_autoescape, **options)
    general = GeneralEnvironment(loader=DictLoader(LOADER), autoescape=_autoescape, **options)
    return fast, general


def _render(env: Environment, source: str, **extra: t.Any) -> tuple[str, str]:
    """What a render gives: its text, or the exception's type and message."""
    try:
        return "ok", env.from_string(MACROS + source).render(CONTEXT, **extra)
    except Exception as exc:
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("undefined", [Undefined, ChainableUndefined, DebugUndefined, StrictUndefined])
@pytest.mark.parametrize("source", TEMPLATES)
def test_fast_paths_render_as_the_general_paths(source: str, undefined: type[Undefined]) -> None:
    fast, general = _pair(undefined=undefined)
    assert _render(fast, source) == _render(general, source)


@pytest.mark.parametrize("source", TEMPLATES)
def test_fast_paths_render_as_jinja2(source: str) -> None:
    jinja2 = pytest.importorskip("jinja2")
    theirs = jinja2.Environment(loader=jinja2.DictLoader(LOADER), autoescape=_autoescape)
    try:
        expected: tuple[str, str] = ("ok", theirs.from_string(MACROS + source).render(CONTEXT))
    except Exception as exc:
        expected = (type(exc).__name__, str(exc))
    fast, _ = _pair()
    assert _render(fast, source) == expected


def test_the_strict_undefined_error_names_the_first_missing_key() -> None:
    fast, general = _pair(undefined=StrictUndefined)
    source = "{{ rows[4].kind }}{{ rows[4].nope }}"
    assert _render(fast, source) == _render(general, source) == ("UndefinedError", "'dict object' has no attribute 'kind'")


class CountingEnvironment(Environment):
    def __init__(self, **options: t.Any) -> None:
        super().__init__(**options)
        self.seen: list[t.Any] = []

    def getattr(self, obj: t.Any, attribute: str) -> t.Any:
        self.seen.append(("attr", attribute))
        return super().getattr(obj, attribute)

    def getitem(self, obj: t.Any, argument: t.Any) -> t.Any:
        self.seen.append(("item", argument))
        return super().getitem(obj, argument)


SOURCE = "{{ d.a }}{{ d['b'] }}{{ d[1] }}"
DATA = {"d": {"a": "A", "b": "B", 1: "one"}}
SEEN = [("attr", "a"), ("item", "b"), ("item", 1)]


def test_a_class_override_sees_every_dict_read() -> None:
    env = CountingEnvironment()
    assert env.from_string(SOURCE).render(DATA) == "ABone"
    assert env.seen == SEEN


def test_an_instance_override_sees_every_dict_read() -> None:
    env = Environment()
    seen: list[t.Any] = []
    stock_getattr, stock_getitem = env.getattr, env.getitem

    def getattr_(obj: t.Any, attribute: str) -> t.Any:
        seen.append(("attr", attribute))
        return stock_getattr(obj, attribute)

    def getitem_(obj: t.Any, argument: t.Any) -> t.Any:
        seen.append(("item", argument))
        return stock_getitem(obj, argument)

    env.getattr = getattr_  # type: ignore[method-assign]  # the instance override under test
    env.getitem = getitem_  # type: ignore[method-assign]  # the instance override under test
    assert env.from_string(SOURCE).render(DATA) == "ABone"
    assert seen == SEEN


def test_code_compiled_by_a_stock_environment_honours_an_override_it_runs_in() -> None:
    # a bytecode cache or precompiled module may carry code compiled elsewhere
    code = Environment().compile(SOURCE)
    env = CountingEnvironment()
    assert Template.from_code(env, code, env.make_globals(None)).render(DATA) == "ABone"
    assert env.seen == SEEN
    # and the stock environment does read the dict inline
    assert "_j_attr_dict" in Environment().compile(SOURCE, raw=True)


def test_only_the_stock_lookups_read_dicts_inline() -> None:
    assert Environment()._inline_dict_types() == (dict, dict)
    assert CountingEnvironment()._inline_dict_types()[0] is not dict
    assert CountingEnvironment()._inline_dict_types()[1] is not dict

    class OnlyItems(Environment):
        def getitem(self, obj: t.Any, argument: t.Any) -> t.Any:
            return super().getitem(obj, argument)

    attrs, items = OnlyItems()._inline_dict_types()
    assert attrs is dict and items is not dict
    assert dict not in SandboxedEnvironment()._inline_dict_types()


def test_dict_attribute_names_are_never_read_as_items_inline() -> None:
    raw = Environment().compile("{{ d.items }}{{ d.get }}{{ d.name }}", raw=True)
    assert "['name'] if" in raw
    assert "['items'] if" not in raw and "['get'] if" not in raw
    assert Environment().from_string("{{ d.items() | list }}").render(d={"items": 1}) == "[('items', 1)]"


def test_the_sandbox_reads_every_attribute_through_its_checks() -> None:
    env = SandboxedEnvironment()
    assert "_j_attr_dict" not in env.compile(SOURCE, raw=True)
    assert env.from_string(SOURCE).render(DATA) == "ABone"
    with pytest.raises(SecurityError):
        env.from_string("{{ f.__code__.co_name }}").render(f=lambda: None)
    assert env.from_string("{{ d.__class__ }}").render(d={"__class__": "x"}) == ""


def test_async_templates_read_dicts_inline_and_await_results() -> None:
    import asyncio

    async def make() -> str:
        return "awaited"

    env = Environment(enable_async=True)
    template = env.from_string("{{ d.a }}|{{ d['b'] }}|{{ d.c }}")

    async def render() -> str:
        return await template.render_async(d={"a": "A", "b": make(), "c": make()})

    assert asyncio.run(render()) == "A|awaited|awaited"


# -- macros that return their one piece of output -------------------------------------------


@pytest.mark.parametrize(
    ("source", "direct"),
    [
        ("{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}", True),
        ("{% macro m() %}text{% endmacro %}", True),
        ("{% macro m(x) %}{{ x }}{% endmacro %}", False),  # a bare value: str() may give a subclass
        ("{% macro m(x) %}{% if x %}{{ x }}{% endif %}{% endmacro %}", False),
        ("{% macro m() %}{% endmacro %}", False),
    ],
)
def test_which_macros_return_their_output_at_once(source: str, direct: bool) -> None:
    raw = Environment(autoescape=True).compile(source, raw=True)
    assert ("_j_buf" not in raw) is direct
    assert "_j_buf" in GeneralEnvironment(autoescape=True).compile(source, raw=True)


@pytest.mark.parametrize("autoescape", [True, False])
def test_a_macro_result_has_the_type_of_the_general_path(autoescape: bool) -> None:
    source = "{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}{% set r = m('<&>') %}{{ r.__class__.__name__ }}:{{ r }}"
    fast = Environment(autoescape=autoescape).from_string(source).render()
    general = GeneralEnvironment(autoescape=autoescape).from_string(source).render()
    assert fast == general == ("Markup:<b>&lt;&amp;&gt;</b>" if autoescape else "str:<b><&></b>")


def test_a_macro_in_an_autoescape_block_renders_as_the_general_path() -> None:
    source = (
        "{% autoescape false %}{% macro m(x) %}<{{ x }}>{% endmacro %}"
        "{% set r = m('&') %}{{ r.__class__.__name__ }}{{ r }}{% endautoescape %}"
    )
    assert Environment(autoescape=True).from_string(source).render() == GeneralEnvironment(autoescape=True).from_string(source).render() == "str<&>"


def test_native_macros_keep_their_buffer() -> None:
    env = NativeEnvironment()
    source = "{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(1) }}"
    assert "_j_buf" in env.compile(source, raw=True)
    result: t.Any = env.from_string(source).render()
    assert result == [1]


def test_a_macro_error_points_at_its_template_line() -> None:
    import traceback

    env = Environment(undefined=StrictUndefined)
    template = env.from_string("{% macro m(x) %}\n<b>{{ x.a.b }}</b>{% endmacro %}\n{{ m({}) }}")
    with pytest.raises(UndefinedError) as info:
        template.render()
    frames = [(f.filename, f.lineno, f.name) for f in traceback.extract_tb(info.value.__traceback__)]
    assert ("<template>", 2, "template") in frames


# -- a call's Markup output --------------------------------------------------------------------


def test_a_call_result_is_escaped_unless_it_is_exactly_markup() -> None:
    source = "{{ f() }}|<{{ f() }}>"
    env = Environment(autoescape=True)
    assert "is _j_Markup else" in env.compile(source, raw=True)
    for value, expected in [
        ("<x>", "&lt;x&gt;|<&lt;x&gt;>"),
        (Markup("<x>"), "<x>|<<x>>"),
        (SafeText("<x>"), "<x>|<<x>>"),
        (Html(), "<i>html</i>|<<i>html</i>>"),
        (3, "3|<3>"),
    ]:
        fast = env.from_string(source).render(f=lambda: value)
        general = GeneralEnvironment(autoescape=True).from_string(source).render(f=lambda: value)
        assert fast == general == expected


# -- a render's context from the template's globals ------------------------------------------


class Defaulting(collections.ChainMap):  # type: ignore[type-arg]  # a ChainMap subclass with its own lookup
    def __getitem__(self, key: t.Any) -> t.Any:
        return f"sub:{super().__getitem__(key)}"


class Mapping(collections.abc.Mapping):  # type: ignore[type-arg]  # a map that is not a dict
    def __init__(self, data: dict[str, t.Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> t.Any:
        return self._data[key]

    def __iter__(self) -> t.Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


@pytest.mark.parametrize(
    "globals",
    [
        collections.ChainMap({"a": 1, "b": 2}, {"b": 3, "c": 4, "a": 5}),
        collections.ChainMap({}, {}),
        collections.ChainMap(),
        collections.ChainMap({"x": 1}, t.cast(t.Any, Mapping({"x": 2, "y": 3}))),
        Defaulting({"a": 1}, {"a": 2, "b": 3}),
        {"plain": "dict"},
    ],
)
def test_a_context_copies_its_globals_like_unpacking_them(globals: t.Any) -> None:
    from microflask.templating.runtime import new_context

    context = new_context(Environment(), None, {}, {"b": "var", "v": 0}, False, globals)
    expected = {**globals, "b": "var", "v": 0}
    assert context.parent == expected
    assert list(context.parent) == list(expected)
    assert context.globals_keys == set(globals)


def test_a_render_sees_globals_in_chain_order() -> None:
    env = Environment()
    env.globals.update(a="env-a", b="env-b")
    template = env.from_string("{{ a }} {{ b }} {{ c }}", globals={"a": "tpl-a"})
    assert template.render(c="var-c") == "tpl-a env-b var-c"
    assert template.render(a="var-a") == "var-a env-b "


# -- a macro's result is Markup when the calling code autoescapes (Jinja2's rule) ------------

MIXED = {
    "plain.txt": "{% macro m(x) %}<{{ x }}>{% endmacro %}",
    "esc.html": "{% macro m(x) %}<{{ x }}>{% endmacro %}",
    "base.html": "{% macro m(x) %}<{{ x }}>{% endmacro %}[{{ m('&') }}]{% block b %}{% endblock %}",
    "base.txt": "{% macro m(x) %}<{{ x }}>{% endmacro %}[{{ m('&') }}]{% block b %}{% endblock %}",
    "child.txt": "{% extends 'base.html' %}{% block b %}({{ m('&') }}){% endblock %}",
    "child.html": "{% extends 'base.txt' %}{% block b %}({{ m('&') }}){% endblock %}",
}
CALLERS = [
    "{% from '$src' import m %}{{ m('&') }}|{{ m('&') ~ '' }}|{% set r = m('&') %}{{ r.__class__.__name__ }}:{{ r }}",
    "{% from '$src' import m %}{% autoescape false %}{{ m('&') }}{% set r = m('&') %}{{ r.__class__.__name__ }}{% endautoescape %}",
    "{% from '$src' import m %}{% autoescape true %}{{ m('&') }}{% set r = m('&') %}{{ r.__class__.__name__ }}{% endautoescape %}",
    "{% import '$src' as lib %}{{ lib.m('&') }}|{{ [lib.m][0]('&') }}|{{ lib.m(*['&']) }}|{{ lib.m(x='&') }}",
    "{% macro w() %}<{{ caller() }}|{{ caller().__class__.__name__ }}>{% endmacro %}{% call w() %}&{% endcall %}",
    "{% from '$src' import m %}{% for i in [1] %}{% set y = 2 %}{{ m('&') }}{% endfor %}",
]


def _mixed_autoescape(name: str | None) -> bool:
    return name is not None and name.endswith(".html")


@pytest.mark.parametrize("caller", ["c.html", "c.txt"])
@pytest.mark.parametrize("src", ["plain.txt", "esc.html"])
@pytest.mark.parametrize("source", CALLERS)
def test_a_macro_result_follows_the_callers_autoescape_as_in_jinja2(source: str, src: str, caller: str) -> None:
    jinja2 = pytest.importorskip("jinja2")
    templates = {**MIXED, caller: source.replace("$src", src)}
    theirs = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=_mixed_autoescape)
    ours = Environment(loader=DictLoader(templates), autoescape=_mixed_autoescape)
    general = GeneralEnvironment(loader=DictLoader(templates), autoescape=_mixed_autoescape)
    expected = theirs.get_template(caller).render()
    assert ours.get_template(caller).render() == expected
    assert general.get_template(caller).render() == expected


@pytest.mark.parametrize("name", ["child.txt", "child.html"])
def test_a_macro_called_across_extends_with_mixed_autoescape_renders_as_jinja2(name: str) -> None:
    jinja2 = pytest.importorskip("jinja2")
    theirs = jinja2.Environment(loader=jinja2.DictLoader(MIXED), autoescape=_mixed_autoescape)
    ours = Environment(loader=DictLoader(MIXED), autoescape=_mixed_autoescape)
    assert ours.get_template(name).render() == theirs.get_template(name).render()


@pytest.mark.parametrize(("name", "kind"), [("plain.txt", str), ("esc.html", Markup)])
def test_a_macro_called_from_python_gets_the_autoescape_of_its_template(name: str, kind: type) -> None:
    env = Environment(loader=DictLoader(MIXED), autoescape=_mixed_autoescape)
    module: t.Any = env.get_template(name).module
    result = module.m("&")
    assert type(result) is kind
    assert result == ("<&amp;>" if kind is Markup else "<&>")


def test_an_async_macro_called_from_python_is_awaited_then_marked() -> None:
    import asyncio

    env = Environment(loader=DictLoader(MIXED), autoescape=_mixed_autoescape, enable_async=True)

    async def call() -> t.Any:
        module: t.Any = await env.get_template("esc.html").make_module_async()
        return await module.m("&")

    result = asyncio.run(call())
    assert type(result) is Markup and result == "<&amp;>"


def test_a_formatted_macro_call_makes_no_markup() -> None:
    raw = Environment(autoescape=True).compile("{% macro m() %}x{% endmacro %}<{{ m() }}>", raw=True)
    assert "is _j_str and context.eval_ctx.autoescape else" in raw


# -- macro arguments: positional calls bind in Python, keyword calls are checked first -------

ARG_DEFS = (
    "{% macro m(row) %}<{{ row }}>{% endmacro %}{% macro k(x) %}{{ x }}{{ kwargs }}{% endmacro %}"
    "{% macro v(x) %}{{ x }}{{ varargs }}{% endmacro %}{% macro c(x) %}{{ x }}:{{ caller() }}{% endmacro %}"
    "{% macro d(caller=none) %}[{{ caller }}]{% endmacro %}"
)
ARG_CALLS = [
    "{{ m(1) }}", "{{ m() }}", "{{ m(1, 2) }}", "{{ m(foo=1) }}", "{{ m(1, 2, foo=3) }}", "{{ m(1, row=2) }}",
    "{{ m(row=2) }}", "{{ m(**{'a-b': 1}) }}", "{{ m(*[1, 2]) }}", "{{ m(**{'row': 5}) }}",
    "{% call m(1) %}c{% endcall %}", "{% call m(1, x=2) %}c{% endcall %}",
    "{{ k(1, a=2, b=3) }}", "{{ k(a=2) }}", "{{ v(1, 2, 3) }}", "{{ v(1, 2, 3, z=1) }}",
    "{% call c(1) %}[{{ 5 }}]{% endcall %}", "{{ c(1) }}", "{{ c(1, caller=2) }}", "{{ d() }}{{ d(caller='x') }}",
    "{% set f = m %}{{ f(1, 2, q=1) }}", "{% set r = m(7, q=1) %}{{ r }}", "{{ m(1, caller=3) }}",
    "{{ c(1, x=2) }}", "{% call c(1, 2) %}z{% endcall %}", "{% call c(x=1) %}z{% endcall %}",
    "{{ d(1, caller=2) }}", "{{ v(1, x=2) }}",
    "{% for i in [1] %}{% set y = 2 %}{{ m(y, q=1) }}{% endfor %}",
]


@pytest.mark.parametrize("call", ARG_CALLS)
def test_macro_arguments_are_bound_and_refused_as_in_jinja2(call: str) -> None:
    jinja2 = pytest.importorskip("jinja2")
    theirs = jinja2.Environment(autoescape=True)
    try:
        expected: tuple[str, str] = ("ok", theirs.from_string(ARG_DEFS + call).render())
    except Exception as exc:
        expected = (type(exc).__name__, str(exc))
    ours = Environment(autoescape=True)
    try:
        got: tuple[str, str] = ("ok", ours.from_string(ARG_DEFS + call).render())
    except Exception as exc:
        got = (type(exc).__name__, str(exc))
    assert got == expected


@pytest.mark.parametrize("call", ["m(1, 2, foo=3)", "m(foo=1)", "m(1, row=2)", "m(1, caller=2)"])
def test_macro_keywords_are_refused_when_called_from_python(call: str) -> None:
    env = Environment()
    module: t.Any = env.from_string(ARG_DEFS).module
    with pytest.raises(TypeError, match="takes no keyword argument|two values for the special caller"):
        eval(call, {}, {"m": module.m, "c": module.c})  # noqa: S307  # a fixed expression of the table above


def test_a_macro_without_kwargs_takes_no_keyword_dict() -> None:
    raw = Environment().compile(ARG_DEFS, raw=True)
    assert raw.count("**_j_kwargs") == 1  # only ``k``, which reads ``kwargs``


# -- text with nothing to escape goes into the output without calling escape -------------------


class Shouting(str):
    def __str__(self) -> str:
        return "LOUD<>"


class HtmlText(str):
    def __html__(self) -> str:
        return "<b>html text</b>"


TEXT_VALUES: list[t.Any] = [
    "plain text", "", "a & b", "a < b", "a > b", "it's", 'say "hi"', "&<>'\"", "caf\u00e9 \u2603",
    Shouting("quiet"), HtmlText("x"), Markup("<i>safe</i>"), SafeText("<s>"), Html(), 3, 2.5, None, True,
    ["<list>"], {"k": "<v>"},
]


@pytest.mark.parametrize("value", TEXT_VALUES, ids=repr)
@pytest.mark.parametrize(
    "source",
    ["<{{ v }}>", "<{{ d.v }}>", "<{{ d['v'] }}>", "<{{ v|string }}>", "<{{ v ~ '' }}>", "{{ v }}", "<{{ v }}{{ v }}>"],
)
def test_clean_text_renders_as_escaped_text(source: str, value: t.Any) -> None:
    context = {"v": value, "d": {"v": value}}
    fast, general = _pair()
    assert _render(fast, source, **context) == _render(general, source, **context)


@pytest.mark.parametrize("undefined", [Undefined, ChainableUndefined, DebugUndefined, StrictUndefined])
def test_clean_text_of_undefined_values_renders_as_escaped_text(undefined: type[Undefined]) -> None:
    fast, general = _pair(undefined=undefined)
    for source in ["<{{ nope }}>", "<{{ d.nope }}>", "<{{ d['nope'] }}>", "<{{ nope.attr }}>"]:
        assert _render(fast, source, d={}) == _render(general, source, d={})


def test_clean_text_is_checked_inline_only_where_values_are_usually_text() -> None:
    raw = Environment(autoescape=True).compile("<{{ a }}{{ b.c }}{{ loop.index }}{{ 1 + n }}>", raw=True)
    assert raw.count("'&' in") == 2


# -- macro arguments named like Python builtins --------------------------------------------------


BUILTIN_NAMED = [
    "{% macro f(type, dict, str) %}<{{ type }}|{{ dict.k }}|{{ dict['k'] }}|{{ str }}|{{ g() }}|{{ g() ~ type }}>{% endmacro %}"
    "{% macro g() %}<g>{% endmacro %}{{ f('text', {'k': 'v&'}, 's') }}|{{ f('', {}) }}",
    "{% macro f(slice, float, getattr, len) %}{{ slice[1:3] }}{{ float }}{{ getattr.k }}{{ len|length }}"
    "{% for x in slice %}{{ loop.index }}{{ loop.cycle('a', 'b') }}{% endfor %}{% endmacro %}{{ f('abcd', 1.5, {'k': 1}, [1, 2]) }}",
    "{% macro f(type) %}{% set d = {'a': type} %}{{ d.a }}{% with dict = 1 %}{{ dict }}{% endwith %}{% endmacro %}{{ f('<t>') }}",
    "{% macro f(type, isinstance, list) %}{{ type is string }}{{ list|join(',') }}{{ caller(type) }}{% endmacro %}"
    "{% call(type) f('x', 1, [1, 2]) %}[{{ type }}]{% endcall %}",
]


@pytest.mark.parametrize("source", BUILTIN_NAMED)
def test_macro_arguments_may_be_named_like_builtins(source: str) -> None:
    jinja2 = pytest.importorskip("jinja2")
    expected = jinja2.Environment(autoescape=True).from_string(source).render()
    assert Environment(autoescape=True).from_string(source).render() == expected
    assert GeneralEnvironment(autoescape=True).from_string(source).render() == expected


# -- code compiled by an engine whose generated code differs is not reused -----------------------


def test_precompiled_modules_of_another_code_version_are_refused(tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from microflask.templating import ModuleLoader, compiler, loaders

    env = Environment(loader=DictLoader({"m.html": "{% macro m() %}x{% endmacro %}{{ m() }}"}))
    env.compile_templates(str(tmp_path), zip=None)
    assert Environment(loader=ModuleLoader(str(tmp_path))).get_template("m.html").render() == "x"
    monkeypatch.setattr(compiler, "_GENERATED_CODE_VERSION", compiler._GENERATED_CODE_VERSION + 1)
    monkeypatch.setattr(loaders, "_GENERATED_CODE_VERSION", compiler._GENERATED_CODE_VERSION)
    with pytest.raises(RuntimeError, match="compile it again"):
        Environment(loader=ModuleLoader(str(tmp_path))).get_template("m.html")


def test_bytecode_caches_are_keyed_by_the_code_version() -> None:
    from microflask.templating import bccache, compiler

    assert bccache.bc_version >= compiler._GENERATED_CODE_VERSION
    assert pickle_loads_version(bccache.bc_magic) == bccache.bc_version


def pickle_loads_version(magic: bytes) -> int:
    import pickle

    return t.cast(int, pickle.loads(magic[2:]))
