"""The sandbox: every published escape class, the hooks, the immutable variant.

Each escape attempt is rendered by our sandbox and compared with the expected
outcome; when Jinja2 is installed the same attempt is rendered by its
``SandboxedEnvironment`` as the reference (same output, same exception class
name and message).
"""

from __future__ import annotations

import collections
import re
import sys
import types
import typing as t

import pytest

from microflask.markup import Markup
from microflask.templating import DictLoader, Environment, StrictUndefined
from microflask.templating import exceptions as exc
from microflask.templating.sandbox import (
    MAX_RANGE,
    ImmutableSandboxedEnvironment,
    SandboxedEnvironment,
    SecurityError,
    is_internal_attribute,
    modifies_known_mutable,
    safe_range,
    unsafe,
)


def _gen() -> t.Iterator[int]:
    yield 1


async def _agen() -> t.AsyncIterator[int]:
    yield 1


async def _coro() -> None:
    pass


class _Obj:
    public = "pub"
    _private = "priv"

    def meth(self) -> int:
        return 1


def _traceback() -> types.TracebackType:
    try:
        raise ValueError
    except ValueError as e:
        assert e.__traceback__ is not None
        return e.__traceback__


class _Ctx:
    """Builds a fresh render context; closes coroutines it made (no warnings)."""

    def __init__(self, markup_cls: type = Markup, **factories: t.Callable[[], t.Any]) -> None:
        self.factories = factories
        self.markup_cls = markup_cls
        self.made: list[t.Any] = []

    def make(self, markup_cls: type) -> dict[str, t.Any]:
        values = {}
        for key, factory in self.factories.items():
            value = factory()
            if isinstance(value, Markup) and markup_cls is not Markup:
                value = markup_cls(str(value))
            self.made.append(value)
            values[key] = value
        return values

    def close(self) -> None:
        for value in self.made:
            if isinstance(value, types.CoroutineType):
                value.close()
        self.made.clear()


def _outcome(env: t.Any, source: str, ctx: _Ctx, markup_cls: type = Markup) -> str:
    env.loader = _loader_for(env)
    try:
        rv = "OK " + env.from_string(source).render(**ctx.make(markup_cls))
    except Exception as e:  # the exception is the outcome
        rv = f"{type(e).__name__}: {e}"
    finally:
        ctx.close()
    return re.sub(r" at 0x[0-9a-f]+", " at 0xADDR", rv)


def _loader_for(env: t.Any) -> t.Any:
    module = sys.modules[type(env).__module__.rsplit(".", 1)[0]]
    return module.DictLoader({"m": "{% macro x() %}x{% endmacro %}"})


def _unsafe_lambda() -> t.Callable[[], int]:
    return unsafe(lambda: 1)


def _alters_data() -> t.Callable[[], int]:
    def f() -> int:
        return 1

    f.alters_data = True  # type: ignore[attr-defined]
    return f


_CLASS = "SecurityError: access to attribute '__class__' of 'int' object is unsafe."
NO_CTX = _Ctx()

