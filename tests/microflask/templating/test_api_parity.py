"""compile_expression, globals reaching imported macros, pass_context seeing
``set`` variables of for bodies and blocks, namespace assignment order.
Each case has its expected result written out and, when Jinja2 is installed,
is checked against it too."""

from __future__ import annotations

import typing as t

import pytest

from microflask import templating
from microflask.templating import sandbox

try:
    import jinja2
    import jinja2.meta
    import jinja2.sandbox
except ImportError:  # pragma: no cover - jinja2 is in the test extra
    jinja2 = None  # type: ignore[assignment]

ENGINES = [templating] + ([jinja2] if jinja2 is not None else [])


def _outcome(fn: t.Callable[[], t.Any]) -> t.Any:
    try:
        return fn()
    except Exception as exc:  # the error is part of the behaviour compared
        return f"{type(exc).__name__}: {exc}"


EXPRESSIONS = [
    ("a + b", {"a": 1, "b": 2}, True, 3),
    ("foo.bar", {"foo": {}}, True, None),
    ("range(3)|list", {}, True, [0, 1, 2]),
    ("'}}'", {}, True, "}}"),
    ("a\n+\nb", {"a": 1, "b": 2}, True, 3),
    ("x == 42", {"x": 42}, True, True),
    ("a b", {}, True, "TemplateSyntaxError: chunk after expression"),
    ("a }} b", {}, True, "TemplateSyntaxError: chunk after expression"),
    ("", {}, True, "TemplateSyntaxError: unexpected 'end of template'"),
    ("foo(", {}, True, "TemplateSyntaxError: unexpected 'end of template'"),
    ("{{ a }}", {}, True, "TemplateSyntaxError: expected token ':', got '}'"),
    ("a|nope", {}, True, "TemplateAssertionError: No filter named 'nope'."),
    ("x.y.z", {}, True, "UndefinedError: 'x' is undefined"),
]


@pytest.mark.parametrize("module", ENGINES)
@pytest.mark.parametrize(("source", "variables", "to_none", "expected"), EXPRESSIONS)
def test_compile_expression(module: t.Any, source: str, variables: dict[str, t.Any], to_none: bool, expected: t.Any) -> None:
    env = module.Environment()
    assert _outcome(lambda: env.compile_expression(source, undefined_to_none=to_none)(**variables)) == expected


@pytest.mark.parametrize("module", ENGINES)
def test_compile_expression_keeps_undefined_on_request(module: t.Any) -> None:
    expr = module.Environment().compile_expression("foo.bar", undefined_to_none=False)
    assert isinstance(expr(foo={}), module.Undefined)
    # positional mapping like render()
    assert module.Environment().compile_expression("x * 2")({"x": 4}) == 8


def test_compile_expression_in_sandbox_and_async() -> None:
    expr = sandbox.SandboxedEnvironment().compile_expression("a.__class__")
    assert expr(a=2) is None  # refused attribute -> undefined -> None
    with pytest.raises(sandbox.SecurityError):
        sandbox.SandboxedEnvironment().compile_expression("a.__class__.__name__")(a=2)
    # Jinja2 fails here with a TypeError; the async engine evaluates it
    assert templating.Environment(enable_async=True).compile_expression("a + 1")(a=2) == 3


MACROS = {"mac.html": "{% macro h() %}[{{ foo }}]{% endmacro %}", "inc.html": "[{{ foo }}]"}

IMPORTS = [
    ("{% import 'mac.html' as mac %}{{ mac.h() }}", {"foo": 42}, {}, "[42]"),
    ("{% from 'mac.html' import h %}{{ h() }}", {"foo": 42}, {}, "[42]"),
    ("{% from 'mac.html' import h with context %}{{ h() }}", {"foo": 42}, {}, "[42]"),
    ("{% include 'inc.html' %}", {"foo": 42}, {}, "[42]"),
    # without globals= a render argument does not reach an import without context
    ("{% import 'mac.html' as mac %}{{ mac.h() }}", None, {"foo": 1}, "[]"),
    # with globals=, the value the importer sees is passed (render arguments win)
    ("{% import 'mac.html' as mac %}{{ mac.h() }}", {"foo": 42}, {"foo": 1}, "[1]"),
    ("{% macro w() %}{% import 'mac.html' as mac %}{{ mac.h() }}{% endmacro %}{{ w() }}", {"foo": 3}, {}, "[3]"),
    ("{% block b %}{% from 'mac.html' import h %}{{ h() }}{% endblock %}", {"foo": 3}, {}, "[3]"),
]


@pytest.mark.parametrize("module", ENGINES)
@pytest.mark.parametrize("is_async", [False, True])
@pytest.mark.parametrize(("source", "globals_", "variables", "expected"), IMPORTS)
def test_from_string_globals_reach_imported_templates(
    module: t.Any, is_async: bool, source: str, globals_: t.Any, variables: dict[str, t.Any], expected: str
) -> None:
    env = module.Environment(loader=module.DictLoader(MACROS), enable_async=is_async)
    assert env.from_string(source, globals=globals_).render(**variables) == expected


@pytest.mark.parametrize("module", ENGINES)
def test_get_template_globals_reach_imported_templates(module: t.Any) -> None:
    loader = module.DictLoader({**MACROS, "b.html": "{% import 'mac.html' as mac %}{{ mac.h() }}"})
    env = module.Environment(loader=loader)
    assert env.get_template("b.html", globals={"foo": 5}).render() == "[5]"
    # the imported template's own module stays cached and plain
    assert env.get_template("mac.html").module.h() == "[]"


PASS_CONTEXT = [
    ("{% for x in [1] %}{% set y = 2 %}{{ g() }}{% endfor %}", "g,y,z"),
    ("{% for x in [1] %}{% set y = 2 %}{% endfor %}{{ g() }}", "g,z"),
    ("{% block b %}{% set y = 9 %}{{ g() }}{% endblock %}", "g,y,z"),
    ("{% block b %}{% for x in [1] %}{% set y = 9 %}{{ g() }}{% endfor %}{% endblock %}", "g,y,z"),
    ("{% extends 'base.html' %}{% block b %}{% set y = 9 %}{{ g() }}{% endblock %}", "g,y,z"),
    ("{% macro m() %}{% set y = 9 %}{{ g() }}{% endmacro %}{{ m() }}", "g,m,z"),
    ("{% macro m() %}{% for x in [1] %}{% set y = 9 %}{{ g() }}{% endfor %}{% endmacro %}{{ m() }}", "g,m,y,z"),
    ("{% with a = 1 %}{% set y = 9 %}{{ g() }}{% endwith %}", "g,z"),
    ("{% for x in [1] %}{% set y = 9 %}{% with a = 1 %}{{ g() }}{% endwith %}{% endfor %}", "g,z"),
    ("{% block b %}{% set y = 9 %}{% for x in [1] %}{{ g() }}{% endfor %}{% endblock %}", "g,z"),
    ("{% block b %}{% set y = 9 %}{% if 1 %}{{ g() }}{% endif %}{% endblock %}", "g,y,z"),
    ("{% for x in [1] %}{% if 1 %}{% set y = 9 %}{% endif %}{{ g() }}{% endfor %}", "g,y,z"),
    ("{% for x in [1, 2] %}{{ g() }}{% set y = 9 %}{% endfor %}", "g,zg,z"),
    ("{% for x in [1] %}{% set y = 9 %}{% set b = 8 %}{% for w in [1] %}{% set b = 1 %}{{ g() }}{% endfor %}{% endfor %}", "b,g,z"),
    ("{% for x in [1] %}{% set y, b = 9, 8 %}{{ g() }}{% endfor %}", "b,g,y,z"),
    ("{% for x in [1] %}{% set y %}q{% endset %}{{ g() }}{% endfor %}", "g,y,z"),
    ("{% for x in [1] %}{% set y = 9 %}{{ [g()]|first }}{% endfor %}", "g,y,z"),
    ("{% for x in [1] recursive %}{% set y = 9 %}{{ g() }}{% endfor %}", "g,y,z"),
    ("{% set q %}{% set y = 9 %}{{ g() }}{% endset %}{{ q }}", "g,z"),
    ("{% for x in [1] %}{% set y = 2 %}{{ 1|ff }}{% endfor %}", "g,z"),
    ("{% for x in [1] %}{% set y = 2 %}{% include 'inc.html' %}{% endfor %}", "<g,x,y,z>"),
    ("{% macro mac() %}M{% endmacro %}{% for x in [1] %}{% set y = 2 %}{{ mac() }}{% endfor %}", "M"),
    ("{% for x in [1] %}{% set y = 2 %}{{ mac() }}{% endfor %}{% macro mac() %}M{% endmacro %}", "UndefinedError: 'mac' is undefined"),
]