#: (id, template, context, expected outcome). "OK x" renders x; refused
#: attributes print as empty undefineds and raise once used.
ESCAPES = [
    # dunder attributes and the classic object.__subclasses__() walk
    ("dunder-print", "{{ x.__class__ }}", _Ctx(x=lambda: 1), "OK "),
    ("dunder-chain", "{{ x.__class__.__mro__ }}", _Ctx(x=lambda: 1), _CLASS),
    ("subclasses", "{{ ''.__class__.__mro__[1].__subclasses__() }}", NO_CTX,
     "SecurityError: access to attribute '__class__' of 'str' object is unsafe."),
    ("dunder-call", "{{ x.__class__() }}", _Ctx(x=lambda: 1), _CLASS),
    ("dunder-item", "{{ x['__class__'].y }}", _Ctx(x=lambda: 1), _CLASS),
    ("private", "{{ o._private }}|{{ o.public }}", _Ctx(o=_Obj), "OK |pub"),
    ("func-globals", "{{ f.__globals__ }}", _Ctx(f=lambda: _gen), "OK "),
    ("func-code", "{{ f.__code__.co_code }}", _Ctx(f=lambda: _gen),
     "SecurityError: access to attribute '__code__' of 'function' object is unsafe."),
    ("global-func-globals", "{{ lipsum.__globals__['os'] }}", NO_CTX,
     "SecurityError: access to attribute '__globals__' of 'function' object is unsafe."),
    ("cycler-init", "{{ cycler.__init__.__globals__ }}", NO_CTX,
     "SecurityError: access to attribute '__init__' of 'type' object is unsafe."),
    ("method-self", "{{ f.__self__ }}{{ f.__func__ }}", _Ctx(f=lambda: _Obj().meth), "OK "),
    ("type-mro", "{{ t.mro() }}", _Ctx(t=lambda: int),
     "SecurityError: access to attribute 'mro' of 'type' object is unsafe."),
    # frames of generators, coroutines and async generators
    ("gi_frame", "{{ g.gi_frame.f_globals }}", _Ctx(g=_gen),
     "SecurityError: access to attribute 'gi_frame' of 'generator' object is unsafe."),
    ("gi_code", "{{ g.gi_code }}", _Ctx(g=_gen), "OK "),
    ("cr_frame", "{{ c.cr_frame.f_back }}", _Ctx(c=_coro),
     "SecurityError: access to attribute 'cr_frame' of 'coroutine' object is unsafe."),
    ("ag_frame", "{{ a.ag_frame.f_globals }}", _Ctx(a=_agen),
     "SecurityError: access to attribute 'ag_frame' of 'async_generator' object is unsafe."),
    ("tb_frame", "{{ tb.tb_frame.f_globals }}", _Ctx(tb=_traceback),
     "SecurityError: access to attribute 'tb_frame' of 'traceback' object is unsafe."),
    # str.format (CVE-2016-10745) and format_map (CVE-2019-10906)
    ("format", "{{ '{0.__class__.__mro__}'.format(1) }}", NO_CTX, _CLASS),
    ("format-print", "{{ '{0.__class__}'.format(1) }}", NO_CTX, "OK "),
    ("format-item", "{{ '{0[__class__]}'.format(x) }}", _Ctx(x=lambda: {"__class__": 5}), "OK 5"),
    ("format-allowed", "{{ '{0.real}-{0}'.format(7) }}", NO_CTX, "OK 7-7"),
    ("format-spec-nested", "{{ '{0:{1.__class__.__mro__}}'.format(1, 2) }}", NO_CTX, _CLASS),
    ("format_map", "{{ '{a.__class__.__mro__}'.format_map({'a': 1}) }}", NO_CTX, _CLASS),
    ("format_map-args", "{{ '{a}'.format_map({'a': 1}, 2) }}", NO_CTX,
     "TypeError: format_map() takes exactly one argument (2 given)"),
    ("format_map-kwargs", "{{ '{a}'.format_map(a=1) }}", NO_CTX, "TypeError: format_map() takes no keyword arguments"),
    ("format_map-none", "{{ '{a}'.format_map() }}", NO_CTX,
     "TypeError: format_map() takes exactly one argument (0 given)"),
    # the bound method stored and called later (CVE-2024-56326)
    ("format-stored", "{% set f = '{0.__class__.__mro__}'.format %}{{ f(1) }}", NO_CTX, _CLASS),
    ("format-stored-item", "{% set f = '{0.__class__.__mro__}'['format'] %}{{ f(1) }}", NO_CTX, _CLASS),
    ("format-macro-arg", "{% macro m(f) %}{{ f(1) }}{% endmacro %}{{ m('{0.__class__.__mro__}'.format) }}",
     NO_CTX, _CLASS),
    ("format-repr", "{{ 'x'.format }}", NO_CTX, "OK <function str.format at 0xADDR>"),
    # through |attr (CVE-2025-27516) and |map chains
    ("attr-format", "{{ ('{0.__class__.__mro__}'|attr('format'))(1) }}", NO_CTX, _CLASS),
    ("attr-format_map", "{{ ('{a.__class__.__mro__}'|attr('format_map'))({'a': 1}) }}", NO_CTX, _CLASS),
    ("attr-dunder", "{{ (x|attr('__class__')).y }}", _Ctx(x=lambda: 1), _CLASS),
    ("map-attr-format", "{{ (x|map('attr', 'format')|first)(1) }}", _Ctx(x=lambda: ["{0.__class__.__mro__}"]), _CLASS),
    ("map-attribute-dunder", "{{ x|map(attribute='__class__')|first|attr('y') }}", _Ctx(x=lambda: [1]), _CLASS),
    ("map-attribute-print", "{{ x|map(attribute='__class__')|list }}", _Ctx(x=lambda: [1]), "OK [Undefined]"),
    ("selectattr-dunder", "{{ x|selectattr('__class__')|list }}", _Ctx(x=lambda: [1]), "OK []"),
    ("groupby-dunder", "{% for g in x|groupby('__class__') %}{{ g.grouper.y }}{% endfor %}", _Ctx(x=lambda: [1]), _CLASS),
    ("sum-dunder", "{{ x|sum(attribute='__class__') }}", _Ctx(x=lambda: [1]), _CLASS),
    # Markup.format escapes and is sandboxed too
    ("markup-format", "{{ m.format(y) }}", _Ctx(m=lambda: Markup("{0}<br>"), y=lambda: "<x>"), "OK &lt;x&gt;<br>"),
    ("markup-format-dunder", "{{ m.format(1) }}", _Ctx(m=lambda: Markup("{0.__class__.__mro__}")), _CLASS),
    ("markup-format_map", "{{ m.format_map(d) }}", _Ctx(m=lambda: Markup("{a}"), d=lambda: {"a": "<"}), "OK &lt;"),
    # calls
    ("unsafe-callable", "{{ f() }}", _Ctx(f=_unsafe_lambda), "SecurityError: <function _unsafe_lambda.<locals>.<lambda> at 0xADDR> is not safely callable"),
    ("alters-data", "{{ f() }}", _Ctx(f=_alters_data), "SecurityError: <function _alters_data.<locals>.f at 0xADDR> is not safely callable"),
    ("safe-call", "{{ 'abc'.upper() }}{{ x.count(1) }}", _Ctx(x=lambda: [1, 1]), "OK ABC2"),
    ("call-block", "{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}in{% endcall %}", NO_CTX, "OK [in]"),
    ("namespace", "{% set ns = namespace(a=1) %}{% set ns.a = 2 %}{{ ns.a }}{{ ns._Namespace__attrs }}", NO_CTX, "OK 2"),
    ("macro-internals", "{% macro m() %}{% endmacro %}{{ m._func }}{{ m.name }}", NO_CTX, "OK m"),
    ("loop-internals", "{% for x in [1] %}{{ loop._iterable }}{{ loop.index }}{% endfor %}", NO_CTX, "OK 1"),
    ("mutable-ok", "{{ x.append(1) }}{{ x }}", _Ctx(x=list), "OK None[1]"),
    # imports and namespaces
    ("from-import-dunder", "{% from 'm' import __class__ %}", NO_CTX,
     "TemplateAssertionError: names starting with an underline can not be imported"),
    ("module-internals", "{% import 'm' as mm %}{{ mm.__class__ }}|{{ mm._body_stream }}|{{ mm.x() }}", NO_CTX, "OK ||x"),
    ("namespace-set-dunder", "{% set n = namespace() %}{% set n.__class__ = 1 %}{{ n.__class__.y }}", NO_CTX,
     "SecurityError: access to attribute '__class__' of 'Namespace' object is unsafe."),
    ("xmlattr-injection", "{{ {'a onclick=x': 1}|xmlattr }}", NO_CTX, "ValueError: Invalid character in attribute name: 'a onclick=x'"),
    # range
    ("range-max", "{{ range(100000)|length }}", NO_CTX, "OK 100000"),
    ("range-over", "{{ range(100001)|length }}", NO_CTX,
     "OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
    ("range-step", "{{ range(0, 10 ** 9, 10 ** 4)|length }}", NO_CTX, "OK 100000"),
    ("range-huge", "{{ range(10 ** 12)|length }}", NO_CTX,
     "OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
]


def _ids(cases: list[tuple[t.Any, ...]]) -> list[str]:
    return [case[0] for case in cases]


@pytest.mark.parametrize(("name", "source", "ctx", "expected"), ESCAPES, ids=_ids(ESCAPES))
def test_escape_attempt(name: str, source: str, ctx: _Ctx, expected: str) -> None:
    assert _outcome(SandboxedEnvironment(), source, ctx) == expected


@pytest.mark.parametrize(("name", "source", "ctx", "expected"), ESCAPES, ids=_ids(ESCAPES))
def test_escape_attempt_matches_jinja2(name: str, source: str, ctx: _Ctx, expected: str) -> None:
    jinja_sandbox = pytest.importorskip("jinja2.sandbox")
    markupsafe = pytest.importorskip("markupsafe")
    assert _outcome(jinja_sandbox.SandboxedEnvironment(), source, ctx, markupsafe.Markup) == expected


#: Where our sandbox is deliberately stricter than Jinja2 3.1.6 (which renders
#: the given Jinja2 outcome). See docs/sandbox.md.
STRICTER = [
    # a bound format method handed in by the application
    ("format-from-context", "{{ f(1) }}", _Ctx(f=lambda: "{0.__class__.__mro__}".format), _CLASS,
     "OK (<class 'int'>, <class 'object'>)"),
    # the unbound str.format reached through a type the application passed
    ("unbound-format", "{{ s.format('{0.__class__.__mro__}', 1) }}", _Ctx(s=lambda: str), _CLASS,
     "OK (<class 'int'>, <class 'object'>)"),
    ("unbound-format_map", "{{ s.format_map('{a.__class__.__mro__}', {'a': 1}) }}", _Ctx(s=lambda: str), _CLASS,
     "OK (<class 'int'>, <class 'object'>)"),
    ("unbound-markup-format", "{{ M.format(M('{0.__class__.__mro__}'), 1) }}", _Ctx(M=lambda: Markup), _CLASS,
     "OK (&lt;class &#39;int&#39;&gt;, &lt;class &#39;object&#39;&gt;)"),
]


@pytest.mark.parametrize(("name", "source", "ctx", "expected", "jinja"), STRICTER, ids=_ids(STRICTER))
def test_stricter_than_jinja2(name: str, source: str, ctx: _Ctx, expected: str, jinja: str) -> None:
    assert _outcome(SandboxedEnvironment(), source, ctx) == expected
    jinja_sandbox = pytest.importorskip("jinja2.sandbox")
    assert _outcome(jinja_sandbox.SandboxedEnvironment(), source, ctx) == jinja


def test_undefined_refusal_is_security_error() -> None:
    env = SandboxedEnvironment(undefined=StrictUndefined)
    with pytest.raises(SecurityError, match="'__class__' of 'int' object is unsafe"):
        env.from_string("{{ x.__class__ }}").render(x=1)
    assert issubclass(SecurityError, exc.TemplateRuntimeError)
    assert SecurityError is exc.SecurityError


def test_unsafe_undefined_hook() -> None:
    undefined = SandboxedEnvironment().unsafe_undefined(1, "x")
    assert str(undefined) == ""
    with pytest.raises(SecurityError, match="access to attribute 'x' of 'int' object is unsafe."):
        undefined.foo  # noqa: B018


# -- the normal environment is not a sandbox --------------------------------------------


def test_normal_environment_range_is_unbounded() -> None:
    env = Environment()
    assert env.globals["range"] is range
    assert env.from_string("{{ range(10 ** 9)|length }}").render() == "1000000000"


def test_sandbox_range_global() -> None:
    env = SandboxedEnvironment()
    assert env.globals["range"] is safe_range
    assert MAX_RANGE == 100000
    assert safe_range(3) == range(3)
    with pytest.raises(OverflowError, match=r"MAX_RANGE \(100000\)"):
        safe_range(MAX_RANGE + 1)


def test_normal_environment_does_not_check() -> None:
    env = Environment()
    assert Environment.sandboxed is False
    assert env.from_string("{{ x.__class__.__name__ }}").render(x=1) == "int"


def test_flask_app_env_is_not_sandboxed_but_sandbox_is_available() -> None:
    from microflask import Flask

    app = Flask(__name__)
    assert not app.jinja_env.sandboxed
    env = SandboxedEnvironment(loader=DictLoader({"t": "{{ x.__class__.y }}"}))
    with pytest.raises(SecurityError):
        env.get_template("t").render(x=1)


# -- hooks ---------------------------------------------------------------------------------


class _NoPow(SandboxedEnvironment):
    intercepted_binops = frozenset(["**", "+"])
    intercepted_unops = frozenset(["-"])

    def call_binop(self, context: t.Any, operator: str, left: t.Any, right: t.Any) -> t.Any:
        if operator == "**":
            raise SecurityError("the power operator is unavailable")
        return super().call_binop(context, operator, left, right)

    def call_unop(self, context: t.Any, operator: str, arg: t.Any) -> t.Any:
        return ("neg", arg)


@pytest.mark.parametrize(
    ("source", "expected"),
    [("{{ 2 + 3 }}", "5"), ("{{ 2 * 3 }}", "6"), ("{{ -x }}", "('neg', 3)"), ("{{ +x }}", "3"), ("{{ 7 // 2 }}", "3")],
)
def test_intercepted_operators(source: str, expected: str) -> None:
    assert _NoPow().from_string(source).render(x=3) == expected


def test_intercepted_binop_can_refuse() -> None:
    with pytest.raises(SecurityError, match="power operator"):
        _NoPow().from_string("{{ 2 ** 3 }}").render()


def test_operators_not_intercepted_by_default() -> None:
    env = SandboxedEnvironment()
    assert env.intercepted_binops == frozenset() and env.intercepted_unops == frozenset()
    source = env.compile("{{ 2 ** x }}{{ -x }}", raw=True)
    assert "call_binop" not in source and "call_unop" not in source
    source = _NoPow().compile("{{ 2 ** x }}{{ -x }}{{ x * 2 }}", raw=True)
    assert "call_binop(context, '**'" in source and "call_unop(context, '-'" in source
    assert "call_binop(context, '*'" not in source
    assert env.call_binop(None, "+", 1, 2) == 3 and env.call_unop(None, "-", 3) == -3


def test_default_tables() -> None:
    env = SandboxedEnvironment()
    assert sorted(env.default_binop_table) == ["%", "*", "**", "+", "-", "/", "//"]
    assert sorted(env.default_unop_table) == ["+", "-"]
    env.binop_table["+"] = lambda a, b: "changed"
    assert SandboxedEnvironment.default_binop_table["+"](1, 2) == 3


class _OnlyPublic(SandboxedEnvironment):
    def is_safe_attribute(self, obj: t.Any, attr: str, value: t.Any) -> bool:
        return attr != "secret" and super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj: t.Any) -> bool:
        return getattr(obj, "__name__", "") != "shutdown"


def test_overridden_policy_hooks() -> None:
    env = _OnlyPublic()
    obj = types.SimpleNamespace(secret=1, open=2)
    assert env.from_string("[{{ o.secret }}|{{ o.open }}|{{ o|attr('secret') }}]").render(o=obj) == "[|2|]"

    def shutdown() -> str:
        return "down"

    with pytest.raises(SecurityError, match="is not safely callable"):
        env.from_string("{{ f() }}").render(f=shutdown)
    assert env.from_string("{{ f() }}").render(f=lambda: "ok") == "ok"


def test_call_hook_is_used_for_calls() -> None:
    seen = []

    class Recording(SandboxedEnvironment):
        def call(__self, __context: t.Any, __obj: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:  # noqa: N805
            seen.append(args)
            return super().call(__context, __obj, *args, **kwargs)

    assert Recording().from_string("{{ f(1) }}{{ f(2, x=3) }}").render(f=lambda *a, **k: len(a) + len(k)) == "12"
    assert seen == [(1,), (2,)]


def test_pass_context_callables_still_work() -> None:
    from microflask.templating import pass_context

    @pass_context
    def who(context: t.Any) -> str:
        return str(context["name"])

    assert SandboxedEnvironment().from_string("{{ who() }}").render(who=who, name="x") == "x"


# -- policy functions ------------------------------------------------------------------------


def _frame() -> types.FrameType:
    return sys._getframe()


@pytest.mark.parametrize(
    ("factory", "attr", "expected"),
    [
        (lambda: _gen, "__globals__", True),
        (lambda: _gen, "__code__", True),
        (lambda: _gen, "__name__", True),
        (lambda: _Obj().meth, "__func__", True),
        (lambda: _gen(), "gi_frame", True),
        (lambda: _gen(), "gi_code", True),
        (lambda: _gen(), "gi_running", False),
        (lambda: _agen(), "ag_frame", True),
        (lambda: _agen(), "ag_code", True),
        (lambda: int, "mro", True),
        (lambda: int, "real", False),
        (_traceback, "tb_frame", True),
        (_traceback, "tb_lineno", True),
        (_frame, "f_globals", True),
        (lambda: _gen.__code__, "co_consts", True),
        (lambda: _Obj(), "public", False),
        (lambda: _Obj(), "_private", False),
        (lambda: 1, "real", False),
    ],
)
def test_is_internal_attribute(factory: t.Callable[[], t.Any], attr: str, expected: bool) -> None:
    assert is_internal_attribute(factory(), attr) is expected
    jinja_sandbox = pytest.importorskip("jinja2.sandbox")
    assert jinja_sandbox.is_internal_attribute(factory(), attr) is expected


def test_is_internal_attribute_coroutine() -> None:
    coro = _coro()
    try:
        assert is_internal_attribute(coro, "cr_frame") and is_internal_attribute(coro, "cr_code")
        assert not is_internal_attribute(coro, "cr_running")
    finally:
        coro.close()


class _MySeq(collections.abc.MutableSequence):  # type: ignore[type-arg]
    def __getitem__(self, i: t.Any) -> t.Any:
        return None

    def __setitem__(self, i: t.Any, v: t.Any) -> None:
        pass

    def __delitem__(self, i: t.Any) -> None:
        pass

    def insert(self, i: int, v: t.Any) -> None:
        pass

    def __len__(self) -> int:
        return 0


_JINJA_SAME_MUTABLE = [
    (list, ["append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear"], ["index", "count", "copy"]),
    (dict, ["update", "setdefault", "pop", "popitem", "clear"], ["get", "keys", "items", "copy"]),
    (set, ["add", "update", "discard", "remove", "pop", "clear", "difference_update", "symmetric_difference_update"],
     ["union", "issubset", "copy"]),
    (collections.deque, ["append", "extend", "pop", "remove", "clear", "insert"], ["count", "index"]),
    (collections.UserList, ["append", "sort", "reverse", "pop"], ["count"]),
    (collections.UserDict, ["update", "setdefault", "pop", "popitem", "clear"], ["get"]),
    (collections.defaultdict, ["update", "setdefault"], ["get"]),
    (bytearray, ["append", "extend"], ["decode"]),
    (_MySeq, ["append", "extend", "pop", "sort"], ["count"]),
    (frozenset, [], ["add", "update"]),
    (tuple, [], ["append"]),
    (str, [], ["append", "format"]),
]


@pytest.mark.parametrize(("cls", "mutating", "safe"), _JINJA_SAME_MUTABLE, ids=lambda v: getattr(v, "__name__", ""))
def test_modifies_known_mutable(cls: type, mutating: list[str], safe: list[str]) -> None:
    obj = cls()
    assert [name for name in mutating if modifies_known_mutable(obj, name)] == mutating
    assert [name for name in safe if modifies_known_mutable(obj, name)] == []
    jinja_sandbox = pytest.importorskip("jinja2.sandbox")
    assert [name for name in mutating + safe if jinja_sandbox.modifies_known_mutable(obj, name)] == mutating


@pytest.mark.parametrize(
    ("obj", "attr"),
    [
        (collections.deque(), "appendleft"),
        (collections.deque(), "popleft"),
        (collections.deque(), "extendleft"),
        (collections.deque(), "rotate"),
        (set(), "intersection_update"),
        (collections.OrderedDict(), "move_to_end"),
    ],
)
def test_modifies_known_mutable_stricter_than_jinja2(obj: t.Any, attr: str) -> None:
    assert modifies_known_mutable(obj, attr)


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("{{ x.append(1) }}", list),
        ("{{ x.update({}) }}", dict),
        ("{{ x.add(1) }}", set),
        ("{{ x.pop() }}", lambda: [1]),
        ("{{ x.appendleft(1) }}", collections.deque),
        ("{{ x.append(1) }}", collections.UserList),
        ("{{ x.setdefault('a', 1) }}", collections.UserDict),
        ("{{ (x|attr('append'))(1) }}", list),
    ],
)
def test_immutable_sandbox_refuses_mutation(source: str, value: t.Callable[[], t.Any]) -> None:
    obj = value()
    before = repr(obj)
    with pytest.raises(SecurityError, match="object is unsafe"):
        ImmutableSandboxedEnvironment().from_string(source).render(x=obj)
    assert repr(obj) == before