@pytest.mark.parametrize("module", ENGINES)
@pytest.mark.parametrize("sandboxed", [False, True])
@pytest.mark.parametrize("is_async", [False, True])
@pytest.mark.parametrize(("source", "expected"), PASS_CONTEXT)
def test_pass_context_sees_set_variables_of_loops_and_blocks(
    module: t.Any, sandboxed: bool, is_async: bool, source: str, expected: str
) -> None:
    @module.pass_context
    def g(ctx: t.Any, *args: t.Any) -> str:
        return ",".join(sorted(k for k in ctx.get_all() if len(k) == 1))

    if sandboxed:
        cls = jinja2.sandbox.SandboxedEnvironment if module is jinja2 else sandbox.SandboxedEnvironment
    else:
        cls = module.Environment
    loader = module.DictLoader({"base.html": "{% block b %}{% endblock %}", "inc.html": "<{{ g() }}>"})
    env = cls(loader=loader, enable_async=is_async)
    env.globals["g"] = g
    env.filters["ff"] = g
    assert _outcome(lambda: env.from_string(source).render(z=0)) == expected


@pytest.mark.parametrize("module", ENGINES)
def test_calls_in_loops_with_set_variables_pass_the_sandbox_hook(module: t.Any) -> None:
    base = jinja2.sandbox.SandboxedEnvironment if module is jinja2 else sandbox.SandboxedEnvironment
    error = jinja2.sandbox.SecurityError if module is jinja2 else sandbox.SecurityError

    class Strict(base):  # type: ignore[misc, valid-type]
        def is_safe_callable(self, obj: t.Any) -> bool:
            return getattr(obj, "__name__", "") != "secret"

    def secret() -> str:
        return "leak"

    @module.pass_context
    def seen(ctx: t.Any) -> str:
        return str(ctx.get("y"))

    env = Strict()
    assert env.from_string("{% for x in [1] %}{% set y = 2 %}{{ f() }}{% endfor %}").render(f=seen) == "2"
    for source in ("{% for x in [1] %}{% set y = 2 %}{{ f() }}{% endfor %}", "{% block b %}{% set y = 2 %}{{ f() }}{% endblock %}"):
        with pytest.raises(error, match="is not safely callable"):
            env.from_string(source).render(f=secret)


NAMESPACE_ORDER = [
    "{% set ns = {} %}{% set ns.a = undefinedthing.x %}",
    "{% set ns = 3 %}{% set ns.a, b = undefinedthing.x %}",
    "{% set ns = 3 %}{% set b, ns.a = undefinedthing.x %}",
    "{% for i in [1] %}{% set ns.a = undefinedthing.x %}{% endfor %}",
]


@pytest.mark.parametrize("module", ENGINES)
@pytest.mark.parametrize("source", NAMESPACE_ORDER)
def test_namespace_target_is_checked_before_the_value(module: t.Any, source: str) -> None:
    env = module.Environment()
    assert _outcome(lambda: env.from_string(source).render()) == (
        "TemplateRuntimeError: cannot assign attribute on non-namespace object"
    )


class _Plain:
    gi_frame = "not a frame"

    def method(self) -> None:
        pass


class _PretendsToBeAGenerator:
    """``isinstance`` believes ``__class__``: the per-class fast path must not skip it."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return type(x for x in ())

    gi_frame = "looks like a frame"


def _generator() -> t.Iterator[int]:
    yield 1


INTERNAL_CASES = [
    (_Plain(), "gi_frame"), (_Plain(), "__class__"), (_Plain(), "method"), (_Plain().method, "__func__"),
    (_Plain().method, "__self__"), (_generator(), "gi_frame"), (_generator(), "gi_running"),
    (_PretendsToBeAGenerator(), "gi_frame"), (_PretendsToBeAGenerator(), "other"), (type, "mro"), (int, "mro"),
    (3, "real"), ("s", "format"), ({}, "items"), (lambda: 1, "__globals__"), (lambda: 1, "__name__"),
]  # fmt: skip


@pytest.mark.parametrize(("obj", "attr"), INTERNAL_CASES)
def test_is_internal_attribute_fast_path_agrees_with_the_general_answer(obj: t.Any, attr: str) -> None:
    first = sandbox.is_internal_attribute(obj, attr)
    second = sandbox.is_internal_attribute(obj, attr)  # now through the per-class cache when ordinary
    assert first == second
    if jinja2 is not None:
        assert first == jinja2.sandbox.is_internal_attribute(obj, attr)
    assert type(obj) is not _PretendsToBeAGenerator or type(obj) not in sandbox._ORDINARY_CLASSES


def test_context_call_fast_path_for_plain_callables() -> None:
    """Functions and methods skip the ``__call__`` check; callable objects marking
    ``__call__`` with pass_context still get the context."""

    class Marked:
        @templating.pass_context
        def __call__(self, ctx: t.Any) -> str:
            return str(ctx.get("v"))

    def plain() -> str:
        return "plain"

    env = templating.Environment()
    tmpl = env.from_string("{{ m() }}|{{ p() }}|{{ b() }}|{{ s.upper() }}")
    assert tmpl.render(v=7, m=Marked(), p=plain, b=lambda: "b", s="x") == "7|plain|b|X"


FOR_ELSE_SCOPE = [
    ("{% for x in [] %}{% else %}{% set w = 1 %}{% endfor %}[{{ w }}]", "[R]"),
    ("{% for x in [] %}{% else %}{% set w = 1 %}[{{ w }}]{% endfor %}[{{ w }}]", "[1][R]"),
    ("{% set w = 0 %}{% for x in [] %}{% else %}{{ w }}{% set w = 1 %}{{ w }}{% endfor %}{{ w }}", "010"),
    ("{% for x in [] recursive %}{% else %}{% set w = 1 %}[{{ w }}]{% endfor %}[{{ w }}]", "[1][R]"),
    ("{% macro m() %}{% for x in [] %}{% else %}{% set w = 1 %}[{{ w }}]{% endfor %}[{{ w }}]{% endmacro %}{{ m() }}", "[1][R]"),
    ("{% block b %}{% for x in [] %}{% else %}{% set w = 1 %}[{{ w }}]{% endfor %}[{{ w }}]{% endblock %}", "[1][R]"),
]


@pytest.mark.parametrize("module", ENGINES)
@pytest.mark.parametrize(("source", "expected"), FOR_ELSE_SCOPE)
def test_for_else_is_its_own_scope(module: t.Any, source: str, expected: str) -> None:
    env = module.Environment()
    assert env.from_string(source).render(w="R") == expected
    meta = templating.meta if module is templating else jinja2.meta
    assert ("w" in meta.find_undeclared_variables(env.parse(source))) == (not source.startswith("{% set"))
    if source.startswith("{% for x in [] %}"):
        assert not hasattr(env.from_string(source).module, "w")


# A name an enclosing scope assigns only later is, in a nested scope read
# before that assignment, undefined in Jinja2 (the enclosing scope owns it);
# read first at the scope's own level, or owned by a scope further out, it
# keeps that value.
LATER_ASSIGNED = [
    ("{{ c }}{% set c = 1 %}{{ c }}", "C1"),
    ("{% with %}{{ c }}{% endwith %}{% set c = 1 %}", ""),
    ("{% for x in [1] %}{{ c }}{% endfor %}{% set c = 1 %}", ""),
    ("{% filter upper %}{{ c }}{% endfilter %}{% set c = 1 %}", ""),
    ("{% macro m() %}{{ c }}{% endmacro %}{{ m() }}{% set c = 1 %}", ""),
    ("{% with %}{% for x in [1] %}{{ c }}{% endfor %}{% set c = 1 %}{% endwith %}", ""),
    ("{% for x in [1] %}{% with %}{{ c }}{% endwith %}{% set c = 1 %}{% endfor %}", ""),
    ("{% block b %}{% with %}{{ c }}{% endwith %}{% set c = 1 %}{% endblock %}", ""),
    ("{{ c }}{% with %}{{ c }}{% endwith %}{% set c = 1 %}", "CC"),
    ("{% set c = 0 %}{% with %}{{ c }}{% endwith %}{% set c = 1 %}", "0"),
    ("{% set b = 7 %}{% macro m0() %}{% macro m1() %}{{ b }}{% endmacro %}{{ m1() }}{% set b = 8 %}{% endmacro %}{{ m0() }}", "7"),
    ("{% if false %}{% set c = 1 %}{% endif %}{% with %}{{ c }}{% endwith %}", "C"),
    ("{% with %}{{ c }}{% endwith %}{% set c = c %}{{ c }}", "CC"),
    ("{% set q %}{% if true %}{{ c }}{% endif %}{% endset %}{% for x in [1] %}{{ c }}{% endfor %}{% set c = 2 %}{{ q }}", ""),
    ("{% set c %}{% if true %}{{ c }}{% endif %}{% endset %}{% for x in [1] %}[{{ c }}]{% endfor %}", "[]"),
    ("{% set c %}{% macro m1() %}[{{ c }}]{% endmacro %}{{ m1() }}{% endset %}{{ c }}", "[]"),
    ("{% with %}{{ c }}{% set c = 1 %}{{ c }}{% endwith %}{{ c }}", "C1C"),
]


@pytest.mark.parametrize("module", ENGINES)
@pytest.mark.parametrize(("source", "expected"), LATER_ASSIGNED)
def test_names_assigned_later_in_an_enclosing_scope(module: t.Any, source: str, expected: str) -> None:
    assert module.Environment().from_string(source).render(c="C") == expected


@pytest.mark.parametrize("module", ENGINES)
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% for x in [1] %}{% if true %}{% set b %}q{% endset %}{% endif %}{{ g() }}{% endfor %}", "b,g"),
        ("{% for x in [1] %}{% if true %}{% set b = 1 %}{% endif %}{{ g() }}{% endfor %}", "b,g"),
        # the with target owns ``a``: the macro's block set reads it first
        ("{% with a = 5 %}{% macro m() %}{% set a %}[{{ a }}]{% endset %}{{ a }}{% endmacro %}{{ m() }}{% endwith %}", "[5]"),
    ],
)
def test_more_scoping_cases(module: t.Any, source: str, expected: str) -> None:
    @module.pass_context
    def g(ctx: t.Any) -> str:
        return ",".join(sorted(k for k in ctx.get_all() if len(k) == 1))

    env = module.Environment()
    env.globals["g"] = g
    assert env.from_string(source).render() == expected