def test_immutable_sandbox_allows_reading() -> None:
    env = ImmutableSandboxedEnvironment()
    assert env.from_string("{{ x.count(1) }}{{ d.items()|list }}{{ x.append }}").render(x=[1], d={1: 2}) == "1[(1, 2)]"


def test_unsafe_decorator_marks() -> None:
    def f() -> None:
        pass

    assert unsafe(f) is f and f.unsafe_callable is True  # type: ignore[attr-defined]
    assert not SandboxedEnvironment().is_safe_callable(f)


def test_sandbox_dict_fast_path_matches_general_path() -> None:
    """The dict shortcut in ``getattr`` answers as the general lookup would."""
    env = SandboxedEnvironment()
    row = {"name": "n", "items": "shadowed", "_x": 1}
    for attr in ["name", "_x", "missing", "__class__", "get", "items"]:
        fast = env.getattr(row, attr)
        general = env.getattr(_DictSub(row), attr)
        assert type(fast) is type(general)
        if not callable(fast):
            assert fast == general


class _DictSub(dict):  # type: ignore[type-arg]
    """Not ``dict`` itself, so it takes the general path."""


def test_sandboxed_templates_from_loader_and_includes() -> None:
    env = SandboxedEnvironment(
        loader=DictLoader({"base": "<{% block b %}{% endblock %}>", "child": "{% extends 'base' %}{% block b %}{% include 'inc' %}{% endblock %}", "inc": "{{ x.__class__.y }}"})
    )
    with pytest.raises(SecurityError):
        env.get_template("child").render(x=1)
    with pytest.raises(SecurityError):
        env.from_string("{% include 'child' %}").render(x=types.SimpleNamespace(y=1))
